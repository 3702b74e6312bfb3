/**
 * Save → load for every family in the registry and every network it offers: a model written to a
 * model file and read back gives the same outputs on a fixed batch, has the same optimiser
 * moments and steps, keeps the page's state (the loss history), and trains on with exactly the
 * next loss the saved run would have had. And through the worker's session: every kind of bad
 * file is refused with its own message while the model in training stays as it was.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile, writeModelFile, type ModelFileHeader } from '../../src/core/io/modelFile';
import { FAMILIES, FAMILY_IDS, type FamilyId, type NetworkId } from '../../src/core/models/catalog';
import type { ModelConfig } from '../../src/core/models/config';
import type { SettingSpecs } from '../../src/core/settings/spec';
import type { TrainerSnapshot } from '../../src/core/training/trainerState';
import { disposeTrainerSnapshot } from '../../src/core/training/trainerState';
import type { Dataset } from '../../src/data/dataset';
import { createLiveModel, type LiveModel } from '../../src/worker/liveModel';
import { readLiveModel, writeLiveModel } from '../../src/worker/modelFiles';
import type { WorkerEvent, WorkerEventOf, WorkerEventType } from '../../src/worker/protocol';
import { disposeBatch, ResidentData } from '../../src/worker/residentData';
import { TrainingSession } from '../../src/worker/session';
import { prototypePatterns } from './helpers/data';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

const SIDE: Record<NetworkId, number> = { mlp: 8, conv: 8 };
const CLASSES = 4;

function dataset(side: number): Dataset {
  const split = (count: number, seed: number) => {
    const d = prototypePatterns(count, seed, CLASSES, 0.05, side);
    return { images: d.images, labels: Uint8Array.from(d.labels), count: d.count };
  };
  return { id: 'mnist', name: 'patterns', shape: { width: side, height: side, channels: 1 }, classNames: ['a', 'b', 'c', 'd'], train: split(200, 1), test: split(40, 2) };
}

function configFor(family: FamilyId, network: NetworkId, override: Record<string, string | number> = {}): ModelConfig {
  const side = SIDE[network];
  return {
    family,
    network,
    imageShape: { width: side, height: side, channels: 1 },
    classCount: CLASSES,
    hiddenDim: 16,
    latentDim: 3,
    likelihood: 'bernoulli',
    seed: 11,
    options: { ...Object.fromEntries(Object.entries(FAMILIES[family].settings as SettingSpecs).filter(([, s]) => s.effect === 'model').map(([k, s]) => [k, s.default])), ...override },
  };
}

/** Every family with every network at its defaults, and the VAE with each learned prior (its variables are saved too). */
const CASES: { family: FamilyId; network: NetworkId; variant: string; override: Record<string, string | number> }[] = [
  ...FAMILY_IDS.flatMap((family) => FAMILIES[family].networks.map((network) => ({ family, network, variant: 'defaults', override: {} }))),
  ...(['mlp', 'conv'] as const).flatMap((network) =>
    [
      { prior: 'mog', components: 3 },
      { prior: 'vamp', components: 2 },
    ].map((override) => ({ family: 'vae' as const, network, variant: `prior=${override.prior}`, override })),
  ),
];
const TRAINING = { beta: 1, learningRate: 0.01, batchSize: 32 };

let owned: { dispose(): void }[] = [];
afterEach(() => {
  for (const o of owned) o.dispose();
  owned = [];
});

function step(model: LiveModel, data: ResidentData): void {
  const batch = data.batch(model.batcher.nextBatch(), model.usesLabels);
  try {
    model.trainer.trainStep(batch);
  } finally {
    disposeBatch(batch);
  }
}

function valuesOf(snapshot: TrainerSnapshot) {
  const read = (list: { path: string; tensor: tf.Tensor }[]) => list.map(({ path, tensor }) => [path, Array.from(tensor.dataSync())]);
  return {
    step: snapshot.step,
    noise: snapshot.noise,
    weights: read(snapshot.weights),
    optimizers: snapshot.optimizers.map((o) => ({ group: o.group, step: o.step, m: read(o.firstMoments), v: read(o.secondMoments) })),
  };
}

function stateOf(model: LiveModel) {
  const snapshot = model.trainer.captureState();
  try {
    return valuesOf(snapshot);
  } finally {
    disposeTrainerSnapshot(snapshot);
  }
}

const PAGE = { history: { train: [{ step: 20, values: { reconstruction: 30.5, kl: 2.25, negativeElbo: 32.75 }, beta: 1 }], test: [], markers: [] }, chartOffset: 0 };

