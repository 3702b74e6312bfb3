/**
 * The training worker's logic, free of the worker global so it can be tested in Node: it owns the
 * backend, the data set, the trainer and the training loop, and answers every command with events.
 * Commands run one at a time in arrival order; the loop runs beside them and yields after every
 * step, so a pause, a decode or a β change is handled within one step.
 */
import * as tf from '@tensorflow/tfjs';
import { Trainer, type TrainingMetrics } from '../core/trainer';
import type { ModelConfig, TrainingConfig } from '../core/types';
import { pixelCount, type Dataset, type DatasetId } from '../data/dataset';
import { Batcher, Rng } from '../data/rng';
import { activeUnits, mutualInformationGap } from '../core/metrics';
import {
  parseCommand,
  type BackendChoice,
  type BackendInfo,
  type DataSummary,
  type ReportingConfig,
  type WorkerCommand,
  type WorkerEvent,
  type WorkerEventOf,
} from './protocol';

export interface SessionDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  initBackend(choice: BackendChoice, wasmBaseUrl: string): Promise<BackendInfo>;
  loadDataset(id: DatasetId, assetBaseUrl: string, onProgress: (loadedBytes: number, totalBytes: number, stage: string) => void): Promise<Dataset>;
  /** Let queued messages run (a macrotask); the loop awaits it after every step. */
  yieldToEventLoop(): Promise<void>;
  now(): number;
}

export const DEFAULT_REPORTING: ReportingConfig = { metricsEvery: 20, latentsEvery: 200, evaluateEvery: 1000, latentPoints: 2000 };

/** How often the last good weights are saved, in steps (a copy of weights and Adam moments). */
const CHECKPOINT_EVERY = 100;
/** Test images encoded per slice for the scatter (the worker answers messages between slices). */
const ENCODE_CHUNK = 500;

interface Model {
  trainer: Trainer;
  batcher: Batcher;
  /** Epochs completed before the current batcher (the batch size may change mid-run). */
  epochOffset: number;
}

function summarize(d: Dataset): DataSummary {
  const factors = d.test.factors ? { names: d.test.factors.names, sizes: d.test.factors.sizes } : null;
  return { datasetId: d.id, name: d.name, shape: d.shape, classNames: d.classNames, trainCount: d.train.count, testCount: d.test.count, factors };
}

export class TrainingSession {
  private backend: BackendInfo | null = null;
  private assetBaseUrl = '';
  private dataset: Dataset | null = null;
  private model: Model | null = null;
  private reporting: ReportingConfig = { ...DEFAULT_REPORTING };
  private running = false;
  private loop: Promise<void> | null = null;
  /** Bumped per started loop; a loop whose generation is stale stops at its next check. */
  private loopGeneration = 0;
  /** Training loops alive right now; more than one would train the model twice as fast. */
  activeLoops = 0;
  /** The first step after Train reports at once, so the page moves without waiting K steps. */
  private firstStepOfRun = false;
  private queue: Promise<void> = Promise.resolve();
  private window = { start: 0, steps: 0 };
  private latentIndices: Int32Array | null = null;
  /** The indices whose preview images the main thread already has. */
  private previewSentFor: Int32Array | null = null;
  /** The training images, resident on the device once per data set; batches are gathered. */
  private trainImages: tf.Tensor2D | null = null;
  /** A copy of the weights in JS memory (WebGL only), for recovery from a lost context. */
  private weightBackup: { step: number; weights: Float32Array[] } | null = null;

  constructor(private readonly deps: SessionDeps) {}

