/**
 * Every user-facing setting, declared once: its default, what values it accepts, how a bad value
 * is clamped or refused (with a message), whether changing it needs a new model, and its key in
 * the URL. Defaults, validation and URL serialisation all read this one table.
 */
import type { Likelihood } from '../core/types';
import type { KlSchedule, KlScheduleKind } from '../core/schedules';
import type { DatasetId } from '../data/dataset';
import type { BackendChoice } from '../worker/protocol';

export interface Settings {
  dataset: DatasetId;
  latentDim: number;
  hiddenDim: number;
  likelihood: Likelihood;
  seed: number;
  beta: number;
  learningRate: number;
  batchSize: number;
  backend: BackendChoice;
  klSchedule: KlScheduleKind;
  warmupSteps: number;
  cycles: number;
  cycleRamp: number;
  cycleSteps: number;
  capacityMax: number;
  capacitySteps: number;
  gamma: number;
  freeBits: number;
  comparisonSteps: number;
}

export type SettingKey = keyof Settings;

/** The outcome of checking one proposed value. */
export type Checked<T> = { ok: true; value: T; message?: string } | { ok: false; message: string };

interface Spec<T> {
  label: string;
  urlKey: string;
  default: T;
  /** 'model' rebuilds the model (asks first); 'live' applies at the next step; 'reload' restarts the worker. */
  effect: 'model' | 'live' | 'reload';
  check(raw: unknown): Checked<T>;
  format(value: T): string;
}

function numberFrom(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw.trim());
  return Number.NaN;
}

function rangeSpec(label: string, urlKey: string, def: number, min: number, max: number, opts: { integer?: boolean; positive?: boolean } = {}): Spec<number> {
  return {
    label,
    urlKey,
    default: def,
    effect: 'live',
    check(raw) {
      const n = numberFrom(raw);
      if (!Number.isFinite(n)) return { ok: false, message: `${label}: “${String(raw)}” is not a number` };
      if (opts.positive && n <= 0) return { ok: false, message: `${label} must be greater than 0` };
      const value = opts.integer ? Math.round(n) : n;
      if (value < min) return { ok: true, value: min, message: `${label} ${n} is below the minimum; set to ${min}` };
      if (value > max) return { ok: true, value: max, message: `${label} ${n} is above the maximum; set to ${max}` };
      return { ok: true, value };
    },
    format: (v) => String(v),
  };
}

function choiceSpec<T extends string | number>(label: string, urlKey: string, def: T, choices: readonly T[], effect: Spec<T>['effect']): Spec<T> {
  return {
    label,
    urlKey,
    default: def,
    effect,
    check(raw) {
      const match = choices.find((c) => String(c) === String(raw).trim());
      if (match === undefined) return { ok: false, message: `${label}: “${String(raw)}” is not one of ${choices.join(', ')}` };
      return { ok: true, value: match };
    },
    format: (v) => String(v),
  };
}

export const LATENT_DIM_CHOICES = [2, 3, 5, 10, 20, 32] as const;
export const BATCH_SIZE_CHOICES = [16, 32, 64, 128, 256, 512] as const;
export const LIKELIHOOD_CHOICES: readonly Likelihood[] = ['bernoulli', 'gaussian'];
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'wasm', 'webgl', 'cpu'];
export const DATASET_CHOICES: readonly DatasetId[] = ['mnist', 'fashion', 'shapes'];
export const BETA_RANGE = [0, 10] as const;
export const LEARNING_RATE_RANGE = [1e-5, 10] as const;

