/** Defaults, checks and effects of settings, read from the one table (schema.ts). */
import type { Checked } from '../../core/settings/spec';
import { SETTING_KEYS, SETTINGS, type SettingKey, type Settings } from './schema';

export function defaultSettings(): Settings {
  const out = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) out[key] = SETTINGS[key].default;
  return out as Settings;
}

export function checkSetting<K extends SettingKey>(key: K, raw: unknown): Checked<Settings[K]> {
  return SETTINGS[key].check(raw) as Checked<Settings[K]>;
}

export function needsNewModel(key: SettingKey): boolean {
  return SETTINGS[key].effect === 'model';
}

export function formatSetting<K extends SettingKey>(key: K, value: Settings[K]): string {
  return SETTINGS[key].format(value as never);
}

/** A value as the page names it: its option's label for a choice (“Convolutional”), else the formatted value. */
export function displaySetting<K extends SettingKey>(key: K, value: Settings[K]): string {
  const option = SETTINGS[key].options?.find((o) => o.value === value);
  return option ? option.label : formatSetting(key, value);
}

/** The warning that holds while this value is in force (a learning rate that may diverge), or null. */
export function cautionOf<K extends SettingKey>(key: K, value: Settings[K]): string | null {
  return SETTINGS[key].caution?.(value as never) ?? null;
}
