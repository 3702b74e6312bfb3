/**
 * The app's controller: owns the training worker's client (and replaces a worker that died, with
 * the last copy of its weights), lets workerEvents.ts fold its events into the store, and turns
 * the UI's intentions (train, step, reset, change a setting, apply a preset, move the probe, a
 * message's action) into commands. No tensors here: the worker has them all.
 */
import { TrainingClient, type WorkerPort } from '../worker/client';
import { WEIGHT_COPY_EVERY, type RestorePoint } from '../worker/protocol';
import { AnalysisTools } from './analysis/tools';
import { SampleQualityTools } from './quality/tools';
import { Explainer } from './explain/explainer';
import { initialState, type AppState, type Notice, type NoticeActionKind } from './appState';
import { ComparisonRunner } from './comparison';
import { RescueRunner } from './rescue';
import { Decoders } from './decoders';
import type { HistoryMarker } from './history';
import { withNotice, type Message } from './notices';
import { RestartBudget, Watchdog, type Clock } from './supervisor';
import { listenToWorker } from './workerEvents';
import {
  cautionOf,
  checkSetting,
  displaySetting,
  formatSetting,
  holdOutClassOf,
  modelConfigOf,
  needsNewModel,
  presetById,
  SETTINGS,
  settingsFromUrl,
  settingsToUrl,
  trainingOf,
  type SettingKey,
  type Settings,
} from './settings';
import type { Checked } from '../core/settings/spec';
import { formatShort, makeSnapshot, withSnapshot } from './snapshots';
import { Store } from './store';
import type { ModelLibrary } from './storage/library';
import { Keeper } from './storage/keeper';
import type { RestoredRun } from './storage/pageState';
import { adoptRun } from './storage/restore';
import { Timeline } from './timeline';
import { browserDecoder, type ImageDecoder } from './ownImages/decode';
import { OwnImagesImporter } from './ownImages/importer';
import type { OwnImages } from '../data/own/ownDataset';
import type { LatentCodes } from './exports/csv';
import { initialView, type ViewState } from './viewState';

export { GRID_SIZE_2D, PRIOR_SAMPLES, TRAVERSAL_MAX_ROWS, TRAVERSAL_VALUES } from './decoders';
export type { DecodedImages, ViewState } from './viewState';

/** How often the probe's image is refreshed while training, in metric reports (~20 steps each). */
const PROBE_REFRESH_EVERY = 1;
/** How often the decoder grid is refreshed while training, in metric reports. */
const GRID_REFRESH_EVERY = 5;

export interface ControllerOptions {
  createWorker(): WorkerPort;
  /** The app's base URL: data and wasm binaries are fetched relative to it. */
  assetBaseUrl: string;
  initialSettings: Settings;
  /** Messages to show from the start (what the URL reader said). */
  initialMessages?: readonly Message[];
  /** Called with the settings' URL form after each change (history.replaceState in the page). */
  writeUrl?(hash: string): void;
  /** The watchdog's and the restart budget's clock (the system's by default). */
  clock?: Clock;
  /** Where saved models are kept (IndexedDB in the page); none: only downloads. */
  library?: ModelLibrary | null;
  /** Offer bytes as a download (the page's DOM). */
  download?(file: Uint8Array, name: string, type: string): void;
  /** Autosave interval while training, ms (default a minute). */
  autosaveEveryMs?: number;
  /** The lab tab to open first (a link to a lesson opens its tab). */
  initialLabTab?: ViewState['labTab'];
  /** How your own images are decoded (the browser's createImageBitmap by default). */
  imageDecoder?: ImageDecoder;
}

