/**
 * The controller's start-up and the worker's life-cycle events: init then configure from the
 * settings, backend / data / model reports into the store, errors as notices or as the data
 * banner, a crashed worker, dispose.
 */
import { describe, expect, it } from 'vitest';
import { ASSET_BASE_URL, useControllerHarness } from '../helpers/controllerHarness';
import { BACKEND_INFO, configuredEvent, dataSummary, latentsEvent, modelConfig, statusEvent } from '../helpers/fakeWorker';
import { defaultSettings } from '../../../src/state/settings';

const harness = useControllerHarness();

describe('Controller start-up', () => {
  it('sends init with the chosen backend and asset URL, then configure with the settings’ model and training config', () => {
    const h = harness({
      backend: 'wasm',
      latentDim: 5,
      hiddenDim: 256,
      likelihood: 'gaussian',
      seed: 7,
      beta: 4,
      learningRate: 0.002,
      batchSize: 64,
      klSchedule: 'linear',
      warmupSteps: 500,
      freeBits: 0.5,
    });
    expect(h.workers).toHaveLength(1);
    expect(h.worker.sent).toEqual([
      { type: 'init', backend: 'wasm', assetBaseUrl: ASSET_BASE_URL },
      {
        type: 'configure',
        datasetId: 'mnist',
        model: modelConfig({ hiddenDim: 256, latentDim: 5, likelihood: 'gaussian', seed: 7 }),
        training: { beta: 4, learningRate: 0.002, batchSize: 64, klSchedule: { kind: 'linear', warmupSteps: 500 }, freeBits: 0.5, objective: 'vae', options: { labelled: '100', contextDropout: 0, mmdWeight: 1000 } },
      },
    ]);
  });

  it('sizes the model’s input for the data set and passes each KL schedule’s parameters', () => {
    const shapes = harness({ dataset: 'shapes', klSchedule: 'cyclical', cycles: 3, cycleRamp: 0.25, cycleSteps: 6000 });
    const configure = shapes.worker.last('configure')!;
    expect(configure.datasetId).toBe('shapes');
    expect(configure.model.imageShape).toEqual({ width: 32, height: 32, channels: 1 });
    expect(configure.model.classCount).toBe(3);
    expect(configure.training.klSchedule).toEqual({ kind: 'cyclical', cycles: 3, ramp: 0.25, totalSteps: 6000 });

    const capacity = harness({ klSchedule: 'capacity', capacityMax: 12, capacitySteps: 3000, gamma: 500 });
    expect(capacity.worker.last('configure')!.training.klSchedule).toEqual({ kind: 'capacity', capacityMax: 12, capacitySteps: 3000, gamma: 500 });
  });

  it('starts from the settings, knowing nothing of the worker yet', () => {
    const h = harness({ latentDim: 3, comparisonSteps: 500 });
    const s = h.state();
    expect(s.settings).toEqual({ ...defaultSettings(), latentDim: 3, comparisonSteps: 500 });
    expect(s.backend).toBeNull();
    expect(s.model).toBeNull();
    expect(s.data.stage).toBe('waiting');
    expect(s.training).toMatchObject({ running: false, step: 0 });
    expect(s.comparison.stepsPerModel).toBe(500);
    expect(h.view().probe).toEqual([0, 0, 0]);
    expect(h.view().probeImage).toBeNull();
    expect(h.urls).toEqual([]);
  });

  it('shows the initial messages (from the URL) as warnings', () => {
    const h = harness({}, { initialMessages: [{ text: 'Ignored unknown URL parameter “x”.' }, { text: 'URL: β is above the maximum.' }] });
    expect(h.state().notices.map((n) => [n.level, n.text])).toEqual([
      ['warning', 'Ignored unknown URL parameter “x”.'],
      ['warning', 'URL: β is above the maximum.'],
    ]);
  });

  it('puts the backend, the data’s progress, the data and the configured model into the store', () => {
    const h = harness();
    h.worker.emit({ type: 'backend', info: BACKEND_INFO });
    expect(h.state().backend).toEqual(BACKEND_INFO);

    h.worker.emit({ type: 'dataProgress', datasetId: 'mnist', loadedBytes: 2_000, totalBytes: 10_000, stage: 'download' });
    expect(h.state().data).toMatchObject({ stage: 'loading', step: 'download', loadedBytes: 2_000, totalBytes: 10_000 });
    h.worker.emit({ type: 'dataProgress', datasetId: 'mnist', loadedBytes: 10_000, totalBytes: 10_000, stage: 'decode' });
    expect(h.state().data).toMatchObject({ stage: 'loading', step: 'decode', loadedBytes: 10_000 });

    const summary = dataSummary();
    h.worker.emit({ type: 'dataReady', summary });
    expect(h.state().data).toMatchObject({ stage: 'ready', summary, error: null });
    expect(h.state().model).toBeNull();

    const configure = h.worker.last('configure')!;
    h.worker.emit(configuredEvent(configure, 'configure', 4321));
    expect(h.state().model).toEqual({ config: configure.model, parameterCount: 4321, terms: expect.arrayContaining([expect.objectContaining({ id: 'reconstruction' })]) });
    expect(h.state().training).toMatchObject({ step: 0, epoch: 0, latest: null });
  });

  it('follows the worker’s status reports', () => {
    const h = harness().ready();
    h.worker.emit({ type: 'status', running: true, step: 40, epoch: 1, epochProgress: 0.25 });
    expect(h.state().training).toMatchObject({ running: true, step: 40, epoch: 1, epochProgress: 0.25 });
    h.worker.emit(statusEvent(false, 60));
    expect(h.state().training).toMatchObject({ running: false, step: 60, stepsPerSecond: 0 });
  });

  it('keeps the test points, their images and factors from a latents report', () => {
    const h = harness().ready();
    const images = new Uint8Array(3 * 784).fill(7);
    const factors = new Uint16Array(3 * 2).fill(1);
    h.worker.emit({ ...latentsEvent(0, 2), images, factors });
    const s = h.state();
    expect(s.latents).toMatchObject({ step: 0, count: 3, latentDim: 2 });
    expect(Array.from(s.latents!.mu)).toEqual(Array.from(latentsEvent(0, 2).mu));
    expect(s.previewImages).toBe(images);
    expect(s.pointFactors).toBe(factors);

    // later reports leave the images out: the ones already sent stay
    h.worker.emit(latentsEvent(100, 2));
    expect(h.state().latents!.step).toBe(100);
    expect(h.state().previewImages).toBe(images);
    expect(h.state().pointFactors).toBe(factors);
  });
});

