/**
 * The training worker's logic, free of the worker global so it can be tested in Node: it answers
 * every command with events. Commands run one at a time in arrival order (a pause jumps the
 * queue); the training loop (loop.ts) runs beside them. What it delegates: the resident data
 * (residentData.ts), the model in training (liveModel.ts), the steps with their times and the
 * decoder's copies (steps.ts), the reports (reports.ts), the queries about the model (queries.ts)
 * and the recovery from divergence and lost GPUs (recovery.ts).
 */
import type { ModelConfig } from '../core/models/config';
import type { Dataset, DatasetId, ImageSplit } from '../data/dataset';
import { TRAINABLE_LEARNING_RATE, type TrainingConfig } from '../core/training/config';
import { OtherData } from './analysis/scoring';
import { describeDivergence, type DivergedVerdict } from './divergence';
import { BackgroundJobs } from './jobs';
import { changeBatchSize, configuredEvent, createLiveModel, disposeLiveModel, playerGroups, type LiveModel } from './liveModel';
import { QualityClassifiers } from './analysis/sampleQuality';
import { ownDataset } from '../data/own/ownDataset';
import { TrainingLoop } from './loop';
import { dataNeedsOf, fitBatchOrder, readLiveModel } from './modelFiles';
import { parseCommand, type BackendChoice, type BackendInfo, type RestorePoint, type WorkerCommand, type WorkerEvent } from './protocol';
import { isOutOfMemory, objectiveDiffers, rebuildAfterLostContext, Recovery } from './recovery';
import { answerQuery, isQueryCommand, type QueryContext } from './queries';
import { Reporter } from './reports';
import { ResidentData } from './residentData';
import { labelledBatchesOf, labelsChanged } from './semiSupervision';
import { StepRunner } from './steps';

export { DEFAULT_REPORTING } from './reports';

export interface SessionDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  initBackend(choice: BackendChoice, wasmBaseUrl: string): Promise<BackendInfo>;
  loadDataset(id: DatasetId, assetBaseUrl: string, onProgress: (loadedBytes: number, totalBytes: number, stage: string) => void): Promise<Dataset>;
  /** Only another data set's test split (out-of-distribution images); without it that set is skipped. */
  loadTestSplit?(id: DatasetId, assetBaseUrl: string, onProgress: (loadedBytes: number, totalBytes: number, stage: string) => void): Promise<ImageSplit>;
  /** Let queued messages run (a macrotask); the loop awaits it after every step. */
  yieldToEventLoop(): Promise<void>;
  now(): number;
}

export class TrainingSession {
  private backend: BackendInfo | null = null;
  private assetBaseUrl = '';
  private data: ResidentData | null = null;
  private model: LiveModel | null = null;
  /** The images given by the page (useImages), the data set 'own'. */
  private ownImages: Dataset | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly reporter: Reporter;
  private readonly loop: TrainingLoop;
  /** Divergence checks, checkpoints and copies of the weights off the device. */
  private readonly recovery: Recovery;
  /** Analysis jobs running beside the queue and the loop (scores, the IWAE bound). */
  private readonly jobs: BackgroundJobs;
  private readonly otherData: OtherData;
  /** The sample-quality score's classifier, trained once per data set. */
  private readonly classifiers = new QualityClassifiers();
  /** The training step, its times and the decoder's copies for the page's decode worker (steps.ts). */
  private readonly steps: StepRunner;

  constructor(private readonly deps: SessionDeps) {
    this.reporter = new Reporter(deps);
    this.steps = new StepRunner({ post: (e, t) => deps.post(e, t), now: () => deps.now(), data: () => this.data as ResidentData, countStep: () => this.reporter.countStep() });
    this.recovery = new Recovery({ onCopy: ({ step, epoch, weights }) => deps.post({ type: 'weights', step, epoch, weights }) });
    this.jobs = new BackgroundJobs(deps);
    const loadTestSplit = deps.loadTestSplit;
    this.otherData = new OtherData(loadTestSplit ? (id, onProgress) => loadTestSplit(id, this.assetBaseUrl, onProgress) : undefined);
    this.loop = new TrainingLoop({
      step: (groups) => this.steps.train(this.requireModel(), groups ?? null),
      afterStep: (force) => this.afterStep(this.requireModel(), force),
      onFailure: (error) => this.onLoopFailure(error),
      onRunningChange: () => this.postStatus(),
      beforeRun: () => this.reporter.startWindow(),
      yieldToEventLoop: deps.yieldToEventLoop,
      isCurrent: (token) => this.model === token,
      currentToken: () => this.model,
    });
  }