describe.each(CASES)('save → load of family $family with network $network ($variant)', ({ family, network, override }) => {
  it('keeps outputs, moments, steps and history, and trains on with the same next loss', async () => {
    const config = configFor(family, network, override);
    const d = dataset(config.imageShape.width);
    const data = new ResidentData(d);
    owned.push(data);
    const original = createLiveModel(config, TRAINING, { labels: d.train.labels, holdOutClass: null });
    owned.push(original.trainer);
    // past an epoch boundary (200 / 32 → 7 batches), so the batch order has been reshuffled
    for (let s = 0; s < 9; s++) step(original, data);
    await original.trainer.readMetrics();
    const summary = data.summary;
    const file = await writeLiveModel(original, summary, { name: 'run', savedAt: '2026-12-02T08:00:00.000Z', page: PAGE });
    const read = readModelFile(file);
    if (!read.ok) throw new Error(read.message);
    expect(read.header.page).toEqual(PAGE);
    expect(read.header.progress.step).toBe(9);

    const loaded = readLiveModel(file, () => ({ shape: d.shape, classCount: CLASSES })).live;
    owned.push(loaded.trainer);
    expect(loaded.trainer.step).toBe(9);
    expect(loaded.trainer.modelConfig).toEqual(config);
    expect(loaded.trainer.config).toEqual(original.trainer.config);
    // same weights, Adam moments and steps, noise position
    expect(stateOf(loaded)).toEqual(stateOf(original));
    expect(loaded.batcher.epoch).toBe(original.batcher.epoch);
    expect(loaded.batcher.positionInEpoch).toBe(original.batcher.positionInEpoch);

    // same outputs on a fixed batch
    const images = d.test.images.subarray(0, 10 * data.pixels);
    const labels = FAMILIES[family].usesLabels ? d.test.labels.subarray(0, 10) : undefined;
    const [a, b] = [await original.trainer.scoreExamples(images, 10, 10, 5, labels), await loaded.trainer.scoreExamples(images, 10, 10, 5, labels)];
    expect(Array.from(b.negativeElbo)).toEqual(Array.from(a.negativeElbo));
    if (FAMILIES[family].latentKind === 'gaussian') {
      const z = new Float32Array(4 * config.latentDim).map((_, i) => Math.cos(i));
      expect(Array.from(await loaded.trainer.decode(z.slice(), 4, labels?.subarray(0, 4)))).toEqual(Array.from(await original.trainer.decode(z.slice(), 4, labels?.subarray(0, 4))));
      // a learned prior comes back with its components (the page draws them, the KL and the IWAE bound use them)
      expect(await loaded.trainer.priorComponents()).toEqual(await original.trainer.priorComponents());
      if (override.prior) expect((await loaded.trainer.priorComponents())?.count).toBe(override.components);
    }

    // the next steps: the same batches, the same ε, the same loss, to the last bit
    for (let s = 0; s < 3; s++) {
      step(original, data);
      step(loaded, data);
      const [ma, mb] = [await original.trainer.readMetrics(), await loaded.trainer.readMetrics()];
      expect(mb).toEqual(ma);
    }
    expect(stateOf(loaded)).toEqual(stateOf(original));
  });
});

// ---- through the worker's session ------------------------------------------------------------

const SESSION_MODEL: ModelConfig = { ...configFor('vae', 'mlp'), latentDim: 2 };