describe('Controller errors', () => {
  it('marks the data as failed (the banner) when configure fails before the data is ready, without a notice', () => {
    const h = harness();
    h.worker.emit({ type: 'dataProgress', datasetId: 'mnist', loadedBytes: 0, totalBytes: 10_000, stage: 'download' });
    h.worker.emit({ type: 'error', message: 'could not download mnist: 404', command: 'configure' });
    expect(h.state().data).toMatchObject({ stage: 'failed', error: 'could not download mnist: 404' });
    expect(h.state().notices).toEqual([]);
  });

  it('reports a configure error after the data is in as a notice, leaving the data as it is', () => {
    const h = harness().ready();
    h.worker.emit({ type: 'error', message: 'model.inputDim is 784 but the images have 1024 pixels', command: 'configure' });
    expect(h.state().data.stage).toBe('ready');
    expect(h.state().notices).toEqual([expect.objectContaining({ level: 'error', text: 'model.inputDim is 784 but the images have 1024 pixels' })]);
  });

  it('reports other commands’ errors as notices, even before the data is ready', () => {
    const h = harness();
    h.worker.emit({ type: 'error', message: 'start: no model yet', command: 'start' });
    expect(h.state().data.stage).toBe('waiting');
    expect(h.state().notices.map((n) => [n.level, n.text])).toEqual([['error', 'start: no model yet']]);
  });

  it('terminates the worker on dispose', () => {
    const h = harness().ready();
    expect(h.worker.terminated).toBe(false);
    h.controller.dispose();
    expect(h.worker.terminated).toBe(true);
  });

  // Bug: dispose() stops neither the traversal timer that a user's probe move schedules nor the
  // decoders' queued requests: after dispose the controller still posts decodes (the queued probe
  // position, then the traversal 150 ms later) to the terminated worker, whose replies never come.
  it('sends nothing to the worker after dispose: queued decodes and the traversal timer stop with it', async () => {
    const h = harness().ready();
    h.worker.emit(latentsEvent(0, 2));
    h.controller.moveProbe([0.5, -0.5]);
    h.controller.dispose();
    const sentBefore = h.worker.sent.length;
    await h.advance(1000);
    expect(h.worker.sent.slice(sentBefore)).toEqual([]);
  });

  it('says a model is being built from a configure until its reply (or its error), so the buttons wait for it', () => {
    const h = harness();
    expect(h.state().buildingModel).toBe(true);
    h.ready();
    expect(h.state().buildingModel).toBe(false);
    h.controller.changeSetting('hiddenDim', 64); // step 0: a new model at once
    expect(h.state().buildingModel).toBe(true);
    expect(h.state().model).not.toBeNull(); // the old one is still described meanwhile
    h.worker.emit({ type: 'error', message: 'configure: out of range', command: 'configure' });
    expect(h.state().buildingModel).toBe(false);
  });
});
