/**
 * changeSetting and the pending-change question: live settings go to the running model (with a
 * chart marker), refused and clamped values say why, settings that need a new model ask first
 * when a trained model would be lost, a new backend starts a new worker, the URL follows.
 */
import { describe, expect, it } from 'vitest';
import { useControllerHarness } from '../helpers/controllerHarness';
import { dataSummary, divergedEvent, latentsEvent, lossValues, metricsEvent, modelConfig, statusEvent } from '../helpers/fakeWorker';
import { defaultSettings } from '../../../src/state/settings';
import type { TrainingConfig } from '../../../src/core/training/config';

const harness = useControllerHarness();

/** The training config the default settings describe. */
const DEFAULT_TRAINING: TrainingConfig = { beta: 1, learningRate: 1e-3, batchSize: 128, klSchedule: { kind: 'constant' }, freeBits: 0, objective: 'vae', options: { labelled: '100', contextDropout: 0, mmdWeight: 1000 } };

/** A controller with a model trained to `step` (0: just configured). */
function trained(step: number, settings = {}) {
  const h = harness(settings).ready();
  if (step > 0) h.trainTo(step);
  h.worker.clearSent();
  return h;
}

describe('Controller.changeSetting: live settings', () => {
  it('sends β to the running model and marks it on the chart at the current step', () => {
    const h = trained(120);
    const checked = h.controller.changeSetting('beta', 4);
    expect(checked).toEqual({ ok: true, value: 4 });
    expect(h.worker.sent).toEqual([{ type: 'setTraining', change: { ...DEFAULT_TRAINING, beta: 4 } }]);
    expect(h.state().settings.beta).toBe(4);
    expect(h.state().history.markers).toEqual([{ step: 120, kind: 'beta', label: 'β=4' }]);
    expect(h.state().pendingChange).toBeNull();
    expect(h.urls).toEqual(['beta=4']);
  });

  it('takes a value typed as text', () => {
    const h = trained(0);
    expect(h.controller.changeSetting('beta', ' 2.5 ')).toEqual({ ok: true, value: 2.5 });
    expect(h.worker.last('setTraining')!.change.beta).toBe(2.5);
    expect(h.state().history.markers).toEqual([{ step: 0, kind: 'beta', label: 'β=2.5' }]);
  });

  it('sends the learning rate with a learning-rate marker', () => {
    const h = trained(40);
    h.controller.changeSetting('learningRate', 0.01);
    expect(h.worker.sent).toEqual([{ type: 'setTraining', change: { ...DEFAULT_TRAINING, learningRate: 0.01 } }]);
    expect(h.state().history.markers).toEqual([{ step: 40, kind: 'learningRate', label: 'lr=0.01' }]);
    expect(h.urls).toEqual(['lr=0.01']);
  });

  it('sends a new KL schedule with its parameters and marks it', () => {
    const h = trained(60, { cycles: 2, cycleRamp: 0.5, cycleSteps: 4000 });
    h.controller.changeSetting('klSchedule', 'cyclical');
    expect(h.worker.sent).toEqual([{ type: 'setTraining', change: { ...DEFAULT_TRAINING, klSchedule: { kind: 'cyclical', cycles: 2, ramp: 0.5, totalSteps: 4000 } } }]);
    expect(h.state().history.markers).toEqual([{ step: 60, kind: 'beta', label: 'cyclical' }]);

    // a schedule's parameter is live too, without a marker of its own
    h.controller.changeSetting('cycleSteps', 6000);
    expect(h.worker.last('setTraining')!.change.klSchedule).toEqual({ kind: 'cyclical', cycles: 2, ramp: 0.5, totalSteps: 6000 });
    expect(h.state().history.markers).toHaveLength(1);
  });

  it('sends free bits with a λ marker', () => {
    const h = trained(80);
    h.controller.changeSetting('freeBits', 0.5);
    expect(h.worker.sent).toEqual([{ type: 'setTraining', change: { ...DEFAULT_TRAINING, freeBits: 0.5 } }]);
    expect(h.state().history.markers).toEqual([{ step: 80, kind: 'beta', label: 'λ=0.5' }]);
    expect(h.urls).toEqual(['fb=0.5']);
  });

  it('sends the batch size without a marker', () => {
    const h = trained(80);
    h.controller.changeSetting('batchSize', '64');
    expect(h.worker.sent).toEqual([{ type: 'setTraining', change: { ...DEFAULT_TRAINING, batchSize: 64 } }]);
    expect(h.state().history.markers).toEqual([]);
  });

  it('keeps the comparison’s steps in the store: nothing for the main worker', () => {
    const h = trained(80);
    h.controller.changeSetting('comparisonSteps', 300);
    expect(h.worker.sent).toEqual([]);
    expect(h.state().comparison.stepsPerModel).toBe(300);
    expect(h.state().settings.comparisonSteps).toBe(300);
    expect(h.urls).toEqual(['cmp=300']);
  });

  it('refuses a value that is not a number: says so, keeps the old one, sends nothing', () => {
    const h = trained(100);
    const checked = h.controller.changeSetting('beta', 'lots');
    expect(checked.ok).toBe(false);
    expect(h.state().notices.map((n) => [n.level, n.text])).toEqual([['warning', 'β (KL weight): “lots” is not a number. Kept 1.']]);
    expect(h.state().settings).toEqual(defaultSettings());
    expect(h.state().history.markers).toEqual([]);
    expect(h.worker.sent).toEqual([]);
    expect(h.urls).toEqual([]);

    expect(h.controller.changeSetting('learningRate', 0).ok).toBe(false);
    expect(h.state().notices.at(-1)).toMatchObject({ level: 'warning', text: 'Learning rate must be greater than 0. Kept 0.001.' });
    expect(h.controller.changeSetting('latentDim', 7).ok).toBe(false);
    expect(h.state().notices.at(-1)!.text).toMatch(/^Latent dimensions: “7” is not one of 2, 3, 5, 10, 20, 32\. Kept 2\.$/);
    expect(h.worker.sent).toEqual([]);
    expect(h.state().pendingChange).toBeNull();
  });

  it('clamps an out-of-range value, says so and applies the clamped value', () => {
    const h = trained(100);
    expect(h.controller.changeSetting('beta', 25)).toEqual({ ok: true, value: 10, message: 'β (KL weight) 25 is above the maximum; set to 10' });
    expect(h.state().notices.map((n) => [n.level, n.text])).toEqual([['info', 'β (KL weight) 25 is above the maximum; set to 10.']]);
    expect(h.worker.sent).toEqual([{ type: 'setTraining', change: { ...DEFAULT_TRAINING, beta: 10 } }]);
    expect(h.state().settings.beta).toBe(10);
    expect(h.urls).toEqual(['beta=10']);
  });

  it('does nothing for the value already set', () => {
    const h = trained(100);
    h.controller.changeSetting('beta', 1);
    h.controller.changeSetting('latentDim', 2);
    expect(h.worker.sent).toEqual([]);
    expect(h.state().history.markers).toEqual([]);
    expect(h.state().pendingChange).toBeNull();
    expect(h.urls).toEqual([]);
  });

  // Bug: formatShort (β marker labels, snapshot titles) trims the zeros of toPrecision(3) but not
  // the dot they leave, so a β that rounds to an integer at 3 digits is labelled “β=2.”.
  it('labels a β that rounds to an integer without a trailing dot', () => {
    const h = trained(10);
    h.controller.changeSetting('beta', 2.0001);
    expect(h.state().history.markers.at(-1)!.label).toBe('β=2');
  });
});

