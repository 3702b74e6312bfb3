/**
 * Validation of every command on arrival (parseCommand): a message that is not well formed gets
 * an error reply naming the problem, and the worker keeps working. The limits below are the
 * worker's own; the page clamps earlier, with friendlier messages.
 */
import { INTERPOLATION_KINDS, type InterpolationKind } from '../../core/analysis/interpolation';
import { FAMILIES, isFamilyId, networkOf, type FamilyDescriptor, type NetworkId } from '../../core/models/catalog';
import { checkBoundKs } from '../../core/objective/bounds';
import { ids, KL_SCHEDULES, LIKELIHOODS, OBJECTIVES, type KlScheduleKind, type LikelihoodId, type ObjectiveKind } from '../../core/objective/catalog';
import { strictProblem, type SettingSpecs } from '../../core/settings/spec';
import { DATASET_IDS } from '../../data/catalog';
import type { DatasetId } from '../../data/dataset';
import { OUTLIER_SET_IDS, type OutlierSetId } from '../../data/outliers';
import { ownImagesProblem } from '../../data/own/ownDataset';
import type { BackendChoice, CodePriorKind, WorkerCommand } from './commands';

// ---- validation ----------------------------------------------------------------------------

export type ParseResult = { ok: true; command: WorkerCommand } | { ok: false; message: string; command?: string; requestId?: number };

const LIKELIHOOD_IDS: readonly LikelihoodId[] = ids(LIKELIHOODS);
const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'webgl', 'cpu'];

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
  imageSide: [1, 1024],
  channels: [1, 4],
  classCount: [1, 1000],
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
  /** Points on an interpolation path, ends included. */
  interpolationSteps: [2, 64],
  /** Draws from q(z|x) per inspected image. */
  inspectSamples: [0, 16],
  /** Images per out-of-distribution set. */
  outlierSetSize: [1, 10_000],
  /** Test images of an importance-weighted bound. */
  boundImages: [1, 10_000],
  /** Importance samples per image. */
  boundSamples: [1, 100_000],
  /** Training images whose code grids a prior over codes is fitted on. */
  priorImages: [1, 60_000],
  /** Adam steps of the autoregressive prior over codes. */
  priorSteps: [0, 100_000],
  /** Code grids sampled at once. */
  priorSamples: [1, 1024],
  /** Characters in a saved model's name. */
  nameLength: [0, 200],
} as const satisfies Record<string, readonly [number, number]>;

/** The family's own settings of one effect ('model' options travel in the model, 'live' in training). */
function familySpecs(family: FamilyDescriptor, effect: 'model' | 'live'): SettingSpecs {
  return Object.fromEntries(Object.entries(family.settings).filter(([, spec]) => spec.effect === effect));
}

/** Why a ModelConfig is not one the worker can build, or null. */
export function checkModel(m: unknown): string | null {
  if (!isRecord(m)) return 'model must be an object';
  if (!isFamilyId(m.family)) return `model.family must be one of ${Object.keys(FAMILIES).join(', ')}`;
  const family = FAMILIES[m.family];
  if (!family.networks.includes(m.network as never)) return `model.network must be one of ${family.networks.join(', ')} for ${family.label}`;
  const shape = m.imageShape;
  if (!isRecord(shape) || !intIn(shape.width, ...LIMITS.imageSide) || !intIn(shape.height, ...LIMITS.imageSide) || !intIn(shape.channels, ...LIMITS.channels)) {
    return 'model.imageShape must be { width, height, channels } of positive integers';
  }
  if (!intIn(m.classCount, ...LIMITS.classCount)) return 'model.classCount must be a positive integer';
  if (!intIn(m.hiddenDim, ...LIMITS.hiddenDim)) return `model.hiddenDim must be an integer in ${LIMITS.hiddenDim.join('…')}`;
  if (!intIn(m.latentDim, ...LIMITS.latentDim)) return `model.latentDim must be an integer in ${LIMITS.latentDim.join('…')}`;
  if (!LIKELIHOOD_IDS.includes(m.likelihood as LikelihoodId)) return `model.likelihood must be one of ${LIKELIHOOD_IDS.join(', ')}`;
  if (!intIn(m.seed, 0, 2 ** 32)) return 'model.seed must be a non-negative integer';
  if (m.networkOptions !== undefined) {
    const network = networkOf(m.network as NetworkId);
    const problem = strictProblem(network.settings, m.networkOptions, `${network.label} network setting`);
    if (problem) return problem;
  }
  return strictProblem(familySpecs(family, 'model'), m.options, `${family.label} model setting`);
}

