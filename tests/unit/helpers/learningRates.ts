/**
 * The learning-rate range, for some families of the registry (and each of their networks and
 * likelihoods): at TRAINABLE_LEARNING_RATE, the fastest rate the settings accept without a
 * warning, a model trains (its −ELBO falls) and the worker's divergence watch never fires; at
 * the old maximum of 10 the watch stops the run. Judged by the worker's own recovery code.
 * The cases are split over two test files (learningRate*.test.ts) so they run on two cores.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES, type FamilyId, type NetworkId } from '../../../src/core/models/catalog';
import type { ModelConfig } from '../../../src/core/models/config';
import { LIKELIHOODS, type LikelihoodId } from '../../../src/core/objective/catalog';
import type { SettingSpecs } from '../../../src/core/settings/spec';
import { TRAINABLE_LEARNING_RATE } from '../../../src/core/training/config';
import type { DivergedVerdict } from '../../../src/worker/divergence';
import { createLiveModel, type LiveModel } from '../../../src/worker/liveModel';
import { Recovery } from '../../../src/worker/recovery';
import { prototypePatterns } from './data';
import { useCpuBackend } from './tf';

/** Image sides each network is built for (as in the conformance suite). */
const SIDE: Record<NetworkId, number> = { mlp: 8, conv: 8 };
const BATCH = 32;
const STEPS = 200;
const REPORT_EVERY = 20;
/** 200 steps of the conv network on tfjs-cpu take minutes on a shared, loaded machine (no timing is asserted). */
const TIMEOUT_MS = 600_000;

function configFor(family: FamilyId, network: NetworkId, likelihood: LikelihoodId): ModelConfig {
  const side = SIDE[network];
  return {
    family,
    network,
    imageShape: { width: side, height: side, channels: 1 },
    classCount: 4,
    hiddenDim: 32,
    latentDim: 4,
    likelihood,
    seed: 11,
    options: Object.fromEntries(Object.entries(FAMILIES[family].settings as SettingSpecs).filter(([, s]) => s.effect === 'model').map(([k, s]) => [k, s.default])),
  };
}

let live: LiveModel[] = [];

/** Train like the worker does: a report every 20 steps, judged by the recovery; the −ELBO of each report, and the divergence if one came. */
async function train(config: ModelConfig, learningRate: number): Promise<{ bounds: number[]; diverged: DivergedVerdict | null }> {
  const data = prototypePatterns(256, 7, 4, 0.05, config.imageShape.width);
  const model = createLiveModel(config, { beta: 1, learningRate, batchSize: BATCH }, { labels: Uint8Array.from(data.labels), holdOutClass: null });
  live.push(model);
  const images = tf.tensor2d(data.images, [data.count, data.dim]);
  const labels = tf.tensor1d(data.labels, 'int32');
  const recovery = new Recovery({ onCopy: () => undefined });
  const bounds: number[] = [];
  try {
    for (let step = 1; step <= STEPS; step++) {
      // not in a tidy: the trainer keeps its running metric sums across steps
      const at = tf.tensor1d(model.batcher.nextBatch(), 'int32');
      const x = tf.gather(images, at) as tf.Tensor2D;
      const y = model.usesLabels ? (tf.gather(labels, at) as tf.Tensor1D) : null;
      model.trainer.trainStep({ x, labels: y });
      tf.dispose([at, x, ...(y ? [y] : [])]);
      if (step % REPORT_EVERY !== 0) continue;
      const metrics = await model.trainer.readMetrics();
      if (!metrics) continue;
      const diverged = await recovery.afterReport(model, metrics);
      if (diverged) return { bounds, diverged };
      bounds.push(metrics.negativeElbo);
    }
    return { bounds, diverged: null };
  } finally {
    images.dispose();
    labels.dispose();
  }
}

/** The learning-rate tests of every network and likelihood of `families`. */
export function describeLearningRates(families: readonly FamilyId[]): void {
  const cases = families.flatMap((family) =>
    FAMILIES[family].networks.flatMap((network) => LIKELIHOODS.map(({ id }) => ({ family, network, likelihood: id, config: configFor(family, network, id) }))),
  );
  beforeAll(useCpuBackend);
  afterEach(() => {
    for (const m of live) m.trainer.dispose();
    live = [];
  });
  describe.each(cases)('family $family, network $network, $likelihood likelihood', ({ config }) => {
    it(`trains at the fastest accepted learning rate (${TRAINABLE_LEARNING_RATE}) without a divergence`, async () => {
      const { bounds, diverged } = await train(config, TRAINABLE_LEARNING_RATE);
      expect(diverged).toBeNull();
      expect(bounds).toHaveLength(STEPS / REPORT_EVERY);
      const first = bounds[0];
      const last = Math.min(...bounds.slice(-3));
      // a clear fall, on the scale of the loss (the Gaussian density's −ELBO goes negative)
      expect(last).toBeLessThan(first - 0.2 * Math.abs(first));
    }, TIMEOUT_MS);

    it('is stopped by the divergence watch at a learning rate of 10', async () => {
      const { diverged } = await train(config, 10);
      expect(diverged).not.toBeNull();
    }, TIMEOUT_MS);
  });
}
