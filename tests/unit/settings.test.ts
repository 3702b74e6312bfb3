import { describe, expect, it } from 'vitest';
import { FAMILIES, FAMILY_IDS } from '../../src/core/models/catalog';
import { quote, rangeSetting, strictProblem, type SettingSpecs } from '../../src/core/settings/spec';
import {
  checkSetting,
  defaultSettings,
  holdOutClassOf,
  klScheduleOf,
  modelConfigOf,
  needsNewModel,
  PRESETS,
  SETTING_KEYS,
  SETTINGS,
  settingApplies,
  settingsFromUrl,
  settingsToUrl,
  trainingOf,
} from '../../src/state/settings';
import { parseCommand } from '../../src/worker/protocol';
import { betaFromSlider, sliderFromBeta } from '../../src/ui/controls/BetaInput';

describe('settings schema', () => {
  it('has the documented defaults', () => {
    expect(defaultSettings()).toEqual({
      model: 'vae', network: 'mlp',
      dataset: 'mnist', latentDim: 2, hiddenDim: 400, likelihood: 'bernoulli', seed: 1, beta: 1, learningRate: 1e-3, batchSize: 128, backend: 'auto',
      objective: 'vae', klSchedule: 'constant', warmupSteps: 2000, cycles: 4, cycleRamp: 0.5, cycleSteps: 8000, capacityMax: 25, capacitySteps: 10_000, gamma: 1000, freeBits: 0, comparisonSteps: 1200,
      prior: 'standard', components: 10, labelled: '100', classifierWeight: 50,
      holdOutClass: -1, convChannels: '16-32',
      decoder: 'factorised', contextDropout: 0, mmdWeight: 1000,
      // the VQ-VAE's own settings (they apply when Model is VQ-VAE)
      codes: 64, codeDim: 16, commitment: 0.25, codebookUpdate: 'gradient', emaDecay: 0.99, restartDeadCodes: 'off',
      // VAE-GAN's own settings (core/models/vaeGanEntry.ts)
      discriminator: 'mlp', adversarialWeight: 6, discriminatorSteps: 1, balanceMargin: 0.35, similarity: 'pixels',
    });
  });

  it('trains with the chosen objective (obj=tcvae: β-TCVAE), a live setting of Gaussian models', () => {
    expect(trainingOf(defaultSettings()).objective).toBe('vae');
    expect(trainingOf({ ...defaultSettings(), objective: 'tcvae' }).objective).toBe('tcvae');
    expect(settingsFromUrl('#obj=tcvae&beta=6')).toMatchObject({ settings: { objective: 'tcvae', beta: 6 } });
    // a setting of another family is kept for it (as a conditional VAE keeps the VAE's prior) and
    // does not apply, and the link says so: VAE-GAN's model has the factorised decoder; its MMD
    // weight λ applies under InfoVAE
    const gan = settingsFromUrl('#model=vaegan&dec=made&lik=logistic&obj=infovae');
    expect(gan.settings).toMatchObject({ model: 'vaegan', decoder: 'made', likelihood: 'logistic', objective: 'infovae' });
    expect(gan.messages).toEqual([
      { text: expect.stringMatching(/^URL: Decoder = .*MADE.* is a setting of the VAE: the VAE-GAN does not have it, so it is not used/), group: 'url-ignored' },
    ]);
    expect(settingApplies('decoder', gan.settings)).toBe(false);
    expect(settingApplies('mmdWeight', gan.settings)).toBe(true);
    expect(modelConfigOf(gan.settings).options.decoder).toBeUndefined();
    expect(trainingOf(gan.settings).options).toMatchObject({ vaeObjective: 'infovae', mmdWeight: 1000 });
    expect(SETTINGS.objective.effect).toBe('live');
    expect(checkSetting('objective', 'autoencoder')).toMatchObject({ ok: false });
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

  it('survives a nonsense URL with messages and defaults, grouped as ignored or adjusted', () => {
    const { settings, messages } = settingsFromUrl('#beta=abc&z=7&lr=0&foo=1&batch=64&seed=-5');
    expect(settings).toEqual({ ...defaultSettings(), batchSize: 64, seed: 0 });
    expect(messages).toEqual([
      { text: 'URL: β (KL weight): “abc” is not a number; using 1.', group: 'url-ignored' },
      { text: 'URL: Latent dimensions: “7” is not one of 2, 3, 5, 10, 20, 32; using 2.', group: 'url-ignored' },
      { text: 'URL: Learning rate must be greater than 0; using 0.001.', group: 'url-ignored' },
      { text: 'Ignored unknown URL parameter “foo”.', group: 'url-ignored' },
      { text: 'URL: Seed -5 is below the minimum; set to 0.', group: 'url-adjusted' },
    ]);
  });

  it('quotes a long value shortened, with an ellipsis', () => {
    const long = 'x'.repeat(100_000);
    const { messages } = settingsFromUrl(`#beta=${long}&${long}=1`);
    expect(messages.map((m) => m.text)).toEqual([`URL: β (KL weight): “${'x'.repeat(39)}…” is not a number; using 1.`, `Ignored unknown URL parameter “${'x'.repeat(39)}…”.`]);
    // characters, not UTF-16 units: an emoji is not cut in half
    expect(quote('😀'.repeat(50))).toBe(`“${'😀'.repeat(39)}…”`);
    expect(quote('short')).toBe('“short”');
  });

  it('accepts a learning rate above the trainable range with a warning, and clamps one above 10 with both messages', () => {
    expect(settingsFromUrl('#lr=0.01').messages).toEqual([]);
    const { settings, messages } = settingsFromUrl('#lr=100');
    expect(settings.learningRate).toBe(10);
    expect(messages.map((m) => m.text)).toEqual([
      'URL: Learning rate 100 is above the maximum; set to 10.',
      expect.stringMatching(/^URL: Learning rate 10 is above 0\.01: the fastest rate at which every model trains here\. Faster runs may blow up/),
    ]);
    expect(messages[1].group).toBeUndefined();
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

describe('one schema for the page and the families', () => {
  it('declares each URL key once, and every family setting with the very spec the family declares', () => {
    const keys = SETTING_KEYS.map((k) => SETTINGS[k].urlKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const id of FAMILY_IDS) {
      for (const [key, spec] of Object.entries(FAMILIES[id].settings as SettingSpecs)) {
        expect((SETTINGS as unknown as SettingSpecs)[key], `${id}.${key}`).toBe(spec);
      }
    }
  });

  it('offers each setting only where it means something', () => {
    const s = defaultSettings();
    expect(settingApplies('warmupSteps', s)).toBe(false);
    expect(settingApplies('warmupSteps', { ...s, klSchedule: 'linear' })).toBe(true);
    expect(settingApplies('gamma', { ...s, klSchedule: 'capacity' })).toBe(true);
    expect(settingApplies('cycles', { ...s, klSchedule: 'capacity' })).toBe(false);
    expect(settingApplies('beta', s)).toBe(true);
    expect(settingApplies('hiddenDim', s)).toBe(true);
    // a family that offers one network shows no network choice
    expect(settingApplies('network', s)).toBe(FAMILIES[s.model].networks.length > 1);
    // a network's own settings for that network only; the MLP's width for the MLP only
    expect(settingApplies('convChannels', s)).toBe(false);
    expect(settingApplies('convChannels', { ...s, network: 'conv' })).toBe(true);
    expect(settingApplies('hiddenDim', { ...s, network: 'conv' })).toBe(false);
  });

  it('the Network select, its URL key and the conv net’s channel widths (Advanced, the reference’s by default)', () => {
    expect(SETTINGS.network).toMatchObject({ label: 'Network', urlKey: 'net', section: 'model', effect: 'model' });
    expect(SETTINGS.network.options?.map((o) => o.label)).toEqual(['MLP', 'Convolutional']);
    expect(SETTINGS.convChannels).toMatchObject({ urlKey: 'ch', section: 'advanced', effect: 'model', default: '16-32' });
    const { settings, messages } = settingsFromUrl('#net=conv&ch=32-64&z=10');
    expect(messages).toEqual([]);
    expect(settings).toMatchObject({ network: 'conv', convChannels: '32-64', latentDim: 10 });
    expect(settingsToUrl(settings)).toBe('net=conv&z=10&ch=32-64');
    expect(settingsFromUrl('#ch=7-9').messages[0].text).toMatch(/Channels/);
    const conv = modelConfigOf(settings);
    expect(conv).toMatchObject({ network: 'conv', networkOptions: { convChannels: '32-64' } });
    // the MLP carries no conv options; the worker refuses options the network does not declare
    expect(modelConfigOf({ ...settings, network: 'mlp' }).networkOptions).toEqual({});
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model: conv, training: trainingOf(settings) })).toMatchObject({ ok: true });
    const refused = (networkOptions: Record<string, unknown>) => parseCommand({ type: 'configure', datasetId: 'mnist', model: { ...conv, networkOptions }, training: trainingOf(settings) });
    expect(refused({ convChannels: '7-9' })).toMatchObject({ ok: false, message: expect.stringMatching(/Channels/) });
    expect(refused({ hidden: 3 })).toMatchObject({ ok: false, message: expect.stringMatching(/unknown Convolutional network setting hidden/) });
  });

  it('builds the worker’s model and training configs from the settings, family options included', () => {
    const s = { ...defaultSettings(), dataset: 'shapes' as const, latentDim: 10, beta: 4, klSchedule: 'linear' as const, warmupSteps: 300 };
    expect(modelConfigOf(s)).toEqual({
      family: 'vae',
      network: 'mlp',
      imageShape: { width: 32, height: 32, channels: 1 },
      classCount: 3,
      hiddenDim: 400,
      networkOptions: {},
      latentDim: 10,
      likelihood: 'bernoulli',
      seed: 1,
      options: { prior: 'standard', components: 10, decoder: 'factorised' },
    });
    expect(trainingOf(s)).toEqual({ beta: 4, learningRate: 1e-3, batchSize: 128, klSchedule: { kind: 'linear', warmupSteps: 300 }, freeBits: 0, objective: 'vae', options: { labelled: '100', contextDropout: 0, mmdWeight: 1000 } });
    // the worker accepts exactly what the page sends
    expect(parseCommand({ type: 'configure', datasetId: 'shapes', model: modelConfigOf(s), training: trainingOf(s) })).toMatchObject({ ok: true });
  });

  it('trains InfoVAE as the VAE kind with the MMD option, and offers λ only under it', () => {
    const s = { ...defaultSettings(), objective: 'infovae' as const, mmdWeight: 250 };
    const training = trainingOf(s);
    expect(training.objective).toBe('vae');
    expect(training.options).toMatchObject({ vaeObjective: 'infovae', mmdWeight: 250 });
    expect(trainingOf({ ...s, objective: 'tcvae' }).options?.vaeObjective).toBeUndefined();
    expect(settingApplies('mmdWeight', s)).toBe(true);
    expect(settingApplies('mmdWeight', { ...s, objective: 'vae' })).toBe(false);
    expect(settingApplies('contextDropout', s)).toBe(false);
    expect(settingApplies('contextDropout', { ...s, decoder: 'made' })).toBe(true);
    expect(SETTINGS.objective.label).toBe('Training objective');
    expect(SETTINGS.objective.urlKey).toBe('obj');
    expect(parseCommand({ type: 'configure', datasetId: 'shapes', model: modelConfigOf(s), training })).toMatchObject({ ok: true });
  });

  it('the worker refuses family options that no family declares, and values a spec would clamp', () => {
    const s = defaultSettings();
    const bad = parseCommand({ type: 'configure', datasetId: 'mnist', model: { ...modelConfigOf(s), options: { codes: 64 } }, training: trainingOf(s) });
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/unknown VAE model setting codes/) });
    const spec = rangeSetting({ label: 'K', urlKey: 'k', default: 64, min: 16, max: 512, integer: true, section: 'model', effect: 'model' });
    expect(strictProblem({ codes: spec }, { codes: 64 }, 'setting')).toBeNull();
    expect(strictProblem({ codes: spec }, { codes: 9999 }, 'setting')).toMatch(/K: 9999 is out of range/);
    expect(strictProblem({ codes: spec }, { codes: 'many' }, 'setting')).toMatch(/not a number/);
    expect(strictProblem({ codes: spec }, { other: 1 }, 'setting')).toMatch(/unknown setting other/);
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model: { ...modelConfigOf(s), family: 'gan' }, training: trainingOf(s) })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/model.family must be one of vae/),
    });
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model: { ...modelConfigOf(s), network: 'transformer' }, training: trainingOf(s) })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/model.network must be one of/),
    });
  });

  it('presets are URLs of known settings, with no complaint when read', () => {
    for (const preset of PRESETS) {
      const { messages } = settingsFromUrl(preset.hash);
      expect(messages, preset.id).toEqual([]);
      expect(preset.summary.split(/(?<=\.)\s/).length, preset.id).toBeGreaterThanOrEqual(2);
    }
    expect(PRESETS.map((p) => p.label)).toEqual(expect.arrayContaining(['AE vs VAE', 'β-VAE and disentanglement', 'Posterior collapse and KL annealing']));
  });

  it('“Disentangling with β-TCVAE” trains the conv net on Shapes with β-TCVAE, in the lab', () => {
    const preset = PRESETS.find((p) => p.label === 'Disentangling with β-TCVAE');
    expect(preset?.tab).toBe('lab');
    const { settings } = settingsFromUrl(preset?.hash ?? '');
    expect(settings).toMatchObject({ dataset: 'shapes', network: 'conv', latentDim: 10, objective: 'tcvae' });
    expect(settings.beta).toBeGreaterThan(1);
    expect(trainingOf(settings).objective).toBe('tcvae');
    expect(modelConfigOf(settings).network).toBe('conv');
  });

  it('has the three presets of the tools of a trained model, each opening their tab', () => {
    const byLabel = Object.fromEntries(PRESETS.map((p) => [p.label, p]));
    for (const label of ['Interpolate a 7 into a 1', 'Anomaly detection', 'How tight is the ELBO?']) expect(byLabel[label]?.tab, label).toBe('use');
    expect(byLabel['Interpolate a 7 into a 1'].tools).toEqual({ interpolate: { from: 7, to: 1 } });
    expect(settingsFromUrl(byLabel['Anomaly detection'].hash).settings.holdOutClass).toBe(5);
    expect(settingsFromUrl(byLabel['How tight is the ELBO?'].hash).settings.latentDim).toBe(20);
  });

  it('“Hold out class” is a class index or none, sent to the worker only when the data set has that class', () => {
    expect(SETTINGS.holdOutClass.label).toBe('Hold out class');
    expect(settingsFromUrl('holdout=7').settings.holdOutClass).toBe(7);
    expect(settingsFromUrl('holdout=12').messages[0].text).toMatch(/Hold out class: “12” is not one of/);
    expect(needsNewModel('holdOutClass')).toBe(true);
    expect(holdOutClassOf({ ...defaultSettings(), holdOutClass: 7 })).toBe(7);
    expect(holdOutClassOf(defaultSettings())).toBeUndefined();
    expect(holdOutClassOf({ ...defaultSettings(), dataset: 'shapes', holdOutClass: 5 })).toBeUndefined();
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model: modelConfigOf(defaultSettings()), training: trainingOf(defaultSettings()), holdOutClass: 7 }).ok).toBe(true);
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model: modelConfigOf(defaultSettings()), training: trainingOf(defaultSettings()), holdOutClass: 10 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/holdOutClass must be a class index/),
    });
  });
});

