/**
 * Every formula the page shows, written once: the model diagram's nodes, the worked example and
 * the article refer to these by id, and the code that computes each names its id in a comment
 * (objective/kl.ts, models/gaussianLatent.ts, objective/likelihoods.ts, objective/gaussianObjective.ts).
 * The worked example's substituted forms are built here too, from the same pieces.
 */
import { frac, half, mi, mn, mnText, mtext, row, sub, sumOver, sup, type MathNode } from './math';

export type FormulaId =
  | 'encoder'
  | 'decoder'
  | 'sigma'
  | 'epsilon'
  | 'reparameterisation'
  | 'reconstruction'
  | 'klGaussian'
  | 'loss'
  | 'elbo'
  | 'dzdmu'
  | 'dzdlogvar'
  | 'gradMu'
  | 'gradLogVar'
  | 'prior'
  // VAE-GAN (Larsen et al. 2015; objective/adversarial.ts, models/vaeGan.ts)
  | 'priorSample'
  | 'discriminator'
  | 'discriminatorLoss'
  | 'adversarial'
  | 'featureReconstruction'
  | 'generatorLoss'
  | 'vqEncoder'
  | 'quantise'
  | 'vqDecoder'
  | 'codebookTerm'
  | 'commitmentTerm'
  | 'codeKl'
  | 'vqLoss'
  | 'priorMixture'
  | 'priorVamp'
  | 'klSample';

export interface Formula {
  /** What the formula is, in a few words. */
  label: string;
  math: MathNode;
}

const logVarOf = (j: string): MathNode => row('log', { t: 'msubsup', base: mi('σ'), sub: mi(j), sup: mn(2) });
const sigmaSq = (j: string): MathNode => ({ t: 'msubsup', base: mi('σ'), sub: mi(j), sup: mn(2) });
const partial = (top: MathNode | string, bottom: MathNode | string): MathNode => frac(row('∂', top), row('∂', bottom));
const klOf = row('KL', '(', 'q', '(', 'z', '|', 'x', ')', '‖', 'p', '(', 'z', ')', ')');
const pxz = row('log', 'p', '(', 'x', '|', 'z', ')');
const ze = sub('z', 'e');
const zq = sub('z', 'q');
const sg = (inner: MathNode | string): MathNode => row(mtext('sg'), '[', inner, ']');
const squaredNorm = (...inner: (MathNode | string)[]): MathNode => sup(row('‖', ...inner, '‖'), mn(2));

