/**
 * Settings to and from the URL hash ("#beta=4&z=2"): only what differs from the defaults is
 * written. A link may name a lesson ("#preset=beta-vae"): its settings are the starting point,
 * and any other parameter of the link changes them.
 */
import { FAMILIES, FAMILY_IDS, familySettingSpecs } from '../../core/models/catalog';
import { quote, type SettingSpec } from '../../core/settings/spec';
import type { Message } from '../notices';
import { presetById, PRESETS } from './presets';
import { SETTING_KEYS, SETTINGS, type SettingKey, type Settings } from './schema';
import { defaultSettings, displaySetting, formatSetting } from './values';

/** The URL word that names a preset. */
export const PRESET_URL_KEY = 'preset';

/**
 * Settings from a URL hash or query; bad values keep their default and say why, and a setting of
 * another family than the link's model (dec=made with the VAE-GAN) is kept for that family and
 * said to be unused. The messages of ignored and of adjusted parameters are grouped (the page
 * lists each group under one line).
 */
export function settingsFromUrl(hash: string): { settings: Settings; messages: Message[]; preset?: string } {
  const read = readUrl(hash);
  return { ...read, messages: [...read.messages, ...unusedByTheModel(read.settings)] };
}

/**
 * The family's own settings of other families that differ from their defaults: the model in
 * force does not have them (a link's dec=made with the VAE-GAN, whose decoder is factorised), so
 * they change nothing; they stay for when Model is their family again.
 */
function unusedByTheModel(settings: Settings): Message[] {
  const family = FAMILIES[settings.model];
  const values = settings as unknown as Record<SettingKey, unknown>;
  return (Object.keys(familySettingSpecs()) as SettingKey[])
    .filter((key) => !(key in family.settings) && values[key] !== SETTINGS[key].default)
    .map((key) => {
      const owners = FAMILY_IDS.filter((id) => key in FAMILIES[id].settings).map((id) => FAMILIES[id].label).join(' and the ');
      return {
        text: `URL: ${SETTINGS[key].label} = ${displaySetting(key, settings[key])} is a setting of the ${owners}: the ${family.label} does not have it, so it is not used (it is kept for the ${owners}).`,
        group: 'url-ignored',
      };
    });
}

function readUrl(hash: string): { settings: Settings; messages: Message[]; preset?: string } {
  const params = new URLSearchParams(hash.replace(/^[#?]/, ''));
  const presetId = params.get(PRESET_URL_KEY);
  params.delete(PRESET_URL_KEY);
  const preset = presetId === null ? undefined : presetById(presetId);
  const messages: Message[] = presetId !== null && !preset ? [{ text: `Ignored the unknown lesson ${quote(presetId)} in the link.`, group: 'url-ignored' }] : [];
  const start = preset ? readUrl(preset.hash) : { settings: defaultSettings(), messages: [] };
  const settings = start.settings as unknown as Record<SettingKey, unknown>;
  messages.push(...start.messages);
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
  return { settings: settings as unknown as Settings, messages, ...(preset ? { preset: preset.id } : {}) };
}

/** The non-default settings as a URL hash (without "#"). */
export function settingsToUrl(settings: Settings): string {
  const params = new URLSearchParams();
  for (const key of SETTING_KEYS) {
    if (settings[key] !== SETTINGS[key].default) params.set(SETTINGS[key].urlKey, formatSetting(key, settings[key]));
  }
  return params.toString();
}

/** The settings without the backend: that is the machine's choice, not something to share. */
function shared(settings: Settings): Settings {
  return { ...settings, backend: defaultSettings().backend };
}

/** The lesson whose settings these are exactly (the backend aside; not the defaults), if any. */
export function presetOf(settings: Settings): string | undefined {
  const own = settingsToUrl(shared(settings));
  if (own === '') return undefined;
  return PRESETS.find((p) => settingsToUrl(settingsFromUrl(p.hash).settings) === own)?.id;
}

/** The hash of a shareable link ("Copy link"): the settings, and the lesson they are when they are one. */
export function shareHash(settings: Settings): string {
  const hash = settingsToUrl(shared(settings));
  const preset = presetOf(settings);
  return preset ? `${PRESET_URL_KEY}=${preset}${hash ? `&${hash}` : ''}` : hash;
}