  /** Background jobs alive right now (tests). */
  get activeJobs(): number { return this.jobs.count; }

  /** Training loops alive right now (tests check there is never more than one). */
  get activeLoops(): number {
    return this.loop.activeLoops;
  }

  /** Entry point for every incoming message; never throws, never rejects. */
  receive(message: unknown): Promise<void> {
    const parsed = parseCommand(message);
    if (!parsed.ok) {
      this.deps.post({ type: 'error', message: parsed.message, command: parsed.command, requestId: parsed.requestId });
      return this.queue;
    }
    // pause must not wait behind a long command (a data download, an evaluation)
    if (parsed.command.type === 'pause') {
      this.loop.pause();
      return this.queue;
    }
    // nor a cancel behind the job it cancels (an unknown id: that job has already answered)
    if (parsed.command.type === 'cancelJob') {
      this.jobs.cancel(parsed.command.requestId);
      return this.queue;
    }
    this.queue = this.queue.then(() => this.run(parsed.command));
    return this.queue;
  }

  private async run(command: WorkerCommand): Promise<void> {
    try {
      await this.execute(command);
    } catch (error) {
      const requestId = 'requestId' in command ? command.requestId : undefined;
      this.deps.post({ type: 'error', message: error instanceof Error ? error.message : String(error), command: command.type, requestId });
    }
  }

  private async execute(command: WorkerCommand): Promise<void> {
    // the questions about the model in training (queries.ts)
    if (isQueryCommand(command)) return answerQuery(command, this.queryContext());
    switch (command.type) {
      case 'init':
        return this.init(command.backend, command.assetBaseUrl);
      case 'configure':
        return this.configure(command.datasetId, command.model, command.training, command.restore ? 'restarted' : 'configure', command.holdOutClass ?? null, command.restore);
      case 'start':
        this.requireModel();
        return this.loop.start();
      case 'pause':
        return this.loop.pause();
      case 'step':
        return this.loop.stepOnce(playerGroups(this.requireModel(), command.player));
      case 'reset': {
        const { trainer, holdOutClass } = this.requireModel();
        return this.configure((this.data as ResidentData).dataset.id, trainer.modelConfig, trainer.config, 'reset', holdOutClass);
      }
      case 'restore':
        return this.restoreCheckpoint();
      case 'setTraining':
        return this.setTraining(command.change);
      case 'setReporting':
        return this.reporter.setReporting(command.change);
      case 'shareDecoder':
        return this.steps.share(command.enabled, this.model);
      case 'cancelJob':
        this.jobs.cancel(command.requestId);
        return;
      case 'importModel':
        return this.importModel(command.requestId, command.file);
      case 'useImages':
        // used by the next configure (or load) with the data set 'own'
        this.ownImages = ownDataset(command.images);
        return;
    }
  }

  /**
   * Put the model of a file in training, if the file is sound and fits: until then (and on any
   * refusal) the current model trains on untouched.
   */
  private async importModel(requestId: number, file: Uint8Array): Promise<void> {
    const loaded = readLiveModel(file, (id) => dataNeedsOf(id, this.ownImages, this.data?.dataset ?? null));
    try {
      const data = await this.loadData(loaded.datasetId);
      const live = fitBatchOrder(loaded.live, data.dataset.train.count);
      await this.loop.stop();
      this.disposeModel();
      this.model = live;
      this.attachLabels(live);
    } catch (error) {
      loaded.live.trainer.dispose();
      throw error;
    }
    this.recovery.startModel(this.model.trainer.step);
    this.steps.clearTimes();
    this.deps.post(configuredEvent(this.model, 'loaded'));
    this.postStatus();
    this.deps.post({ type: 'modelLoaded', requestId, step: this.model.trainer.step });
    // the page keeps the loaded weights at once: a worker that dies restarts from them
    await this.recovery.copyNow(this.model);
    await this.reportLatents(this.model);
  }

  private async init(choice: BackendChoice, assetBaseUrl: string): Promise<void> {
    if (this.backend) throw new Error('the backend is already initialised; reload the page to change it');
    this.assetBaseUrl = assetBaseUrl;
    this.backend = await this.deps.initBackend(choice, new URL('tfjs-wasm/', assetBaseUrl).href);
    this.deps.post({ type: 'backend', info: this.backend });
  }