class Harness {
  events: WorkerEvent[] = [];
  session = new TrainingSession({
    post: (event) => this.events.push(event),
    initBackend: async () => ({ name: 'cpu', reason: 'test', threads: 1, crossOriginIsolated: false }),
    loadDataset: async () => dataset(8),
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

  async ready(model: ModelConfig = SESSION_MODEL): Promise<void> {
    await this.session.receive({ type: 'setReporting', change: { metricsEvery: 1, latentsEvery: 1000, evaluateEvery: 1000, latentPoints: 10 } });
    await this.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await this.session.receive({ type: 'configure', datasetId: 'mnist', model, training: TRAINING });
  }

  async exportFile(requestId: number): Promise<Uint8Array> {
    await this.session.receive({ type: 'exportModel', requestId, name: 'saved', savedAt: '2026-12-02T08:00:00.000Z', page: PAGE });
    return this.last('modelExported').file;
  }

  /** The live model's weights and moments, as plain numbers. */
  state() {
    return stateOf((this.session as unknown as { model: LiveModel }).model);
  }
}

/** A copy of a file with its header changed (the checksum stays right). */
function rewrite(file: Uint8Array, change: (h: ModelFileHeader, data: Uint8Array) => void): Uint8Array {
  const read = readModelFile(file);
  if (!read.ok) throw new Error(read.message);
  const header = structuredClone(read.header);
  const data = read.data.slice();
  change(header, data);
  return writeModelFile(header, data);
}

let h: Harness;
afterEach(async () => {
  await h?.session.dispose();
});

describe('loading a model file in the worker', () => {
  it('continues a saved run: the step, the next loss, the tensor count', async () => {
    h = new Harness();
    await h.ready();
    for (let s = 0; s < 4; s++) await h.session.receive({ type: 'step' });
    const file = await h.exportFile(1);
    await h.session.receive({ type: 'step' });
    const next = h.last('metrics');
    const tensors = tf.memory().numTensors;
    await h.session.receive({ type: 'importModel', requestId: 2, file });
    expect(h.of('error')).toEqual([]);
    expect(h.last('configured').cause).toBe('loaded');
    expect(h.last('status').step).toBe(4);
    expect(h.last('modelLoaded')).toMatchObject({ requestId: 2, step: 4 });
    await h.session.receive({ type: 'step' });
    expect(h.last('metrics').train).toEqual(next.train);
    expect(h.last('metrics').step).toBe(5);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('refuses every bad file with its own message and keeps the model in training', async () => {
    h = new Harness();
    await h.ready();
    for (let s = 0; s < 3; s++) await h.session.receive({ type: 'step' });
    const good = await h.exportFile(1);
    const before = h.state();
    const tensors = tf.memory().numTensors;
    const wide = new Harness();
    await wide.ready({ ...SESSION_MODEL, latentDim: 3 });
    const otherShapes = rewrite(await wide.exportFile(1), (header) => (header.model.latentDim = 2));
    await wide.session.dispose();
    const bad: [string, Uint8Array, RegExp][] = [
      ['not ours', new TextEncoder().encode('{"hello": "world"}'), /not a VAE Playground model file.*JSON/],
      ['truncated', good.subarray(0, good.length - 1000), /cut short/],
      ['a newer version', (() => { const f = good.slice(); new DataView(f.buffer).setUint32(8, 7, true); return f; })(), /newer version/],
      ['another family', rewrite(good, (header) => (header.model.family = 'vae-gan')), /family “vae-gan”/],
      ['wrong shapes', otherShapes, /encoder\/head\/weight has shape \[16, 6\], the model needs \[16, 4\]/],
      ['NaN weights', rewrite(good, (_h, data) => new Float32Array(data.buffer, 0, 4).fill(NaN)), /encoder\/hidden\/weight contains NaN/],
      ['a bad setting', rewrite(good, (header) => (header.training.learningRate = -1)), /training settings are not valid here: the learning rate must be a positive number/],
      ['damaged moments', rewrite(good, (header) => (header.trainer.optimizers = [{ group: 'other', step: 3 }])), /neither a weight nor a moment/],
    ];
    const messages = new Set<string>();
    for (const [i, [what, file, message]] of bad.entries()) {
      await h.session.receive({ type: 'importModel', requestId: 10 + i, file });
      const error = h.last('error');
      expect(error.requestId, what).toBe(10 + i);
      expect(error.command, what).toBe('importModel');
      expect(error.message, what).toMatch(message);
      messages.add(error.message);
      expect(h.state(), what).toEqual(before);
    }
    expect(messages.size).toBe(bad.length);
    expect(h.of('modelLoaded')).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    // and it trains on from where it was
    await h.session.receive({ type: 'step' });
    expect(h.last('status').step).toBe(4);
  });

  it('owns every tensor of an export, a PyTorch export and the test set’s codes', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'step' });
    await h.exportFile(1);
    const tensors = tf.memory().numTensors;
    await h.exportFile(2);
    await h.session.receive({ type: 'exportPytorch', requestId: 3, savedAt: '2026-12-02T08:00:00.000Z' });
    expect(h.last('pytorchExported').file.length).toBeGreaterThan(0);
    await h.session.receive({ type: 'encodeTestSet', requestId: 4 });
    expect(h.last('testCodes')).toMatchObject({ requestId: 4, count: 40, latentDim: 2 });
    expect(h.last('testCodes').mu).toHaveLength(80);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('validates the export and import commands', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'importModel', requestId: 3, file: [1, 2, 3] });
    expect(h.last('error').message).toMatch(/file must be the bytes of a model file/);
    await h.session.receive({ type: 'exportModel', requestId: 4, name: 'x', savedAt: 'yesterday', page: {} });
    expect(h.last('error').message).toMatch(/savedAt must be a date/);
    await h.session.receive({ type: 'exportModel', requestId: 5, name: 'x', savedAt: '2026-01-01T00:00:00Z', page: null });
    expect(h.last('error').message).toMatch(/page must be an object/);
  });
});