export class Controller {
  readonly store: Store<AppState>;
  readonly view: Store<ViewState>;
  /** The tools of a trained model (the "Use the model" tab), with a store of their own. */
  readonly analysis: AnalysisTools;
  /** Score samples, the discriminator's histograms and the plain-VAE baseline (state/quality/). */
  readonly quality: SampleQualityTools;
  /** The model diagram's and the worked example's image and numbers (state/explain). */
  readonly explainer: Explainer;
  /** Save, load, export, autosave (state/storage/keeper.ts). */
  readonly keep: Keeper;
  /** Your own images, read and prepared for the data set 'own' (state/ownImages/importer.ts). */
  readonly images: OwnImagesImporter;
  /** The images the worker has for the data set 'own' (sent again to a new worker). */
  private ownImages: OwnImages | null = null;
  private client: TrainingClient;
  private readonly decoders: Decoders;
  private readonly comparison: ComparisonRunner;
  private readonly rescue: RescueRunner;
  private readonly timeline = new Timeline();
  private noticeId = 1;
  private snapshotId = 1;
  private metricsSinceProbe = 0;
  private metricsSinceGrid = 0;
  /** Bumped whenever a new model is asked for: decodes for an older one are dropped. */
  private modelGeneration = 0;
  /**
   * Between a configure and its 'configured' reply the worker may still report on the old model:
   * those reports must not fill the chart and scatter that were just cleared for the new one.
   */
  private awaitingModel = false;
  /** The newest copy of the current model's weights, for a restarted worker. */
  private restorePoint: RestorePoint | null = null;
  private watchdog: Watchdog | null = null;
  private readonly restarts: RestartBudget;
  /** The page's part of a model file the worker is loading, applied when it says 'configured'. */
  private pendingRun: RestoredRun | null = null;

  constructor(private readonly options: ControllerOptions) {
    this.store = new Store(initialState(options.initialSettings));
    this.store.set((s) => ({ ...s, comparison: { ...s.comparison, stepsPerModel: options.initialSettings.comparisonSteps } }));
    this.view = new Store<ViewState>(initialView(options.initialSettings.latentDim, options.initialLabTab));
    this.restarts = new RestartBudget(options.clock);
    for (const { text, group } of options.initialMessages ?? []) this.notify('warning', text, { group });
    this.decoders = new Decoders({
      client: () => this.client,
      generation: () => this.modelGeneration,
      store: this.store,
      view: this.view,
      onError: (text) => this.notify('error', text),
    });
    this.analysis = new AnalysisTools({
      client: () => this.client,
      generation: () => this.modelGeneration,
      store: this.store,
      visible: () => this.view.get().labTab === 'use',
      onError: (text) => this.notify('error', text),
    });
    this.quality = new SampleQualityTools({
      client: () => this.client,
      generation: () => this.modelGeneration,
      store: this.store,
      notify: (level, text) => this.notify(level, text),
      createWorker: options.createWorker,
      assetBaseUrl: options.assetBaseUrl,
    });
    this.explainer = new Explainer({ client: () => this.client, generation: () => this.modelGeneration, store: this.store });
    this.images = new OwnImagesImporter(options.imageDecoder ?? browserDecoder);
    this.comparison = new ComparisonRunner(options.createWorker, options.assetBaseUrl, (change) => this.store.set((s) => ({ ...s, comparison: change(s.comparison) })));
    this.rescue = new RescueRunner(
      options.createWorker,
      options.assetBaseUrl,
      (change) => this.store.set((s) => ({ ...s, rescue: change(s.rescue) })),
      (card) => this.store.set((s) => ({ ...s, snapshots: withSnapshot(s.snapshots, { ...card, id: this.snapshotId++ }) })),
    );
    this.client = this.connect();
    this.keep = new Keeper({
      client: () => this.client,
      store: this.store,
      chartOffset: () => this.timeline.at(0),
      expectRun: (run) => (this.pendingRun = run),
      notify: (level, text, group) => this.notify(level, text, { group }),
      library: options.library ?? null,
      download: options.download,
      now: () => Date.now(),
      autosaveEveryMs: options.autosaveEveryMs,
    });
    void this.keep.init();
  }

  get settings(): Settings {
    return this.store.get().settings;
  }

  // ---- intentions from the UI --------------------------------------------------------------

  toggleTraining(): void {
    const { training, model } = this.store.get();
    if (!model) return;
    this.client.send({ type: training.running ? 'pause' : 'start' });
  }

  /** One step while paused; `player`: only that player's (an adversarial family's step buttons). */
  step(player?: string): void {
    if (this.store.get().model) this.client.send(player ? { type: 'step', player } : { type: 'step' });
  }

  reset(): void {
    if (!this.store.get().model) return;
    // fresh weights: what was computed for the old ones (decodes, scores, bounds) no longer holds
    this.modelGeneration += 1;
    this.analysis.onNewModel();
    this.quality.onNewModel();
    this.explainer.onNewModel();
    this.client.send({ type: 'reset' });
  }

