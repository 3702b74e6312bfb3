/**
 * VAE-GAN through the worker's session in Node: a single player's step moves only that player's
 * weights' losses, the discriminator's outputs come with the scatter, and "Score samples" (a
 * background job) trains the classifier, reports progress and answers with finite figures for
 * every family (the VQ-VAE's samples from a prior over its codes); tensor counts stay flat over repeated scores.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/core/models/config';
import type { Dataset, ImageSplit } from '../../src/data/dataset';
import type { WorkerEvent, WorkerEventOf, WorkerEventType } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';
import { prototypePatterns } from './helpers/data';
import { useCpuBackend } from './helpers/tf';

const SIDE = 8;
const PIXELS = SIDE * SIDE;

function split(d: ReturnType<typeof prototypePatterns>, from: number, to: number): ImageSplit {
  return { images: d.images.slice(from * PIXELS, to * PIXELS), labels: Uint8Array.from(d.labels.subarray(from, to)), count: to - from };
}

function fakeDataset(): Dataset {
  const all = prototypePatterns(520, 1, 4, 0.05, SIDE);
  return { id: 'mnist', name: 'patterns', shape: { width: SIDE, height: SIDE, channels: 1 }, classNames: ['a', 'b', 'c', 'd'], train: split(all, 0, 320), test: split(all, 320, 520) };
}

type Case = 'vae' | 'vaegan' | 'cvae' | 'vae with a mixture prior' | 'vqvae';

function modelOf(which: Case): ModelConfig {
  const family = which === 'vae with a mixture prior' ? 'vae' : which;
  const options: ModelConfig['options'] = which === 'vae with a mixture prior' ? { prior: 'mog', components: 3 } : {};
  return { family, network: which === 'vqvae' ? 'conv' : 'mlp', imageShape: { width: SIDE, height: SIDE, channels: 1 }, classCount: 4, hiddenDim: 16, latentDim: 2, likelihood: 'bernoulli', seed: 3, options };
}

let sessions: TrainingSession[] = [];
beforeAll(useCpuBackend);
afterEach(async () => {
  for (const s of sessions) await s.dispose();
  sessions = [];
});

async function harness(family: Case) {
  const events: WorkerEvent[] = [];
  const session = new TrainingSession({
    post: (event) => events.push(event),
    initBackend: async () => ({ name: 'cpu', reason: 'test', threads: 1, crossOriginIsolated: false }),
    loadDataset: async () => fakeDataset(),
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    now: () => performance.now(),
  });
  sessions.push(session);
  await session.receive({ type: 'setReporting', change: { metricsEvery: 1, latentsEvery: 5, evaluateEvery: 1000, latentPoints: 20 } });
  await session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
  await session.receive({ type: 'configure', datasetId: 'mnist', model: modelOf(family), training: { beta: 1, learningRate: 0.01, batchSize: 32 } });
  const of = <T extends WorkerEventType>(type: T) => events.filter((e): e is WorkerEventOf<T> => e.type === type);
  const answer = async (id: number) => {
    const find = () => events.find((e) => e.type !== 'jobProgress' && 'requestId' in e && e.requestId === id);
    const start = Date.now();
    while (!find()) {
      if (Date.now() - start > 60_000) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
    return find() as WorkerEvent;
  };
  return { session, events, of, answer };
}

it('steps one player at a time and reports the discriminator’s outputs with the scatter', async () => {
  const h = await harness('vaegan');
  expect(h.of('discriminatorOutputs')).toHaveLength(1); // with the first scatter after configure
  await h.session.receive({ type: 'step', player: 'discriminator' });
  let m = h.of('metrics').at(-1)!;
  expect(m.train.groupUpdates).toEqual({ discriminator: { applied: 1, skipped: 0 } });
  await h.session.receive({ type: 'step', player: 'generator' });
  m = h.of('metrics').at(-1)!;
  expect(m.train.groupUpdates).toEqual({ generator: { applied: 1, skipped: 0 } });
  await h.session.receive({ type: 'step' });
  m = h.of('metrics').at(-1)!;
  expect(m.train.groupUpdates).toEqual({ discriminator: { applied: 1, skipped: 0 }, generator: { applied: 1, skipped: 0 } });
  const d = h.of('discriminatorOutputs').at(-1)!;
  for (const hist of Object.values(d.histograms)) {
    expect(hist).toHaveLength(20);
    expect(hist.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  }
  for (const v of Object.values(d.means)) expect(v).toBeGreaterThan(0);
  await h.session.receive({ type: 'step', player: 'referee' });
  expect(h.of('error').at(-1)!.message).toMatch(/has no player “referee”/);
});

it.each(['vae', 'vaegan', 'cvae', 'vae with a mixture prior', 'vqvae'] as const)('scores samples of a %s: progress, finite figures, a flat tensor count', async (family) => {
  const h = await harness(family);
  for (let i = 0; i < 20; i++) await h.session.receive({ type: 'step' });
  await h.session.receive({ type: 'scoreSamples', requestId: 7, count: 150, classifierSteps: 40 });
  const score = (await h.answer(7)) as WorkerEventOf<'sampleScore'>;
  expect(score.type).toBe('sampleScore');
  expect(score.count).toBe(150);
  expect(Number.isFinite(score.frechetDistance) && score.frechetDistance > 0).toBe(true);
  expect(score.classifierAccuracy).toBeGreaterThan(0.9);
  expect(score.sharpnessRatio).toBeGreaterThan(0);
  expect(score.classShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  // what the samples came from: the VQ-VAE's from its codes' frequencies until a prior over codes is fitted
  expect(score.samplesFrom).toMatch(family === 'vqvae' ? /per-position code frequencies/ : family === 'vae with a mixture prior' ? /learned prior/ : /prior N\(0, I\)/);
  expect(h.of('jobProgress').some((p) => p.kind === 'scoreSamples' && p.stage === 'training the classifier')).toBe(true);
  // a second score reuses the classifier; the tensor count stays flat
  const before = tf.memory().numTensors;
  await h.session.receive({ type: 'scoreSamples', requestId: 8, count: 150, classifierSteps: 40 });
  const again = (await h.answer(8)) as WorkerEventOf<'sampleScore'>;
  expect(again.frechetDistance).toBeCloseTo(score.frechetDistance, 4);
  expect(tf.memory().numTensors).toBe(before);
}, 120_000);

it('scores a VQ-VAE’s samples from its autoregressive prior over codes once one is fitted', async () => {
  const h = await harness('vqvae');
  for (let i = 0; i < 10; i++) await h.session.receive({ type: 'step' });
  await h.session.receive({ type: 'fitCodePriors', requestId: 30, images: 200, steps: 20 });
  expect((await h.answer(30)).type).toBe('codePriorsFitted');
  await h.session.receive({ type: 'scoreSamples', requestId: 31, count: 150, classifierSteps: 40 });
  const score = (await h.answer(31)) as WorkerEventOf<'sampleScore'>;
  expect(score.samplesFrom).toMatch(/autoregressive prior over codes \(fitted at step 10\)/);
  expect(Number.isFinite(score.frechetDistance) && score.frechetDistance > 0).toBe(true);
}, 120_000);

it('explains one image through the VAE-GAN’s diagram: the worked example, each player’s terms for it and a prior sample; tensors flat', async () => {
  const h = await harness('vaegan');
  for (let i = 0; i < 3; i++) await h.session.receive({ type: 'step' });
  const image = fakeDataset().test.images.slice(0, PIXELS);
  const explainOnce = async (requestId: number, seed: number) => {
    await h.session.receive({ type: 'explain', requestId, image: image.slice(), label: null, seed });
    return (await h.answer(requestId)) as WorkerEventOf<'explained'>;
  };
  const first = await explainOnce(21, 5);
  expect(first.example.latentDim).toBe(2);
  const extras = first.extras!;
  expect(Object.keys(extras.terms).sort()).toEqual(['adversarial', 'discriminatorFake', 'discriminatorReal', 'featureReconstruction']);
  for (const v of Object.values(extras.terms)) expect(Number.isFinite(v)).toBe(true);
  // −log D(x) and the fake term are losses of probabilities: positive
  expect(extras.terms.discriminatorReal).toBeGreaterThan(0);
  expect(extras.priorSample).toHaveLength(PIXELS);
  expect(extras.priorSample!.every((p) => p >= 0 && p <= 1)).toBe(true);
  // the same seed gives the same prior sample and terms; the count of tensors stays flat
  const before = tf.memory().numTensors;
  const again = await explainOnce(22, 5);
  expect(again.extras!.priorSample).toEqual(extras.priorSample);
  expect(again.extras!.terms.adversarial).toBeCloseTo(extras.terms.adversarial, 5);
  expect(tf.memory().numTensors).toBe(before);
  // a plain VAE's diagram asks for nothing beyond the worked example
  const vae = await harness('vae');
  await vae.session.receive({ type: 'step' });
  await vae.session.receive({ type: 'explain', requestId: 23, image: image.slice(), label: null, seed: 5 });
  expect(((await vae.answer(23)) as WorkerEventOf<'explained'>).extras).toBeUndefined();
}, 120_000);