  /** Entry point for every incoming message; never throws, never rejects. */
  receive(message: unknown): Promise<void> {
    const parsed = parseCommand(message);
    if (!parsed.ok) {
      this.deps.post({ type: 'error', message: parsed.message, command: parsed.command, requestId: parsed.requestId });
      return this.queue;
    }
    // pause must not wait behind a long command (a data download, an evaluation)
    if (parsed.command.type === 'pause') {
      this.pause();
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
    switch (command.type) {
      case 'init':
        return this.init(command.backend, command.assetBaseUrl);
      case 'configure':
        return this.configure(command.datasetId, command.model, command.training);
      case 'start':
        return this.start();
      case 'pause':
        return this.pause();
      case 'step':
        return this.stepOnce();
      case 'reset':
        return this.reset();
      case 'setTraining':
        return this.setTraining(command.change);
      case 'setReporting':
        // an explicit undefined must not wipe a setting (structured clone keeps such keys)
        this.reporting = { ...this.reporting, ...Object.fromEntries(Object.entries(command.change).filter(([, v]) => v !== undefined)) };
        if (command.change.latentPoints !== undefined) this.latentIndices = null;
        return;
      case 'encode': {
        const { trainer } = this.requireModel();
        const { mu, logVar } = await trainer.encode(command.images, command.count);
        this.deps.post({ type: 'encoded', requestId: command.requestId, count: command.count, mu, logVar }, [mu.buffer, logVar.buffer]);
        return;
      }
      case 'decode': {
        const { trainer } = this.requireModel();
        const latentDim = trainer.modelConfig.latentDim;
        if (command.latents.length !== command.count * latentDim) {
          throw new Error(`expected ${command.count} × ${latentDim} latent values, got ${command.latents.length}`);
        }
        const images = await trainer.decode(command.latents, command.count);
        this.deps.post({ type: 'decoded', requestId: command.requestId, count: command.count, images }, [images.buffer]);
        return;
      }
      case 'evaluate': {
        const model = this.requireModel();
        const test = await this.evaluate(model);
        this.deps.post({ type: 'evaluation', step: model.trainer.step, test, requestId: command.requestId });
        return;
      }
    }
  }

  private async init(choice: BackendChoice, assetBaseUrl: string): Promise<void> {
    if (this.backend) throw new Error('the backend is already initialised; reload the page to change it');
    this.assetBaseUrl = assetBaseUrl;
    this.backend = await this.deps.initBackend(choice, new URL('tfjs-wasm/', assetBaseUrl).href);
    this.deps.post({ type: 'backend', info: this.backend });
  }

  private requireModel(): Model {
    if (!this.model) throw new Error('no model yet: send configure first');
    return this.model;
  }

  private async loadData(id: DatasetId): Promise<Dataset> {
    if (this.dataset?.id === id) return this.dataset;
    if (!this.backend) throw new Error('send init before configure');
    const dataset = await this.deps.loadDataset(id, this.assetBaseUrl, (loadedBytes, totalBytes, stage) =>
      this.deps.post({ type: 'dataProgress', datasetId: id, loadedBytes, totalBytes, stage }),
    );
    await this.stopLoop();
    this.disposeModel();
    this.trainImages?.dispose();
    this.trainImages = tf.tensor2d(dataset.train.images, [dataset.train.count, pixelCount(dataset.shape)]);
    this.dataset = dataset;
    this.latentIndices = null;
    this.deps.post({ type: 'dataReady', summary: summarize(dataset) });
    return dataset;
  }

  private async configure(datasetId: DatasetId, modelConfig: ModelConfig, training: TrainingConfig, cause: 'configure' | 'reset' = 'configure'): Promise<void> {
    const dataset = await this.loadData(datasetId);
    const inputDim = pixelCount(dataset.shape);
    if (modelConfig.inputDim !== inputDim) throw new Error(`model.inputDim is ${modelConfig.inputDim} but ${dataset.name} images have ${inputDim} pixels`);
    await this.stopLoop();
    this.disposeModel();
    const trainer = new Trainer(modelConfig, training, new Rng(modelConfig.seed));
    trainer.saveCheckpoint(); // step 0 is always a good state to return to
    this.weightBackup = null;
    this.model = {
      trainer,
      batcher: new Batcher(dataset.train.count, training.batchSize, modelConfig.seed + 1),
      epochOffset: 0,
    };
    this.deps.post({ type: 'configured', model: modelConfig, training: trainer.config, parameterCount: trainer.vae.parameterCount, cause });
    this.postStatus();
    await this.backupWeights(this.model);
    await this.reportLatents(this.model);
  }

  private async reset(): Promise<void> {
    const model = this.requireModel();
    const dataset = this.dataset as Dataset;
    await this.configure(dataset.id, model.trainer.modelConfig, model.trainer.config, 'reset');
  }

  private async setTraining(change: Partial<TrainingConfig>): Promise<void> {
    const model = this.requireModel();
    const previous = model.trainer.config;
    model.trainer.updateTraining(change);
    if (change.batchSize !== undefined && change.batchSize !== previous.batchSize) {
      const epochsSoFar = this.epochPosition(model);
      model.epochOffset = epochsSoFar.epoch;
      model.batcher = new Batcher(model.batcher.count, change.batchSize, model.trainer.modelConfig.seed + 1 + model.trainer.step);
    }
  }

  private async start(): Promise<void> {
    this.requireModel();
    if (this.running) return;
    // a paused loop may still be finishing an evaluation: never let two loops train at once
    await this.loop;
    if (this.running || !this.model) return;
    this.running = true;
    this.firstStepOfRun = true;
    this.window = { start: this.deps.now(), steps: 0 };
    this.postStatus();
    this.loop = this.trainLoop(++this.loopGeneration);
  }

  private pause(): void {
    if (!this.running) return;
    this.running = false;
    this.postStatus();
  }

  private async stopLoop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
  }

