import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FAMILIES, KL_PART_TERMS, KL_TERM, RECONSTRUCTION_TERM, type FamilyDescriptor } from '../../src/core/models/catalog';
import type { LossTermSpec, LossValues } from '../../src/core/objective/terms';
import { termColors } from '../../src/ui/charts/termColors';
import { termName } from '../../src/ui/format';
import { describeChart, LossCaption, type LossCaptionProps } from '../../src/ui/panels/loss/LossCaption';
import { capacityAt, capacityUpTo, valueRange, varies } from '../../src/ui/panels/loss/schedule';
import { elboSum, lossSeries, splitMeaning, unweightedSum, weightedTerm } from '../../src/ui/panels/loss/series';

const VAE_TERMS: LossTermSpec[] = [RECONSTRUCTION_TERM, KL_TERM];
/** A family with more terms, as VAE-GAN might declare them. */
const GAN_TERMS: LossTermSpec[] = [
  RECONSTRUCTION_TERM,
  KL_TERM,
  { id: 'adversarial', label: 'Adversarial', meaning: '−log D(G(z)): how real the decoder’s images look to the discriminator', inElbo: false, role: 'adversarial' },
  { id: 'perceptual', label: 'Feature matching', meaning: 'the distance in the discriminator’s features', inElbo: false, role: 'auxiliary' },
  { id: 'kl2', label: 'KL of the second layer', meaning: 'KL(q(z₂|z₁) ‖ p(z₂)): the second layer’s cost', inElbo: true, role: 'regulariser' },
];

const latest: LossValues = { terms: { reconstruction: 169.71, kl: 5.4 }, negativeElbo: 175.11, objective: 175.11, klPerDim: [2.7, 2.7] };

function caption(props: Partial<LossCaptionProps>): string {
  const html = renderToStaticMarkup(
    createElement(LossCaption, { terms: VAE_TERMS, latest, latestTest: null, beta: 1, likelihood: 'bernoulli', scheduledBeta: null, capacityNow: null, freeBits: 0, ...props }),
  );
  return html.replace(/<[^>]+>/g, '');
}

describe('loss series from declared terms', () => {
  it('names the VAE’s curves as the chart always has, with −ELBO last', () => {
    const series = lossSeries(VAE_TERMS);
    expect(series.map((s) => s.id)).toEqual(['reconstruction', 'kl', 'negativeElbo']);
    expect(series.map((s) => s.name)).toEqual(['reconstruction', 'KL', '−ELBO']);
    expect(series.map((s) => s.legendName)).toEqual(['reconstruction', 'KL(q(z|x) ‖ p(z))', '−ELBO']);
    expect(series.map((s) => s.legendMath)).toEqual(['−E_q[log p(x|z)]', '', '= sum of both']);
    expect(series.map((s) => s.color)).toEqual(['var(--recon)', 'var(--kl)', 'var(--elbo)']);
  });

  it('colours other terms by role and tells apart two terms of one role', () => {
    const colors = termColors(GAN_TERMS);
    expect(colors.slice(0, 4)).toEqual(['var(--recon)', 'var(--kl)', 'var(--adversarial)', 'var(--auxiliary)']);
    expect(colors[4]).not.toBe(colors[1]);
    expect(colors[4]).toContain('var(--kl)');
    const bound = lossSeries(GAN_TERMS).at(-1)!;
    expect(bound.legendMath).toBe('= sum of all 3');
    expect(bound.meaning).toContain('reconstruction + KL + KL of the second layer');
  });

  it('splits a meaning into its formula and explanation', () => {
    expect(splitMeaning(KL_TERM.meaning)).toEqual({ formula: 'KL(q(z|x) ‖ p(z))', explanation: 'the nats the code costs against the prior' });
    expect(splitMeaning('no formula here')).toEqual({ formula: '', explanation: 'no formula here' });
  });

  it('lower-cases labels in running text but keeps abbreviations', () => {
    expect(termName(RECONSTRUCTION_TERM)).toBe('reconstruction');
    expect(termName(KL_TERM)).toBe('KL');
    expect(termName({ label: 'Feature matching' })).toBe('feature matching');
  });

  it('knows which term β weighs and what the sums are called', () => {
    expect(weightedTerm(VAE_TERMS)).toBe(KL_TERM);
    expect(weightedTerm([RECONSTRUCTION_TERM])).toBeNull();
    expect(elboSum(VAE_TERMS)).toBe('reconstruction + KL');
    expect(unweightedSum(GAN_TERMS)).toBe('reconstruction + adversarial + feature matching + KL of the second layer');
  });
});

describe('the KL’s three parts on the chart', () => {
  const terms = FAMILIES.vae.terms;
  const withParts: LossValues = { ...latest, terms: { ...latest.terms, mutualInformation: 3.1, totalCorrelation: 0.4, dimensionWiseKl: 1.9 } };

  it('draws index-code MI, total correlation and dimension-wise KL beside the VAE’s terms, outside the bound', () => {
    const series = lossSeries(terms);
    expect(series.map((s) => s.id)).toEqual(['reconstruction', 'kl', 'mutualInformation', 'totalCorrelation', 'dimensionWiseKl', 'negativeElbo']);
    expect(series.map((s) => s.legendName).slice(2, 5)).toEqual(['index-code MI', 'total correlation', 'dimension-wise KL']);
    expect(series.map((s) => s.legendMath).slice(2, 5)).toEqual(['I(x; z)', 'KL(q(z) ‖ Π_d q(z_d))', 'Σ_d KL(q(z_d) ‖ p(z_d))']);
    expect(new Set(series.slice(2, 5).map((s) => s.color)).size).toBe(3);
    expect(series.at(-1)?.legendMath).toBe('= sum of both');
    expect(KL_PART_TERMS.every((t) => t.partOf === 'kl' && !t.inElbo)).toBe(true);
  });

  it('keeps the caption’s sums to the ELBO’s terms, and says what β-TCVAE minimises', () => {
    expect(elboSum(terms)).toBe('reconstruction + KL');
    expect(unweightedSum(terms)).toBe('reconstruction');
    expect(caption({ terms, latest: withParts })).toBe('−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40. Training minimises reconstruction + β·KL (β = 1.00).');
    expect(caption({ terms, latest: { ...withParts, objective: 177.5 }, beta: 6, objectiveKind: 'tcvae' })).toBe(
      '−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40. Training minimises reconstruction + KL + (β − 1)·total correlation = 177.5 (β = 6.00).',
    );
  });
});

