/**
 * The explain command: the worked example (core/explain/workedExample.ts) for one image the page
 * chose, with ε drawn from the request's seed, so the same seed shows the same ε on every refresh
 * and "Draw another ε" is a new seed. The loss's β is the one training uses at this step.
 */
import { computeWorkedExample } from '../../core/explain/workedExample';
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
    const example = await computeWorkedExample(latent, x, labels, drawEpsilon(command.seed, latent.latentDim), explainedBeta(model));
    return { type: 'explained', requestId: command.requestId, step: trainer.step, image: command.image, example };
  } finally {
    x.dispose();
    labels?.dispose();
  }
}
