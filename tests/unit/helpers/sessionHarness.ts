/**
 * The worker's session (TrainingSession) in Node, on the cpu backend, with a small synthetic data
 * set (8×8 patterns) and a tiny MLP VAE: what the session tests drive, and the events it posted.
 */
import type { Dataset } from '../../../src/data/dataset';
import type { WorkerEvent, WorkerEventOf, WorkerEventType } from '../../../src/worker/protocol';
import { TrainingSession } from '../../../src/worker/session';
import type { LiveModel } from '../../../src/worker/liveModel';
import { prototypePatterns } from './data';
import { mlpVae } from './model';

export const SIDE = 8;

export function fakeDataset(): Dataset {
  const train = prototypePatterns(256, 1, 4, 0.05, SIDE);
  const test = prototypePatterns(64, 2, 4, 0.05, SIDE);
  const split = (d: typeof train) => ({ images: d.images, labels: Uint8Array.from(d.labels), count: d.count });
  return { id: 'mnist', name: 'patterns', shape: { width: SIDE, height: SIDE, channels: 1 }, classNames: ['a', 'b', 'c', 'd'], train: split(train), test: split(test) };
}

export const model = { ...mlpVae({ inputDim: SIDE * SIDE, hiddenDim: 16, latentDim: 2, likelihood: 'bernoulli', seed: 3, classCount: 4 }), imageShape: { width: SIDE, height: SIDE, channels: 1 } };
export const training = { beta: 1, learningRate: 0.01, batchSize: 32 };

export class Harness {
  events: WorkerEvent[] = [];
  backendCalls: string[] = [];
  constructor(private readonly firstBackend: 'cpu' | 'webgl' = 'cpu') {}
  session = new TrainingSession({
    post: (event) => this.events.push(event),
    // the tensors really live on the cpu backend; the session is told what a browser would say
    initBackend: async (choice) => {
      this.backendCalls.push(choice);
      const name = this.backendCalls.length === 1 ? this.firstBackend : 'wasm';
      return { name, reason: 'test', threads: 1, crossOriginIsolated: false };
    },
    loadDataset: async (_id, _url, onProgress) => {
      onProgress(10, 10, 'download');
      return fakeDataset();
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

  async ready(): Promise<void> {
    await this.session.receive({ type: 'setReporting', change: { metricsEvery: 5, latentsEvery: 10, evaluateEvery: 20, latentPoints: 40 } });
    await this.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await this.session.receive({ type: 'configure', datasetId: 'mnist', model, training });
  }

  async until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** The session's model in training (a test's window into the worker). */
export function liveModelOf(session: TrainingSession): LiveModel {
  const model = (session as unknown as { model: LiveModel | null }).model;
  if (!model) throw new Error('the session has no model');
  return model;
}