  private async stepOnce(): Promise<void> {
    this.requireModel();
    if (this.running) return; // a step while training would be invisible
    await this.loop;
    const model = this.requireModel();
    this.window = { start: this.deps.now(), steps: 0 };
    this.trainStep(model);
    await this.afterStep(model, true);
    this.postStatus();
  }

  private trainStep(model: Model): void {
    const indices = model.batcher.nextBatch();
    const x = tf.tidy(() => tf.gather(this.trainImages as tf.Tensor2D, tf.tensor1d(indices, 'int32')) as tf.Tensor2D);
    try {
      model.trainer.trainStep(x);
    } finally {
      x.dispose();
    }
    this.window.steps += 1;
  }

  private async trainLoop(generation: number): Promise<void> {
    const model = this.model;
    this.activeLoops += 1;
    try {
      while (this.running && model && this.model === model && this.loopGeneration === generation) {
        this.trainStep(model);
        await this.afterStep(model, false);
        await this.deps.yieldToEventLoop();
      }
    } catch (error) {
      this.running = false;
      const why = error instanceof Error ? error.message : String(error);
      if (this.model !== model) return; // the model was replaced under us: nothing to report
      if (this.backend?.name === 'webgl' && model && (await this.recoverOnWasm(model, why))) return;
      this.deps.post({ type: 'error', message: `training stopped: ${why}` });
      this.postStatus();
    } finally {
      this.activeLoops -= 1;
    }
  }

  /**
   * The GPU went away (a lost WebGL context takes every tensor with it): move to WebAssembly and
   * rebuild the model from the weights last copied off the device. False if that fails too.
   */
  private async recoverOnWasm(model: Model, why: string): Promise<boolean> {
    const backup = this.weightBackup;
    const dataset = this.dataset;
    if (!backup || !dataset) return false;
    try {
      const info = await this.deps.initBackend('wasm', new URL('tfjs-wasm/', this.assetBaseUrl).href);
      this.backend = { ...info, reason: `WebGL failed (${why}); moved to ${info.name}` };
      this.deps.post({ type: 'backend', info: this.backend });
      const { modelConfig, config } = model.trainer;
      this.model = null;
      try {
        // freeing tensors of a lost context is harmless; a backend that refuses only leaks them
        model.trainer.dispose();
        this.trainImages?.dispose();
      } catch {
        // nothing to free
      }
      this.trainImages = tf.tensor2d(dataset.train.images, [dataset.train.count, pixelCount(dataset.shape)]);
      const trainer = new Trainer(modelConfig, config, new Rng(modelConfig.seed + backup.step));
      trainer.importWeights(backup.weights, backup.step);
      trainer.saveCheckpoint();
      this.model = { ...model, trainer };
      this.deps.post({
        type: 'error',
        message: `WebGL stopped working (${why}). Training moved to ${info.name} with the weights of step ${backup.step}; press Train to go on.`,
      });
      this.deps.post({ type: 'configured', model: modelConfig, training: trainer.config, parameterCount: trainer.vae.parameterCount, cause: 'recovered' });
      this.postStatus();
      await this.reportLatents(this.model);
      return true;
    } catch {
      return false;
    }
  }

