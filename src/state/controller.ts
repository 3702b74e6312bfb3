/**
 * The app's controller: owns the training worker's client (and replaces a worker that died, with
 * the last copy of its weights), lets workerEvents.ts fold its events into the store, and turns
 * the UI's intentions (train, step, reset, change a setting, apply a preset, move the probe, a
 * message's action) into commands. It delegates: a setting's change and a preset to
 * settingsChanges.ts, the decodes and their cadence to decoders.ts, a model's results to its tools
 * (modelTool.ts). No tensors here: the worker has them all.
 */
import { TrainingClient, type WorkerPort } from '../worker/client';
import { WEIGHT_COPY_EVERY, type RestorePoint } from '../worker/protocol';
import { AnalysisTools } from './analysis/tools';
import { CodeTools } from './codes/codeTools';
import { SampleQualityTools } from './quality/tools';
import { FAMILIES } from '../core/models/catalog';
import { Explainer } from './explain/explainer';
import { initialState, type AppState, type Notice, type NoticeActionKind } from './appState';
import { ComparisonRunner } from './comparison';
import { RescueRunner } from './rescue';
import { Decoders } from './decoders';
import { DecodeMirror } from './decodeMirror';
import { withNotice, type Message } from './notices';
import { RestartBudget, Watchdog, type Clock } from './supervisor';
import { listenToWorker } from './workerEvents';
import { holdOutClassOf, modelConfigOf, settingsToUrl, trainingOf, type SettingKey, type Settings } from './settings';
import type { Checked } from '../core/settings/spec';
import { SettingsChanges } from './settingsChanges';
import type { ModelTool } from './modelTool';
import { makeSnapshot, withSnapshot } from './snapshots';
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
import { testSetCodes } from './exports/testSetCodes';
import { initialView, type ViewState } from './viewState';

export { GRID_SIZE_2D, PRIOR_SAMPLES, TRAVERSAL_MAX_ROWS, TRAVERSAL_VALUES } from './decoders';
export type { DecodedImages, ViewState } from './viewState';