describe('the VQ-VAE with what the decoder merge added', () => {
  const { settings, messages } = settingsFromUrl('model=vqvae&net=conv&lik=logistic&dec=made&cdrop=0.5&obj=infovae&mmd=50&sched=cyclical&fb=2');

  it('says which of the link’s settings belong to other families and are not used', () => {
    const unused = messages.filter((m) => m.group === 'url-ignored').map((m) => m.text);
    expect(unused).toEqual([
      expect.stringMatching(/^URL: Decoder = .* is a setting of the VAE: the VQ-VAE does not have it/),
      expect.stringMatching(/^URL: Context dropout = 0\.5 is a setting of the VAE: /),
      expect.stringMatching(/^URL: MMD weight .* = 50 is a setting of the VAE and the VAE-GAN: /),
    ]);
  });

  it('takes every likelihood into its model, and none of the VAE’s decoder options', () => {
    const config = modelConfigOf(settings);
    expect(config.family).toBe('vqvae');
    expect(config.likelihood).toBe('logistic');
    expect(Object.keys(config.options).sort()).toEqual(Object.entries(FAMILIES.vqvae.settings as SettingSpecs).filter(([, s]) => s.effect === 'model').map(([k]) => k).sort());
    expect(config.options).not.toHaveProperty('decoder');
  });

  it('trains on its own objective: the link’s Training objective, KL schedule and free bits do not act unseen', () => {
    const training = trainingOf(settings);
    expect(training.objective).toBe('vae');
    expect(training.klSchedule).toEqual({ kind: 'constant' });
    expect(training.freeBits).toBe(0);
    expect(training.options).not.toHaveProperty('vaeObjective');
    expect(Object.keys(training.options ?? {}).sort()).toEqual(Object.entries(FAMILIES.vqvae.settings as SettingSpecs).filter(([, s]) => s.effect === 'live').map(([k]) => k).sort());
    // the worker takes both as they are
    expect(parseCommand({ type: 'configure', datasetId: 'mnist', model: modelConfigOf(settings), training })).toMatchObject({ ok: true, command: { type: 'configure' } });
  });

  it('hides the controls that do not apply (Decoder, Context dropout, Training objective, MMD weight, KL schedule) and keeps Likelihood', () => {
    for (const key of ['decoder', 'contextDropout', 'objective', 'mmdWeight', 'klSchedule', 'freeBits', 'latentDim', 'beta'] as const) expect(settingApplies(key, settings), key).toBe(false);
    expect(settingApplies('likelihood', settings)).toBe(true);
    // the same link with the VAE: all of them act
    const vae = { ...settings, model: 'vae' as const };
    expect(trainingOf(vae).options).toHaveProperty('vaeObjective', 'infovae');
    expect(modelConfigOf(vae).options).toHaveProperty('decoder', 'made');
  });
});
