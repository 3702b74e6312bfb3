/**
 * The loss terms every Gaussian family shares (the ELBO's reconstruction and KL, and the KL's three
 * parts that are charted beside it), declared once (catalog.ts re-exports them).
 */
import type { LossTermSpec } from '../objective/terms';

export const RECONSTRUCTION_TERM: LossTermSpec = {
  id: 'reconstruction',
  label: 'Reconstruction',
  meaning: '−E_q[log p(x|z)]: the nats the decoder needs to describe the image given z',
  inElbo: true,
  role: 'reconstruction',
};

export const KL_TERM: LossTermSpec = {
  id: 'kl',
  label: 'KL',
  meaning: 'KL(q(z|x) ‖ p(z)): the nats the code costs against the prior',
  inElbo: true,
  role: 'regulariser',
};

/**
 * The KL term's three parts (β-TCVAE's decomposition, objective/klDecomposition.ts), charted for
 * every Gaussian model; not part of the ELBO's sum (the KL term is), so the bound stays the sum of
 * reconstruction and KL.
 */
export const KL_PART_TERMS: readonly LossTermSpec[] = [
  {
    id: 'mutualInformation',
    label: 'Index-code MI',
    meaning: 'I(x; z): the index-code mutual information, how much the code tells of which image it came from (a part of the KL, estimated on each batch)',
    inElbo: false,
    role: 'auxiliary',
    partOf: 'kl',
  },
  {
    id: 'totalCorrelation',
    label: 'Total correlation',
    meaning: 'KL(q(z) ‖ Π_d q(z_d)): the dependence between the latent dimensions (a part of the KL; β-TCVAE weights it by β)',
    inElbo: false,
    role: 'auxiliary',
    partOf: 'kl',
  },
  {
    id: 'dimensionWiseKl',
    label: 'Dimension-wise KL',
    meaning: 'Σ_d KL(q(z_d) ‖ p(z_d)): how far each dimension of the aggregate posterior is from the prior (a part of the KL)',
    inElbo: false,
    role: 'auxiliary',
    partOf: 'kl',
  },
];
