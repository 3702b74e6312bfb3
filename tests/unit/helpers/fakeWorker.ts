/**
 * A fake training worker for driving the main-thread side (TrainingClient, Controller) in Node:
 * it records every command posted to it (structured-cloned with its transfer list, as a real
 * worker receives it, so transferred buffers are detached on the sender's side), emits events
 * as the worker would, and answers request/response commands (decode, encode, evaluate) by
 * requestId like src/worker/session.ts does.
 */
import { FAMILIES } from '../../../src/core/models/catalog';
import type { WorkerPort } from '../../../src/worker/client';
import type { BackendInfo, DataSummary, WorkerCommand, WorkerCommandType, WorkerEvent, WorkerEventOf } from '../../../src/worker/protocol';
import type { ModelConfig } from '../../../src/core/models/config';
import type { LossValues } from '../../../src/core/objective/terms';
import { resolveTrainingConfig } from '../../../src/core/training/config';
import type { TrainingMetrics } from '../../../src/core/training/trainer';

export type CommandOf<T extends WorkerCommandType> = Extract<WorkerCommand, { type: T }>;
type RequestCommand = CommandOf<'decode'> | CommandOf<'encode'> | CommandOf<'evaluate'>;

/** Pixels per decoded image in the fake's replies: small, the controller never looks inside. */
export const FAKE_PIXELS = 4;

export class FakeWorker implements WorkerPort {
  /** The commands received since the last clearSent(), oldest first. */
  readonly sent: WorkerCommand[] = [];
  /** Every command ever received, oldest first (clearSent() leaves it). */
  readonly received: WorkerCommand[] = [];
  terminated = false;
  private readonly messageListeners: ((event: MessageEvent) => void)[] = [];
  private readonly errorListeners: ((event: ErrorEvent) => void)[] = [];
  private readonly answered = new Set<number>();

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    // what a worker gets is a copy; the transferred buffers are gone from the sender
    const copy = structuredClone(message, { transfer }) as WorkerCommand;
    this.sent.push(copy);
    this.received.push(copy);
  }

  addEventListener(type: 'message' | 'error', listener: ((event: MessageEvent) => void) | ((event: ErrorEvent) => void)): void {
    if (type === 'message') this.messageListeners.push(listener as (event: MessageEvent) => void);
    else this.errorListeners.push(listener as (event: ErrorEvent) => void);
  }

  terminate(): void {
    this.terminated = true;
  }

  // ---- what was sent ---------------------------------------------------------------------

  types(): WorkerCommandType[] {
    return this.sent.map((c) => c.type);
  }

  ofType<T extends WorkerCommandType>(type: T): CommandOf<T>[] {
    return this.sent.filter((c): c is CommandOf<T> => c.type === type);
  }

  last<T extends WorkerCommandType>(type: T): CommandOf<T> | undefined {
    const all = this.ofType(type);
    return all[all.length - 1];
  }

  /** Forget the commands received so far (request ids already answered stay answered). */
  clearSent(): void {
    this.sent.length = 0;
  }

  /** Requests not answered yet, oldest first (including those sent before a clearSent()). */
  pending<T extends RequestCommand['type']>(type: T): CommandOf<T>[] {
    return this.received.filter((c): c is CommandOf<T> => c.type === type && !this.answered.has((c as RequestCommand).requestId));
  }

  // ---- what the worker says --------------------------------------------------------------

  emit(event: WorkerEvent): void {
    for (const listener of this.messageListeners) listener({ data: event } as MessageEvent);
  }

  /** An uncaught error inside the worker (the Worker's 'error' event). */
  crash(message: string): void {
    for (const listener of this.errorListeners) listener({ message } as ErrorEvent);
  }

  /** Answer a decode with `count` images of FAKE_PIXELS values, all equal to `fill`. */
  replyDecode(command: CommandOf<'decode'>, fill = command.requestId): Float32Array {
    const images = new Float32Array(command.count * FAKE_PIXELS).fill(fill);
    this.answer(command, { type: 'decoded', requestId: command.requestId, count: command.count, images });
    return images;
  }

  replyEvaluate(command: CommandOf<'evaluate'>, step: number, test: LossValues = lossValues()): void {
    this.answer(command, { type: 'evaluation', step, test, requestId: command.requestId });
  }

  /** Answer a request with the worker's error reply (what session.ts posts when a command throws). */
  replyError(command: RequestCommand, message: string): void {
    this.answer(command, { type: 'error', message, command: command.type, requestId: command.requestId });
  }

  private answer(command: RequestCommand, event: WorkerEvent): void {
    if (this.answered.has(command.requestId)) throw new Error(`request ${command.requestId} was already answered`);
    this.answered.add(command.requestId);
    this.emit(event);
  }
}

