/**
 * What the worker transfers to the page must be its own. postMessage's transfer list detaches
 * an array's buffer; on the cpu backend `data()` returns a tensor's own storage and on webgl its
 * CPU cache, so transferring the read-out of a tensor that lives on (a clone shares its variable's
 * data) would break the model: on webgl it stopped training ("Cannot perform
 * %TypedArray%.prototype.set on a detached ArrayBuffer" with a mixture prior at step 0). This
 * session's `post` transfers exactly as postMessage does, and the models must train on.
 */
import '@tensorflow/tfjs'; // first, as in the other worker tests: the unit tests' tfjs with its chained ops
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerEvent, WorkerEventOf, WorkerEventType } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';
import { fakeDataset, SIDE } from './helpers/sessionHarness';
import { useCpuBackend } from './helpers/tf';


class TransferringHarness {
  events: WorkerEvent[] = [];
  transferred = 0;
  session = new TrainingSession({
    // as postMessage: the transferred buffers are detached here, and the page gets the copy
    post: (event, transfer = []) => {
      this.transferred += transfer.length;
      this.events.push(structuredClone(event, { transfer }));
    },
    initBackend: async () => ({ name: 'cpu', reason: 'test', threads: 1, crossOriginIsolated: false }),
    loadDataset: async () => fakeDataset(),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });

  of<T extends WorkerEventType>(type: T): WorkerEventOf<T>[] {
    return this.events.filter((e): e is WorkerEventOf<T> => e.type === type);
  }
}

let h: TransferringHarness;
beforeAll(useCpuBackend);
afterEach(async () => {
  await h?.session.dispose();
});

const CASES: [string, string, string, Record<string, string | number>][] = [
  ['the mixture prior', 'vae', 'mlp', { prior: 'mog', components: 3 }],
  ['the VampPrior', 'vae', 'mlp', { prior: 'vamp', components: 3 }],
  ['the conditional VAE', 'cvae', 'mlp', {}],
  ['M2', 'm2', 'mlp', {}],
  ['the VQ-VAE', 'vqvae', 'conv', {}],
  ['the VAE-GAN', 'vaegan', 'mlp', {}],
];

describe('what the worker transfers', () => {
  it.each(CASES)('leaves %s training on', async (_, family, network, options) => {
    h = new TransferringHarness();
    const model = { family, network, imageShape: { width: SIDE, height: SIDE, channels: 1 }, classCount: 4, hiddenDim: 16, latentDim: 2, likelihood: 'bernoulli', seed: 3, options };
    await h.session.receive({ type: 'setReporting', change: { metricsEvery: 5, latentsEvery: 5, evaluateEvery: 10, latentPoints: 64 } });
    await h.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await h.session.receive({ type: 'configure', datasetId: 'mnist', model, training: { beta: 1, learningRate: 0.01, batchSize: 32, options: family === 'm2' ? { labelled: '100' } : {} } });
    for (let i = 0; i < 30; i++) await h.session.receive({ type: 'step' });
    await h.session.receive({ type: 'exportModel', requestId: 1, name: 'run', savedAt: '2026-12-01T00:00:00Z', page: {} });
    for (let i = 0; i < 10; i++) await h.session.receive({ type: 'step' });
    expect(h.of('error')).toEqual([]);
    expect(h.transferred).toBeGreaterThan(0);
    const metrics = h.of('metrics');
    expect(metrics.length).toBeGreaterThan(4);
    expect(metrics.every((m) => Number.isFinite(m.train.negativeElbo))).toBe(true);
    if (options.prior) {
      const priors = h.of('prior');
      expect(priors.length).toBeGreaterThan(1);
      // the components the page got last are real numbers, not the empty arrays of a detached buffer
      expect(priors.at(-1)!.means.length).toBe(3 * 2);
    }
    expect(h.of('modelExported').length).toBe(1);
  });
});
