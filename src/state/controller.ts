/**
 * The app's controller: wires the training worker (its lifecycle in workerLink.ts: connect,
 * configure, replace a worker that died) to the page through workerEvents.ts, and turns
 * the UI's intentions (train, step, reset, change a setting, apply a preset, move the probe, a
 * message's action) into commands. It delegates: a setting's change and a preset to
 * settingsChanges.ts, the decodes and their cadence to decoders.ts, a model's results to its tools
 * (modelTool.ts). No tensors here: the worker has them all.
 */
import type { TrainingClient, WorkerPort } from '../worker/client';
import { AnalysisTools } from './analysis/tools';
import { CodeTools } from './codes/codeTools';
import { SampleQualityTools } from './quality/tools';
import { FAMILIES } from '../core/models/catalog';
import { Explainer } from './explain/explainer';
import { initialState, type AppState, type Notice, type NoticeActionKind } from './appState';
import { ComparisonRunner } from './comparison';
import { RescueRunner } from './rescue';
import { Decoders } from './decoders';
import { withNotice, type Message } from './notices';
import type { Clock, Watchdog } from './supervisor';
import { WorkerLink } from './workerLink';
import { listenToWorker } from './workerEvents';
import { settingsToUrl, type SettingKey, type Settings } from './settings';
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
  /** The training worker: which one is current, and its lifecycle (state/workerLink.ts). */
  private readonly link: WorkerLink;
  private readonly decoders: Decoders;
  private readonly comparison: ComparisonRunner;
  private readonly rescue: RescueRunner;
  /** Checking, applying and confirming setting changes and presets (state/settingsChanges.ts). */
  private readonly changes: SettingsChanges;
  private readonly timeline = new Timeline();
  private noticeId = 1;
  private snapshotId = 1;
  /** The page's part of a model file the worker is loading, applied when it says 'configured'. */
  private pendingRun: RestoredRun | null = null;

  constructor(private readonly options: ControllerOptions) {
    this.store = new Store(initialState(options.initialSettings));
    this.store.set((s) => ({ ...s, comparison: { ...s.comparison, stepsPerModel: options.initialSettings.comparisonSteps } }));
    this.view = new Store<ViewState>(initialView(options.initialSettings.latentDim, options.initialLabTab));
    this.link = new WorkerLink({
      createWorker: options.createWorker,
      assetBaseUrl: options.assetBaseUrl,
      clock: options.clock,
      store: this.store,
      settings: () => this.settings,
      ownImages: () => this.ownImages,
      listen: (client, watchdog) => this.listen(client, watchdog),
      onNewModel: () => {
        this.decoders.onNewModel();
        for (const tool of this.tools) tool.onNewModel();
      },
      notify: (level, text) => this.notify(level, text),
    });
    for (const { text, group } of options.initialMessages ?? []) this.notify('warning', text, { group });
    this.changes = new SettingsChanges({
      store: this.store,
      view: this.view,
      timeline: this.timeline,
      notify: (level, text) => this.notify(level, text),
      writeUrl: options.writeUrl,
      sendTraining: (change) => this.link.client.send({ type: 'setTraining', change }),
      openLabTab: (tab) => this.openLabTab(tab),
      interpolateClasses: (from, to) => this.analysis.interpolation.setClasses(from, to),
      rebuild: (backendChanged) => this.link.rebuild(backendChanged),
    });
    this.decoders = new Decoders({
      client: () => this.link.client,
      createDecodeWorker: options.createDecodeWorker,
      generation: () => this.link.generation,
      store: this.store,
      view: this.view,
      onError: (text) => this.notify('error', text),
    });
    this.analysis = new AnalysisTools({
      client: () => this.link.client,
      generation: () => this.link.generation,
      store: this.store,
      visible: () => this.view.get().labTab === 'use',
      onError: (text) => this.notify('error', text),
    });
    this.codes = new CodeTools({ client: () => this.link.client, generation: () => this.link.generation, store: this.store, onError: (text) => this.notify('error', text) });
    const worker = { createWorker: options.createWorker, assetBaseUrl: options.assetBaseUrl };
    this.quality = new SampleQualityTools({ client: () => this.link.client, generation: () => this.link.generation, store: this.store, notify: (level, text) => this.notify(level, text), ...worker });
    this.explainer = new Explainer({ client: () => this.link.client, generation: () => this.link.generation, store: this.store });
    this.images = new OwnImagesImporter(options.imageDecoder ?? browserDecoder);
    this.comparison = new ComparisonRunner(options.createWorker, options.assetBaseUrl, (change) => this.store.set((s) => ({ ...s, comparison: change(s.comparison) })));
    this.rescue = new RescueRunner(
      options.createWorker,
      options.assetBaseUrl,
      (change) => this.store.set((s) => ({ ...s, rescue: change(s.rescue) })),
      (card) => this.store.set((s) => ({ ...s, snapshots: withSnapshot(s.snapshots, { ...card, id: this.snapshotId++ }) })),
    );
    this.link.start();
    this.keep = new Keeper({
      client: () => this.link.client,
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
    this.link.client.send({ type: training.running ? 'pause' : 'start' });
  }

  /** One step while paused; `player`: only that player's (an adversarial family's step buttons). */
  step(player?: string): void {
    if (this.store.get().model) this.link.client.send(player ? { type: 'step', player } : { type: 'step' });
  }

  reset(): void {
    if (!this.store.get().model) return;
    // fresh weights: what was computed for the old ones (decodes, scores, bounds) no longer holds
    this.link.newGeneration();
    for (const tool of this.tools) tool.onNewModel();
    this.link.client.send({ type: 'reset' });
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
    if (this.store.get().training.running) this.link.client.send({ type: 'pause' });
    void this.rescue.run(this.settings, this.settings.comparisonSteps);
  }

  /** Train a plain autoencoder, a KL-only model and a VAE side by side (the main run pauses). */
  runComparison(): void {
    if (this.comparison.running || this.store.get().data.stage !== 'ready') return;
    if (this.store.get().training.running) this.link.client.send({ type: 'pause' });
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
    this.link.client.send({ type: 'useImages', images });
    if (this.settings.dataset !== 'own') this.changeSetting('dataset', 'own');
    else this.changes.propose({}, `Training on ${images.count.toLocaleString('en-US')} new images`);
  }

  /** The posterior of every test image with its class names (the latent codes to download), or null without a model. */
  testSetCodes(): Promise<LatentCodes | null> {
    return testSetCodes(this.link.client, this.store.get(), (text) => this.notify('error', text));
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
    this.link.client.send({ type: 'restore' });
    this.changeSetting('learningRate', this.settings.learningRate / 2);
  }

  dispose(): void {
    this.keep.dispose();
    this.decoders.dispose();
    for (const tool of this.tools) tool.dispose();
    this.comparison.cancel();
    this.rescue.cancel();
    this.link.dispose();
  }

  // ---- plumbing ----------------------------------------------------------------------------

  /** A new worker's events, folded into the page (workerEvents.ts). */
  private listen(client: TrainingClient, watchdog: Watchdog): void {
    listenToWorker(client, watchdog, {
      store: this.store,
      timeline: this.timeline,
      decoders: this.decoders,
      view: this.view,
      isCurrent: (c) => this.link.isCurrent(c),
      awaitingModel: () => this.link.awaitingModel,
      modelArrived: () => {
        this.link.modelArrived();
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
          this.link.newGeneration();
          for (const tool of [this.codes, this.quality]) tool.onNewModel();
        }
        return run;
      },
      adoptRun: (run) => this.adopt(run),
      keepWeights: (point) => this.link.keepWeights(point),
      workerDied: (reason) => this.link.replace(reason),
    });
    this.decoders.attachWorker(client, () => this.link.isCurrent(client));
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
