/**
 * The main thread's typed handle on the training worker: send commands, subscribe to events,
 * and await request/response pairs (encode, decode, evaluate) by request id.
 */
import type { InterpolationKind } from '../core/analysis/interpolation';
import type { LossValues } from '../core/objective/terms';
import type { OutlierSetId } from '../data/outliers';
import type { CodePriorKind, InterpolationEnd, WorkerCommand, WorkerEvent, WorkerEventOf, WorkerEventType } from './protocol';

/** What the client needs of a Worker; a fake in tests. */
export interface WorkerPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** How a worker's uncaught error reads in a message. */
export function crashReason(event: Pick<ErrorEvent, 'message'>): string {
  // Chromium's message starts "Uncaught Error: …"
  const message = (event.message ?? '').replace(/^Uncaught\s+/, '');
  return message ? `an uncaught error: ${message}` : 'an uncaught error';
}

type Listener<T extends WorkerEventType> = (event: WorkerEventOf<T>) => void;

export type JobProgress = WorkerEventOf<'jobProgress'>;

/** A background job in the worker: its request id (to cancel it) and its outcome. */
export interface Job<R> {
  requestId: number;
  result: Promise<R>;
}

interface Pending {
  resolve(event: WorkerEvent): void;
  reject(error: Error): void;
}

export class TrainingClient {
  private readonly listeners = new Map<WorkerEventType, Set<(event: WorkerEvent) => void>>();
  private readonly pending = new Map<number, Pending>();
  private readonly crashListeners = new Set<(reason: string) => void>();
  private readonly activityListeners = new Set<(event: WorkerEvent) => void>();
  private readonly progress = new Map<number, (event: JobProgress) => void>();
  private nextRequestId = 1;
  private stopped = false;

  constructor(private readonly worker: WorkerPort) {
    worker.addEventListener('message', (event: MessageEvent) => {
      if (this.stopped) return;
      const data = event.data as WorkerEvent;
      for (const listener of this.activityListeners) listener(data);
      this.dispatch(data);
    });
    // an uncaught error in the worker: its state cannot be trusted any more
    worker.addEventListener('error', (event: ErrorEvent) => {
      if (this.stopped) return;
      for (const listener of this.crashListeners) listener(crashReason(event));
    });
  }