  /** What a query about the model in training needs (queries.ts). */
  private queryContext(): QueryContext {
    const { deps, reporter, jobs, otherData, classifiers } = this;
    const post = (event: WorkerEvent, transfer?: Transferable[]) => deps.post(event, transfer);
    return { model: this.requireModel(), data: this.data as ResidentData, reporter, jobs, otherData, classifiers, post, now: () => deps.now(), yieldToEventLoop: () => deps.yieldToEventLoop(), isCurrent: (model) => this.model === model, running: this.loop.running, trainStep: () => this.steps.train(this.requireModel(), null) };
  }

  private requireModel(): LiveModel {
    if (!this.model) throw new Error('no model yet: send configure first');
    return this.model;
  }

  private async loadData(id: DatasetId): Promise<ResidentData> {
    // your own images: the set given last (a new set replaces the one resident)
    if (this.data?.dataset.id === id && (id !== 'own' || this.data.dataset === this.ownImages)) {
      // the page waits for this after every configure (it may have set its data aside meanwhile)
      this.deps.post({ type: 'dataReady', summary: this.data.summary });
      return this.data;
    }
    if (!this.backend) throw new Error('send init before configure');
    const own = this.ownImages;
    if (id === 'own' && !own) throw new Error('no images yet: choose some under “Your own images” first');
    const dataset =
      id === 'own' && own
        ? own
        : await this.deps.loadDataset(id, this.assetBaseUrl, (loadedBytes, totalBytes, stage) => this.deps.post({ type: 'dataProgress', datasetId: id, loadedBytes, totalBytes, stage }));
    await this.loop.stop();
    this.disposeModel();
    this.data?.dispose();
    this.data = new ResidentData(dataset);
    this.reporter.forgetData();
    this.deps.post({ type: 'dataReady', summary: this.data.summary });
    return this.data;
  }

  private async configure(
    datasetId: DatasetId,
    config: ModelConfig,
    training: TrainingConfig,
    cause: 'configure' | 'reset' | 'restarted',
    holdOutClass: number | null,
    restore?: RestorePoint,
  ): Promise<void> {
    const data = await this.loadData(datasetId);
    const { shape, name, classNames } = data.dataset;
    const { width, height, channels } = config.imageShape;
    if (width !== shape.width || height !== shape.height || channels !== shape.channels) {
      throw new Error(`the model is for ${width}×${height}×${channels} images but ${name} has ${shape.width}×${shape.height}×${shape.channels}`);
    }
    if (config.classCount !== classNames.length) throw new Error(`the model is for ${config.classCount} classes but ${name} has ${classNames.length}`);
    await this.loop.stop();
    this.disposeModel();
    if (holdOutClass !== null && holdOutClass >= classNames.length) throw new Error(`${name} has no class ${holdOutClass} to hold out`);
    this.model = createLiveModel(config, training, { labels: data.dataset.train.labels, holdOutClass }, restore);
    this.attachLabels(this.model);
    this.recovery.startModel(this.model.trainer.step);
    this.steps.clearTimes();
    this.deps.post(configuredEvent(this.model, cause));
    this.postStatus();
    await this.reportLatents(this.model);
  }

  private setTraining(change: Partial<TrainingConfig>): void {
    const model = this.requireModel();
    const before = model.trainer.config;
    model.trainer.updateTraining(change);
    if (change.batchSize !== undefined && change.batchSize !== before.batchSize) {
      changeBatchSize(model, change.batchSize);
      this.steps.clearTimes();
    }
    if (objectiveDiffers(before, model.trainer.config)) this.recovery.objectiveChanged();
    if (labelsChanged(model, before)) this.attachLabels(model);
  }

  private attachLabels(model: LiveModel): void {
    model.labelled = labelledBatchesOf(model, this.data as ResidentData);
  }

  /** The backend compiles shaders on first use (WebGL): the heartbeat asks for patience. */
  get compilesShaders(): boolean {
    return this.backend?.name === 'webgl';
  }

  /** The slowest of the recent steps, ms (the heartbeat tells the page how long a step may take); null before the first. */
  get slowestStepMs(): number | null {
    return this.steps.slowestMs;
  }

