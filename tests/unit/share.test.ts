/** "Copy link": the settings as a link (never the backend), a lesson's name when they are one; a link naming a lesson opens with it. */
import { describe, expect, it } from 'vitest';
import { defaultSettings, presetOf, settingsFromUrl, shareHash } from '../../src/state/settings';

describe('links to settings and lessons', () => {
  it('a link naming a lesson opens with its settings, and its other parameters change them', () => {
    const { settings, preset, messages } = settingsFromUrl('#preset=beta-vae');
    expect(preset).toBe('beta-vae');
    expect(messages).toEqual([]);
    expect(settings).toMatchObject({ dataset: 'shapes', latentDim: 10, beta: 4 });
    expect(settingsFromUrl('preset=beta-vae&beta=2').settings).toMatchObject({ dataset: 'shapes', latentDim: 10, beta: 2 });
    const unknown = settingsFromUrl('preset=nope&z=5');
    expect(unknown.preset).toBeUndefined();
    expect(unknown.settings.latentDim).toBe(5);
    expect(unknown.messages).toEqual([{ text: 'Ignored the unknown lesson “nope” in the link.', group: 'url-ignored' }]);
  });

  it('copies the settings without the backend, naming the lesson when they are exactly one', () => {
    const lesson = settingsFromUrl('preset=collapse-annealing').settings;
    expect(presetOf(lesson)).toBe('collapse-annealing');
    expect(shareHash({ ...lesson, backend: 'webgl' })).toBe('preset=collapse-annealing&z=20&cmp=4700&dec=made');
    expect(shareHash({ ...lesson, beta: 3 })).toBe('z=20&beta=3&cmp=4700&dec=made');
    // the defaults are no lesson (the AE-vs-VAE preset's z=2 is the default)
    expect(presetOf(defaultSettings())).toBeUndefined();
    expect(shareHash({ ...defaultSettings(), backend: 'cpu' })).toBe('');
    // what is copied opens as what was shared
    const shared = { ...defaultSettings(), latentDim: 5, learningRate: 0.002 };
    expect(settingsFromUrl(shareHash(shared)).settings).toEqual(shared);
  });
});