  /** Called with the reason when the worker throws an uncaught error. */
  onCrash(listener: (reason: string) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** Called with every message the worker sends (a sign of life). */
  onActivity(listener: (event: WorkerEvent) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  send(command: WorkerCommand, transfer: Transferable[] = []): void {
    this.worker.postMessage(command, transfer);
  }

  on<T extends WorkerEventType>(type: T, listener: Listener<T>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    const wrapped = listener as (event: WorkerEvent) => void;
    set.add(wrapped);
    this.listeners.set(type, set);
    return () => set.delete(wrapped);
  }

  /** Decoder means for code grids [count, positions] of a discrete latent; the buffer is transferred. */
  async decodeCodes(codes: Int32Array, count: number): Promise<Float32Array> {
    const requestId = this.nextRequestId++;
    const reply = await this.request(requestId, { type: 'decodeCodes', requestId, codes, count }, [codes.buffer]);
    return (reply as WorkerEventOf<'decoded'>).images;
  }

  /** Code grids drawn from a prior over codes, and their decodings. */
  async sampleCodes(prior: CodePriorKind, count: number, seed: number): Promise<WorkerEventOf<'codeSamples'>> {
    const requestId = this.nextRequestId++;
    return (await this.request(requestId, { type: 'sampleCodes', requestId, prior, count, seed })) as WorkerEventOf<'codeSamples'>;
  }

  /** A background job: fit the priors over code grids on `images` training images' codes. */
  fitCodePriors(images: number, steps: number, onProgress?: (p: JobProgress) => void): Job<WorkerEventOf<'codePriorsFitted'>> {
    const requestId = this.nextRequestId++;
    return { requestId, result: this.job(requestId, { type: 'fitCodePriors', requestId, images, steps }, onProgress) as Promise<WorkerEventOf<'codePriorsFitted'>> };
  }

  /** Decoder means for latents [count, latentDim] (with a class each for a conditional model); the buffers are transferred. */
  async decode(latents: Float32Array, count: number, labels?: Int32Array): Promise<Float32Array> {
    const requestId = this.nextRequestId++;
    const command: WorkerCommand = labels ? { type: 'decode', requestId, latents, count, labels } : { type: 'decode', requestId, latents, count };
    const reply = await this.request(requestId, command, labels ? [latents.buffer, labels.buffer] : [latents.buffer]);
    return (reply as WorkerEventOf<'decoded'>).images;
  }

  async encode(images: Float32Array, count: number): Promise<{ mu: Float32Array; logVar: Float32Array }> {
    const requestId = this.nextRequestId++;
    const reply = (await this.request(requestId, { type: 'encode', requestId, images, count }, [images.buffer])) as WorkerEventOf<'encoded'>;
    return { mu: reply.mu, logVar: reply.logVar };
  }

  async evaluate(): Promise<LossValues> {
    const requestId = this.nextRequestId++;
    const reply = (await this.request(requestId, { type: 'evaluate', requestId })) as WorkerEventOf<'evaluation'>;
    return reply.test;
  }

  /** Decode the path between two ends (images or latent points); the ends' buffers are transferred. */
  async interpolate(ends: [InterpolationEnd, InterpolationEnd], steps: number, path: InterpolationKind): Promise<WorkerEventOf<'interpolated'>> {
    const requestId = this.nextRequestId++;
    const transfer = ends.map((end) => ('image' in end ? end.image.buffer : end.z.buffer));
    return (await this.request(requestId, { type: 'interpolate', requestId, ends, steps, path }, transfer)) as WorkerEventOf<'interpolated'>;
  }

  /** Posteriors, reconstructions, posterior samples and scores of images [count, pixels] (transferred). */
  async inspect(images: Float32Array, count: number, samples: number, seed: number): Promise<WorkerEventOf<'inspected'>> {
    const requestId = this.nextRequestId++;
    return (await this.request(requestId, { type: 'inspect', requestId, images, count, samples, seed }, [images.buffer])) as WorkerEventOf<'inspected'>;
  }

  /** The worked example for one image [pixels] (transferred), with ε drawn from `seed`. */
  async explain(image: Float32Array, label: number | null, seed: number): Promise<WorkerEventOf<'explained'>> {
    const requestId = this.nextRequestId++;
    return (await this.request(requestId, { type: 'explain', requestId, image, label, seed }, [image.buffer])) as WorkerEventOf<'explained'>;
  }

  /** Score the test set and out-of-distribution sets (a background job). */
  scoreSets(sets: OutlierSetId[], perSet: number, onProgress?: (p: JobProgress) => void): Job<WorkerEventOf<'setScores'>> {
    const requestId = this.nextRequestId++;
    return { requestId, result: this.job(requestId, { type: 'scoreSets', requestId, sets, perSet }, onProgress) as Promise<WorkerEventOf<'setScores'>> };
  }

  /** The sample-quality score: `count` test images against `count` prior samples (a background job). */
  scoreSamples(count: number, onProgress?: (p: JobProgress) => void, classifierSteps?: number): Job<WorkerEventOf<'sampleScore'>> {
    const requestId = this.nextRequestId++;
    const command = classifierSteps === undefined ? { type: 'scoreSamples' as const, requestId, count } : { type: 'scoreSamples' as const, requestId, count, classifierSteps };
    return { requestId, result: this.job(requestId, command, onProgress) as Promise<WorkerEventOf<'sampleScore'>> };
  }

  /** The importance-weighted bounds on the first `count` test images (a background job). */
  estimateBound(count: number, ks: number[], samples: number, onProgress?: (p: JobProgress) => void): Job<WorkerEventOf<'boundEstimate'>> {
    const requestId = this.nextRequestId++;
    return { requestId, result: this.job(requestId, { type: 'estimateBound', requestId, count, ks, samples }, onProgress) as Promise<WorkerEventOf<'boundEstimate'>> };
  }

  /** Stop a background job; its result rejects with the worker's reason. */
  cancelJob(requestId: number): void {
    this.send({ type: 'cancelJob', requestId });
  }

  /** The posterior means and log-variances of the whole test set, with its labels. */
  async encodeTestSet(): Promise<WorkerEventOf<'testCodes'>> {
    const requestId = this.nextRequestId++;
    return (await this.request(requestId, { type: 'encodeTestSet', requestId })) as WorkerEventOf<'testCodes'>;
  }

  /** The model in training as a model file (core/io/modelFile.ts). */
  async exportModel(name: string, savedAt: string, page: Record<string, unknown>): Promise<Uint8Array> {
    const requestId = this.nextRequestId++;
    const reply = (await this.request(requestId, { type: 'exportModel', requestId, name, savedAt, page })) as WorkerEventOf<'modelExported'>;
    return reply.file;
  }

  /** The model in training for PyTorch, as a zip. */
  async exportPytorch(savedAt: string): Promise<Uint8Array> {
    const requestId = this.nextRequestId++;
    const reply = (await this.request(requestId, { type: 'exportPytorch', requestId, savedAt })) as WorkerEventOf<'pytorchExported'>;
    return reply.file;
  }

  /** Replace the model in training by a model file's; resolves with its step, rejects with why not. The bytes are transferred. */
  async importModel(file: Uint8Array): Promise<number> {
    const requestId = this.nextRequestId++;
    const reply = (await this.request(requestId, { type: 'importModel', requestId, file }, [file.buffer])) as WorkerEventOf<'modelLoaded'>;
    return reply.step;
  }

  /** Stop the worker: nothing it may still have sent is delivered, open requests are rejected. */
  terminate(): void {
    this.stopped = true;
    this.worker.terminate();
    this.progress.clear();
    for (const p of this.pending.values()) p.reject(new Error('the training worker was stopped'));
    this.pending.clear();
  }

  private request(requestId: number, command: WorkerCommand, transfer: Transferable[] = []): Promise<WorkerEvent> {
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.send(command, transfer);
    });
  }