  /** On WebGL, copy the weights off the GPU now and then: a lost context must not lose the model. */
  private async backupWeights(model: Model): Promise<void> {
    if (this.backend?.name !== 'webgl') return;
    this.weightBackup = { step: model.trainer.step, weights: await model.trainer.exportWeights() };
  }

  /** Reports due after a step: metrics (with the divergence check), latents, evaluation. */
  private async afterStep(model: Model, force: boolean): Promise<void> {
    const step = model.trainer.step;
    const every = this.reporting;
    // the first step of a run reports at once: the page shows progress without waiting K steps
    const firstOfRun = this.firstStepOfRun;
    this.firstStepOfRun = false;
    if (force || firstOfRun || step % every.metricsEvery === 0) {
      const metrics = await model.trainer.readMetrics();
      if (metrics && !(await this.checkFinite(model, metrics))) return;
      if (metrics) this.postMetrics(model, metrics);
      if (step % CHECKPOINT_EVERY === 0 && (await model.trainer.weightsAreFinite())) {
        model.trainer.saveCheckpoint();
        if (step % (CHECKPOINT_EVERY * 5) === 0) await this.backupWeights(model);
      }
    }
    if (force || step % every.latentsEvery === 0) await this.reportLatents(model);
    if (step % every.evaluateEvery === 0) {
      const test = await this.evaluate(model);
      this.deps.post({ type: 'evaluation', step, test });
    }
  }

  /** A NaN or infinite loss: pause, go back to the last good weights, say so. */
  private async checkFinite(model: Model, metrics: TrainingMetrics): Promise<boolean> {
    const values = [metrics.reconstruction, metrics.kl, metrics.negativeElbo, metrics.objective];
    if (values.every(Number.isFinite)) return true;
    const divergedAt = model.trainer.step;
    this.running = false;
    model.trainer.restoreCheckpoint();
    const { learningRate } = model.trainer.config;
    this.deps.post({
      type: 'diverged',
      step: divergedAt,
      restoredStep: model.trainer.step,
      message:
        `The loss became ${values.some(Number.isNaN) ? 'NaN' : 'infinite'} near step ${divergedAt}` +
        ` (learning rate ${learningRate}${learningRate > 0.01 ? ', probably too high' : ''}).` +
        ` Training is paused and the weights of step ${model.trainer.step} are restored.`,
    });
    this.postStatus();
    await this.reportLatents(model); // the scatter, grid and probe show the restored model
    return false;
  }

  private epochPosition(model: Model): { epoch: number; epochProgress: number } {
    const epochProgress = model.batcher.positionInEpoch;
    return { epoch: model.epochOffset + model.batcher.epoch + epochProgress, epochProgress };
  }

  private postMetrics(model: Model, train: TrainingMetrics): void {
    const now = this.deps.now();
    const seconds = (now - this.window.start) / 1000;
    const stepsPerSecond = seconds > 0 && this.window.steps > 1 ? this.window.steps / seconds : 0;
    this.window = { start: now, steps: 0 };
    const { epoch, epochProgress } = this.epochPosition(model);
    const { numTensors, numBytes } = tf.memory();
    this.deps.post({ type: 'metrics', step: model.trainer.step, epoch, epochProgress, stepsPerSecond, train, beta: model.trainer.config.beta, memory: { numTensors, numBytes } });
  }

  private postStatus(): void {
    const model = this.model;
    const position = model ? this.epochPosition(model) : { epoch: 0, epochProgress: 0 };
    this.deps.post({ type: 'status', running: this.running, step: model?.trainer.step ?? 0, ...position });
  }

  private evaluate(model: Model): ReturnType<Trainer['evaluate']> {
    const test = (this.dataset as Dataset).test;
    // yield between chunks so a probe's decode need not wait for the whole test set
    return model.trainer.evaluate(test.images, test.count, 500, 1234, this.deps.yieldToEventLoop);
  }

  /** The test points shown in the latent scatter: a fixed, seeded sample of the test set. */
  private pointIndices(): Int32Array {
    const test = (this.dataset as Dataset).test;
    const n = Math.min(this.reporting.latentPoints, test.count);
    if (!this.latentIndices || this.latentIndices.length !== n) {
      const all = new Int32Array(test.count).map((_, i) => i);
      new Rng(7).shuffleInPlace(all);
      this.latentIndices = all.slice(0, n).sort();
    }
    return this.latentIndices;
  }