  /**
   * Propose a new value for a setting. Live settings apply at the next step; settings that need
   * a new model ask first when a trained model would be lost. Returns the check's outcome so the
   * input can show why a value was clamped or refused.
   */
  changeSetting<K extends SettingKey>(key: K, raw: unknown): Checked<Settings[K]> {
    const checked = checkSetting(key, raw);
    if (!checked.ok) {
      this.notify('warning', `${checked.message}. Kept ${formatSetting(key, this.settings[key])}.`);
      return checked;
    }
    if (checked.message) this.notify('info', `${checked.message}.`);
    if (checked.value === this.settings[key]) return checked;
    const caution = cautionOf(key, checked.value);
    if (caution) this.notify('warning', `${caution}.`);
    const next = { ...this.settings, [key]: checked.value } as Settings;
    if (SETTINGS[key].effect === 'live') {
      this.applyLive(key, next);
      return checked;
    }
    this.proposeModelChange({ [key]: checked.value } as Partial<Settings>, `Changing ${SETTINGS[key].label} to ${displaySetting(key, checked.value)}`);
    return checked;
  }

  /** Set up a lesson: the defaults plus the preset's settings (asks first if a trained model would go). */
  applyPreset(id: string): void {
    const preset = presetById(id);
    if (!preset) return;
    this.view.set((v) => ({ ...v, preset: id }));
    const { settings } = settingsFromUrl(preset.hash);
    // the backend is the user's machine's choice, not the lesson's
    const change: Partial<Settings> = { ...settings, backend: this.settings.backend };
    if (preset.tab) this.openLabTab(preset.tab);
    const interpolate = preset.tools?.interpolate;
    if (interpolate) this.analysis.setClasses(interpolate.from, interpolate.to);
    const differs = (Object.keys(change) as SettingKey[]).some((k) => change[k] !== this.settings[k]);
    if (!differs) return;
    const modelChange = (Object.keys(change) as SettingKey[]).some((k) => needsNewModel(k) && change[k] !== this.settings[k]);
    if (!modelChange) {
      for (const key of Object.keys(change) as SettingKey[]) if (change[key] !== this.settings[key]) this.applyLive(key, { ...this.settings, [key]: change[key] } as Settings);
      return;
    }
    this.proposeModelChange(change, `The preset “${preset.label}”`);
  }

  confirmPendingChange(): void {
    const pending = this.store.get().pendingChange;
    if (!pending) return;
    this.store.set((s) => ({ ...s, pendingChange: null }));
    // merge into the settings as they are now: live edits made while the question was open stay
    this.applyModelChange({ ...this.settings, ...pending.change });
  }

  cancelPendingChange(): void {
    this.store.set((s) => ({ ...s, pendingChange: null }));
  }

  moveProbe(z: number[], byUser = true): void {
    if (z.length !== this.settings.latentDim || !z.every(Number.isFinite)) return;
    this.view.set((v) => ({ ...v, probe: z }));
    if (this.store.get().model) this.decoders.moveProbe(z, byUser);
  }

  /**
   * Put the probe on a test point's posterior mean (the traversals then start from it), or, while
   * an interpolation end is being picked, make the point that end.
   */
  probeToPoint(pointIndex: number): void {
    if (this.analysis.pickPoint(pointIndex)) return;
    const latents = this.store.get().latents;
    if (!latents || pointIndex < 0 || pointIndex >= latents.count) return;
    const d = latents.latentDim;
    this.moveProbe(Array.from(latents.mu.subarray(pointIndex * d, (pointIndex + 1) * d)));
  }

  /** Freeze the current scatter, traversals, KL bars and scores into a card. */
  takeSnapshot(): void {
    const made = makeSnapshot(this.snapshotId, this.store.get(), this.view.get().traversal);
    if (!made) return;
    const score = this.quality.store.get().score.result;
    const snapshot = score ? { ...made, quality: { step: score.step, frechetDistance: score.frechetDistance, sharpnessRatio: score.sharpnessRatio, confidence: score.confidence } } : made;
    this.snapshotId += 1;
    this.store.set((s) => ({ ...s, snapshots: withSnapshot(s.snapshots, snapshot) }));
  }

  removeSnapshot(id: number): void {
    this.store.set((s) => ({ ...s, snapshots: s.snapshots.filter((x) => x.id !== id) }));
  }

