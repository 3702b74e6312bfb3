/**
 * What every model family must do, checked for each family in the registry and each network it
 * offers (a new family is covered by being in the catalog): the shapes of everything it returns,
 * its declared terms adding up to the −ELBO, finite non-zero gradients for every weight group,
 * a flat tensor count over training with encodes, decodes, evaluations and scores, and a
 * save-by-name round trip that reproduces its outputs exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, FAMILY_IDS, type FamilyId, type NetworkId } from '../../../src/core/models/catalog';
import type { FamilyOptions, ModelConfig } from '../../../src/core/models/config';
import type { LikelihoodId } from '../../../src/core/objective/catalog';
import { betaObjective } from '../../../src/core/objective/gaussianObjective';
import type { SettingSpecs } from '../../../src/core/settings/spec';
import { fixedNoise } from '../../../src/core/training/noise';
import { Trainer } from '../../../src/core/training/trainer';
import { decoderCopyRefusal, decoderVariables, exportDecoderWeights } from '../../../src/core/models/decoderWeights';
import { DecoderShare } from '../../../src/worker/decoderShare';
import type { WorkerEvent } from '../../../src/worker/protocol';
import { DecodeSession } from '../../../src/worker/decode/decodeSession';
import type { DecodeEvent } from '../../../src/worker/decode/protocol';
import { prototypePatterns } from '../helpers/data';
import { TestRng } from '../helpers/rng';
import { useCpuBackend, values } from '../helpers/tf';

beforeAll(useCpuBackend);

/** Image sides each network is built for in these tests (the conv nets need MNIST's or Shapes' size). */
const SIDE: Record<NetworkId, number> = { mlp: 8, conv: 8 };
const CLASSES = 4;
const LATENT = 3;
const BATCH = 8;

/** The family's model settings at their defaults, with `override` on top. */
function modelOptions(family: FamilyId, override: Record<string, string | number> = {}): Record<string, string | number> {
  const specs = FAMILIES[family].settings as SettingSpecs;
  const defaults = Object.fromEntries(Object.entries(specs).filter(([, s]) => s.effect === 'model').map(([k, s]) => [k, s.default]));
  return { ...defaults, ...override };
}

/** Each choice of each of the family's model settings that is not its default (priors, …), one at a time. */
function variantsOf(family: FamilyId): Record<string, string | number>[] {
  const specs = FAMILIES[family].settings as SettingSpecs;
  return Object.entries(specs).flatMap(([key, spec]) =>
    spec.effect === 'model' && spec.options ? spec.options.filter((o) => o.value !== spec.default).map((o) => ({ [key]: o.value })) : [],
  );
}

function configFor(family: FamilyId, network: NetworkId, override: Record<string, string | number> = {}): ModelConfig {
  const side = SIDE[network];
  return {
    family,
    network,
    imageShape: { width: side, height: side, channels: 1 },
    classCount: CLASSES,
    hiddenDim: 16,
    latentDim: LATENT,
    likelihood: 'bernoulli',
    seed: 5,
    options: modelOptions(family, override),
  };
}

type Case = { family: FamilyId; network: NetworkId; variant: string; config: ModelConfig; training: FamilyOptions };

/**
 * The VAE's decoder and likelihood options beyond its model settings' variants (decoder=made with
 * each network comes from those): the autoregressive decoder with the discretised logistic,
 * trained with context dropout and under InfoVAE, and every likelihood with the factorised decoder.
 */
const VAE_VARIANTS: { variant: string; network: NetworkId; likelihood: LikelihoodId; options: FamilyOptions; training: FamilyOptions }[] = [
  { variant: 'MADE, logistic, context dropout', network: 'mlp', likelihood: 'logistic', options: { decoder: 'made' }, training: { contextDropout: 0.3 } },
  { variant: 'MADE under InfoVAE', network: 'mlp', likelihood: 'binarised', options: { decoder: 'made' }, training: { vaeObjective: 'infovae', mmdWeight: 100 } },
  { variant: 'InfoVAE', network: 'mlp', likelihood: 'bernoulli', options: {}, training: { vaeObjective: 'infovae', mmdWeight: 100 } },
  { variant: 'binarised', network: 'mlp', likelihood: 'binarised', options: {}, training: {} },
  { variant: 'learned σ', network: 'mlp', likelihood: 'gaussian-learned', options: {}, training: {} },
  { variant: 'discretised logistic', network: 'conv', likelihood: 'logistic', options: {}, training: {} },
];

