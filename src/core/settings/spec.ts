/**
 * How one setting is declared: label, default, what values it accepts (a bad value is clamped or
 * refused, with a message), whether changing it needs a new model, its key in the URL, and how a
 * control shows it. Pure data and functions (no tfjs, no DOM): the page's settings schema
 * (src/state/settings) and the model families (src/core/models/catalog.ts) declare their settings
 * with these, and the worker validates with the same specs.
 */

export type SettingValue = number | string;

/** The outcome of checking one proposed value. */
export type Checked<T> = { ok: true; value: T; message?: string } | { ok: false; message: string };

/** 'model' rebuilds the model (asks first); 'live' applies at the next step; 'reload' restarts the worker. */
export type SettingEffect = 'model' | 'live' | 'reload';

/** Where a setting's control sits in the sidebar. */
export type SettingSection = 'model' | 'objective' | 'optimiser' | 'advanced';

export interface SettingOption<T extends SettingValue> {
  value: T;
  label: string;
}

export interface SettingSpec<T extends SettingValue = SettingValue> {
  label: string;
  urlKey: string;
  default: T;
  effect: SettingEffect;
  section: SettingSection;
  /** A select's choices with their labels; absent for a free number. */
  options?: readonly SettingOption<T>[];
  /** One line under the control (what it does, its range). */
  hint?: string;
  /** It means something only while another setting has one of these values (Components: a mixture prior). */
  requires?: SettingCondition;
  check(raw: unknown): Checked<T>;
  format(value: T): string;
  /** A warning that holds while an accepted value is in force (a learning rate that may diverge), or null. */
  caution?(value: T): string | null;
}

export type SettingSpecs = Readonly<Record<string, SettingSpec>>;

/** Another setting's key and the values under which a setting applies. */
export interface SettingCondition {
  key: string;
  oneOf: readonly SettingValue[];
}

/** Whether a spec's condition (if any) holds for these values. */
export function conditionHolds(spec: Pick<SettingSpec, 'requires'>, values: Readonly<Record<string, unknown>>): boolean {
  return !spec.requires || spec.requires.oneOf.includes(values[spec.requires.key] as SettingValue);
}

/** The value type each spec of a table declares. */
export type ValuesOf<S> = { -readonly [K in keyof S]: S[K] extends SettingSpec<infer V> ? V : never };

function numberFrom(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw.trim());
  return Number.NaN;
}

interface Common<T extends SettingValue> {
  label: string;
  urlKey: string;
  default: T;
  effect?: SettingEffect;
  section: SettingSection;
  hint?: string;
  requires?: SettingCondition;
}

/** A value this long or longer is quoted shortened, with an ellipsis (a message never holds a whole URL). */
export const QUOTE_MAX_CHARS = 40;

/** A user's value for a message: in quotes, at most QUOTE_MAX_CHARS characters, an ellipsis for the rest. */
export function quote(raw: unknown): string {
  const text = String(raw);
  const chars = Array.from(text);
  return `“${chars.length > QUOTE_MAX_CHARS ? `${chars.slice(0, QUOTE_MAX_CHARS - 1).join('')}…` : text}”`;
}

/**
 * A number in [min, max]: out-of-range values are clamped with a message, non-numbers refused.
 * Above `cautionAbove` a value is accepted with a warning that holds while it is in force.
 */
export function rangeSetting(c: Common<number> & { min: number; max: number; integer?: boolean; positive?: boolean; cautionAbove?: { value: number; why: string } }): SettingSpec<number> {
  const { label, min, max, cautionAbove } = c;
  return {
    label,
    urlKey: c.urlKey,
    default: c.default,
    effect: c.effect ?? 'live',
    section: c.section,
    hint: c.hint,
    requires: c.requires,
    check(raw) {
      const n = numberFrom(raw);
      if (!Number.isFinite(n)) return { ok: false, message: `${label}: ${quote(raw)} is not a number` };
      if (c.positive && n <= 0) return { ok: false, message: `${label} must be greater than 0` };
      const value = c.integer ? Math.round(n) : n;
      if (value < min) return { ok: true, value: min, message: `${label} ${n} is below the minimum; set to ${min}` };
      if (value > max) return { ok: true, value: max, message: `${label} ${n} is above the maximum; set to ${max}` };
      return { ok: true, value };
    },
    format: (v) => String(v),
    caution: cautionAbove ? (v) => (v > cautionAbove.value ? `${label} ${v} is above ${cautionAbove.value}: ${cautionAbove.why}` : null) : undefined,
  };
}

/** One of a list of values (a select); anything else is refused with the list. */
export function choiceSetting<T extends SettingValue>(c: Common<T> & { options: readonly SettingOption<T>[] }): SettingSpec<T> {
  const { label, options } = c;
  return {
    label,
    urlKey: c.urlKey,
    default: c.default,
    effect: c.effect ?? 'model',
    section: c.section,
    hint: c.hint,
    requires: c.requires,
    options,
    check(raw) {
      const match = options.find((o) => String(o.value) === String(raw).trim());
      if (match === undefined) return { ok: false, message: `${label}: ${quote(raw)} is not one of ${options.map((o) => o.value).join(', ')}` };
      return { ok: true, value: match.value };
    },
    format: (v) => String(v),
  };
}

/** Choices whose labels are their values (latent sizes, batch sizes). */
export function plainOptions<T extends SettingValue>(values: readonly T[]): SettingOption<T>[] {
  return values.map((value) => ({ value, label: String(value) }));
}

/**
 * Check a whole set of values against specs strictly, as the worker must: every key known, every
 * value accepted as is (a value the UI would clamp is refused here). null when all is well.
 */
export function strictProblem(specs: SettingSpecs, values: unknown, what: string): string | null {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return `${what} must be an object`;
  const record = values as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const spec = specs[key];
    if (!spec) return `unknown ${what} ${key}`;
    const checked = spec.check(record[key]);
    if (!checked.ok) return checked.message;
    if (checked.value !== record[key]) return `${spec.label}: ${String(record[key])} is out of range`;
  }
  return null;
}