  /** Collapse vs rescue: the autoregressive decoder at β = 1 and with cyclical β + free bits, as two snapshot cards. */
  runRescue(): void {
    if (this.rescue.running || this.store.get().data.stage !== 'ready') return;
    if (this.store.get().training.running) this.client.send({ type: 'pause' });
    void this.rescue.run(this.settings, this.settings.comparisonSteps);
  }

  /** Train a plain autoencoder, a KL-only model and a VAE side by side (the main run pauses). */
  runComparison(): void {
    if (this.comparison.running || this.store.get().data.stage !== 'ready') return;
    if (this.store.get().training.running) this.client.send({ type: 'pause' });
    void this.comparison.run(this.settings, this.settings.comparisonSteps, this.settings.dataset === 'own' ? this.ownImages : null);
  }

  cancelComparison(): void {
    this.comparison.cancel();
  }

  /**
   * Train on the images read under “Your own images”: the worker gets them, and the data set
   * becomes 'own' (asking first when a trained model would be discarded).
   */
  useOwnImages(): void {
    const images = this.images.payload();
    if (!images) return;
    this.ownImages = images;
    this.images.markInUse(true);
    this.client.send({ type: 'useImages', images });
    if (this.settings.dataset !== 'own') this.changeSetting('dataset', 'own');
    else this.proposeModelChange({}, `Training on ${images.count.toLocaleString('en-US')} new images`);
  }

