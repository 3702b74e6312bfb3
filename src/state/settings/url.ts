/** Settings to and from the URL hash ("#beta=4&z=2"): only what differs from the defaults is written. */
import { quote, type SettingSpec } from '../../core/settings/spec';
import type { Message } from '../notices';
import { SETTING_KEYS, SETTINGS, type SettingKey, type Settings } from './schema';
import { defaultSettings, formatSetting } from './values';

/**
 * Settings from a URL hash or query; bad values keep their default and say why. The messages of
 * ignored and of adjusted parameters are grouped (the page lists each group under one line).
 */
export function settingsFromUrl(hash: string): { settings: Settings; messages: Message[] } {
  const settings = defaultSettings() as unknown as Record<SettingKey, unknown>;
  const messages: Message[] = [];
  const params = new URLSearchParams(hash.replace(/^[#?]/, ''));
  const known = new Map(SETTING_KEYS.map((k) => [SETTINGS[k].urlKey, k] as const));
  for (const [urlKey, raw] of params) {
    const key = known.get(urlKey);
    if (!key) {
      messages.push({ text: `Ignored unknown URL parameter ${quote(urlKey)}.`, group: 'url-ignored' });
      continue;
    }
    const spec = SETTINGS[key] as SettingSpec<Settings[typeof key]>;
    const checked = spec.check(raw);
    if (checked.ok) {
      settings[key] = checked.value;
      if (checked.message) messages.push({ text: `URL: ${checked.message}.`, group: 'url-adjusted' });
      const caution = spec.caution?.(checked.value);
      if (caution) messages.push({ text: `URL: ${caution}.` });
    } else {
      messages.push({ text: `URL: ${checked.message}; using ${formatSetting(key, spec.default)}.`, group: 'url-ignored' });
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
