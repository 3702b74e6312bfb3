import { describe, expect, it } from 'vitest';
import { checkSetting, defaultSettings, klScheduleOf, needsNewModel, settingsFromUrl, settingsToUrl } from '../../src/state/settings';
import { betaFromSlider, sliderFromBeta } from '../../src/ui/controls/BetaInput';

describe('settings schema', () => {
  it('has the documented defaults', () => {
    expect(defaultSettings()).toEqual({
      model: 'vae', network: 'mlp',
      dataset: 'mnist', latentDim: 2, hiddenDim: 400, likelihood: 'bernoulli', seed: 1, beta: 1, learningRate: 1e-3, batchSize: 128, backend: 'auto',
      klSchedule: 'constant', warmupSteps: 2000, cycles: 4, cycleRamp: 0.5, cycleSteps: 8000, capacityMax: 25, capacitySteps: 10_000, gamma: 1000, freeBits: 0, comparisonSteps: 1200,
    });
  });

  it('turns the schedule settings into the trainer’s schedule', () => {
    const s = defaultSettings();
    expect(klScheduleOf(s)).toEqual({ kind: 'constant' });
    expect(klScheduleOf({ ...s, klSchedule: 'linear', warmupSteps: 500 })).toEqual({ kind: 'linear', warmupSteps: 500 });
    expect(klScheduleOf({ ...s, klSchedule: 'cyclical' })).toEqual({ kind: 'cyclical', cycles: 4, ramp: 0.5, totalSteps: 8000 });
    expect(klScheduleOf({ ...s, klSchedule: 'capacity' })).toEqual({ kind: 'capacity', capacityMax: 25, capacitySteps: 10_000, gamma: 1000 });
    expect(checkSetting('freeBits', -2)).toMatchObject({ ok: true, value: 0 });
    expect(checkSetting('klSchedule', 'sigmoid')).toMatchObject({ ok: false });
  });

  it('clamps β into 0…10 and refuses what is not a number', () => {
    expect(checkSetting('beta', '-1')).toEqual({ ok: true, value: 0, message: 'β (KL weight) -1 is below the minimum; set to 0' });
    expect(checkSetting('beta', 1e9)).toMatchObject({ ok: true, value: 10 });
    expect(checkSetting('beta', 'abc')).toEqual({ ok: false, message: 'β (KL weight): “abc” is not a number' });
    expect(checkSetting('beta', '')).toMatchObject({ ok: false });
    expect(checkSetting('beta', ' 4 ')).toEqual({ ok: true, value: 4 });
  });

  it('refuses a learning rate of 0 and clamps 100 to the maximum', () => {
    expect(checkSetting('learningRate', 0)).toEqual({ ok: false, message: 'Learning rate must be greater than 0' });
    expect(checkSetting('learningRate', '100')).toMatchObject({ ok: true, value: 10, message: expect.stringContaining('above the maximum') });
    expect(checkSetting('learningRate', 'NaN')).toMatchObject({ ok: false });
  });

  it('accepts only the offered latent sizes and batch sizes', () => {
    expect(checkSetting('latentDim', '20')).toEqual({ ok: true, value: 20 });
    expect(checkSetting('latentDim', 7)).toMatchObject({ ok: false });
    expect(checkSetting('batchSize', '128')).toEqual({ ok: true, value: 128 });
    expect(checkSetting('likelihood', 'poisson')).toMatchObject({ ok: false });
  });

  it('knows which settings need a new model', () => {
    expect(needsNewModel('latentDim')).toBe(true);
    expect(needsNewModel('likelihood')).toBe(true);
    expect(needsNewModel('beta')).toBe(false);
    expect(needsNewModel('learningRate')).toBe(false);
  });

  it('round-trips through the URL, writing only what differs from the defaults', () => {
    const s = { ...defaultSettings(), beta: 4, latentDim: 10, likelihood: 'gaussian' as const };
    const hash = settingsToUrl(s);
    expect(hash).toBe('z=10&lik=gaussian&beta=4');
    expect(settingsFromUrl(`#${hash}`)).toEqual({ settings: s, messages: [] });
    expect(settingsToUrl(defaultSettings())).toBe('');
  });

  it('survives a nonsense URL with messages and defaults', () => {
    const { settings, messages } = settingsFromUrl('#beta=abc&z=7&lr=0&foo=1&batch=64');
    expect(settings).toEqual({ ...defaultSettings(), batchSize: 64 });
    expect(messages).toHaveLength(4);
    expect(messages.join(' ')).toMatch(/β \(KL weight\): “abc” is not a number; using 1/);
    expect(messages.join(' ')).toMatch(/unknown URL parameter “foo”/);
  });
});

describe('β slider scale', () => {
  it('puts 0 at the left, 10 at the right and 0.1–4 across the middle half', () => {
    expect(betaFromSlider(0)).toBe(0);
    expect(betaFromSlider(1000)).toBe(10);
    const span = (sliderFromBeta(4) - sliderFromBeta(0.1)) / 1000;
    expect(span).toBeGreaterThan(0.5);
    for (const b of [0.1, 0.5, 1, 4, 10]) expect(betaFromSlider(sliderFromBeta(b))).toBeCloseTo(b, 1);
  });
});
