/**
 * The settings of the conditional, semi-supervised and learned-prior models: each applies only
 * where it means something, the presets of issue 10 are links to exactly those settings, and the
 * worker accepts what the page sends for each.
 */
import { describe, expect, it } from 'vitest';
import { defaultSettings, modelConfigOf, presetById, settingApplies, settingsFromUrl, settingsToUrl, trainingOf, type Settings } from '../../src/state/settings';
import { parseCommand } from '../../src/worker/protocol';

const s = (change: Partial<Settings> = {}): Settings => ({ ...defaultSettings(), ...change });

describe('settings of the conditional and prior models', () => {
  it('shows Prior and Components only where they mean something', () => {
    expect(settingApplies('prior', s())).toBe(true);
    expect(settingApplies('components', s())).toBe(false);
    expect(settingApplies('components', s({ prior: 'mog' }))).toBe(true);
    expect(settingApplies('components', s({ prior: 'vamp' }))).toBe(true);
    expect(settingApplies('prior', s({ model: 'cvae' }))).toBe(false);
    expect(settingApplies('labelled', s({ model: 'cvae' }))).toBe(false);
    expect(settingApplies('labelled', s({ model: 'm2' }))).toBe(true);
    expect(settingApplies('classifierWeight', s({ model: 'm2' }))).toBe(true);
    expect(settingApplies('classifierWeight', s())).toBe(false);
    // free bits floor per-dimension KLs, which a mixture prior's one-sample KL does not have
    expect(settingApplies('freeBits', s())).toBe(true);
    expect(settingApplies('freeBits', s({ prior: 'mog' }))).toBe(false);
    expect(trainingOf(s({ prior: 'mog', freeBits: 0.5 })).freeBits).toBe(0);
  });

  it('reads the URL keys and labels the issue promises', () => {
    const { settings, messages } = settingsFromUrl('#model=cvae&prior=vamp&components=20&labelled=all');
    // the VAE's and M2's settings are kept for them, and the link says the conditional VAE does not use them
    expect(messages.map((m) => m.group)).toEqual(['url-ignored', 'url-ignored', 'url-ignored']);
    for (const m of messages) expect(m.text).toMatch(/ is a setting of the .*: the Conditional VAE does not have it, so it is not used/);
    expect(settings).toMatchObject({ model: 'cvae', prior: 'vamp', components: 20, labelled: 'all' });
    expect(settingsToUrl(s({ prior: 'mog' }))).toBe('prior=mog');
    expect(settingsFromUrl('#prior=gamma').messages[0]?.text).toMatch(/Prior/);
  });

  it('has the three presets, each a link to its lesson', () => {
    expect(presetById('conditional-generation')).toMatchObject({ label: 'Conditional generation' });
    expect(settingsFromUrl(presetById('conditional-generation')!.hash).settings.model).toBe('cvae');
    expect(presetById('semi-supervised-100')).toMatchObject({ label: 'Semi-supervised with 100 labels', tab: 'classes' });
    expect(settingsFromUrl(presetById('semi-supervised-100')!.hash).settings).toMatchObject({ model: 'm2', labelled: '100' });
    expect(presetById('ten-modes')).toMatchObject({ label: 'A prior with ten modes' });
    expect(settingsFromUrl(presetById('ten-modes')!.hash).settings).toMatchObject({ prior: 'mog', components: 10 });
  });

  it('sends the worker configurations it accepts, for every new model', () => {
    for (const change of [{ model: 'cvae' }, { model: 'm2', labelled: '600' }, { prior: 'mog' }, { prior: 'vamp', components: 50 }] as Partial<Settings>[]) {
      const settings = s(change);
      expect(parseCommand({ type: 'configure', datasetId: 'mnist', model: modelConfigOf(settings), training: trainingOf(settings) }), JSON.stringify(change)).toMatchObject({ ok: true });
    }
    expect(modelConfigOf(s({ model: 'm2' })).options).toEqual({});
    expect(trainingOf(s({ model: 'm2' })).options).toEqual({ labelled: '100', classifierWeight: 50 });
  });
});
