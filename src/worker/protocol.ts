/**
 * Every message between the main thread and the training worker: one discriminated union per
 * direction, one message type per fact. Commands are validated on arrival (parseCommand), so an
 * ill-formed message gets an error reply instead of killing the worker.
 */
import type { Likelihood, LossValues, ModelConfig, TrainingConfig } from '../core/types';
import type { TrainingMetrics } from '../core/trainer';
import type { DatasetId, ImageShape } from '../data/dataset';

export type BackendName = 'wasm' | 'webgl' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  /** Why this backend: the user's choice, a probe's result, or a fallback after a failure. */
  reason: string;
  /** wasm threads in use (1 without cross-origin isolation). */
  threads: number;
  crossOriginIsolated: boolean;
}

/** How often the worker reports while training, in steps. */
export interface ReportingConfig {
  metricsEvery: number;
  latentsEvery: number;
  evaluateEvery: number;
  /** Test images encoded for the latent scatter. */
  latentPoints: number;
}

// ---- main thread → worker ------------------------------------------------------------------

export type WorkerCommand =
  | { type: 'init'; backend: BackendChoice; assetBaseUrl: string }
  | { type: 'configure'; datasetId: DatasetId; model: ModelConfig; training: TrainingConfig }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'setTraining'; change: Partial<TrainingConfig> }
  | { type: 'setReporting'; change: Partial<ReportingConfig> }
  | { type: 'encode'; requestId: number; images: Float32Array; count: number }
  | { type: 'decode'; requestId: number; latents: Float32Array; count: number }
  | { type: 'evaluate'; requestId: number };

export type WorkerCommandType = WorkerCommand['type'];

// ---- worker → main thread ------------------------------------------------------------------

export interface DataSummary {
  datasetId: DatasetId;
  name: string;
  shape: ImageShape;
  classNames: string[];
  /** Ground-truth factors (Shapes): their names and number of values. */
  factors: { names: string[]; sizes: number[] } | null;
  trainCount: number;
  testCount: number;
}

export type WorkerEvent =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'dataProgress'; datasetId: DatasetId; loadedBytes: number; totalBytes: number; stage: string }
  | { type: 'dataReady'; summary: DataSummary }
  | {
      type: 'configured';
      model: ModelConfig;
      training: TrainingConfig;
      parameterCount: number;
      /** Why there is a (re)built model: a new configuration, a reset, or a recovery onto another backend. */
      cause: 'configure' | 'reset' | 'recovered';
    }
  | { type: 'status'; running: boolean; step: number; epoch: number; epochProgress: number }
  | {
      type: 'metrics';
      step: number;
      epoch: number;
      epochProgress: number;
      stepsPerSecond: number;
      train: TrainingMetrics;
      beta: number;
      /** tfjs's live tensors and their bytes: flat over a long run, or something leaks. */
      memory: { numTensors: number; numBytes: number };
    }
  | { type: 'evaluation'; step: number; test: LossValues; requestId?: number }
  | {
      type: 'latents';
      step: number;
      count: number;
      latentDim: number;
      /** Row-major [count, latentDim] posterior means and log-variances of test images. */
      mu: Float32Array;
      logVar: Float32Array;
      labels: Uint8Array;
      /** Indices into the test set, to fetch a point's image for a hover preview. */
      indices: Int32Array;
      /** Row-major [count, pixels] of those images, 0..255, sent once per data set (first report). */
      images?: Uint8Array;
      /** Row-major [count, factor names] ground-truth factors of those images (Shapes), with the images. */
      factors?: Uint16Array;
    }
  | {
      type: 'disentanglement';
      step: number;
      /** Variance over the scatter's test points of each unit's posterior mean (Burda et al.). */
      unitVariances: number[];
      activeUnits: number;
      /** MIG over the same points when the data set has ground-truth factors, else null. */
      mig: number | null;
      migPerFactor: { factor: string; gap: number; topDims: [number, number] }[] | null;
    }
  | { type: 'encoded'; requestId: number; count: number; mu: Float32Array; logVar: Float32Array }
  | { type: 'decoded'; requestId: number; count: number; images: Float32Array }
  | { type: 'diverged'; step: number; restoredStep: number; message: string }
  | { type: 'error'; message: string; command?: string; requestId?: number };

export type WorkerEventType = WorkerEvent['type'];
export type WorkerEventOf<T extends WorkerEventType> = Extract<WorkerEvent, { type: T }>;

// ---- validation ----------------------------------------------------------------------------

export type ParseResult = { ok: true; command: WorkerCommand } | { ok: false; message: string; command?: string; requestId?: number };

