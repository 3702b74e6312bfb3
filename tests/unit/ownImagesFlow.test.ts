/**
 * Your own images through the worker's session: the page hands the images over (useImages,
 * validated), a model is built for their size and classes and trains on them, and a model file
 * trained on them loads only where they are. (The controller's side: controller/ownImages.test.ts.)
 */
// the umbrella package first, as the other unit tests have it: it sets up the ops tensors call as methods (clone)
import '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OwnImages } from '../../src/data/own/ownDataset';
import type { WorkerEvent, WorkerEventOf, WorkerEventType } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

function ownImages(count = 30, side = 28): OwnImages {
  return {
    name: 'your images (test)',
    side,
    classNames: ['bright', 'dark'],
    pixels: Uint8Array.from({ length: count * side * side }, (_, i) => (Math.floor(i / (side * side)) % 2 === 0 ? (i % 7) * 36 : 0)),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 2),
    count,
  };
}

class Harness {
  events: WorkerEvent[] = [];
  session = new TrainingSession({
    post: (event) => this.events.push(event),
    initBackend: async () => ({ name: 'cpu', reason: 'test', threads: 1, crossOriginIsolated: false }),
    loadDataset: async () => {
      throw new Error('nothing is fetched for your own images');
    },
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });

  last<T extends WorkerEventType>(type: T): WorkerEventOf<T> {
    const all = this.events.filter((e): e is WorkerEventOf<T> => e.type === type);
    if (!all.length) throw new Error(`no ${type} event among ${this.events.map((e) => e.type).join(', ')}`);
    return all[all.length - 1];
  }
}

const model = { family: 'vae' as const, network: 'mlp' as const, imageShape: { width: 28, height: 28, channels: 1 }, classCount: 2, hiddenDim: 16, latentDim: 2, likelihood: 'bernoulli' as const, seed: 2, options: {} };
const training = { beta: 1, learningRate: 0.01, batchSize: 8 };

let h: Harness;
afterEach(async () => {
  await h?.session.dispose();
});

describe('your own images in the worker', () => {
  it('trains on the images given, and refuses to configure before any are', async () => {
    h = new Harness();
    await h.session.receive({ type: 'setReporting', change: { metricsEvery: 1, latentsEvery: 1000, evaluateEvery: 1000, latentPoints: 10 } });
    await h.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await h.session.receive({ type: 'configure', datasetId: 'own', model, training });
    expect(h.last('error').message).toMatch(/no images yet/);
    await h.session.receive({ type: 'useImages', images: { ...ownImages(), side: 30 } });
    expect(h.last('error').message).toMatch(/useImages: images.side must be one of 28, 32/);
    await h.session.receive({ type: 'useImages', images: ownImages() });
    await h.session.receive({ type: 'configure', datasetId: 'own', model, training });
    expect(h.last('dataReady').summary).toMatchObject({ datasetId: 'own', name: 'your images (test)', trainCount: 27, testCount: 3, classNames: ['bright', 'dark'] });
    for (let s = 0; s < 3; s++) await h.session.receive({ type: 'step' });
    expect(h.last('status').step).toBe(3);
    expect(Number.isFinite(h.last('metrics').train.negativeElbo)).toBe(true);

    // a model file of it loads where the images are, and says what it needs where they are not
    await h.session.receive({ type: 'exportModel', requestId: 1, name: 'mine', savedAt: '2026-12-02T00:00:00Z', page: {} });
    const file = h.last('modelExported').file;
    const elsewhere = new Harness();
    await elsewhere.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await elsewhere.session.receive({ type: 'importModel', requestId: 2, file: file.slice() });
    expect(elsewhere.last('error').message).toMatch(/trained on your own images: choose them/);
    await elsewhere.session.receive({ type: 'useImages', images: ownImages() });
    await elsewhere.session.receive({ type: 'importModel', requestId: 3, file: file.slice() });
    expect(elsewhere.last('modelLoaded')).toMatchObject({ requestId: 3, step: 3 });
    await elsewhere.session.dispose();

    // new images replace the resident ones at the next configure
    await h.session.receive({ type: 'useImages', images: ownImages(12, 32) });
    await h.session.receive({ type: 'configure', datasetId: 'own', model: { ...model, imageShape: { width: 32, height: 32, channels: 1 } }, training });
    expect(h.last('dataReady').summary).toMatchObject({ trainCount: 11, testCount: 1, shape: { width: 32, height: 32, channels: 1 } });
  });
});