const OBJECTIVE_KINDS: readonly ObjectiveKind[] = ids(OBJECTIVES);
const SCHEDULE_KINDS: readonly KlScheduleKind[] = ids(KL_SCHEDULES);
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

/**
 * Training settings: β, learning rate and batch size required in a full configuration, the rest
 * optional; `options` are checked against the live settings of the family (every family's, for a
 * change that does not say which model it is for).
 */
export function checkTraining(t: unknown, partial: boolean, family: FamilyDescriptor | null): string | null {
  if (!isRecord(t)) return 'training settings must be an object';
  const required: Rule[] = [
    ['beta', (v) => finiteIn(v, ...LIMITS.beta), `β must be a number in ${LIMITS.beta.join('…')}`],
    ['learningRate', (v) => finiteIn(v, ...LIMITS.learningRate) && (v as number) > 0, 'the learning rate must be a positive number'],
    ['batchSize', (v) => intIn(v, ...LIMITS.batchSize), `the batch size must be an integer in ${LIMITS.batchSize.join('…')}`],
  ];
  // optional even in a full configuration: missing ones take their defaults
  const optional: Rule[] = [
    ['freeBits', (v) => finiteIn(v, ...LIMITS.freeBits), `free bits λ must be a number of nats in ${LIMITS.freeBits.join('…')}`],
    ['objective', (v) => OBJECTIVE_KINDS.includes(v as ObjectiveKind), `objective must be one of ${OBJECTIVE_KINDS.join(', ')}`],
    // a saved run's settings carry it; the worker sets it from the training rows in any case
    ['datasetSize', (v) => Number.isSafeInteger(v) && (v as number) >= 0, 'the data set size must be a non-negative integer'],
  ];
  const problem = firstProblem(t, required, partial) ?? firstProblem(t, optional, true) ?? (t.klSchedule === undefined ? null : checkSchedule(t.klSchedule));
  if (problem) return problem;
  if (t.options !== undefined) {
    const families = family ? [family] : Object.values(FAMILIES);
    const specs: SettingSpecs = Object.assign({}, ...families.map((f) => familySpecs(f, 'live')));
    // InfoVAE travels as the option vaeObjective (the page's Training objective, settings/configs.ts), not a setting of its own
    const { vaeObjective, ...settingOptions } = isRecord(t.options) ? t.options : { vaeObjective: undefined };
    if (vaeObjective !== undefined && vaeObjective !== 'elbo' && vaeObjective !== 'infovae') return 'the training option vaeObjective must be elbo or infovae';
    const optionsProblem = strictProblem(specs, isRecord(t.options) ? settingOptions : t.options, 'training option');
    if (optionsProblem) return optionsProblem;
  }
  const known = new Set<string>([...required, ...optional].map(([key]) => key).concat('klSchedule', 'options'));
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

/** Weights kept by the page for a restart: paths, integer shapes and Float32Array values (fitted to the model on import). */
function checkRestorePoint(r: unknown): string | null {
  if (!isRecord(r)) return 'restore must be an object with step, epoch and weights';
  if (!intIn(r.step, 0, Number.MAX_SAFE_INTEGER)) return 'restore.step must be a non-negative integer';
  if (!finiteIn(r.epoch, 0, Number.MAX_SAFE_INTEGER)) return 'restore.epoch must be a non-negative number';
  if (!Array.isArray(r.weights) || r.weights.length === 0) return 'restore.weights must be a non-empty list';
  for (const w of r.weights as unknown[]) {
    if (!isRecord(w) || typeof w.path !== 'string') return 'every restored weight needs a path';
    if (!Array.isArray(w.shape) || !w.shape.every((d) => intIn(d, 1, Number.MAX_SAFE_INTEGER))) return `restored weight ${w.path} needs a shape of positive integers`;
    if (!(w.values instanceof Float32Array)) return `restored weight ${w.path} must hold a Float32Array`;
  }
  return null;
}

function checkRows(values: unknown, count: unknown, name: string): string | null {
  if (!(values instanceof Float32Array)) return `${name} must be a Float32Array`;
  if (!intIn(count, ...LIMITS.requestCount)) return 'count must be an integer in 1…10000';
  if (values.length % count !== 0 || values.length === 0) return `${name} has ${values.length} values, not a multiple of count ${count}`;
  if (!values.every(Number.isFinite)) return `${name} contains NaN or infinite values`;
  return null;
}

/** A decode's classes: absent, or one non-negative integer per latent (the worker checks the upper bound against its model). */
function checkClasses(labels: unknown, count: unknown): string | null {
  if (labels === undefined) return null;
  if (!(labels instanceof Int32Array)) return 'labels must be an Int32Array of class indices';
  if (labels.length !== count) return `labels has ${labels.length} classes for ${String(count)} latents`;
  if (labels.some((c) => c < 0 || c > LIMITS.classCount[1])) return 'labels must be class indices ≥ 0';
  return null;
}

function checkInterpolation(m: Record<string, unknown>): string | null {
  const ends = m.ends;
  if (!Array.isArray(ends) || ends.length !== 2) return 'ends must be an array of two ends';
  for (const [i, end] of ends.entries()) {
    if (!isRecord(end)) return `ends[${i}] must be { image } or { z }`;
    const keys = Object.keys(end);
    if (keys.length !== 1 || (keys[0] !== 'image' && keys[0] !== 'z')) return `ends[${i}] must have exactly one of image, z`;
    const values = end[keys[0]];
    if (!(values instanceof Float32Array) || values.length === 0) return `ends[${i}].${keys[0]} must be a non-empty Float32Array`;
    if (!values.every(Number.isFinite)) return `ends[${i}].${keys[0]} contains NaN or infinite values`;
  }
  if (!intIn(m.steps, ...LIMITS.interpolationSteps)) return `steps must be an integer in ${LIMITS.interpolationSteps.join('…')}`;
  const kinds = INTERPOLATION_KINDS.map((k) => k.id);
  if (!kinds.includes(m.path as InterpolationKind)) return `path must be one of ${kinds.join(', ')}`;
  return null;
}

function checkScoreSets(m: Record<string, unknown>): string | null {
  const sets = m.sets;
  if (!Array.isArray(sets) || sets.length === 0) return `sets must be a non-empty array of ${OUTLIER_SET_IDS.join(', ')}`;
  for (const id of sets) if (!OUTLIER_SET_IDS.includes(id as OutlierSetId)) return `unknown set ${JSON.stringify(id)} (one of ${OUTLIER_SET_IDS.join(', ')})`;
  if (new Set(sets).size !== sets.length) return 'sets must not repeat';
  if (!intIn(m.perSet, ...LIMITS.outlierSetSize)) return `perSet must be an integer in ${LIMITS.outlierSetSize.join('…')}`;
  return null;
}

const CODE_PRIORS: readonly CodePriorKind[] = ['uniform', 'independent', 'autoregressive'];

function checkCodes(m: Record<string, unknown>): string | null {
  const codes = m.codes;
  if (!(codes instanceof Int32Array)) return 'codes must be an Int32Array';
  if (!intIn(m.count, ...LIMITS.requestCount)) return 'count must be an integer in 1…10000';
  if (codes.length === 0 || codes.length % m.count !== 0) return `codes has ${codes.length} values, not a multiple of count ${m.count}`;
  // the codebook's size is the model's: the session checks the range
  if (!codes.every((c) => c >= 0)) return 'codes must be non-negative code indices';
  return null;
}

function checkPriorSamples(m: Record<string, unknown>): string | null {
  if (!CODE_PRIORS.includes(m.prior as CodePriorKind)) return `prior must be one of ${CODE_PRIORS.join(', ')}`;
  if (!intIn(m.count, ...LIMITS.priorSamples)) return `count must be an integer in ${LIMITS.priorSamples.join('…')}`;
  if (!intIn(m.seed, 0, 2 ** 31)) return 'seed must be a non-negative integer';
  return null;
}

function checkBound(m: Record<string, unknown>): string | null {
  if (!intIn(m.count, ...LIMITS.boundImages)) return `count must be an integer in ${LIMITS.boundImages.join('…')}`;
  if (!intIn(m.samples, ...LIMITS.boundSamples)) return `samples must be an integer in ${LIMITS.boundSamples.join('…')}`;
  if (!Array.isArray(m.ks) || m.ks.length > 16) return 'ks must be an array of at most 16 values';
  return checkBoundKs(m.ks as number[], m.samples as number);
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
      if (!DATASET_IDS.includes(message.datasetId as DatasetId)) problem = `unknown dataset ${String(message.datasetId)}`;
      else problem = checkModel(message.model) ?? checkTraining(message.training, false, FAMILIES[(message.model as { family: keyof typeof FAMILIES }).family]);
      if (!problem && message.holdOutClass !== undefined && !intIn(message.holdOutClass, 0, (message.model as { classCount: number }).classCount - 1)) {
        problem = 'holdOutClass must be a class index of the data set';
      }
      if (!problem && message.restore !== undefined) problem = checkRestorePoint(message.restore);
      break;
    case 'start':
    case 'pause':
    case 'reset':
    case 'restore':
      break;
    case 'step':
      if (message.player !== undefined && (typeof message.player !== 'string' || message.player.length > 40)) problem = 'player must be the id of a player of the model';
      break;
    case 'scoreSamples':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (!intIn(message.count, 100, 10000)) problem = 'count must be an integer in 100…10000';
      else if (message.classifierSteps !== undefined && !intIn(message.classifierSteps, 1, 20000)) problem = 'classifierSteps must be an integer in 1…20000';
      break;
    case 'setTraining':
      problem = checkTraining(message.change, true, null);
      break;
    case 'setReporting':
      problem = checkReporting(message.change);
      break;
    case 'profileSteps':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (!intIn(message.steps, 1, 1000)) problem = 'steps must be an integer in 1…1000';
      break;
    case 'shareDecoder':
      if (typeof message.enabled !== 'boolean') problem = 'enabled must be true or false';
      break;
    case 'encode':
      problem = requestId === undefined ? 'requestId must be a number' : checkRows(message.images, message.count, 'images');
      break;
    case 'decode':
      problem = requestId === undefined ? 'requestId must be a number' : (checkRows(message.latents, message.count, 'latents') ?? checkClasses(message.labels, message.count));
      break;
    case 'evaluate':
    case 'cancelJob':
      if (requestId === undefined) problem = 'requestId must be a number';
      break;
    case 'interpolate':
      problem = requestId === undefined ? 'requestId must be a number' : checkInterpolation(message);
      break;
    case 'inspect':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (!intIn(message.samples, ...LIMITS.inspectSamples)) problem = `samples must be an integer in ${LIMITS.inspectSamples.join('…')}`;
      else if (!intIn(message.seed, 0, 2 ** 31)) problem = 'seed must be a non-negative integer';
      else problem = checkRows(message.images, message.count, 'images');
      break;
    case 'explain':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (!intIn(message.seed, 0, 2 ** 31)) problem = 'seed must be a non-negative integer';
      else if (message.label !== null && !intIn(message.label, 0, 255)) problem = 'label must be null or a class index';
      else problem = checkRows(message.image, 1, 'image');
      break;
    case 'scoreSets':
      problem = requestId === undefined ? 'requestId must be a number' : checkScoreSets(message);
      break;
    case 'estimateBound':
      problem = requestId === undefined ? 'requestId must be a number' : checkBound(message);
      break;
    case 'decodeCodes':
      problem = requestId === undefined ? 'requestId must be a number' : checkCodes(message);
      break;
    case 'fitCodePriors':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (!intIn(message.images, ...LIMITS.priorImages)) problem = `images must be an integer in ${LIMITS.priorImages.join('…')}`;
      else if (!intIn(message.steps, ...LIMITS.priorSteps)) problem = `steps must be an integer in ${LIMITS.priorSteps.join('…')}`;
      break;
    case 'sampleCodes':
      problem = requestId === undefined ? 'requestId must be a number' : checkPriorSamples(message);
      break;
    case 'exportModel':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (typeof message.name !== 'string' || message.name.length > LIMITS.nameLength[1]) problem = `name must be a string of at most ${LIMITS.nameLength[1]} characters`;
      else if (typeof message.savedAt !== 'string' || Number.isNaN(Date.parse(message.savedAt))) problem = 'savedAt must be a date (ISO 8601)';
      else if (!isRecord(message.page)) problem = 'page must be an object';
      break;
    case 'exportPytorch':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (typeof message.savedAt !== 'string' || Number.isNaN(Date.parse(message.savedAt))) problem = 'savedAt must be a date (ISO 8601)';
      break;
    case 'encodeTestSet':
      if (requestId === undefined) problem = 'requestId must be a number';
      break;
    case 'useImages':
      problem = ownImagesProblem(message.images);
      break;
    case 'importModel':
      if (requestId === undefined) problem = 'requestId must be a number';
      else if (!(message.file instanceof Uint8Array) || message.file.length === 0) problem = 'file must be the bytes of a model file (a non-empty Uint8Array)';
      break;
    default:
      return { ok: false, message: `unknown command type ${JSON.stringify(type)}`, command: typeof type === 'string' ? type : undefined, requestId };
  }
  return problem ? fail(problem) : { ok: true, command: message as unknown as WorkerCommand };
}
