/**
 * The worker's tools for a trained model, driven through TrainingSession in Node: interpolation
 * (its ends decode to the images' reconstructions), inspection, scoring sets against the test set
 * (with a held-out class) and the importance-weighted bound as background jobs that report
 * progress, yield to training and decodes, can be cancelled and stop when the model is replaced.
 * Tensor counts stay flat.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, ImageSplit } from '../../src/data/dataset';
import type { WorkerEvent, WorkerEventOf, WorkerEventType } from '../../src/worker/protocol';
import { createLiveModel, nextTrainingRows } from '../../src/worker/liveModel';
import { TrainingSession } from '../../src/worker/session';
import { prototypePatterns } from './helpers/data';
import { mlpVae } from './helpers/model';
import { useCpuBackend } from './helpers/tf';

const SIDE = 8;
const PIXELS = SIDE * SIDE;

function split(d: ReturnType<typeof prototypePatterns>, from = 0, to = d.count): ImageSplit {
  return { images: d.images.slice(from * PIXELS, to * PIXELS), labels: Uint8Array.from(d.labels.subarray(from, to)), count: to - from };
}

/** Training and test images from the same four prototypes. */
function fakeDataset(): Dataset {
  const all = prototypePatterns(320, 1, 4, 0.05, SIDE);
  return { id: 'mnist', name: 'patterns', shape: { width: SIDE, height: SIDE, channels: 1 }, classNames: ['a', 'b', 'c', 'd'], train: split(all, 0, 256), test: split(all, 256, 320) };
}

const model = { ...mlpVae({ inputDim: PIXELS, hiddenDim: 16, latentDim: 2, likelihood: 'bernoulli', seed: 3, classCount: 4 }), imageShape: { width: SIDE, height: SIDE, channels: 1 } };
const training = { beta: 1, learningRate: 0.01, batchSize: 32 };

class Harness {
  events: WorkerEvent[] = [];
  otherLoads = 0;
  session = new TrainingSession({
    post: (event) => this.events.push(event),
    initBackend: async () => ({ name: 'cpu', reason: 'test', threads: 1, crossOriginIsolated: false }),
    loadDataset: async () => fakeDataset(),
    loadTestSplit: async (id) => {
      expect(id).toBe('fashion'); // the other data set of MNIST's size
      this.otherLoads += 1;
      return split(prototypePatterns(40, 9, 3, 0.3));
    },
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });

  of<T extends WorkerEventType>(type: T): WorkerEventOf<T>[] {
    return this.events.filter((e): e is WorkerEventOf<T> => e.type === type);
  }

  last<T extends WorkerEventType>(type: T): WorkerEventOf<T> {
    const all = this.of(type);
    if (!all.length) throw new Error(`no ${type} event among ${this.events.map((e) => e.type).join(', ')}`);
    return all[all.length - 1];
  }

  async ready(holdOutClass?: number, steps = 30): Promise<void> {
    await this.session.receive({ type: 'setReporting', change: { metricsEvery: 5, latentsEvery: 1000, evaluateEvery: 1000, latentPoints: 20 } });
    await this.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await this.session.receive({ type: 'configure', datasetId: 'mnist', model, training, ...(holdOutClass === undefined ? {} : { holdOutClass }) });
    for (let i = 0; i < steps; i++) await this.session.receive({ type: 'step' });
  }

  async until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** The event answering request `id` (result or error), once it has come. */
  async answer(id: number): Promise<WorkerEvent> {
    const find = () => this.events.find((e) => e.type !== 'jobProgress' && 'requestId' in e && e.requestId === id);
    await this.until(() => find() !== undefined);
    return find() as WorkerEvent;
  }
}

const TEST = fakeDataset().test;
const testImage = (i: number) => TEST.images.slice(i * PIXELS, (i + 1) * PIXELS);

let h: Harness;
beforeAll(useCpuBackend);
afterEach(async () => {
  await h?.session.dispose();
});

