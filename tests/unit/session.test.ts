/**
 * The worker's message handler (TrainingSession) driven in Node with the cpu backend and a small
 * synthetic data set: every command round-trips, bad messages get error replies, the session
 * survives them, a divergence restores the last good weights, and tensors do not pile up.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeDataset, Harness, model, training } from './helpers/sessionHarness';
import { useCpuBackend } from './helpers/tf';

let h: Harness;
beforeAll(useCpuBackend);
afterEach(async () => {
  await h?.session.dispose();
});

describe('TrainingSession', () => {
  it('initialises, loads the data with progress and configures a model', async () => {
    h = new Harness();
    await h.ready();
    expect(h.last('backend').info.name).toBe('cpu');
    expect(h.last('dataProgress').loadedBytes).toBe(10);
    expect(h.last('dataReady').summary).toMatchObject({ trainCount: 256, testCount: 64, classNames: ['a', 'b', 'c', 'd'] });
    const configured = h.last('configured');
    expect(configured.parameterCount).toBe(64 * 16 + 16 + 16 * 4 + 4 + 2 * 16 + 16 + 16 * 64 + 64);
    const latents = h.last('latents');
    expect(latents.count).toBe(40);
    expect(latents.mu.length).toBe(80);
    expect(latents.images?.length).toBe(40 * 64); // preview images go along the first time
    const report = h.last('disentanglement');
    expect(report.unitVariances).toHaveLength(2);
    expect(report.activeUnits).toBe(report.unitVariances.filter((v) => v > 0.01).length);
    expect(report.mig).toBeNull(); // no ground-truth factors in this data set
  });

  it('answers every configure with the data it trains on, also when that data is already loaded', async () => {
    // the page waits for dataReady after a configure (back from "your own images" without images,
    // it had set the data to waiting): a configure of the resident set must say it is ready too
    h = new Harness();
    await h.ready();
    const loads = h.of('dataProgress').length;
    h.events.length = 0;
    await h.session.receive({ type: 'configure', datasetId: 'mnist', model, training });
    const types = h.events.map((e) => e.type);
    expect(types).toContain('dataReady');
    expect(types.indexOf('dataReady')).toBeLessThan(types.indexOf('configured'));
    expect(h.of('dataProgress')).toHaveLength(0); // nothing downloaded again
    expect(loads).toBeGreaterThan(0);
  });

  it('steps once, trains, pauses, and reports metrics, latents and evaluations', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'step' });
    expect(h.last('status')).toMatchObject({ running: false, step: 1 });
    expect(h.last('metrics').step).toBe(1);

    await h.session.receive({ type: 'start' });
    expect(h.last('status').running).toBe(true);
    await h.until(() => h.of('evaluation').length >= 2);
    await h.session.receive({ type: 'pause' });
    const stoppedAt = h.last('status');
    expect(stoppedAt.running).toBe(false);
    const trainer = (h.session as unknown as { model: { trainer: { step: number } } }).model.trainer;
    await new Promise((r) => setTimeout(r, 50));
    const settled = trainer.step; // a step in flight at the pause may finish
    await new Promise((r) => setTimeout(r, 100));
    expect(trainer.step).toBe(settled); // and then no more

    const metrics = h.of('metrics');
    // step 1 (the Step command), step 2 (the first step of the run), then every 5 steps
    expect(metrics.map((m) => m.step).filter((s) => s > 2).every((s) => s % 5 === 0)).toBe(true);
    expect(metrics.slice(0, 3).map((m) => m.step)).toEqual([1, 2, 5]);
    expect(metrics.at(-1)!.train.negativeElbo).toBeLessThan(metrics[0].train.negativeElbo);
    expect(h.of('latents').filter((l) => l.step > 1).every((l) => l.step % 10 === 0 && l.images === undefined)).toBe(true);
    expect(h.of('evaluation').map((e) => e.step).slice(0, 2)).toEqual([20, 40]);
  });

  it('shares copies of the decoder once asked: at once, while training, after a pause, and for a new model under a new serial', async () => {
    h = new Harness();
    await h.ready();
    expect(h.of('decoderWeights')).toHaveLength(0);
    await h.session.receive({ type: 'shareDecoder', enabled: 'yes' });
    expect(h.last('error').message).toContain('enabled must be true or false');
    await h.session.receive({ type: 'shareDecoder', enabled: true });
    const first = h.last('decoderWeights');
    expect(first).toMatchObject({ modelSerial: 1, seq: 1, step: 0 });
    expect(first.weights.every((w) => w.path.startsWith('decoder/'))).toBe(true);
    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('decoderWeights').some((e) => e.step > 0));
    await h.session.receive({ type: 'pause' });
    await h.until(() => !h.last('status').running);
    const status = h.last('status');
    await h.until(() => h.last('decoderWeights').step === status.step);
    const seqs = h.of('decoderWeights').map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await h.session.receive({ type: 'reset' });
    await h.until(() => h.last('decoderWeights').modelSerial === 2);
    expect(h.last('decoderWeights').step).toBe(0);
  });

  it('shares no copy of an autoregressive (MADE) decoder: the training worker decodes it, and a factorised model shares again', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'configure', datasetId: 'mnist', model: { ...model, options: { decoder: 'made' } }, training });
    await h.session.receive({ type: 'shareDecoder', enabled: true });
    await h.session.receive({ type: 'step' });
    await h.session.receive({ type: 'decode', requestId: 7, latents: Float32Array.of(0, 0), count: 1 });
    expect(h.of('decoderWeights')).toHaveLength(0);
    expect(h.last('decoded')).toMatchObject({ requestId: 7, count: 1 });
    await h.session.receive({ type: 'configure', datasetId: 'mnist', model, training });
    await h.until(() => h.of('decoderWeights').length > 0);
    expect(h.last('decoderWeights').model.options).toEqual({});
  });

  it('answers encode, decode and evaluate requests by id', async () => {
    h = new Harness();
    await h.ready();
    const images = fakeDataset().test.images.slice(0, 3 * 64);
    await h.session.receive({ type: 'encode', requestId: 7, images, count: 3 });
    const encoded = h.last('encoded');
    expect(encoded).toMatchObject({ requestId: 7, count: 3 });
    expect(encoded.mu.length).toBe(6);
    await h.session.receive({ type: 'decode', requestId: 8, latents: new Float32Array([0, 0, 1, -1]), count: 2 });
    const decoded = h.last('decoded');
    expect(decoded.requestId).toBe(8);
    expect(decoded.images.length).toBe(2 * 64);
    expect(decoded.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    await h.session.receive({ type: 'evaluate', requestId: 9 });
    const evaluation = h.last('evaluation');
    expect(evaluation.requestId).toBe(9);
    expect(evaluation.test.negativeElbo).toBeCloseTo(evaluation.test.terms.reconstruction + evaluation.test.terms.kl, 3);
  });

  it('never runs two loops: pause and start during an evaluation, then reset', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'setReporting', change: { evaluateEvery: 3, metricsEvery: 1 } });
    let mostLoops = 0;
    const watch = setInterval(() => (mostLoops = Math.max(mostLoops, h.session.activeLoops)), 0);
    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('evaluation').length >= 1);
    void h.session.receive({ type: 'pause' });
    void h.session.receive({ type: 'start' });
    await h.until(() => h.of('evaluation').length >= 4);
    clearInterval(watch);
    expect(mostLoops).toBe(1);
    await h.session.receive({ type: 'reset' });
    await h.session.receive({ type: 'pause' });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.of('error')).toEqual([]);
  });

  it('ignores explicit undefined reporting values', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'setReporting', change: { metricsEvery: undefined, latentPoints: undefined } });
    await h.session.receive({ type: 'step' });
    await h.session.receive({ type: 'step' });
    expect(h.of('error')).toEqual([]);
    expect(h.last('latents').count).toBe(40);
  });

  it('changes β live and resets to step 0 with fresh weights', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'setTraining', change: { beta: 4 } });
    await h.session.receive({ type: 'step' });
    const m = h.last('metrics');
    expect(m.beta).toBe(4);
    expect(m.train.objective).toBeCloseTo(m.train.terms.reconstruction + 4 * m.train.terms.kl, 3);
    await h.session.receive({ type: 'reset' });
    expect(h.last('configured').training.beta).toBe(4); // reset keeps the settings
    expect(h.last('configured').cause).toBe('reset');
    expect(h.last('status').step).toBe(0);
  });

  it('answers unknown and ill-formed messages with errors and keeps working', async () => {
    h = new Harness();
    const bad: unknown[] = [
      null,
      42,
      { type: 'fly' },
      { type: 'setTraining', change: { beta: -1 } },
      { type: 'setTraining', change: { beta: 'abc' } },
      { type: 'setTraining', change: { learningRate: 0 } },
      { type: 'decode', requestId: 3, latents: [0, 0], count: 1 },
      { type: 'decode', requestId: 4, latents: new Float32Array([NaN, 0]), count: 1 },
      { type: 'configure', datasetId: 'cifar', model, training },
      { type: 'configure', datasetId: 'mnist', model: { ...model, latentDim: 0 }, training },
    ];
    for (const message of bad) await h.session.receive(message);
    const errors = h.of('error');
    expect(errors).toHaveLength(bad.length);
    expect(errors[2].message).toMatch(/unknown command type "fly"/);
    expect(errors[3].message).toMatch(/β must be a number in 0…1000/);
    expect(errors[6]).toMatchObject({ requestId: 3 });
    expect(errors[7].message).toMatch(/NaN/);
    // commands that need a model say so
    await h.session.receive({ type: 'start' });
    expect(h.last('error').message).toMatch(/configure first/);
    // and the session still works afterwards
    await h.ready();
    await h.session.receive({ type: 'decode', requestId: 5, latents: new Float32Array([0, 0, 0]), count: 1 });
    expect(h.last('error')).toMatchObject({ requestId: 5, command: 'decode' });
    await h.session.receive({ type: 'step' });
    expect(h.last('status').step).toBe(1);
  });

  it('pauses and restores the last good weights when the loss diverges', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'setTraining', change: { learningRate: 1000 } });
    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('diverged').length > 0 || h.of('metrics').length > 200);
    const diverged = h.last('diverged');
    expect(diverged.restoredStep).toBe(0);
    expect(diverged.message).toMatch(/paused/);
    await h.until(() => h.last('status').running === false);
    // the restored model is finite and usable
    await h.session.receive({ type: 'setTraining', change: { learningRate: 0.01 } });
    await h.session.receive({ type: 'evaluate', requestId: 1 });
    expect(Number.isFinite(h.last('evaluation').test.negativeElbo)).toBe(true);
  });

  it('moves to wasm with the last weights copied off the GPU when WebGL fails', async () => {
    h = new Harness('webgl');
    await h.ready();
    for (let i = 0; i < 5; i++) await h.session.receive({ type: 'step' });
    const session = h.session as unknown as { model: { trainer: { trainStep(): void } } };
    const failing = session.model.trainer;
    failing.trainStep = () => {
      throw new Error('WebGL context lost');
    };
    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('backend').length === 2);
    expect(h.last('backend').info).toMatchObject({ name: 'wasm', reason: expect.stringMatching(/WebGL failed \(WebGL context lost\)/) });
    expect(h.last('error').message).toMatch(/moved to wasm with the weights of step 0/);
    expect(h.backendCalls).toEqual(['cpu', 'wasm']);
    expect(h.last('configured').cause).toBe('recovered');
    await h.until(() => h.last('status').running === false);
    // the rebuilt model trains on
    await h.session.receive({ type: 'step' });
    expect(h.last('status').step).toBe(1);
    expect(session.model.trainer).not.toBe(failing);
  });

  it('keeps the tensor count flat across many steps, encodes and decodes', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'step' });
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 60; i++) {
      await h.session.receive({ type: 'step' });
      if (i % 10 === 0) await h.session.receive({ type: 'decode', requestId: i, latents: new Float32Array([0, 1]), count: 1 });
    }
    // step 61 ≠ a multiple of CHECKPOINT_EVERY: same state as after step 1 (metrics read each step)
    expect(tf.memory().numTensors).toBe(after1);
    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });
});