export const SETTINGS: { [K in SettingKey]: Spec<Settings[K]> } = {
  dataset: choiceSpec('Dataset', 'data', 'mnist', DATASET_CHOICES, 'model'),
  latentDim: choiceSpec('Latent dimensions', 'z', 2, LATENT_DIM_CHOICES as readonly number[], 'model'),
  hiddenDim: { ...rangeSpec('Hidden units', 'hidden', 400, 16, 1024, { integer: true }), effect: 'model' },
  likelihood: choiceSpec('Likelihood', 'lik', 'bernoulli', LIKELIHOOD_CHOICES, 'model'),
  seed: { ...rangeSpec('Seed', 'seed', 1, 0, 1_000_000, { integer: true }), effect: 'model' },
  beta: rangeSpec('β (KL weight)', 'beta', 1, ...BETA_RANGE),
  learningRate: rangeSpec('Learning rate', 'lr', 1e-3, ...LEARNING_RATE_RANGE, { positive: true }),
  batchSize: choiceSpec('Batch size', 'batch', 128, BATCH_SIZE_CHOICES as readonly number[], 'live'),
  backend: choiceSpec('Backend', 'backend', 'auto', BACKEND_CHOICES, 'reload'),
  klSchedule: choiceSpec('KL schedule', 'sched', 'constant', ['constant', 'linear', 'cyclical', 'capacity'] as const, 'live'),
  warmupSteps: rangeSpec('Warm-up steps', 'warm', 2000, 1, 1_000_000, { integer: true }),
  cycles: rangeSpec('Cycles', 'cycles', 4, 1, 100, { integer: true }),
  cycleRamp: rangeSpec('Ramp fraction', 'ramp', 0.5, 0.05, 1),
  cycleSteps: rangeSpec('Steps of all cycles', 'cyclen', 8000, 1, 10_000_000, { integer: true }),
  capacityMax: rangeSpec('Capacity C_max (nats)', 'cmax', 25, 0, 1000),
  capacitySteps: rangeSpec('Capacity steps', 'csteps', 10_000, 1, 10_000_000, { integer: true }),
  gamma: rangeSpec('γ (capacity weight)', 'gamma', 1000, 0, 100_000),
  freeBits: rangeSpec('Free bits λ (nats)', 'fb', 0, 0, 10),
  comparisonSteps: rangeSpec('Comparison steps per model', 'cmp', 1200, 20, 100_000, { integer: true }),
};

/** The KL schedule the settings describe, as the trainer takes it. */
export function klScheduleOf(s: Settings): KlSchedule {
  switch (s.klSchedule) {
    case 'constant':
      return { kind: 'constant' };
    case 'linear':
      return { kind: 'linear', warmupSteps: s.warmupSteps };
    case 'cyclical':
      return { kind: 'cyclical', cycles: s.cycles, ramp: s.cycleRamp, totalSteps: Math.max(s.cycleSteps, s.cycles) };
    case 'capacity':
      return { kind: 'capacity', capacityMax: s.capacityMax, capacitySteps: s.capacitySteps, gamma: s.gamma };
  }
}

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function defaultSettings(): Settings {
  const out = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) out[key] = SETTINGS[key].default;
  return out as unknown as Settings;
}

export function checkSetting<K extends SettingKey>(key: K, raw: unknown): Checked<Settings[K]> {
  return SETTINGS[key].check(raw) as Checked<Settings[K]>;
}

export function needsNewModel(key: SettingKey): boolean {
  return SETTINGS[key].effect === 'model';
}

/** Settings from a URL hash or query ("#beta=4&z=2"); bad values keep their default and say why. */
export function settingsFromUrl(hash: string): { settings: Settings; messages: string[] } {
  const settings = defaultSettings() as unknown as Record<SettingKey, unknown>;
  const messages: string[] = [];
  const params = new URLSearchParams(hash.replace(/^[#?]/, ''));
  const known = new Map(SETTING_KEYS.map((k) => [SETTINGS[k].urlKey, k] as const));
  for (const [urlKey, raw] of params) {
    const key = known.get(urlKey);
    if (!key) {
      messages.push(`Ignored unknown URL parameter “${urlKey}”.`);
      continue;
    }
    const checked = SETTINGS[key].check(raw) as Checked<unknown>;
    if (checked.ok) {
      settings[key] = checked.value;
      if (checked.message) messages.push(`URL: ${checked.message}.`);
    } else {
      messages.push(`URL: ${checked.message}; using ${SETTINGS[key].format(SETTINGS[key].default as never)}.`);
    }
  }
  return { settings: settings as unknown as Settings, messages };
}

/** The non-default settings as a URL hash (without "#"). */
export function settingsToUrl(settings: Settings): string {
  const params = new URLSearchParams();
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key] as Spec<unknown>;
    if (settings[key] !== spec.default) params.set(spec.urlKey, spec.format(settings[key]));
  }
  return params.toString();
}