describe('interpolation and inspection', () => {
  it('the path’s ends decode to the reconstructions of the two images', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'inspect', requestId: 1, images: Float32Array.from([...testImage(0), ...testImage(1)]), count: 2, samples: 0, seed: 1 });
    const inspected = h.last('inspected');
    for (const path of ['linear', 'spherical'] as const) {
      await h.session.receive({ type: 'interpolate', requestId: 2, ends: [{ image: testImage(0) }, { image: testImage(1) }], steps: 10, path });
      const result = h.last('interpolated');
      expect(result.step).toBe(inspected.step);
      expect(result.latents.length).toBe(10 * 2);
      expect(result.images.length).toBe(10 * PIXELS);
      // the ends are the posterior means…
      expect(Array.from(result.ends)).toEqual(Array.from(inspected.mu));
      expect(Array.from(result.latents.subarray(0, 2))).toEqual(Array.from(inspected.mu.subarray(0, 2)));
      expect(Array.from(result.latents.subarray(18, 20))).toEqual(Array.from(inspected.mu.subarray(2, 4)));
      // …and decode to the reconstructions
      const first = result.images.subarray(0, PIXELS);
      const last = result.images.subarray(9 * PIXELS, 10 * PIXELS);
      first.forEach((v, i) => expect(v).toBeCloseTo(inspected.reconstructions[i], 6));
      last.forEach((v, i) => expect(v).toBeCloseTo(inspected.reconstructions[PIXELS + i], 6));
    }
  });

  it('takes a latent point for an end (a dragged end) and refuses ends of the wrong size', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'interpolate', requestId: 3, ends: [{ image: testImage(2) }, { z: new Float32Array([1.5, -2]) }], steps: 5, path: 'spherical' });
    const result = h.last('interpolated');
    expect(Array.from(result.latents.subarray(8, 10))).toEqual([1.5, -2]);
    await h.session.receive({ type: 'interpolate', requestId: 4, ends: [{ z: new Float32Array([1, 2, 3]) }, { z: new Float32Array([0, 0]) }], steps: 5, path: 'linear' });
    expect(h.last('error')).toMatchObject({ requestId: 4, message: expect.stringMatching(/latent has 2 dimensions/) });
  });

  it('inspects images: posterior, reconstruction, the same posterior samples for the same seed, scores', async () => {
    h = new Harness();
    await h.ready();
    const images = Float32Array.from([...testImage(0), ...testImage(5), ...testImage(9)]);
    await h.session.receive({ type: 'inspect', requestId: 5, images: images.slice(), count: 3, samples: 4, seed: 7 });
    const a = h.last('inspected');
    expect(a).toMatchObject({ count: 3, samples: 4 });
    expect(a.mu.length).toBe(6);
    expect(a.reconstructions.length).toBe(3 * PIXELS);
    expect(a.sampleImages.length).toBe(12 * PIXELS);
    expect(Object.keys(a.terms).sort()).toEqual(['dimensionWiseKl', 'kl', 'mutualInformation', 'reconstruction', 'totalCorrelation']);
    a.negativeElbo.forEach((v, i) => expect(v).toBeCloseTo(a.terms.reconstruction[i] + a.terms.kl[i], 3));
    await h.session.receive({ type: 'inspect', requestId: 6, images: images.slice(), count: 3, samples: 4, seed: 7 });
    expect(h.last('inspected').sampleImages).toEqual(a.sampleImages);
    await h.session.receive({ type: 'inspect', requestId: 7, images: images.slice(), count: 3, samples: 4, seed: 8 });
    expect(h.last('inspected').sampleImages).not.toEqual(a.sampleImages);
  });
});

describe('holding a class out of training', () => {
  it('no training batch holds a row of the held-out class', () => {
    const data = fakeDataset();
    const live = createLiveModel(model, training, { labels: data.train.labels, holdOutClass: 2 });
    try {
      expect(live.batcher.count).toBe(data.train.labels.filter((l) => l !== 2).length);
      for (let b = 0; b < 3 * live.batcher.batchesPerEpoch; b++) {
        for (const row of nextTrainingRows(live)) expect(data.train.labels[row]).not.toBe(2);
      }
    } finally {
      live.trainer.dispose();
    }
  });

  it('is refused for a class the data set does not have', async () => {
    h = new Harness();
    await h.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await h.session.receive({ type: 'configure', datasetId: 'mnist', model, training, holdOutClass: 4 });
    expect(h.last('error').message).toMatch(/holdOutClass must be a class index/);
  });
});