describe('Controller.changeSetting: settings that need a new model', () => {
  it('asks first when a trained model would be discarded, changing nothing yet', () => {
    const h = trained(300);
    const checked = h.controller.changeSetting('latentDim', 5);
    expect(checked).toEqual({ ok: true, value: 5 });
    const pending = h.state().pendingChange!;
    expect(pending.change).toEqual({ latentDim: 5 });
    expect(pending.description).toContain('Latent dimensions');
    expect(pending.description).toContain('300 steps');
    expect(h.worker.sent).toEqual([]);
    expect(h.state().settings.latentDim).toBe(2);
    expect(h.state().model).not.toBeNull();
    expect(h.state().history.train).toHaveLength(1);
    expect(h.urls).toEqual([]);
  });

  it('reconfigures on confirm: the new settings, a fresh chart and probe, the URL', () => {
    const h = trained(300);
    h.worker.emit(latentsEvent(300, 2));
    h.controller.changeSetting('latentDim', 5);
    h.worker.clearSent();
    h.controller.confirmPendingChange();
    expect(h.state().pendingChange).toBeNull();
    expect(h.worker.sent).toEqual([
      {
        type: 'configure',
        datasetId: 'mnist',
        model: modelConfig({ latentDim: 5 }),
        training: DEFAULT_TRAINING,
      },
    ]);
    expect(h.state().settings.latentDim).toBe(5);
    expect(h.state().history).toEqual({ train: [], test: [], markers: [] });
    expect(h.state().latents).toBeNull();
    expect(h.view()).toMatchObject({ probe: [0, 0, 0, 0, 0], probeImage: null, grid: null, gridLatents: null, traversal: null });
    expect(h.urls).toEqual(['z=5']);

    h.configured();
    expect(h.state().model!.config.latentDim).toBe(5);
    expect(h.state().training.step).toBe(0);
  });

  it('merges live edits made while the question was open', () => {
    const h = trained(300);
    h.controller.changeSetting('hiddenDim', 128);
    h.controller.changeSetting('beta', 3);
    expect(h.worker.types()).toEqual(['setTraining']);
    h.controller.confirmPendingChange();
    const configure = h.worker.last('configure')!;
    expect(configure.model.hiddenDim).toBe(128);
    expect(configure.training).toEqual({ ...DEFAULT_TRAINING, beta: 3 });
    expect(h.state().settings).toMatchObject({ hiddenDim: 128, beta: 3 });
    expect(h.urls.at(-1)).toBe('hidden=128&beta=3');
  });

  it('asks before switching a trained model to the convolutional network, naming it; the channels follow', () => {
    const h = trained(300);
    h.controller.changeSetting('network', 'conv');
    expect(h.state().pendingChange?.description).toBe('Changing Network to Convolutional needs a new model: the one trained for 300 steps will be discarded.');
    expect(h.worker.sent).toEqual([]);
    h.controller.confirmPendingChange();
    expect(h.worker.last('configure')!.model).toEqual(modelConfig({ network: 'conv', networkOptions: { convChannels: '16-32' } }));
    expect(h.urls.at(-1)).toBe('net=conv');
    h.configured();
    h.controller.changeSetting('convChannels', '8-16'); // untrained: at once
    expect(h.worker.last('configure')!.model.networkOptions).toEqual({ convChannels: '8-16' });
    expect(h.urls.at(-1)).toBe('net=conv&ch=8-16');
  });

  it('keeps the model on cancel', () => {
    const h = trained(300);
    const model = h.state().model;
    h.controller.changeSetting('seed', 42);
    h.controller.cancelPendingChange();
    expect(h.state().pendingChange).toBeNull();
    expect(h.state().settings.seed).toBe(1);
    expect(h.state().model).toBe(model);
    expect(h.state().history.train).toHaveLength(1);
    expect(h.worker.sent).toEqual([]);
    // nothing left to confirm
    h.controller.confirmPendingChange();
    expect(h.worker.sent).toEqual([]);
    h.controller.toggleTraining();
    expect(h.worker.sent).toEqual([{ type: 'start' }]);
  });

  it('reconfigures at once when the model is untrained (step 0)', () => {
    const h = trained(0);
    h.controller.changeSetting('likelihood', 'gaussian');
    expect(h.state().pendingChange).toBeNull();
    expect(h.worker.sent).toEqual([
      { type: 'configure', datasetId: 'mnist', model: modelConfig({ likelihood: 'gaussian' }), training: DEFAULT_TRAINING },
    ]);
    expect(h.urls).toEqual(['lik=gaussian']);
  });

  it('reconfigures at once after a reset brought the step back to 0', () => {
    const h = trained(300);
    h.controller.reset();
    h.configured('reset');
    h.worker.clearSent();
    h.controller.changeSetting('latentDim', 3);
    expect(h.state().pendingChange).toBeNull();
    expect(h.worker.last('configure')!.model.latentDim).toBe(3);
  });

  it('loads another data set with the input size of its images, dropping the old one’s preview images', () => {
    const h = trained(0);
    h.worker.emit(latentsEvent(0, 2, 3, { images: new Uint8Array(3 * 784), factors: undefined }));
    expect(h.state().previewImages).not.toBeNull();
    h.controller.changeSetting('dataset', 'shapes');
    const configure = h.worker.last('configure')!;
    expect(configure.datasetId).toBe('shapes');
    expect(configure.model.imageShape).toEqual({ width: 32, height: 32, channels: 1 });
    expect(h.state().previewImages).toBeNull();
    expect(h.state().pointFactors).toBeNull();
  });

  it('keeps the preview images for a new model on the same data', () => {
    const h = trained(0);
    const images = new Uint8Array(3 * 784);
    h.worker.emit(latentsEvent(0, 2, 3, { images }));
    h.controller.changeSetting('hiddenDim', 200);
    expect(h.state().previewImages).toBe(images);
  });

  it('starts a new worker for another backend, ignoring the old one from then on', () => {
    const h = trained(0, { backend: 'wasm' });
    const old = h.worker;
    h.controller.changeSetting('backend', 'webgl');
    expect(old.terminated).toBe(true);
    expect(h.workers).toHaveLength(2);
    const fresh = h.followNewestWorker();
    expect(fresh.sent).toEqual([
      { type: 'init', backend: 'webgl', assetBaseUrl: expect.any(String) },
      { type: 'configure', datasetId: 'mnist', model: modelConfig(), training: DEFAULT_TRAINING },
    ]);
    expect(h.state()).toMatchObject({ backend: null, model: null, data: { stage: 'waiting' } });
    expect(h.urls).toEqual(['backend=webgl']);

    // events still queued from the old worker change nothing
    old.emit(metricsEvent(20));
    old.emit({ type: 'error', message: 'late error', command: 'start' });
    old.emit(latentsEvent(20, 2));
    old.emit({ type: 'backend', info: { name: 'wasm', reason: 'old', threads: 4, crossOriginIsolated: true } });
    old.emit({ type: 'dataReady', summary: dataSummary() });
    old.emit(statusEvent(true, 20));
    old.emit({ type: 'evaluation', step: 20, test: lossValues() });
    old.emit({ type: 'disentanglement', step: 20, unitVariances: [1, 1], activeUnits: 2, mig: null, migPerFactor: null });
    old.emit(divergedEvent(20, 0, 'late divergence'));
    expect(h.state()).toMatchObject({ backend: null, model: null, data: { stage: 'waiting' }, latents: null, notices: [] });
    expect(h.state().training).toMatchObject({ running: false, step: 0 });
    expect(h.state().history).toEqual({ train: [], test: [], markers: [] });
    expect(h.state().disentanglement.history).toEqual([]);
    expect(h.decodes(1, old)).toEqual([]);

    h.ready();
    expect(h.state().model).not.toBeNull();
    expect(h.state().data.stage).toBe('ready');
  });

  it('asks before changing the backend under a trained model, then restarts the worker on confirm', () => {
    const h = trained(500);
    h.controller.changeSetting('backend', 'cpu');
    expect(h.state().pendingChange!.change).toEqual({ backend: 'cpu' });
    expect(h.workers).toHaveLength(1);
    h.controller.confirmPendingChange();
    expect(h.workers).toHaveLength(2);
    expect(h.workers[1].last('init')!.backend).toBe('cpu');
  });
});