  private async job(requestId: number, command: WorkerCommand, onProgress?: (p: JobProgress) => void): Promise<WorkerEvent> {
    if (onProgress) this.progress.set(requestId, onProgress);
    try {
      return await this.request(requestId, command);
    } finally {
      this.progress.delete(requestId);
    }
  }

  private dispatch(event: WorkerEvent): void {
    if (event.type === 'jobProgress' && this.progress.has(event.job)) {
      this.progress.get(event.job)?.(event);
      return;
    }
    const requestId = 'requestId' in event ? event.requestId : undefined;
    if (requestId !== undefined && this.pending.has(requestId)) {
      const p = this.pending.get(requestId) as Pending;
      this.pending.delete(requestId);
      if (event.type === 'error') p.reject(new Error(event.message));
      else p.resolve(event);
      return;
    }
    for (const listener of this.listeners.get(event.type) ?? []) listener(event);
  }
}

/**
 * Runs at most one async job at a time and, while one runs, keeps only the newest request:
 * a dragged probe asks for a decode per pointer move, and only the latest position matters.
 */
export class LatestOnly<A, R> {
  private running = false;
  private queued: { args: A } | null = null;

  constructor(
    private readonly job: (args: A) => Promise<R>,
    private readonly onResult: (result: R, args: A) => void,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  request(args: A): void {
    if (this.running) {
      this.queued = { args };
      return;
    }
    void this.run(args);
  }

  private async run(args: A): Promise<void> {
    this.running = true;
    try {
      this.onResult(await this.job(args), args);
    } catch (error) {
      this.onError(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.running = false;
      const next = this.queued;
      this.queued = null;
      if (next) void this.run(next.args);
    }
  }
}