/** The VQ-VAE with the likelihoods beyond the Bernoulli: binarised pixels, a learned σ, the discretised logistic. */
const VQ_LIKELIHOODS: readonly LikelihoodId[] = ['binarised', 'gaussian-learned', 'logistic'];

const CASES: Case[] = [
  ...FAMILY_IDS.flatMap((family) =>
    FAMILIES[family].networks.flatMap((network) =>
      [{}, ...variantsOf(family)].map((override) => ({ family, network, variant: Object.entries(override).map(([k, v]) => `${k}=${v}`).join(' ') || 'defaults', config: configFor(family, network, override), training: {} })),
    ),
  ),
  ...VAE_VARIANTS.map((v) => {
    const base = configFor('vae', v.network);
    return { family: 'vae' as const, network: v.network, variant: v.variant, config: { ...base, likelihood: v.likelihood, options: { ...base.options, ...v.options } }, training: v.training };
  }),
  ...VQ_LIKELIHOODS.map((likelihood) => ({ family: 'vqvae' as const, network: 'conv' as const, variant: `likelihood ${likelihood}`, config: { ...configFor('vqvae', 'conv'), likelihood }, training: {} })),
];

let live: Trainer[] = [];
let owned: tf.Tensor[] = [];
afterEach(() => {
  for (const t of live) t.dispose();
  live = [];
  tf.dispose(owned);
  owned = [];
});

function build(config: ModelConfig, options: FamilyOptions = {}): Trainer {
  const trainer = new Trainer(config, { beta: 1, learningRate: 0.01, batchSize: BATCH, options }, new TestRng(config.seed));
  live.push(trainer);
  return trainer;
}

function dataFor(config: ModelConfig) {
  const side = config.imageShape.width;
  const data = prototypePatterns(4 * BATCH, 31, CLASSES, 0.05, side);
  const labels = Uint8Array.from(data.labels);
  const batch = (k: number) => {
    const x = tf.tensor2d(data.images.subarray(k * BATCH * data.dim, (k + 1) * BATCH * data.dim), [BATCH, data.dim]);
    const y = tf.tensor1d(Int32Array.from(labels.subarray(k * BATCH, (k + 1) * BATCH)), 'int32');
    owned.push(x, y);
    return { x, labels: FAMILIES[config.family].usesLabels ? y : null };
  };
  return { data, labels, batches: [0, 1, 2, 3].map(batch) };
}

