/** Settings to and from the URL hash ("#beta=4&z=2"): only what differs from the defaults is written. */
import type { Checked } from '../../core/settings/spec';
import { SETTING_KEYS, SETTINGS, type SettingKey, type Settings } from './schema';
import { defaultSettings, formatSetting } from './values';

/** Settings from a URL hash or query; bad values keep their default and say why. */
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
      messages.push(`URL: ${checked.message}; using ${formatSetting(key, SETTINGS[key].default as never)}.`);
    }
  }
  return { settings: settings as unknown as Settings, messages };
}

/** The non-default settings as a URL hash (without "#"). */
export function settingsToUrl(settings: Settings): string {
  const params = new URLSearchParams();
  for (const key of SETTING_KEYS) {
    if (settings[key] !== SETTINGS[key].default) params.set(SETTINGS[key].urlKey, formatSetting(key, settings[key]));
  }
  return params.toString();
}