const LIKELIHOODS: readonly Likelihood[] = ['bernoulli', 'gaussian'];
const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'webgl', 'cpu'];
const DATASETS: readonly DatasetId[] = ['mnist', 'fashion', 'shapes'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function intIn(value: unknown, min: number, max: number): value is number {
  return finiteIn(value, min, max) && Number.isInteger(value);
}

/** Limits of what the worker accepts (the UI clamps earlier, with friendlier messages). */
export const LIMITS = {
  latentDim: [1, 64],
  hiddenDim: [8, 2048],
  inputDim: [1, 65536],
  beta: [0, 1000],
  learningRate: [0, 1000],
  batchSize: [1, 4096],
  reportEvery: [1, 1_000_000],
  latentPoints: [1, 10_000],
  requestCount: [1, 10_000],
  /** Steps of a schedule (warm-up, cyclical total, capacity ramp). */
  scheduleSteps: [1, 100_000_000],
  cycles: [1, 100],
  /** Fraction of a cycle spent ramping; 0 itself is excluded. */
  ramp: [0, 1],
  /** Capacity C_max, nats. */
  capacity: [0, 1000],
  gamma: [0, 100_000],
  /** Free bits λ, nats per latent dimension. */
  freeBits: [0, 10],
} as const satisfies Record<string, readonly [number, number]>;

function checkModel(m: unknown): string | null {
  if (!isRecord(m)) return 'model must be an object';
  if (!intIn(m.inputDim, ...LIMITS.inputDim)) return 'model.inputDim must be a positive integer';
  if (!intIn(m.hiddenDim, ...LIMITS.hiddenDim)) return `model.hiddenDim must be an integer in ${LIMITS.hiddenDim.join('…')}`;
  if (!intIn(m.latentDim, ...LIMITS.latentDim)) return `model.latentDim must be an integer in ${LIMITS.latentDim.join('…')}`;
  if (!LIKELIHOODS.includes(m.likelihood as Likelihood)) return `model.likelihood must be one of ${LIKELIHOODS.join(', ')}`;
  if (!intIn(m.seed, 0, 2 ** 32)) return 'model.seed must be a non-negative integer';
  return null;
}

type ObjectiveKind = NonNullable<TrainingConfig['objective']>;
const OBJECTIVES: readonly ObjectiveKind[] = ['vae', 'autoencoder', 'kl-only'];
const SCHEDULE_KINDS: readonly NonNullable<TrainingConfig['klSchedule']>['kind'][] = ['constant', 'linear', 'cyclical', 'capacity'];
type Rule = [key: string, check: (v: unknown) => boolean, message: string];

function firstProblem(record: Record<string, unknown>, rules: Rule[], skipMissing: boolean): string | null {
  for (const [key, ok, message] of rules) {
    if (skipMissing && record[key] === undefined) continue;
    if (!ok(record[key])) return message;
  }
  return null;
}

function checkSchedule(s: unknown): string | null {
  const kinds = SCHEDULE_KINDS.join(', ');
  if (!isRecord(s)) return `klSchedule must be an object with a kind (${kinds})`;
  const steps = (name: string): Rule => [name, (v) => intIn(v, ...LIMITS.scheduleSteps), `klSchedule.${name} must be a positive integer number of steps (at most ${LIMITS.scheduleSteps[1]})`];
  let rules: Rule[];
  switch (s.kind) {
    case 'constant':
      rules = [];
      break;
    case 'linear':
      rules = [steps('warmupSteps')];
      break;
    case 'cyclical':
      rules = [
        ['cycles', (v) => intIn(v, ...LIMITS.cycles), `klSchedule.cycles must be an integer in ${LIMITS.cycles.join('…')}`],
        ['ramp', (v) => finiteIn(v, ...LIMITS.ramp) && (v as number) > LIMITS.ramp[0], 'klSchedule.ramp must be a fraction of the cycle in (0, 1]'],
        steps('totalSteps'),
      ];
      break;
    case 'capacity':
      rules = [
        ['capacityMax', (v) => finiteIn(v, ...LIMITS.capacity), `klSchedule.capacityMax must be a number of nats in ${LIMITS.capacity.join('…')}`],
        steps('capacitySteps'),
        ['gamma', (v) => finiteIn(v, ...LIMITS.gamma), `klSchedule.gamma (γ) must be a number in ${LIMITS.gamma.join('…')}`],
      ];
      break;
    default:
      return `klSchedule.kind must be one of ${kinds}`;
  }
  const problem = firstProblem(s, rules, false);
  if (problem) return problem;
  if (s.kind === 'cyclical' && (s.totalSteps as number) < (s.cycles as number)) return 'klSchedule.totalSteps must be at least klSchedule.cycles (one step per cycle)';
  const unknownKeys = Object.keys(s).filter((k) => k !== 'kind' && !rules.some(([key]) => key === k));
  return unknownKeys.length ? `unknown klSchedule field ${unknownKeys.join(', ')} for kind ${String(s.kind)}` : null;
}

function checkTraining(t: unknown, partial: boolean): string | null {
  if (!isRecord(t)) return 'training settings must be an object';
  const required: Rule[] = [
    ['beta', (v) => finiteIn(v, ...LIMITS.beta), `β must be a number in ${LIMITS.beta.join('…')}`],
    ['learningRate', (v) => finiteIn(v, ...LIMITS.learningRate) && (v as number) > 0, 'the learning rate must be a positive number'],
    ['batchSize', (v) => intIn(v, ...LIMITS.batchSize), `the batch size must be an integer in ${LIMITS.batchSize.join('…')}`],
  ];
  // optional even in a full configuration: missing ones take their defaults
  const optional: Rule[] = [
    ['freeBits', (v) => finiteIn(v, ...LIMITS.freeBits), `free bits λ must be a number of nats in ${LIMITS.freeBits.join('…')}`],
    ['objective', (v) => OBJECTIVES.includes(v as ObjectiveKind), `objective must be one of ${OBJECTIVES.join(', ')}`],
  ];
  const problem = firstProblem(t, required, partial) ?? firstProblem(t, optional, true) ?? (t.klSchedule === undefined ? null : checkSchedule(t.klSchedule));
  if (problem) return problem;
  const known = new Set<string>([...required, ...optional].map(([key]) => key).concat('klSchedule'));
  const unknownKeys = Object.keys(t).filter((k) => !known.has(k));
  return unknownKeys.length ? `unknown training setting ${unknownKeys.join(', ')}` : null;
}

function checkReporting(r: unknown): string | null {
  if (!isRecord(r)) return 'reporting settings must be an object';
  for (const key of ['metricsEvery', 'latentsEvery', 'evaluateEvery'] as const) {
    if (r[key] !== undefined && !intIn(r[key], ...LIMITS.reportEvery)) return `${key} must be a positive integer`;
  }
  if (r.latentPoints !== undefined && !intIn(r.latentPoints, ...LIMITS.latentPoints)) return 'latentPoints must be an integer in 1…10000';
  return null;
}

function checkRows(values: unknown, count: unknown, name: string): string | null {
  if (!(values instanceof Float32Array)) return `${name} must be a Float32Array`;
  if (!intIn(count, ...LIMITS.requestCount)) return 'count must be an integer in 1…10000';
  if (values.length % count !== 0 || values.length === 0) return `${name} has ${values.length} values, not a multiple of count ${count}`;
  if (!values.every(Number.isFinite)) return `${name} contains NaN or infinite values`;
  return null;
}

/** Validate an incoming message; the command object is returned as is when well formed. */
export function parseCommand(message: unknown): ParseResult {
  if (!isRecord(message)) return { ok: false, message: 'a command must be an object with a "type"' };
  const type = message.type;
  const requestId = typeof message.requestId === 'number' ? message.requestId : undefined;
  const fail = (why: string): ParseResult => ({ ok: false, message: `${String(type)}: ${why}`, command: String(type), requestId });
  let problem: string | null = null;
  switch (type) {
    case 'init':
      if (!BACKEND_CHOICES.includes(message.backend as BackendChoice)) problem = `backend must be one of ${BACKEND_CHOICES.join(', ')}`;
      else if (typeof message.assetBaseUrl !== 'string') problem = 'assetBaseUrl must be a string';
      break;
    case 'configure':
      if (!DATASETS.includes(message.datasetId as DatasetId)) problem = `unknown dataset ${String(message.datasetId)}`;
      else problem = checkModel(message.model) ?? checkTraining(message.training, false);
      break;
    case 'start':
    case 'pause':
    case 'step':
    case 'reset':
      break;
    case 'setTraining':
      problem = checkTraining(message.change, true);
      break;
    case 'setReporting':
      problem = checkReporting(message.change);
      break;
    case 'encode':
      problem = requestId === undefined ? 'requestId must be a number' : checkRows(message.images, message.count, 'images');
      break;
    case 'decode':
      problem = requestId === undefined ? 'requestId must be a number' : checkRows(message.latents, message.count, 'latents');
      break;
    case 'evaluate':
      if (requestId === undefined) problem = 'requestId must be a number';
      break;
    default:
      return { ok: false, message: `unknown command type ${JSON.stringify(type)}`, command: typeof type === 'string' ? type : undefined, requestId };
  }
  return problem ? fail(problem) : { ok: true, command: message as unknown as WorkerCommand };
}