describe('loss caption', () => {
  it('keeps the VAE’s wording', () => {
    expect(caption({ latest: null })).toBe('−ELBO = reconstruction + KL, in nats per example. Training minimises reconstruction + β·KL (β = 1.00).');
    expect(caption({})).toBe('−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40. Training minimises reconstruction + β·KL (β = 1.00).');
    expect(caption({ beta: 4, latest: { ...latest, objective: 191.3 }, latestTest: { ...latest, negativeElbo: 180.04, step: 300 } })).toBe(
      '−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40. Training minimises reconstruction + β·KL = 191.3 (β = 4.00); test −ELBO 180.0 at step 300.',
    );
    expect(caption({ freeBits: 0.5 })).toBe(
      '−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40. Training minimises reconstruction + β·Σ max(λ, KL_d) = 175.1 (β = 1.00, free bits λ = 0.500 nats per dimension).',
    );
    expect(caption({ scheduledBeta: 0.5 })).toBe(
      '−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40. Training minimises reconstruction + β(t)·KL = 175.1, with the scheduled β(t) = 0.50 now (dashed, right axis).',
    );
    expect(caption({ capacityNow: 12 })).toBe(
      '−ELBO 175.1 nats = reconstruction 169.7 + KL 5.40. Training minimises reconstruction + γ·|KL − C(t)|, with the capacity C(t) = 12.0 nats now (dotted).',
    );
    expect(caption({ likelihood: 'gaussian', latest: { ...latest, terms: { reconstruction: -200, kl: 5.4 }, negativeElbo: -194.6 } })).toContain(
      'Reconstruction is negative: the Gaussian likelihood is a density.',
    );
  });

  it('names the terms a family declares', () => {
    const values: LossValues = { terms: { reconstruction: 90, kl: 10, adversarial: 0.7, perceptual: 3, kl2: 2 }, negativeElbo: 102, objective: 106, klPerDim: [] };
    expect(caption({ terms: GAN_TERMS, latest: values })).toBe(
      '−ELBO 102.0 nats = reconstruction 90.0 + KL 10.0 + KL of the second layer 2.00. Training minimises reconstruction + adversarial + feature matching + KL of the second layer + β·KL = 106.0 (β = 1.00).',
    );
    expect(caption({ terms: [RECONSTRUCTION_TERM], latest: { ...values, negativeElbo: 90, objective: 90 } })).toBe('−ELBO 90.0 nats = reconstruction 90.0. Training minimises reconstruction.');
  });

  it('says what each player minimises when the family declares its objective in words (VAE-GAN), not one sum', () => {
    const gan = FAMILIES.vaegan as FamilyDescriptor;
    const values: LossValues = { terms: { reconstruction: 90, kl: 10, featureReconstruction: 2, adversarial: 0.7, discriminatorReal: 0.4, discriminatorFake: 0.8 }, negativeElbo: 100, objective: 93, klPerDim: [] };
    const text = caption({ terms: gan.terms, latest: values, objectiveInWords: gan.objectiveInWords });
    expect(text).toBe(`−ELBO 100.0 nats = reconstruction 90.0 + KL 10.0. Training minimises ${gan.objectiveInWords} (β = 1.00).`);
    expect(text).not.toMatch(/adversarial \(G\) \+ discriminator, real/);
  });

  it('describes the chart for screen readers', () => {
    const text = describeChart({ series: lossSeries(VAE_TERMS), latest, latestTest: null, lastStep: 320, markers: 1, betaRange: null, capacityEnd: null });
    expect(text).toBe('Loss curves over 320 steps, in nats per example. Latest training average: −ELBO 175.1 = reconstruction 169.7 + KL 5.40. 1 marked event.');
  });
});

describe('KL schedule on the chart', () => {
  const points = [
    { step: 0, beta: 0 },
    { step: 20, beta: NaN },
    { step: 40, beta: 0.5 },
  ];

  it('draws β(t) only when it moves', () => {
    expect(varies(points, (p) => p.beta)).toBe(true);
    expect(varies([{ beta: 1 }, { beta: 1 + 1e-12 }], (p) => p.beta)).toBe(false);
    expect(valueRange(points, (p) => p.beta)).toEqual({ lo: 0, hi: 0.5 });
    expect(valueRange([], (p: { beta: number }) => p.beta)).toEqual({ lo: 0, hi: 0 });
  });

  it('cuts the capacity schedule after the shown steps and reads it at a step', () => {
    const schedule = [
      { step: 200, value: 2 },
      { step: 0, value: 0 },
      { step: 100, value: 1 },
      { step: 300, value: 3 },
    ];
    const shown = capacityUpTo(schedule, 150);
    expect(shown.map((c) => c.step)).toEqual([0, 100, 200]);
    expect(capacityAt(shown, 120)).toBe(1);
    expect(capacityAt(shown, -5)).toBe(0);
    expect(capacityAt([], 10)).toBeNull();
  });
});
