/**
 * The importance-weighted bound under the binarised likelihood scores binary images: one fixed,
 * seeded binarisation of the test images, the same for every k and for the −ELBO beside it (a
 * bound on the probability of grey intensities under a Bernoulli would mean nothing, and would
 * not be comparable with Burda et al.'s Table 1). Driven through TrainingSession on grey images.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, ImageSplit } from '../../../src/data/dataset';
import type { WorkerEvent, WorkerEventOf } from '../../../src/worker/protocol';
import { scoredImages } from '../../../src/worker/analysis/bound';
import { TrainingSession } from '../../../src/worker/session';
import { prototypePatterns } from '../helpers/data';
import { mlpVae } from '../helpers/model';
import { liveModelOf } from '../helpers/sessionHarness';
import { useCpuBackend } from '../helpers/tf';

const SIDE = 8;
const PIXELS = SIDE * SIDE;

/** Binary prototypes softened to grey: intensities 0.2 and 0.8. */
function greySplit(from: number, to: number): ImageSplit {
  const d = prototypePatterns(320, 1, 4, 0.05, SIDE);
  const images = d.images.slice(from * PIXELS, to * PIXELS).map((v) => 0.2 + 0.6 * v);
  return { images, labels: Uint8Array.from(d.labels.subarray(from, to)), count: to - from };
}

function greyDataset(): Dataset {
  return { id: 'mnist', name: 'grey patterns', shape: { width: SIDE, height: SIDE, channels: 1 }, classNames: ['a', 'b', 'c', 'd'], train: greySplit(0, 256), test: greySplit(256, 320) };
}

let session: TrainingSession | null = null;

beforeAll(useCpuBackend);
afterEach(async () => {
  await session?.dispose();
  session = null;
});

describe('the bound under the binarised likelihood', () => {
  it('binarises once with a fixed seed; other likelihoods score the images as they are', async () => {
    const grey = greySplit(256, 320).images;
    const a = await scoredImages('binarised', grey, 64, PIXELS);
    const b = await scoredImages('binarised', grey, 64, PIXELS);
    expect(a.every((v) => v === 0 || v === 1)).toBe(true);
    expect(Array.from(a)).toEqual(Array.from(b));
    // the mean of the binary pixels is near the mean intensity (0.2 and 0.8 in about equal parts)
    const mean = (xs: Float32Array) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(Math.abs(mean(a) - mean(grey))).toBeLessThan(0.05);
    // binary images binarise to themselves
    expect(Array.from(await scoredImages('binarised', a, 64, PIXELS))).toEqual(Array.from(a));
    expect(await scoredImages('bernoulli', grey, 64, PIXELS)).toBe(grey);
  });

  it('scores the binary images, the same for the bound and its ELBO, not the grey intensities', async () => {
    const events: WorkerEvent[] = [];
    const s = new TrainingSession({
      post: (event) => events.push(event),
      initBackend: async () => ({ name: 'cpu', reason: 'test', threads: 1, crossOriginIsolated: false }),
      loadDataset: async () => greyDataset(),
      loadTestSplit: async () => greySplit(0, 10),
      yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
      now: () => performance.now(),
    });
    session = s;
    const model = { ...mlpVae({ inputDim: PIXELS, hiddenDim: 16, latentDim: 2, likelihood: 'binarised', seed: 3, classCount: 4 }), imageShape: { width: SIDE, height: SIDE, channels: 1 } };
    await s.receive({ type: 'setReporting', change: { metricsEvery: 5, latentsEvery: 1000, evaluateEvery: 1000, latentPoints: 20 } });
    await s.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await s.receive({ type: 'configure', datasetId: 'mnist', model, training: { beta: 1, learningRate: 0.01, batchSize: 32 } });
    for (let i = 0; i < 30; i++) await s.receive({ type: 'step' });
    const ks = [1, 10, 100];
    const before = tf.memory().numTensors;
    await s.receive({ type: 'estimateBound', requestId: 7, count: 16, ks, samples: 100 });
    const answered = () => events.find((e): e is WorkerEventOf<'boundEstimate'> => e.type === 'boundEstimate' && e.requestId === 7);
    for (let waited = 0; !answered() && waited < 30_000; waited += 5) {
      expect(events.find((e) => e.type === 'error')).toBeUndefined();
      await new Promise((r) => setTimeout(r, 5));
    }
    const answer = answered() as WorkerEventOf<'boundEstimate'>;
    expect(tf.memory().numTensors).toBe(before);

    const { trainer } = liveModelOf(s);
    const grey = greySplit(256, 272).images;
    const binary = await scoredImages('binarised', grey, 16, PIXELS);
    const onBinary = await trainer.importanceWeightedBounds(binary, 16, { ks, samples: 100, seed: 321 });
    const onGrey = await trainer.importanceWeightedBounds(grey, 16, { ks, samples: 100, seed: 321 });
    expect(answer.bounds).toEqual(onBinary.bounds);
    for (let j = 0; j < ks.length; j++) expect(Math.abs(answer.bounds[j] - onGrey.bounds[j])).toBeGreaterThan(0.01);
    expect(answer.negativeElbo).toBeCloseTo((await trainer.evaluate(binary, 16, 500, 1234)).negativeElbo, 6);
    // k = 1 is the ELBO of the same binary images (up to one ε per image)
    expect(Math.abs(answer.bounds[0] + answer.negativeElbo)).toBeLessThan(3);
  });
});