// ---- events as the worker posts them -----------------------------------------------------

export const BACKEND_INFO: BackendInfo = { name: 'cpu', reason: 'chosen in a test', threads: 1, crossOriginIsolated: false };

export function dataSummary(overrides: Partial<DataSummary> = {}): DataSummary {
  return {
    datasetId: 'mnist',
    name: 'MNIST digits',
    shape: { width: 28, height: 28, channels: 1 },
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    factors: null,
    trainCount: 60000,
    testCount: 10000,
    ...overrides,
  };
}

/** A VAE's numbers, given flat (reconstruction and KL by name) for brevity. */
export interface FlatValues {
  reconstruction: number;
  kl: number;
  klPerDim: number[];
  negativeElbo: number;
  objective: number;
}

export function lossValues(overrides: Partial<FlatValues> = {}): LossValues {
  const v = { reconstruction: 100, kl: 5, klPerDim: [3, 2], negativeElbo: 105, objective: 105, ...overrides };
  return { terms: { reconstruction: v.reconstruction, kl: v.kl }, klPerDim: v.klPerDim, negativeElbo: v.negativeElbo, objective: v.objective };
}

export type FlatMetrics = FlatValues & Omit<TrainingMetrics, keyof LossValues>;

export function trainingMetrics(overrides: Partial<FlatMetrics> = {}): TrainingMetrics {
  const { steps = 20, klWeight = 1, capacity = Number.NaN, groupUpdates = { model: { applied: steps, skipped: 0 } }, ...values } = overrides;
  return { ...lossValues(values), steps, klWeight, capacity, groupUpdates };
}

export function metricsEvent(step: number, train: Partial<FlatMetrics> = {}, overrides: Partial<WorkerEventOf<'metrics'>> = {}): WorkerEventOf<'metrics'> {
  return {
    type: 'metrics',
    step,
    epoch: 0,
    epochProgress: step / 469,
    stepsPerSecond: 50,
    train: trainingMetrics(train),
    beta: train.klWeight ?? 1,
    memory: { numTensors: 10, numBytes: 1000 },
    ...overrides,
  };
}

export function statusEvent(running: boolean, step: number): WorkerEventOf<'status'> {
  return { type: 'status', running, step, epoch: 0, epochProgress: 0 };
}

/** The 'configured' reply to a configure command (the worker echoes the model and training). */
export function configuredEvent(command: CommandOf<'configure'>, cause: WorkerEventOf<'configured'>['cause'] = 'configure', parameterCount = 1234): WorkerEventOf<'configured'> {
  const step = command.restore?.step ?? 0;
  return { type: 'configured', model: command.model, training: resolveTrainingConfig(command.training), parameterCount, terms: [...FAMILIES[command.model.family].terms], cause, step };
}

/** A divergence report, as the worker posts it after restoring the checkpoint of `restoredStep`. */
export function divergedEvent(step: number, restoredStep: number, message: string, kind: WorkerEventOf<'diverged'>['kind'] = 'nonFinite', learningRate = 0.001): WorkerEventOf<'diverged'> {
  return { type: 'diverged', step, restoredStep, kind, learningRate, message };
}

/** A 'latents' report of `count` test points; point i's mean is (i + 1) · (1, 2, …, latentDim) / 10. */
export function latentsEvent(step: number, latentDim: number, count = 3, extra: Pick<WorkerEventOf<'latents'>, 'images' | 'factors'> = {}): WorkerEventOf<'latents'> {
  const mu = Float32Array.from({ length: count * latentDim }, (_, k) => ((Math.floor(k / latentDim) + 1) * ((k % latentDim) + 1)) / 10);
  return {
    type: 'latents',
    step,
    count,
    latentDim,
    mu,
    logVar: new Float32Array(count * latentDim).fill(-1),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    indices: Int32Array.from({ length: count }, (_, i) => i * 7),
    ...extra,
  };
}

/** What the controller sends for MNIST with the default settings, changed by `overrides`. */
export function modelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    family: 'vae',
    network: 'mlp',
    imageShape: { width: 28, height: 28, channels: 1 },
    classCount: 10,
    hiddenDim: 400,
    networkOptions: {},
    latentDim: 2,
    likelihood: 'bernoulli',
    seed: 1,
    options: { prior: 'standard', components: 10, decoder: 'factorised' },
    ...overrides,
  };
}