describe('scoring sets (a background job)', () => {
  it('scores the test set without the held-out class, the held-out class, noise, inverted images and the other data set', async () => {
    h = new Harness();
    await h.ready(1, 200);
    await h.session.receive({ type: 'scoreSets', requestId: 10, sets: ['held-out', 'noise', 'inverted', 'other-data'], perSet: 30 });
    const answer = (await h.answer(10)) as WorkerEventOf<'setScores'>;
    expect(answer.type).toBe('setScores');
    const byId = Object.fromEntries(answer.sets.map((s) => [s.id, s]));
    const testCount = TEST.labels.filter((l) => l !== 1).length;
    expect(answer.sets.map((s) => [s.id, s.count])).toEqual([
      ['test', testCount],
      ['held-out', TEST.labels.filter((l) => l === 1).length],
      ['noise', 30],
      ['inverted', 30],
      ['other-data', 30],
    ]);
    expect(byId['held-out'].label).toBe('held-out class b');
    expect(byId['other-data'].label).toBe('Fashion-MNIST');
    expect(answer.skipped).toEqual([]);
    for (const set of answer.sets) {
      expect(set.negativeElbo.length).toBe(set.count);
      set.negativeElbo.forEach((v, i) => expect(v).toBeCloseTo(set.terms.reconstruction[i] + set.terms.kl[i], 3));
    }
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(byId.noise.negativeElbo)).toBeGreaterThan(mean(byId.test.negativeElbo));
    expect(mean(byId.inverted.negativeElbo)).toBeGreaterThan(mean(byId.test.negativeElbo));
    // the most and least typical test images, none of the held-out class
    expect(answer.mostTypical.indices.length).toBe(8);
    expect(answer.mostTypical.images.length).toBe(8 * PIXELS);
    expect([...answer.mostTypical.indices, ...answer.leastTypical.indices].every((i) => TEST.labels[i] !== 1)).toBe(true);
    expect(answer.mostTypical.negativeElbo[0]).toBeLessThanOrEqual(answer.leastTypical.negativeElbo[0]);
    // progress went up to the end; the other data set was loaded once, and is kept
    const progress = h.of('jobProgress').filter((p) => p.job === 10);
    expect(progress.at(-1)).toMatchObject({ kind: 'scoreSets', done: progress.at(-1)?.total });
    await h.session.receive({ type: 'scoreSets', requestId: 11, sets: ['other-data'], perSet: 10 });
    await h.answer(11);
    expect(h.otherLoads).toBe(1);
  });

  it('says why a set is missing: no class was held out', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'scoreSets', requestId: 12, sets: ['held-out', 'noise'], perSet: 5 });
    const answer = (await h.answer(12)) as WorkerEventOf<'setScores'>;
    expect(answer.sets.map((s) => s.id)).toEqual(['test', 'noise']);
    expect(answer.skipped).toEqual([{ id: 'held-out', reason: expect.stringMatching(/no class was held out/) }]);
  });
});

