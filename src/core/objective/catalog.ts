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
  { id: 'bernoulli', label: 'Bernoulli (cross-entropy)', caption: 'each pixel is a coin flip with the decoded intensity as its probability' },
  { id: 'gaussian', label: 'Gaussian (σ = 0.1)', caption: 'each pixel is the decoded intensity plus Gaussian noise of fixed σ = 0.1: a density, so the loss can be negative' },
] as const satisfies readonly Named<string>[];
export type LikelihoodId = (typeof LIKELIHOODS)[number]['id'];

/**
 * What the optimiser minimises (the three-way comparison):
 *   'vae':         reconstruction(z ~ q) + KL penalty (weighted by the schedule);
 *   'autoencoder': reconstruction(z = μ) only: a deterministic autoencoder, no sampling, no KL
 *                  term (the KL of q is still reported, for information);
 *   'kl-only':     the weighted KL penalty only, no reconstruction: every posterior collapses
 *                  onto the prior.
 */
export const OBJECTIVES = [
  { id: 'vae', label: 'VAE', caption: 'reconstruction + β·KL with z sampled from q(z|x)' },
  { id: 'autoencoder', label: 'plain autoencoder', caption: 'reconstruction at z = μ only: no sampling, no KL term' },
  { id: 'kl-only', label: 'KL-only model', caption: 'the KL term only: every posterior collapses onto the prior' },
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