  private async reportLatents(model: Model): Promise<void> {
    const dataset = this.dataset as Dataset;
    const indices = this.pointIndices();
    const dim = pixelCount(dataset.shape);
    const images = new Float32Array(indices.length * dim);
    indices.forEach((row, k) => images.set(dataset.test.images.subarray(row * dim, (row + 1) * dim), k * dim));
    const { mu, logVar } = await this.encodeInChunks(model, images, indices.length, dim);
    if (this.model !== model) return;
    const labels = Uint8Array.from(indices, (i) => dataset.test.labels[i]);
    const factors = this.pointFactors(indices);
    const firstReport = this.previewSentFor !== indices;
    const preview = firstReport ? Uint8Array.from(images, (v) => Math.round(v * 255)) : undefined;
    this.previewSentFor = indices;
    const latentDim = model.trainer.modelConfig.latentDim;
    this.postDisentanglement(model.trainer.step, mu, indices.length, latentDim, factors);
    const transfer: Transferable[] = [mu.buffer, logVar.buffer, labels.buffer];
    if (preview) transfer.push(preview.buffer);
    const sentFactors = firstReport && factors ? factors.slice() : undefined;
    if (sentFactors) transfer.push(sentFactors.buffer);
    this.deps.post(
      { type: 'latents', step: model.trainer.step, count: indices.length, latentDim, mu, logVar, labels, indices: indices.slice(), images: preview, factors: sentFactors },
      transfer,
    );
  }

  /** The ground-truth factors of the scatter's points, row-major, or null without factors. */
  private pointFactors(indices: Int32Array): Uint16Array | null {
    const all = (this.dataset as Dataset).test.factors;
    if (!all) return null;
    const k = all.names.length;
    const out = new Uint16Array(indices.length * k);
    indices.forEach((row, i) => out.set(all.values.subarray(row * k, (row + 1) * k), i * k));
    return out;
  }

  /** Active units and, with ground-truth factors, MIG, on the scatter's sample of test points. */
  private postDisentanglement(step: number, mu: Float32Array, count: number, latentDim: number, factors: Uint16Array | null): void {
    const units = activeUnits(mu, count, latentDim);
    let mig: number | null = null;
    let migPerFactor: WorkerEventOf<'disentanglement'>['migPerFactor'] = null;
    const info = (this.dataset as Dataset).test.factors;
    if (factors && info) {
      try {
        const result = mutualInformationGap(mu, count, latentDim, factors, info.sizes);
        mig = result.mig;
        migPerFactor = result.perFactor.map((f) => ({ factor: info.names[f.factor], gap: f.gap, topDims: f.top }));
      } catch {
        // a sample where no factor varies has no MIG; the event says null
      }
    }
    this.deps.post({ type: 'disentanglement', step, unitVariances: Array.from(units.variances), activeUnits: units.count, mig, migPerFactor });
  }

  /** Encode in slices, yielding between them, so other messages are not held up for long. */
  private async encodeInChunks(model: Model, images: Float32Array, count: number, dim: number): Promise<{ mu: Float32Array; logVar: Float32Array }> {
    const latentDim = model.trainer.modelConfig.latentDim;
    const mu = new Float32Array(count * latentDim);
    const logVar = new Float32Array(count * latentDim);
    for (let start = 0; start < count; start += ENCODE_CHUNK) {
      const n = Math.min(ENCODE_CHUNK, count - start);
      const part = await model.trainer.encode(images.subarray(start * dim, (start + n) * dim), n);
      mu.set(part.mu, start * latentDim);
      logVar.set(part.logVar, start * latentDim);
      if (start + n < count) await this.deps.yieldToEventLoop();
    }
    return { mu, logVar };
  }

  private disposeModel(): void {
    if (!this.model) return;
    this.model.trainer.dispose();
    this.model = null;
  }

  /** Free everything (tests; the worker itself lives as long as the page). */
  async dispose(): Promise<void> {
    await this.stopLoop();
    this.disposeModel();
    this.trainImages?.dispose();
    this.trainImages = null;
  }
}
