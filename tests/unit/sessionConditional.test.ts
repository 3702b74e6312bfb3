/**
 * The worker with the conditional and semi-supervised families: a decode carries its classes
 * (refused without them, or out of range), M2 trains on a labelled subset and reports its
 * classifier's accuracy, the VAE reports M1's read-out, a learned prior reports its components.
 */
import '@tensorflow/tfjs'; // first, as in the other worker tests: the unit tests' tfjs with its chained ops
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset';
import { labelledSubset } from '../../src/data/labelledSubset';
import type { WorkerEvent, WorkerEventOf, WorkerEventType } from '../../src/worker/protocol';
import { parseCommand } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';
import { prototypePatterns } from './helpers/data';
import { useCpuBackend } from './helpers/tf';

const SIDE = 8;

function fakeDataset(): Dataset {
  const train = prototypePatterns(256, 1, 4, 0.05, SIDE);
  const test = prototypePatterns(64, 2, 4, 0.05, SIDE);
  const split = (d: typeof train) => ({ images: d.images, labels: Uint8Array.from(d.labels), count: d.count });
  return { id: 'mnist', name: 'patterns', shape: { width: SIDE, height: SIDE, channels: 1 }, classNames: ['a', 'b', 'c', 'd'], train: split(train), test: split(test) };
}

function modelOf(family: 'vae' | 'cvae' | 'm2', options: Record<string, string | number> = {}) {
  return { family, network: 'mlp', imageShape: { width: SIDE, height: SIDE, channels: 1 }, classCount: 4, hiddenDim: 16, latentDim: 2, likelihood: 'bernoulli', seed: 3, options };
}

class Harness {
  events: WorkerEvent[] = [];
  session = new TrainingSession({
    post: (event) => this.events.push(event),
    initBackend: async () => ({ name: 'cpu', reason: 'test', threads: 1, crossOriginIsolated: false }),
    loadDataset: async () => fakeDataset(),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });

  of<T extends WorkerEventType>(type: T): WorkerEventOf<T>[] {
    return this.events.filter((e): e is WorkerEventOf<T> => e.type === type);
  }

  async ready(model: ReturnType<typeof modelOf>, options: Record<string, string | number> = {}): Promise<void> {
    await this.session.receive({ type: 'setReporting', change: { metricsEvery: 5, latentsEvery: 10, evaluateEvery: 20, latentPoints: 64 } });
    await this.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await this.session.receive({ type: 'configure', datasetId: 'mnist', model, training: { beta: 1, learningRate: 0.01, batchSize: 32, options } });
  }

  async steps(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await this.session.receive({ type: 'step' });
  }
}

let h: Harness;
beforeAll(useCpuBackend);
afterEach(async () => {
  await h?.session.dispose();
});

describe('the worker with conditional models', () => {
  it('decodes the conditional VAE with the classes it is sent, and refuses a decode without them', async () => {
    h = new Harness();
    await h.ready(modelOf('cvae'));
    const z = new Float32Array([0.5, -0.5, 0.5, -0.5]);
    await h.session.receive({ type: 'decode', requestId: 1, latents: z.slice(), count: 2, labels: Int32Array.from([0, 3]) });
    const decoded = h.of('decoded').find((e) => e.requestId === 1);
    expect(decoded?.count).toBe(2);
    const images = decoded!.images;
    const differs = images.subarray(0, 64).some((v, i) => Math.abs(v - images[64 + i]) > 1e-4);
    expect(differs).toBe(true);
    await h.session.receive({ type: 'decode', requestId: 2, latents: z.slice(), count: 2 });
    expect(h.of('error').find((e) => e.requestId === 2)?.message).toMatch(/send a class/);
    await h.session.receive({ type: 'decode', requestId: 3, latents: z.slice(), count: 2, labels: Int32Array.from([0, 4]) });
    expect(h.of('error').find((e) => e.requestId === 3)?.message).toMatch(/below 4/);
    expect(parseCommand({ type: 'decode', requestId: 4, latents: z.slice(), count: 2, labels: Int32Array.from([1]) })).toMatchObject({ ok: false, message: expect.stringMatching(/1 classes for 2 latents/) });
    expect(parseCommand({ type: 'decode', requestId: 5, latents: z.slice(), count: 2, labels: [1, 2] })).toMatchObject({ ok: false, message: expect.stringMatching(/Int32Array/) });
  });

  it('trains M2 on a labelled subset and reports its classifier; the VAE reports M1 with the same labels', async () => {
    h = new Harness();
    await h.ready(modelOf('m2'), { labelled: '100' });
    await h.steps(20);
    const m2 = h.of('classifier');
    expect(m2.length).toBeGreaterThan(0);
    expect(m2.at(-1)).toMatchObject({ method: 'm2', labelled: 100, testCount: 64 });
    expect(h.of('error')).toEqual([]);
    // the test bound is on unlabelled images: finite, with its class term
    await h.session.receive({ type: 'evaluate', requestId: 9 });
    const test = h.of('evaluation').find((e) => e.requestId === 9)!.test;
    expect(Number.isFinite(test.negativeElbo)).toBe(true);
    expect(test.terms.classification).toBe(0);
    await h.session.dispose();
    h = new Harness();
    await h.ready(modelOf('vae', { prior: 'mog', components: 3 }), { labelled: '100' });
    await h.steps(10);
    expect(h.of('classifier').at(-1)).toMatchObject({ method: 'm1', labelled: 100 });
    const prior = h.of('prior').at(-1)!;
    expect(prior).toMatchObject({ kind: 'mog', count: 3, latentDim: 2 });
    expect(prior.means.length).toBe(6);
    expect(Array.from(prior.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('picks the same number of each class for the labelled subset', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => i % 10);
    const subset = labelledSubset(labels, 100, 10, 4);
    expect(subset.length).toBe(100);
    const perClass = new Array(10).fill(0);
    for (const i of subset) perClass[labels[i]] += 1;
    expect(perClass).toEqual(new Array(10).fill(10));
    expect(Array.from(labelledSubset(labels, 100, 10, 4))).toEqual(Array.from(subset));
    expect(labelledSubset(labels, Infinity, 10, 4).length).toBe(1000);
  });
});
