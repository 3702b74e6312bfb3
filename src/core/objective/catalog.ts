/**
 * The names of the objective's building blocks, declared once with their labels: pixel
 * likelihoods, objective kinds and KL schedules. Pure data (no tfjs), so the page, the settings
 * schema and the worker's validation read the same lists; the implementations key on these ids
 * (likelihoods.ts, gaussianObjective.ts, schedules.ts).
 */

export interface Named<Id extends string> {
  id: Id;
  label: string;
  /** What it assumes or does, in a line (captions, hints). */
  caption: string;
}

export const LIKELIHOODS = [
  {
    id: 'bernoulli',
    label: 'Bernoulli (cross-entropy)',
    caption: 'each pixel is a coin flip with the decoded intensity as its probability, scored against the grey intensity itself (cross-entropy): the mean image is smooth, a sample would be black and white',
  },
  {
    id: 'binarised',
    label: 'Bernoulli on binarised pixels',
    caption: 'each pixel is 0 or 1, drawn afresh with its intensity as probability every time an image is used (dynamic binarisation, as in the IWAE paper): a true probability of black-and-white images, so bits per dimension mean something; samples are black and white',
  },
  {
    id: 'gaussian',
    label: 'Gaussian (σ = 0.1)',
    caption: 'each pixel is the decoded intensity plus Gaussian noise of fixed σ = 0.1: a density, so the loss can be negative; the mean image is the blur of everything the decoder cannot tell apart',
  },
  {
    id: 'gaussian-learned',
    label: 'Gaussian, learned σ',
    caption: 'each pixel is the decoded intensity plus Gaussian noise whose σ (one for every pixel) is learned with the weights: σ settles at the decoder\'s RMS error, and a sample is the mean plus that much noise',
  },
  {
    id: 'logistic',
    label: 'Discretised logistic',
    caption: 'each pixel is one of 256 grey levels: the bins of a logistic with the decoded mean and a learned scale, the edge bins 0 and 255 taking the tails (Salimans et al. 2017); a probability, shown in bits per dimension, and samples land on real grey levels',
  },
] as const satisfies readonly Named<string>[];
export type LikelihoodId = (typeof LIKELIHOODS)[number]['id'];

/** Likelihoods of discrete pixels: the loss is a log-probability, so bits per dimension are shown beside it. */
export const DISCRETE_LIKELIHOODS: readonly LikelihoodId[] = ['binarised', 'logistic'];

/** Likelihoods with a learned noise scale (a variable of the model, shown on the page). */
export const LEARNED_SCALE_LIKELIHOODS: readonly LikelihoodId[] = ['gaussian-learned', 'logistic'];

/** Bits per dimension of a loss in nats per image of `pixels` dimensions. */
export function bitsPerDim(natsPerImage: number, pixels: number): number {
  return natsPerImage / (pixels * Math.LN2);
}

/**
 * What the optimiser minimises (the three-way comparison, and β-TCVAE):
 *   'vae':         reconstruction(z ~ q) + KL penalty (weighted by the schedule);
 *   'autoencoder': reconstruction(z = μ) only: a deterministic autoencoder, no sampling, no KL
 *                  term (the KL of q is still reported, for information);
 *   'kl-only':     the weighted KL penalty only, no reconstruction: every posterior collapses
 *                  onto the prior;
 *   'tcvae':       β-TCVAE (Chen et al. 2018): reconstruction + KL + (w − 1)·TC, the total
 *                  correlation (klDecomposition.ts) weighted by the schedule's w = β(t) and the
 *                  rest of the KL by 1.
 */
export const OBJECTIVES = [
  { id: 'vae', label: 'VAE', caption: 'reconstruction + β·KL with z sampled from q(z|x)' },
  { id: 'autoencoder', label: 'plain autoencoder', caption: 'reconstruction at z = μ only: no sampling, no KL term' },
  { id: 'kl-only', label: 'KL-only model', caption: 'the KL term only: every posterior collapses onto the prior' },
  { id: 'tcvae', label: 'β-TCVAE', caption: 'reconstruction + KL + (β − 1)·total correlation: only the dependence between the latent dimensions is weighted by β (Chen et al. 2018)' },
] as const satisfies readonly Named<string>[];
export type ObjectiveKind = (typeof OBJECTIVES)[number]['id'];

export const KL_SCHEDULES = [
  { id: 'constant', label: 'Constant β', caption: 'the KL weight is β at every step (Higgins et al. 2017)' },
  { id: 'linear', label: 'Linear warm-up 0 → β', caption: 'the KL weight rises from 0 to β over the warm-up steps (Bowman et al. 2016)' },
  { id: 'cyclical', label: 'Cyclical (Fu et al. 2019)', caption: 'the KL weight ramps 0 → β again in each of M cycles' },
  { id: 'capacity', label: 'Capacity annealing (Burgess et al.)', caption: 'loss = reconstruction + γ·|KL − C(t)|, C rising to C_max' },
] as const satisfies readonly Named<string>[];
export type KlScheduleKind = (typeof KL_SCHEDULES)[number]['id'];

export function ids<Id extends string>(list: readonly Named<Id>[]): Id[] {
  return list.map((x) => x.id);
}

export function labelOf<Id extends string>(list: readonly Named<Id>[], id: Id): string {
  return list.find((x) => x.id === id)?.label ?? id;
}

/**
 * The prior p(z) of a Gaussian latent. The standard normal has a closed-form KL per dimension;
 * the learned ones (a mixture of Gaussians with learned means, variances and weights; the
 * VampPrior of Tomczak & Welling 2018, the mixture of the posteriors of K learned pseudo-inputs)
 * have none, and the KL term becomes the one-sample estimate log q(z|x) − log p(z).
 */
export const PRIORS = [
  { id: 'standard', label: 'Standard normal N(0, I)', caption: 'p(z) = N(0, I): the KL has a closed form, dimension by dimension' },
  { id: 'mog', label: 'Mixture of Gaussians', caption: 'p(z) = Σ_k w_k N(μ_k, diag σ_k²), means, variances and weights learned with the model' },
  { id: 'vamp', label: 'VampPrior', caption: 'p(z) = (1/K) Σ_k q(z|u_k): the posteriors of K learned pseudo-inputs u_k (Tomczak & Welling 2018)' },
] as const satisfies readonly Named<string>[];
export type PriorId = (typeof PRIORS)[number]['id'];