  /** The posterior of every test image with its class names (the latent codes to download), or null without a model. */
  async testSetCodes(): Promise<LatentCodes | null> {
    const classNames = this.store.get().data.summary?.classNames;
    if (!this.store.get().model || !classNames) return null;
    try {
      const e = await this.client.encodeTestSet();
      return { step: e.step, count: e.count, latentDim: e.latentDim, mu: e.mu, logVar: e.logVar, labels: e.labels, classNames };
    } catch (error) {
      this.notify('error', `Encoding the test set failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  resamplePrior(): void {
    this.decoders.resample();
  }

  /** The class the conditional families decode as (the Class picker): the probe, grid and traversals follow. */
  chooseClass(label: number): void {
    const classes = this.store.get().data.summary?.classNames.length ?? Infinity;
    if (!Number.isInteger(label) || label < 0 || label >= classes || label === this.view.get().decodeClass) return;
    this.view.set((v) => ({ ...v, decodeClass: label }));
    this.refreshDecodes();
  }

  /** The mixture component the decoder grid samples from (null: the whole prior). */
  chooseGridComponent(component: number | null): void {
    this.view.set((v) => ({ ...v, gridComponent: component }));
    this.decoders.refreshGrid(true);
  }

  private refreshDecodes(): void {
    if (!this.store.get().model) return;
    this.decoders.moveProbe(this.view.get().probe, false);
    this.decoders.refreshGrid();
    this.decoders.refreshTraversal();
  }

  openLabTab(tab: ViewState['labTab']): void {
    this.view.set((v) => ({ ...v, labTab: tab }));
    if (tab === 'use') this.analysis.onShown();
  }

  dismissNotice(id: number): void {
    this.store.set((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
  }

  dismissAllNotices(): void {
    this.store.set((s) => ({ ...s, notices: [] }));
  }

  /** Do what a message offers (its button), then let the message go. */
  runNoticeAction(id: number): void {
    const notice = this.store.get().notices.find((n) => n.id === id);
    if (!notice?.action) return;
    this.dismissNotice(id);
    const actions: Record<NoticeActionKind, () => void> = {
      restoreAndHalveLearningRate: () => this.restoreAndHalveLearningRate(),
    };
    actions[notice.action]();
  }

  /** After a divergence: back to the last sane weights, at half the learning rate. */
  restoreAndHalveLearningRate(): void {
    if (!this.store.get().model) return;
    this.client.send({ type: 'restore' });
    this.changeSetting('learningRate', this.settings.learningRate / 2);
  }

  dispose(): void {
    this.keep.dispose();
    this.decoders.dispose();
    this.analysis.dispose();
    this.quality.dispose();
    this.explainer.dispose();
    this.comparison.cancel();
    this.rescue.cancel();
    this.watchdog?.stop();
    this.client.terminate();
  }

  // ---- plumbing ----------------------------------------------------------------------------

  /** A new worker: init, then configure (from `restore`, the weights a dead worker left). */
  private connect(restore?: RestorePoint): TrainingClient {
    const client = new TrainingClient(this.options.createWorker());
    this.watchdog?.stop();
    const watchdog = new Watchdog((silentMs) => {
      if (client === this.client) this.replaceWorker(`it stopped answering for ${Math.round(silentMs / 1000)} s, a step may have hung`);
    }, this.options.clock);
    this.watchdog = watchdog;
    listenToWorker(client, watchdog, {
      store: this.store,
      timeline: this.timeline,
      decoders: this.decoders,
      view: this.view,
      isCurrent: (c) => c === this.client,
      awaitingModel: () => this.awaitingModel,
      modelArrived: () => {
        this.setAwaitingModel(false);
        this.metricsSinceProbe = 0;
      },
      notify: (level, text, action) => this.notify(level, text, { action }),
      afterMetrics: () => this.afterMetrics(),
      onDiscriminator: (e) => this.quality.onDiscriminator(e),
      afterLatents: () => {
        this.analysis.onLatents();
        this.explainer.onLatents();
      },
      takeLoadedRun: () => {
        const run = this.pendingRun;
        this.pendingRun = null;
        if (run) {
          this.modelGeneration += 1;
          this.quality.onNewModel();
        }
        return run;
      },
      adoptRun: (run) => this.adopt(run),
      keepWeights: (point) => (this.restorePoint = point),
      workerDied: (reason) => this.replaceWorker(reason),
    });
    client.send({ type: 'init', backend: this.settings.backend, assetBaseUrl: this.options.assetBaseUrl });
    if (this.ownImages) client.send({ type: 'useImages', images: this.ownImages });
    this.configure(client, restore);
    return client;
  }

  private configure(client: TrainingClient = this.client, restore?: RestorePoint): void {
    this.modelGeneration += 1;
    const own = this.settings.dataset === 'own' ? this.ownImages : null;
    if (this.settings.dataset === 'own' && !own) {
      // nothing to train on until images are chosen: the images panel asks for them
      client.send({ type: 'pause' });
      this.store.set((s) => ({ ...s, model: null, data: { ...s.data, stage: 'waiting', summary: null, error: null } }));
      return;
    }
    this.setAwaitingModel(true);
    this.analysis.onNewModel();
    this.quality.onNewModel();
    this.explainer.onNewModel();
    if (!restore) this.restorePoint = null;
    const holdOutClass = holdOutClassOf(this.settings);
    const data = own ? { shape: { width: own.side, height: own.side, channels: 1 }, classCount: own.classNames.length } : undefined;
    client.send({
      type: 'configure',
      datasetId: this.settings.dataset,
      model: modelConfigOf(this.settings, data),
      training: trainingOf(this.settings),
      ...(holdOutClass === undefined ? {} : { holdOutClass }),
      ...(restore ? { restore } : {}),
    });
  }

  /**
   * The worker died (an uncaught error, out of memory, a silence): say so and start a new one with
   * the last copy of the weights, unless it keeps dying.
   */
  private replaceWorker(reason: string): void {
    const dead = this.client;
    this.watchdog?.stop();
    // the dead worker's unanswered decodes are rejected: for an old generation, they are no news
    this.modelGeneration += 1;
    dead.terminate();
    const clear = (s: AppState): AppState => ({ ...s, backend: null, model: null, training: { ...s.training, running: false, stepsPerSecond: 0 } });
    if (!this.restarts.take()) {
      this.store.set((s) => ({ ...clear(s), workerFailure: reason }));
      this.notify('error', `The training worker stopped again (${reason}). It was restarted several times in the last two minutes; reload the page to try again.`);
      return;
    }
    const point = this.restorePoint;
    const from = point
      ? `with the weights of step ${point.step.toLocaleString('en-US')}, the last copy the page kept`
      : `from fresh weights (the page keeps a copy every ${WEIGHT_COPY_EVERY} steps; there was none yet)`;
    this.notify('error', `The training worker stopped (${reason}). A new one has started ${from}; press Train to go on.`);
    this.store.set(clear);
    this.client = this.connect(point ?? undefined);
  }

  /** A change that needs a new model: at once before training, else after the user confirms. */
  private proposeModelChange(change: Partial<Settings>, what: string): void {
    const { training } = this.store.get();
    if (training.step > 0) {
      this.store.set((s) => ({
        ...s,
        pendingChange: { change, description: `${what} needs a new model: the one trained for ${training.step.toLocaleString()} steps will be discarded.` },
      }));
      return;
    }
    this.applyModelChange({ ...this.settings, ...change });
  }

  private applyLive(key: SettingKey, next: Settings): void {
    this.setSettings(next);
    const step = this.timeline.at(this.store.get().training.step);
    if (key === 'beta') this.addMarker({ step, kind: 'beta', label: `β=${formatShort(next.beta)}` });
    if (key === 'learningRate') this.addMarker({ step, kind: 'learningRate', label: `lr=${next.learningRate}` });
    if (key === 'comparisonSteps') {
      this.store.set((s) => (s.comparison.status === 'running' ? s : { ...s, comparison: { ...s.comparison, stepsPerModel: next.comparisonSteps } }));
      return;
    }
    if (key === 'klSchedule' || key === 'freeBits') this.addMarker({ step, kind: 'beta', label: key === 'freeBits' ? `λ=${next.freeBits}` : next.klSchedule });
    this.client.send({ type: 'setTraining', change: trainingOf(next) });
  }

  private applyModelChange(next: Settings): void {
    const backendChanged = next.backend !== this.settings.backend;
    const sameData = next.dataset === this.settings.dataset;
    this.setSettings(next);
    // the picked class survives a new model on the same data (another data set may not have it)
    this.view.set((v) => ({ ...initialView(next.latentDim, v.labTab, sameData ? v.decodeClass : 0), preset: v.preset }));
    this.store.set((s) => ({
      ...s,
      latents: null,
      prior: null,
      classifier: { latest: null, history: [] },
      pointFactors: sameData ? s.pointFactors : null,
      previewImages: sameData ? s.previewImages : null,
      history: { train: [], test: [], markers: [] },
      training: { ...s.training, latest: null, latestTest: null },
    }));
    if (backendChanged) {
      this.client.terminate();
      this.store.set((s) => ({ ...s, backend: null, model: null, data: { ...s.data, stage: 'waiting' } }));
      this.client = this.connect();
    } else {
      this.configure();
    }
  }

  /** Between a configure and its reply the page waits for the new model (Train, Step and Reset too). */
  private setAwaitingModel(waiting: boolean): void {
    this.awaitingModel = waiting;
    this.store.set((s) => (s.buildingModel === waiting ? s : { ...s, buildingModel: waiting }));
  }

  /** Take on a loaded file's settings, chart and view (the backend stays this machine's). */
  private adopt(run: RestoredRun): void {
    const settings = { ...run.settings, backend: this.settings.backend };
    this.options.writeUrl?.(settingsToUrl(settings));
    this.view.set((v) => ({ ...initialView(settings.latentDim, v.labTab), preset: v.preset }));
    this.store.set((s) => adoptRun(s, { ...run, settings }));
  }

  private setSettings(next: Settings): void {
    this.store.set((s) => ({ ...s, settings: next }));
    this.options.writeUrl?.(settingsToUrl(next));
  }

  private notify(level: Notice['level'], text: string, extra: Pick<Notice, 'group' | 'action'> = {}): void {
    const notice: Notice = { id: this.noticeId++, level, text, ...(extra.group ? { group: extra.group } : {}), ...(extra.action ? { action: extra.action } : {}) };
    this.store.set((s) => ({ ...s, notices: withNotice(s.notices, notice) }));
  }

  private addMarker(marker: HistoryMarker): void {
    this.store.set((s) => ({ ...s, history: { ...s.history, markers: [...s.history.markers, marker].slice(-200) } }));
  }

  /** While training, the probe and the grid follow the weights every few reports. */
  private afterMetrics(): void {
    this.analysis.onMetrics();
    this.explainer.onMetrics();
    this.metricsSinceProbe += 1;
    this.metricsSinceGrid += 1;
    if (this.metricsSinceProbe >= PROBE_REFRESH_EVERY) {
      this.metricsSinceProbe = 0;
      this.decoders.refreshProbe();
    }
    if (this.metricsSinceGrid >= GRID_REFRESH_EVERY) {
      this.metricsSinceGrid = 0;
      this.decoders.refreshGrid();
    }
  }
}
