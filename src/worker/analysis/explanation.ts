/**
 * The explain command: the worked example (core/explain/workedExample.ts) for one image the page
 * chose, with ε drawn from the request's seed, so the same seed shows the same ε on every refresh
 * and "Draw another ε" is a new seed. The loss's β is the one training uses at this step.
 */
import { computeWorkedExample, type ExplainExtras } from '../../core/explain/workedExample';
import { familyOf } from '../../core/models/catalog';
import { extraTermsOf, PRIOR_SAMPLE_KEY } from '../../core/models/diagram';
import { gaussianLatentOf, type NoiseSource } from '../../core/models/family';
import * as tf from '../../core/tf';
import { Rng } from '../../data/rng';
import type { LiveModel } from '../liveModel';
import type { WorkerCommand, WorkerEventOf } from '../protocol';

type ExplainCommand = Extract<WorkerCommand, { type: 'explain' }>;

/** ε ~ N(0, I) of a latent's size from a seed. */
export function drawEpsilon(seed: number, latentDim: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: latentDim }, () => rng.normal());
}

/** The KL weight of the loss whose gradients the example shows: β(t), 1 when the objective is not the plain VAE's. */
export function explainedBeta(model: LiveModel): number {
  const spec = model.trainer.objectiveAt();
  return spec.kind === 'vae' && spec.capacity === null ? spec.klWeight : 1;
}

export async function explain(model: LiveModel, command: ExplainCommand, pixels: number): Promise<WorkerEventOf<'explained'>> {
  const { trainer } = model;
  const latent = trainer.model.latent;
  if (latent.kind !== 'gaussian') throw new Error('the worked example needs a Gaussian latent');
  if (command.image.length !== pixels) throw new Error(`expected ${pixels} pixel values, got ${command.image.length}`);
  if (model.usesLabels && command.label === null) throw new Error('this model needs the image’s class label');
  const x = tf.tensor2d(command.image, [1, pixels]);
  const labels = model.usesLabels && command.label !== null ? tf.tensor1d([command.label], 'int32') : null;
  try {
    const epsilon = drawEpsilon(command.seed, latent.latentDim);
    const example = await computeWorkedExample(latent, x, labels, epsilon, explainedBeta(model));
    const extras = await diagramExtras(model, x, labels, epsilon, command.seed);
    return { type: 'explained', requestId: command.requestId, step: trainer.step, image: command.image, example, ...(extras ? { extras } : {}) };
  } finally {
    x.dispose();
    labels?.dispose();
  }
}

/** The prior sample's seed beside ε's (any fixed offset: a new ε, a new prior sample). */
const PRIOR_SEED_OFFSET = 7919;

/**
 * What the family's diagram shows beyond the worked example: its other loss terms for this image
 * (the family's own losses on a batch of one, as its last player minimises them, with the
 * example's ε as the first draw and the shown prior sample as the second draw of its latent's
 * size) and the decoded prior sample. Undefined when the diagram asks for neither (the VAE's).
 */
async function diagramExtras(model: LiveModel, x: tf.Tensor2D, labels: tf.Tensor1D | null, epsilon: Float32Array, seed: number): Promise<ExplainExtras | undefined> {
  const { trainer } = model;
  const diagram = familyOf(trainer.model.config.family).diagram;
  const termIds = extraTermsOf(diagram);
  const wantsPrior = diagram.nodes.some((n) => n.live?.key === PRIOR_SAMPLE_KEY);
  if (termIds.length === 0 && !wantsPrior) return undefined;
  const latent = gaussianLatentOf(trainer.model, 'the diagram’s prior sample');
  const d = latent.latentDim;
  const zPrior = drawEpsilon(seed + PRIOR_SEED_OFFSET, d);
  const rest = new Rng(seed + 2 * PRIOR_SEED_OFFSET);
  let draws = 0;
  const noise: NoiseSource = (shape) => {
    draws += 1;
    if (shape[0] === 1 && shape[1] === d && draws <= 2) return tf.tensor2d(draws === 1 ? epsilon : zPrior, shape);
    return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => rest.normal()), shape);
  };
  const terms: Record<string, number> = {};
  if (termIds.length > 0) {
    const group = trainer.model.groups[trainer.model.groups.length - 1].id;
    const losses = trainer.model.losses({ x, labels }, noise, trainer.objectiveAt(), group, { perExample: true });
    try {
      for (const id of termIds) {
        const perExample = losses.perExample?.[id];
        if (perExample) terms[id] = (await perExample.data())[0];
      }
    } finally {
      tf.dispose([...Object.values(losses.means), ...Object.values(losses.perExample ?? {}), losses.negativeElbo, losses.objective, ...(losses.klPerDim ? [losses.klPerDim] : [])]);
    }
  }
  let priorSample: Float32Array | null = null;
  if (wantsPrior) {
    const z = tf.tensor2d(zPrior, [1, d]);
    const image = latent.decode(z, labels);
    try {
      priorSample = Float32Array.from(await image.data());
    } finally {
      tf.dispose([z, image]);
    }
  }
  return { terms, priorSample };
}
