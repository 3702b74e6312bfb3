/**
 * Loss terms as a model family declares them, and the numbers read back for them. Pure types and
 * functions (no tfjs): the protocol, the history, the store and the loss chart all work from these
 * declarations, so a family with other terms (VQ-VAE's codebook and commitment, VAE-GAN's
 * adversarial terms) needs no change outside its own declaration.
 */

/** What part a term plays; the loss chart picks a colour and a dash from it. */
export type TermRole = 'reconstruction' | 'regulariser' | 'adversarial' | 'auxiliary';

export interface LossTermSpec {
  /** Stable id: the key of the term in metrics, history and URLs ('reconstruction', 'kl'). */
  id: string;
  label: string;
  /** One line in the words of the ELBO: what the term measures. */
  meaning: string;
  /** Part of the negative ELBO: −ELBO = the sum of these terms, whatever the optimiser minimises. */
  inElbo: boolean;
  /** false: reported but not minimised (a constant, or a term measured only); absent means minimised. */
  inObjective?: boolean;
  role: TermRole;
  /**
   * The id of the term this one is a part of (the KL's three parts of β-TCVAE's decomposition):
   * charted and read back, never added to the bound or to the objective on its own.
   */
  partOf?: string;
}

/** The bound as a series of its own: the id under which −ELBO is charted beside the terms. */
export const NEGATIVE_ELBO_ID = 'negativeElbo';

/** Numbers read back from a step or an evaluation, in nats per example (batch or test-set means). */
export interface LossValues {
  /** The mean of each declared term, by term id. */
  terms: Record<string, number>;
  /** The sum of the terms that are part of the ELBO. */
  negativeElbo: number;
  /** What the optimiser minimised (weights, free bits, capacity applied). */
  objective: number;
  /** KL per latent dimension (Gaussian latents); empty when the latent has none. */
  klPerDim: number[];
  /** The fraction of positions that chose each code (discrete latents); absent otherwise. */
  codeUsage?: number[];
}

/** The value of a term, NaN when the model does not declare it. */
export function termValue(values: Pick<LossValues, 'terms'> | null | undefined, id: string): number {
  const v = values?.terms[id];
  return v === undefined ? Number.NaN : v;
}

/** Every number of a LossValues (terms, bound, objective): finite or not, the divergence check asks. */
export function headlineNumbers(values: LossValues): number[] {
  return [...Object.values(values.terms), values.negativeElbo, values.objective];
}