describe('the importance-weighted bound (a background job)', () => {
  it('reports progress and a curve that does not fall with k, the ELBO at its foot', async () => {
    h = new Harness();
    await h.ready(undefined, 60);
    await h.session.receive({ type: 'estimateBound', requestId: 20, count: 16, ks: [1, 10, 100, 1000], samples: 1000 });
    const answer = (await h.answer(20)) as WorkerEventOf<'boundEstimate'>;
    expect(answer).toMatchObject({ type: 'boundEstimate', count: 16, samples: 1000, ks: [1, 10, 100, 1000] });
    for (let j = 1; j < 4; j++) expect(answer.bounds[j]).toBeGreaterThanOrEqual(answer.bounds[j - 1]);
    // k = 1 is the ELBO (up to the noise of one ε per image in the −ELBO)
    expect(Math.abs(answer.bounds[0] + answer.negativeElbo)).toBeLessThan(2);
    const progress = h.of('jobProgress').filter((p) => p.job === 20);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('lets training steps and decodes through while it runs', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'start' });
    await h.session.receive({ type: 'estimateBound', requestId: 21, count: 64, ks: [1, 10, 100, 1000], samples: 1000 });
    await h.session.receive({ type: 'decode', requestId: 22, latents: new Float32Array([0, 0]), count: 1 });
    const order = () => h.events.map((e) => ('requestId' in e ? `${e.type}:${e.requestId}` : e.type));
    await h.until(() => order().includes('decoded:22'));
    expect(order()).not.toContain('boundEstimate:21');
    const stepAtDecode = h.last('metrics').step;
    await h.until(() => h.last('metrics').step > stepAtDecode + 20);
    expect(order()).not.toContain('boundEstimate:21');
    expect(h.session.activeJobs).toBe(1);
    await h.session.receive({ type: 'pause' });
    h.session.receive({ type: 'cancelJob', requestId: 21 });
    expect(await h.answer(21)).toMatchObject({ type: 'error', command: 'estimateBound', message: 'estimateBound: cancelled' });
  });

  it('is cancelled, or stopped by a new model, and leaves no tensor behind', async () => {
    h = new Harness();
    await h.ready();
    const before = tf.memory().numTensors;
    await h.session.receive({ type: 'estimateBound', requestId: 30, count: 64, ks: [1, 1000], samples: 1000 });
    await h.until(() => h.of('jobProgress').some((p) => p.job === 30));
    void h.session.receive({ type: 'cancelJob', requestId: 30 });
    expect(await h.answer(30)).toMatchObject({ type: 'error', message: 'estimateBound: cancelled', requestId: 30 });
    await h.until(() => h.session.activeJobs === 0);
    expect(tf.memory().numTensors).toBe(before);
    await h.session.receive({ type: 'scoreSets', requestId: 31, sets: ['noise'], perSet: 10_000 });
    await h.until(() => h.of('jobProgress').some((p) => p.job === 31));
    await h.session.receive({ type: 'reset' });
    expect(await h.answer(31)).toMatchObject({ type: 'error', message: 'scoreSets: the model was replaced' });
    await h.until(() => h.session.activeJobs === 0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('validation of the analysis commands', () => {
  it('answers ill-formed ones with errors naming the problem', async () => {
    h = new Harness();
    const bad: [unknown, RegExp][] = [
      [{ type: 'interpolate', requestId: 1, ends: [{ z: new Float32Array(2) }], steps: 10, path: 'linear' }, /two ends/],
      [{ type: 'interpolate', requestId: 1, ends: [{ z: new Float32Array(2) }, { z: [0, 0] }], steps: 10, path: 'linear' }, /Float32Array/],
      [{ type: 'interpolate', requestId: 1, ends: [{ z: new Float32Array(2) }, { image: new Float32Array(2), z: new Float32Array(2) }], steps: 10, path: 'linear' }, /exactly one/],
      [{ type: 'interpolate', requestId: 1, ends: [{ z: new Float32Array(2) }, { z: new Float32Array([NaN, 0]) }], steps: 10, path: 'linear' }, /NaN/],
      [{ type: 'interpolate', requestId: 1, ends: [{ z: new Float32Array(2) }, { z: new Float32Array(2) }], steps: 1000, path: 'linear' }, /steps must be an integer in 2…64/],
      [{ type: 'interpolate', requestId: 1, ends: [{ z: new Float32Array(2) }, { z: new Float32Array(2) }], steps: 10, path: 'wiggly' }, /path must be one of linear, spherical/],
      [{ type: 'inspect', requestId: 1, images: new Float32Array(64), count: 1, samples: 99, seed: 1 }, /samples must be an integer in 0…16/],
      [{ type: 'scoreSets', requestId: 1, sets: ['cats'], perSet: 10 }, /unknown set "cats"/],
      [{ type: 'scoreSets', requestId: 1, sets: ['noise', 'noise'], perSet: 10 }, /must not repeat/],
      [{ type: 'scoreSets', requestId: 1, sets: ['noise'], perSet: 0 }, /perSet/],
      [{ type: 'estimateBound', requestId: 1, count: 10, ks: [10, 1], samples: 100 }, /ascending/],
      [{ type: 'estimateBound', requestId: 1, count: 10, ks: [1, 1000], samples: 100 }, /more than the 100 samples/],
      [{ type: 'estimateBound', requestId: 1, count: 0, ks: [1], samples: 100 }, /count must be/],
      [{ type: 'cancelJob' }, /requestId/],
    ];
    for (const [message] of bad) await h.session.receive(message);
    const errors = h.of('error');
    expect(errors).toHaveLength(bad.length);
    errors.forEach((e, i) => expect(e.message).toMatch(bad[i][1]));
  });
});