describe.each(CASES)('family $family with network $network ($variant)', ({ config, training }) => {
  it('returns the declared terms with the right shapes, and its −ELBO is the sum of the ELBO terms', () => {
    const trainer = build(config, training);
    const { batches } = dataFor(config);
    const family = FAMILIES[config.family];
    tf.tidy(() => {
      const losses = trainer.losses(batches[0], fixedNoise(1), betaObjective(1), { perExample: true });
      expect(Object.keys(losses.means).sort()).toEqual(family.terms.map((t) => t.id).sort());
      for (const term of family.terms) {
        expect(losses.means[term.id].shape, term.id).toEqual([]);
        expect(losses.perExample?.[term.id].shape, term.id).toEqual([BATCH]);
        expect(values(losses.means[term.id])[0]).toBeCloseTo(values(tf.mean(losses.perExample![term.id]))[0], 4);
      }
      const elbo = family.terms.filter((t) => t.inElbo).reduce((s, t) => s + values(losses.means[t.id])[0], 0);
      expect(values(losses.negativeElbo)[0]).toBeCloseTo(elbo, 4);
      expect(losses.objective.shape).toEqual([]);
      const latent = trainer.model.latent;
      expect(latent.kind).toBe(family.latentKind);
      if (latent.kind === 'discrete') {
        // a grid of code indices per image, decodable into images; the usage of the K codes sums to 1
        const positions = latent.grid[0] * latent.grid[1];
        const codes = latent.encode(batches[0].x, batches[0].labels);
        expect(codes.shape).toEqual([BATCH, positions]);
        expect(codes.dtype).toBe('int32');
        expect(values(codes).every((c) => Number.isInteger(c) && c >= 0 && c < latent.codebookSize)).toBe(true);
        const images = latent.decode(codes, batches[0].labels);
        expect(images.shape).toEqual([BATCH, batches[0].x.shape[1]]);
        expect(values(images).every((v) => v >= 0 && v <= 1)).toBe(true);
        expect(latent.codebook().shape).toEqual([latent.codebookSize, latent.codeDim]);
        expect(losses.codeUsage?.shape).toEqual([latent.codebookSize]);
        expect(values(tf.sum(losses.codeUsage!))[0]).toBeCloseTo(1, 5);
      }
      if (latent.kind === 'gaussian') {
        // a KL that splits over dimensions reports its parts (a mixture prior's one-sample KL does not)
        if (losses.klPerDim) {
          expect(losses.klPerDim.shape).toEqual([LATENT]);
          expect(values(tf.sum(losses.klPerDim))[0]).toBeCloseTo(values(losses.means.kl)[0], 3);
        } else {
          expect(latent.prior.components()).toBeTruthy();
        }
        const posterior = latent.encode(batches[0].x, batches[0].labels);
        expect(posterior.mu.shape).toEqual([BATCH, LATENT]);
        expect(posterior.logVar.shape).toEqual([BATCH, LATENT]);
        const images = latent.decode(posterior.mu, batches[0].labels);
        expect(images.shape).toEqual([BATCH, batches[0].x.shape[1]]);
        expect(values(images).every((v) => v >= 0 && v <= 1)).toBe(true);
        // what the importance-weighted bound asks of a Gaussian latent: log p(x|z) and log p(z) per row
        const logLikelihood = latent.logLikelihood(batches[0].x, posterior.mu, batches[0].labels);
        expect(logLikelihood.shape).toEqual([BATCH]);
        expect(values(logLikelihood).every(Number.isFinite)).toBe(true);
        const logPrior = latent.prior.logDensity(posterior.mu);
        expect(logPrior.shape).toEqual([BATCH]);
        expect(values(logPrior).every(Number.isFinite)).toBe(true);
      }
    });
  });

  it('gives every weight group finite, non-zero gradients', () => {
    const trainer = build(config, training);
    const { batches } = dataFor(config);
    for (const phase of trainer.model.phases) {
      const group = trainer.model.groups.find((g) => g.id === phase.group)!;
      expect(group.variables.length, phase.group).toBeGreaterThan(0);
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => trainer.model.losses(batches[0], fixedNoise(2), trainer.objectiveAt(), phase.group).objective, group.variables);
        for (const v of group.variables) {
          const g = values(grads[v.name]);
          expect(g.every(Number.isFinite), v.name).toBe(true);
          // every variable is reached (a learned prior's, the VampPrior's pseudo-inputs through the encoder)
          expect(g.some((x) => x !== 0), `${v.name} gets no gradient`).toBe(true);
        }
        const total = group.variables.reduce((s, v) => s + values(grads[v.name]).reduce((a, b) => a + Math.abs(b), 0), 0);
        expect(total, phase.group).toBeGreaterThan(0);
      });
    }
  });

  it('holds a flat tensor count over 200 steps with encodes, decodes, evaluations and scores', async () => {
    const before = tf.memory().numTensors;
    const trainer = build(config, training);
    const { data, labels, batches } = dataFor(config);
    const withLabels = FAMILIES[config.family].usesLabels ? labels : undefined;
    trainer.saveCheckpoint();
    trainer.trainStep(batches[0]);
    await trainer.readMetrics();
    const settled = tf.memory().numTensors;
    for (let s = 1; s <= 200; s++) {
      trainer.trainStep(batches[s % batches.length]);
      if (s % 20 === 0) await trainer.readMetrics();
      if (s % 50 === 0) {
        if (trainer.model.latent.kind === 'gaussian') {
          await trainer.encode(data.images.subarray(0, 5 * data.dim), 5, withLabels?.subarray(0, 5));
          await trainer.decode(new Float32Array(2 * LATENT).fill(0.5), 2, withLabels?.subarray(0, 2));
        } else {
          const codes = await trainer.encodeCodes(data.images.subarray(0, 5 * data.dim), 5, withLabels?.subarray(0, 5));
          await trainer.decodeCodes(codes.subarray(0, (2 * codes.length) / 5), 2, withLabels?.subarray(0, 2));
          await trainer.codebook();
        }
        await trainer.evaluate(data.images, data.count, 10, 3, undefined, withLabels);
        await trainer.scoreExamples(data.images, data.count, 10, 3, withLabels);
        if (FAMILIES[config.family].latentKind === 'gaussian') await trainer.importanceWeightedBounds(data.images, 3, { ks: [1, 5], samples: 10, rowsPerChunk: 12 }, withLabels);
        trainer.saveCheckpoint();
      }
    }
    expect(tf.memory().numTensors).toBe(settled);
    trainer.dispose();
    live = live.filter((t) => t !== trainer);
    expect(tf.memory().numTensors).toBe(before + owned.length);
    // hundreds of conv steps (VAE-GAN's conv players take a minute of this): more than the default minute on a loaded 2-core machine
  }, 600_000);

  it('training lowers its −ELBO on a small fixed set', async () => {
    const trainer = build(config, training);
    const { data, labels, batches } = dataFor(config);
    const withLabels = FAMILIES[config.family].usesLabels ? labels : undefined;
    const start = await trainer.evaluate(data.images, data.count, 32, 3, undefined, withLabels);
    for (let s = 0; s < 150; s++) trainer.trainStep(batches[s % batches.length]);
    const end = await trainer.evaluate(data.images, data.count, 32, 3, undefined, withLabels);
    expect(end.negativeElbo).toBeLessThan(0.8 * start.negativeElbo);
  }, 600_000);

  it('round-trips its weights by name: a fresh model loaded with them gives the same outputs', async () => {
    const source = build(config, training);
    const { data, labels, batches } = dataFor(config);
    for (let s = 0; s < 5; s++) source.trainStep(batches[s % batches.length]);
    const weights = await source.exportWeights();
    expect(new Set(weights.map((w) => w.path)).size).toBe(weights.length);
    expect(weights.every((w) => !w.path.includes('#') && /^[a-z]/.test(w.path))).toBe(true);
    const target = build({ ...config, seed: config.seed + 1 }, training);
    target.importWeights(weights, source.step);
    const withLabels = FAMILIES[config.family].usesLabels ? labels : undefined;
    const a = await source.scoreExamples(data.images, data.count, 16, 9, withLabels);
    const b = await target.scoreExamples(data.images, data.count, 16, 9, withLabels);
    expect(Array.from(b.negativeElbo)).toEqual(Array.from(a.negativeElbo));
    if (FAMILIES[config.family].latentKind === 'gaussian') {
      const z = new Float32Array(3 * LATENT).map((_, i) => Math.sin(i));
      expect(Array.from(await target.decode(z.slice(), 3, withLabels?.subarray(0, 3)))).toEqual(Array.from(await source.decode(z.slice(), 3, withLabels?.subarray(0, 3))));
    } else {
      const codes = await source.encodeCodes(data.images.subarray(0, 3 * data.dim), 3);
      expect(Array.from(await target.encodeCodes(data.images.subarray(0, 3 * data.dim), 3))).toEqual(Array.from(codes));
      expect(Array.from(await target.decodeCodes(codes, 3))).toEqual(Array.from(await source.decodeCodes(codes, 3)));
      // training the loaded model goes on from its codebook: no fresh start from the next batch
      const before = (await target.codebook()).vectors;
      target.trainStep(batches[0]);
      const after = (await target.codebook()).vectors;
      const moved = after.reduce((m, v, i) => Math.max(m, Math.abs(v - before[i])), 0);
      expect(moved).toBeLessThan(0.1);
    }
    // a weight of the wrong shape is refused with its path, and nothing is assigned
    const bad = weights.map((w, i) => (i === 0 ? { ...w, shape: [w.values.length], values: w.values } : w));
    const before = await target.exportWeights();
    expect(() => target.importWeights(bad, 0)).toThrow(new RegExp(weights[0].path.replace(/[/]/g, '\\/')));
    expect((await target.exportWeights()).map((w) => Array.from(w.values))).toEqual(before.map((w) => Array.from(w.values)));
  });

  it('decodes exactly as the model from a copy of its decoder alone (the decode worker), with the classes asked for', async () => {
    const refusal = decoderCopyRefusal(config);
    if (refusal) {
      // a discrete latent (code grids) or the autoregressive decoder (pixel by pixel): no copy is
      // posted, the decode worker declines saying why, and the training worker decodes as before
      expect(FAMILIES[config.family].latentKind !== 'gaussian' || config.options.decoder === 'made').toBe(true);
      const posted: WorkerEvent[] = [];
      const share = new DecoderShare({ post: (e) => posted.push(e), now: () => 0 });
      share.enabled = true;
      await share.post(build(config));
      expect(posted).toEqual([]);
      const events: DecodeEvent[] = [];
      const session = new DecodeSession((e) => events.push(e));
      await session.receive({ type: 'weights', model: config, modelSerial: 1, seq: 1, step: 0, weights: [] });
      await session.receive({ type: 'decode', requestId: 1, latents: new Float32Array(LATENT), count: 1, modelSerial: 1 });
      expect(events).toEqual([{ type: 'declined', requestId: 1, reason: refusal }]);
      expect(session.copy).toBeNull();
      return;
    }
    const conditional = FAMILIES[config.family].usesLabels;
    const source = build(config);
    const { batches } = dataFor(config);
    for (let s = 0; s < 5; s++) source.trainStep(batches[s % batches.length]);
    const weights = await exportDecoderWeights(source.model);
    // the copy is the decoder's share: fewer weights than the model, all of them read by decode
    expect(weights.length).toBeGreaterThan(0);
    expect(weights.length).toBeLessThan(source.model.named.length);
    expect(weights.map((w) => w.path)).toEqual(decoderVariables(source.model).map((n) => n.path));
    const before = tf.memory().numTensors;
    const events: DecodeEvent[] = [];
    const session = new DecodeSession((e) => events.push(e));
    await session.receive({ type: 'weights', model: config, modelSerial: 1, seq: 1, step: source.step, weights });
    const copyDecode = async (latents: Float32Array, count: number, labels?: Int32Array) => {
      await session.receive({ type: 'decode', requestId: events.length + 1, latents: latents.slice(), count, modelSerial: 1, ...(labels ? { labels: labels.slice() } : {}) });
      return events.at(-1) as DecodeEvent;
    };
    const z = new Float32Array(3 * LATENT).map((_, i) => Math.cos(i));
    // the page's requests: the picked class for every latent (probe, traversals), every class for one z (the strip)
    const requests: { latents: Float32Array; count: number; labels?: Int32Array }[] = conditional
      ? [
          ...[0, 2].map((picked) => ({ latents: z, count: 3, labels: new Int32Array(3).fill(picked) })),
          { latents: Float32Array.from({ length: CLASSES * LATENT }, (_, i) => z[i % LATENT]), count: CLASSES, labels: Int32Array.from({ length: CLASSES }, (_, c) => c) },
        ]
      : [{ latents: z, count: 3 }];
    const decoded: Float32Array[] = [];
    for (const { latents, count, labels } of requests) {
      const reply = await copyDecode(latents, count, labels);
      expect(reply.type, reply.type === 'error' ? reply.message : '').toBe('decoded');
      const images = (reply as Extract<DecodeEvent, { type: 'decoded' }>).images;
      expect(Array.from(images)).toEqual(Array.from(await source.decode(latents.slice(), count, labels)));
      decoded.push(images);
    }
    if (conditional) {
      // the class really conditions the copy's decode: class 0 and class 2 decode the same z differently
      expect(Array.from(decoded[1])).not.toEqual(Array.from(decoded[0]));
      // and a conditional decode without classes, or with a class the model lacks, is refused with a reason
      const missing = await copyDecode(z, 3);
      expect(missing.type === 'error' && missing.message).toMatch(/class with every latent/);
      const unknown = await copyDecode(z, 3, Int32Array.of(0, CLASSES, 1));
      expect(unknown.type === 'error' && unknown.message).toMatch(/class must be ≥ 0 and below 4/);
    }
    session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