export interface ControllerOptions {
  createWorker(): WorkerPort;
  /** The decode worker, which keeps a copy of the decoder (absent: the training worker decodes everything). */
  createDecodeWorker?(): WorkerPort;
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
  /** A discrete latent's tools (VQ-VAE): the code grid and its edits, the priors over codes. */
  readonly codes: CodeTools;
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
  /** The decode worker's copy of the decoder (state/decodeMirror.ts), or null. */
  private readonly mirror: DecodeMirror | null;
  private readonly comparison: ComparisonRunner;
  private readonly rescue: RescueRunner;
  /** Checking, applying and confirming setting changes and presets (state/settingsChanges.ts). */
  private readonly changes: SettingsChanges;
  private readonly timeline = new Timeline();
  private noticeId = 1;
  private snapshotId = 1;
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
    // a decode worker that fails: the training worker stops sending copies and decodes everything
    this.mirror = options.createDecodeWorker ? new DecodeMirror(options.createDecodeWorker, () => this.client.send({ type: 'shareDecoder', enabled: false })) : null;
    this.changes = new SettingsChanges({
      store: this.store,
      view: this.view,
      timeline: this.timeline,
      notify: (level, text) => this.notify(level, text),
      writeUrl: options.writeUrl,
      sendTraining: (change) => this.client.send({ type: 'setTraining', change }),
      openLabTab: (tab) => this.openLabTab(tab),
      interpolateClasses: (from, to) => this.analysis.interpolation.setClasses(from, to),
      rebuild: (backendChanged) => this.rebuild(backendChanged),
    });
    this.decoders = new Decoders({
      client: () => this.client,
      mirror: () => this.mirror,
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
    this.codes = new CodeTools({ client: () => this.client, generation: () => this.modelGeneration, store: this.store, onError: (text) => this.notify('error', text) });
    const worker = { createWorker: options.createWorker, assetBaseUrl: options.assetBaseUrl };
    this.quality = new SampleQualityTools({ client: () => this.client, generation: () => this.modelGeneration, store: this.store, notify: (level, text) => this.notify(level, text), ...worker });
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

  /** The tools holding results for the current model (state/modelTool.ts): each is told of a new model, new posteriors, reports. */
  private get tools(): readonly ModelTool[] {
    return [this.analysis, this.codes, this.quality, this.explainer];
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
    for (const tool of this.tools) tool.onNewModel();
    this.client.send({ type: 'reset' });
  }

  /** Propose a new value for a setting (state/settingsChanges.ts): the check's outcome, for the field to show. */
  changeSetting<K extends SettingKey>(key: K, raw: unknown): Checked<Settings[K]> {
    return this.changes.change(key, raw);
  }

  /** Set up a lesson: the defaults plus the preset's settings (asks first if a trained model would go). */
  applyPreset(id: string): void {
    this.changes.applyPreset(id);
  }

  confirmPendingChange(): void {
    this.changes.confirmPending();
  }

  cancelPendingChange(): void {
    this.changes.cancelPending();
  }

  moveProbe(z: number[], byUser = true): void {
    this.decoders.setProbe(z, byUser);
  }

  /**
   * Put the probe on a test point's posterior mean (the traversals then start from it), or, while
   * an interpolation end is being picked, make the point that end.
   */
  probeToPoint(pointIndex: number): void {
    if (this.analysis.interpolation.pickPoint(pointIndex)) return;
    const latents = this.store.get().latents;
    if (!latents || pointIndex < 0 || pointIndex >= latents.count) return;
    const d = latents.latentDim;
    this.moveProbe(Array.from(latents.mu.subarray(pointIndex * d, (pointIndex + 1) * d)));
  }

  /** Freeze the current scatter, traversals, KL bars and scores into a card. */
  takeSnapshot(): void {
    const snapshot = makeSnapshot(this.snapshotId, this.store.get(), this.view.get().traversal, this.quality.store.get().score.result);
    if (!snapshot) return;
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
    else this.changes.propose({}, `Training on ${images.count.toLocaleString('en-US')} new images`);
  }

  /** The posterior of every test image with its class names (the latent codes to download), or null without a model. */
  testSetCodes(): Promise<LatentCodes | null> {
    return testSetCodes(this.client, this.store.get(), (text) => this.notify('error', text));
  }

  resamplePrior(): void {
    this.decoders.resample();
  }

  /** The class the conditional families decode as (the Class picker): the probe, grid and traversals follow. */
  chooseClass(label: number): void {
    this.decoders.chooseClass(label);
  }

  /** The mixture component the decoder grid samples from (null: the whole prior). */
  chooseGridComponent(component: number | null): void {
    this.decoders.chooseGridComponent(component);
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
    for (const tool of this.tools) tool.dispose();
    this.comparison.cancel();
    this.rescue.cancel();
    this.watchdog?.stop();
    this.client.terminate();
    this.mirror?.terminate();
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
        this.mirror?.onConfigured();
        this.decoders.onModelArrived();
      },
      notify: (level, text, action) => this.notify(level, text, { action }),
      afterMetrics: () => this.afterMetrics(),
      onDiscriminator: (e) => this.quality.onDiscriminator(e),
      afterLatents: () => {
        for (const tool of this.tools) tool.onLatents?.();
      },
      afterCodes: () => this.codes.onCodes(),
      takeLoadedRun: () => {
        const run = this.pendingRun;
        this.pendingRun = null;
        if (run) {
          this.modelGeneration += 1;
          for (const tool of [this.codes, this.quality]) tool.onNewModel();
        }
        return run;
      },
      adoptRun: (run) => this.adopt(run),
      keepWeights: (point) => (this.restorePoint = point),
      workerDied: (reason) => this.replaceWorker(reason),
    });
    client.on('decoderWeights', (e) => {
      if (client === this.client) this.mirror?.onWeights(e);
    });
    client.send({ type: 'init', backend: this.settings.backend, assetBaseUrl: this.options.assetBaseUrl });
    if (this.ownImages) client.send({ type: 'useImages', images: this.ownImages });
    if (this.mirror && !this.mirror.broken) client.send({ type: 'shareDecoder', enabled: true });
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
    this.mirror?.expectNewModel();
    for (const tool of this.tools) tool.onNewModel();
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

  /** Settings that need a new model are in force: a new worker if the backend changed, else a configure. */
  private rebuild(backendChanged: boolean): void {
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

  private notify(level: Notice['level'], text: string, extra: Pick<Notice, 'group' | 'action'> = {}): void {
    const notice: Notice = { id: this.noticeId++, level, text, ...(extra.group ? { group: extra.group } : {}), ...(extra.action ? { action: extra.action } : {}) };
    this.store.set((s) => ({ ...s, notices: withNotice(s.notices, notice) }));
  }

  /** While training, the tools, the explanations and the decodes follow the weights every few reports. */
  private afterMetrics(): void {
    for (const tool of this.tools) tool.onMetrics?.();
    // a discrete latent has no probe or prior grid over z (its decodes go through this.codes)
    if (FAMILIES[this.settings.model].latentKind !== 'gaussian') return;
    this.decoders.onMetrics();
  }
}