export const FORMULAS: Record<FormulaId, Formula> = {
  encoder: { label: 'the encoder', math: row('μ', ',', row('log', sup('σ', mn(2))), '=', row('Enc', '(', 'x', ')')) },
  decoder: { label: 'the decoder', math: row('x̂', '=', 'Dec', '(', 'z', ')') },
  sigma: { label: 'the standard deviation', math: row('σ', '=', 'exp', '(', half(), row('log', sup('σ', mn(2))), ')') },
  epsilon: { label: 'the noise', math: row('ε', '~', mi('𝒩'), '(', mn(0), ',', 'I', ')') },
  reparameterisation: { label: 'the reparameterisation trick', math: row('z', '=', 'μ', '+', 'σ', '⊙', 'ε') },
  reconstruction: {
    label: 'the reconstruction term',
    math: row(sub('L', mtext('rec')), '=', '−', pxz, '=', '−', sumOver('i', 'D'), row('[', sub('x', 'i'), 'log', sub('x̂', 'i'), '+', '(', mn(1), '−', sub('x', 'i'), ')', 'log', '(', mn(1), '−', sub('x̂', 'i'), ')', ']')),
  },
  klGaussian: {
    label: 'the KL term in closed form',
    math: row(klOf, '=', half(), sumOver('j', 'd'), row('(', sup(sub('μ', 'j'), mn(2)), '+', sigmaSq('j'), '−', logVarOf('j'), '−', mn(1), ')')),
  },
  loss: { label: 'the loss', math: row('L', '=', sub('L', mtext('rec')), '+', 'β', '·', 'KL') },
  elbo: { label: 'the evidence lower bound', math: row('log', 'p', '(', 'x', ')', '≥', 'ELBO', '=', sub('𝔼', row('q', '(', 'z', '|', 'x', ')')), '[', pxz, ']', '−', klOf) },
  dzdmu: { label: '∂z/∂μ', math: row(partial('z', 'μ'), '=', mn(1)) },
  dzdlogvar: { label: '∂z/∂log σ²', math: row(partial('z', row('log', sup('σ', mn(2)))), '=', half(), 'σ', 'ε') },
  gradMu: {
    label: 'the gradient with respect to μ',
    math: row(partial('L', 'μ'), '=', partial(sub('L', mtext('rec')), 'z'), '·', partial('z', 'μ'), '+', 'β', 'μ'),
  },
  gradLogVar: {
    label: 'the gradient with respect to log σ²',
    math: row(
      partial('L', row('log', sup('σ', mn(2)))),
      '=',
      partial(sub('L', mtext('rec')), 'z'),
      '·',
      partial('z', row('log', sup('σ', mn(2)))),
      '+',
      'β',
      '·',
      half(),
      '(',
      sup('σ', mn(2)),
      '−',
      mn(1),
      ')',
    ),
  },
  prior: { label: 'the prior', math: row('p', '(', 'z', ')', '=', mi('𝒩'), '(', mn(0), ',', 'I', ')') },
  priorSample: { label: 'a sample from the prior', math: row(sub('x', 'p'), '=', 'Dec', '(', sub('z', 'p'), ')', ',', sub('z', 'p'), '~', mi('𝒩'), '(', mn(0), ',', 'I', ')') },
  discriminator: { label: 'the discriminator', math: row('D', '(', 'x', ')', '=', 'σ', '(', mtext('Disc'), '(', 'x', ')', ')') },
  discriminatorLoss: {
    label: 'the discriminator’s loss',
    math: row(sub('L', 'D'), '=', '−', 'log', 'D', '(', 'x', ')', '−', half(), '[', 'log', '(', mn(1), '−', 'D', '(', 'x̃', ')', ')', '+', 'log', '(', mn(1), '−', 'D', '(', sub('x', 'p'), ')', ')', ']'),
  },
  adversarial: { label: 'the adversarial term', math: row(sub('L', mtext('adv')), '=', '−', half(), '[', 'log', 'D', '(', 'x̃', ')', '+', 'log', 'D', '(', sub('x', 'p'), ')', ']') },
  featureReconstruction: {
    label: 'the learned similarity',
    math: row(sub('L', mtext('feat')), '=', half(), sup(row('‖', sub('D', 'l'), '(', 'x', ')', '−', sub('D', 'l'), '(', 'x̃', ')', '‖'), mn(2))),
  },
  generatorLoss: { label: 'the encoder’s and decoder’s loss', math: row(sub('L', 'G'), '=', sub('L', mtext('rec')), '+', 'β', '·', 'KL', '+', 'γ', '·', sub('L', mtext('adv'))) },
  // the VQ-VAE's (models/vq/quantiser.ts, models/vq/vqVae.ts)
  vqEncoder: { label: 'the encoder', math: row(ze, '=', 'Enc', '(', 'x', ')') },
  quantise: { label: 'the nearest code', math: row(zq, '=', sub('e', 'k'), ',', 'k', '=', sub(mtext('argmin'), 'j'), squaredNorm(ze, '−', sub('e', 'j'))) },
  vqDecoder: { label: 'the decoder', math: row('x̂', '=', 'Dec', '(', zq, ')') },
  codebookTerm: { label: 'the codebook term', math: row(sub('L', mtext('codebook')), '=', squaredNorm(sg(ze), '−', 'e')) },
  commitmentTerm: { label: 'the commitment term', math: row(sub('L', mtext('commit')), '=', sub('β', 'c'), squaredNorm(ze, '−', sg('e'))) },
  codeKl: { label: 'the KL against a uniform prior over codes', math: row('KL', '=', mtext('positions'), '·', 'log', 'K') },
  vqLoss: { label: 'the loss', math: row('L', '=', sub('L', mtext('rec')), '+', squaredNorm(sg(ze), '−', 'e'), '+', sub('β', 'c'), squaredNorm(ze, '−', sg('e'))) },
  // objective/priors/mixture.ts
  priorMixture: {
    label: 'the mixture prior',
    math: row('p', '(', 'z', ')', '=', sumOver(row('k', '=', mnText('1')), 'K'), sub('w', 'k'), mi('𝒩'), '(', 'z', ';', sub('μ', 'k'), ',', 'diag', sup(sub('σ', 'k'), mn(2)), ')'),
  },
  // objective/priors/vamp.ts
  priorVamp: {
    label: 'the VampPrior',
    math: row('p', '(', 'z', ')', '=', frac(mnText('1'), 'K'), sumOver(row('k', '=', mnText('1')), 'K'), 'q', '(', 'z', '|', sub('u', 'k'), ')'),
  },
  // objective/priors/prior.ts (LatentPrior.kl without a closed form)
  klSample: {
    label: 'the KL term as a one-sample estimate',
    math: row(klOf, '≈', 'log', 'q', '(', 'z', '|', 'x', ')', '−', 'log', 'p', '(', 'z', ')', ',', 'z', '=', 'μ', '+', 'σ', '⊙', 'ε'),
  },
};