  /** Reports due after a step: metrics (with the divergence check), latents, evaluation. */
  private async afterStep(model: LiveModel, force: boolean): Promise<boolean> {
    const step = model.trainer.step;
    const every = this.reporter.reporting;
    // the first step of a run reports at once: the page shows progress without waiting K steps
    const firstOfRun = this.loop.takeFirstStep();
    if (force || firstOfRun || step % every.metricsEvery === 0) {
      const metrics = await model.trainer.readMetrics();
      if (metrics) {
        const diverged = await this.recovery.afterReport(model, metrics);
        if (diverged) {
          await this.restoreAfterDivergence(model, diverged);
          return false;
        }
        this.reporter.postMetrics(model, metrics);
      }
    }
    if (force || step % every.latentsEvery === 0) await this.reportLatents(model);
    if (step % every.evaluateEvery === 0) {
      const test = await this.reporter.evaluate(model, this.data as ResidentData);
      this.deps.post({ type: 'evaluation', step, test });
    }
    await this.steps.afterStep(model);
    return true;
  }

  /** A NaN, an explosion or weights beyond bounds: pause, go back to the last sane weights, say so. */
  private async restoreAfterDivergence(model: LiveModel, verdict: DivergedVerdict): Promise<void> {
    const step = model.trainer.step;
    this.loop.running = false;
    model.trainer.restoreCheckpoint();
    const restoredStep = model.trainer.step;
    this.recovery.restored(restoredStep);
    const { learningRate } = model.trainer.config;
    const message = describeDivergence(verdict, { step, restoredStep, learningRate, learningRateLimit: TRAINABLE_LEARNING_RATE });
    this.deps.post({ type: 'diverged', step, restoredStep, kind: verdict.kind, learningRate, message });
    this.postStatus();
    await this.reportLatents(model); // the scatter, grid and probe show the restored model
  }

  /** The 'restore' command: pause, and go back to the last checkpoint (the last sane weights). */
  private async restoreCheckpoint(): Promise<void> {
    const model = this.requireModel();
    await this.loop.stop();
    model.trainer.restoreCheckpoint();
    this.recovery.restored(model.trainer.step);
    this.deps.post({ type: 'restored', step: model.trainer.step });
    this.postStatus();
    await this.reportLatents(model);
  }

  private async onLoopFailure(error: unknown): Promise<void> {
    const why = error instanceof Error ? error.message : String(error);
    if (this.backend?.name === 'webgl' && this.model && (await this.recoverOnWasm(this.model, why))) return;
    // out of memory leaves tfjs in no state to go on: the page replaces this worker
    this.deps.post({ type: 'error', message: `training stopped: ${why}`, fatal: isOutOfMemory(error) || undefined });
    this.postStatus();
  }

  /**
   * The GPU went away (a lost WebGL context takes every tensor with it): move to WebAssembly and
   * rebuild the model from the weights last copied off the device. False if that fails too.
   */
  private async recoverOnWasm(model: LiveModel, why: string): Promise<boolean> {
    // without a copy yet, the seed rebuilds the weights of step 0
    const copy = this.recovery.latestCopy ?? undefined;
    const data = this.data;
    if (!data) return false;
    try {
      const info = await this.deps.initBackend('wasm', new URL('tfjs-wasm/', this.assetBaseUrl).href);
      this.backend = { ...info, reason: `WebGL failed (${why}); moved to ${info.name}` };
      this.deps.post({ type: 'backend', info: this.backend });
      this.model = null;
      this.model = rebuildAfterLostContext(model, data, copy);
      const { step } = this.model.trainer;
      this.recovery.restored(step);
      this.deps.post({ type: 'error', message: `WebGL stopped working (${why}). Training moved to ${info.name} with the weights of step ${step}; press Train to go on.` });
      this.deps.post(configuredEvent(this.model, 'recovered'));
      this.postStatus();
      await this.reportLatents(this.model);
      return true;
    } catch {
      return false;
    }
  }

  private reportLatents(model: LiveModel): Promise<void> {
    return this.reporter.reportLatents(model, this.data as ResidentData, () => this.model === model);
  }

  private postStatus(): void {
    this.reporter.postStatus(this.loop.running, this.model);
    this.steps.status(this.loop.running, this.model);
  }

  private disposeModel(): void {
    if (!this.model) return;
    // a job stops at its next checkpoint, before it touches the disposed weights
    this.jobs.cancelAll('the model was replaced');
    disposeLiveModel(this.model);
    this.model = null;
  }

  /** Free everything (tests; the worker itself lives as long as the page). */
  async dispose(): Promise<void> {
    this.jobs.cancelAll('the worker is stopping');
    await this.jobs.idle();
    await this.loop.stop();
    this.disposeModel();
    this.classifiers.dispose();
    this.data?.dispose();
    this.data = null;
  }
}