export function formula(id: FormulaId): MathNode {
  return FORMULAS[id].math;
}

// ---- the worked example's substituted forms ---------------------------------------------------

/** KL_j = ½ (μ_j² + σ_j² − log σ_j² − 1) = value, with dimension j's values written in (j from 1). */
export function klDimensionSubstituted(j: number, mu: number, logVarValue: number, value: number): MathNode {
  return row(sub('KL', mn(j, 3)), '=', half(), '(', sup(mn(mu, 3, true), mn(2)), '+', mn(Math.exp(logVarValue)), '−', mn(logVarValue, 3, true), '−', mn(1), ')', '=', mn(value, 4));
}

/** KL = Σ_j KL_j = total. */
export function klTotalSubstituted(klPerDim: ArrayLike<number>, shown: number, total: number): MathNode {
  const parts: (MathNode | string)[] = [];
  const n = Math.min(shown, klPerDim.length);
  for (let j = 0; j < n; j++) parts.push(...(j > 0 ? ['+'] : []), mn(klPerDim[j], 4));
  if (n < klPerDim.length) parts.push('+', '…');
  return row('KL', '=', sumOver('j', 'd'), sub('KL', 'j'), '=', ...parts, '=', mn(total, 4));
}

/** μ_j + σ_j · ε_j = z_j with one dimension's values. */
export function reparameterisationSubstituted(mu: number, sigma: number, epsilon: number, z: number): MathNode {
  return row(mn(mu, 4), '+', mn(sigma, 4), '·', mn(epsilon, 4, true), '=', mn(z, 4));
}

/** ∂L/∂μ_j = g_j · 1 + β μ_j and ∂L/∂log σ²_j = g_j · ½σ_jε_j + β·½(σ_j² − 1), with values. */
export function gradientsSubstituted(g: number, mu: number, sigma: number, epsilon: number, beta: number): { mu: MathNode; logVar: MathNode } {
  const dzdl = 0.5 * sigma * epsilon;
  return {
    mu: row(mn(g, 3), '·', mn(1), '+', mn(beta, 3), '·', mn(mu, 3, true), '=', mn(g + beta * mu, 4)),
    logVar: row(mn(g, 3), '·', mn(dzdl, 3, true), '+', mn(beta, 3), '·', half(), '(', mn(sigma * sigma, 3), '−', mn(1), ')', '=', mn(g * dzdl + beta * 0.5 * (sigma * sigma - 1), 4)),
  };
}
