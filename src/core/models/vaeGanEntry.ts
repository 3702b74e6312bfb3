/**
 * VAE-GAN's entry in the catalog (Larsen et al. 2015), declared apart so that catalog.ts stays
 * small: its weight groups (the players), where a reconstruction is measured, its own settings,
 * loss terms, panels and diagram. Pure data; the builder is models/vaeGan.ts.
 */
import { choiceSetting, rangeSetting, type SettingSpecs } from '../settings/spec';
import type { FamilyDescriptor } from './catalog';
import { DECODER_SETTINGS } from './decoderSettings';
import { VAE_GAN_DIAGRAM } from './diagrams/vaeGan';
import { KL_TERM, RECONSTRUCTION_TERM } from './elboTerms';
import { NETWORKS, type NetworkId } from './networks';

/** The weight groups (players) of VAE-GAN. */
export const DISCRIMINATOR_GROUP = 'discriminator';
export const GENERATOR_GROUP = 'generator';

/** Where VAE-GAN measures a reconstruction: pixels, or the discriminator's l-th layer (Larsen's learned similarity). */
export const SIMILARITIES = [
  { value: 'pixels', label: 'pixels (the likelihood)' },
  { value: 'layer1', label: 'discriminator layer 1' },
  { value: 'layer2', label: 'discriminator layer 2' },
] as const;
export type SimilarityId = (typeof SIMILARITIES)[number]['value'];

/** The feature layer a similarity measures in (0: pixels). */
export function similarityLayer(value: unknown): number {
  return value === 'layer1' ? 1 : value === 'layer2' ? 2 : 0;
}

const VAE_GAN_SETTINGS = {
  discriminator: choiceSetting<NetworkId>({
    label: 'Discriminator',
    urlKey: 'disc',
    default: 'mlp',
    section: 'model',
    options: NETWORKS.map((n) => ({ value: n.id, label: n.label })),
    hint: 'The network that tells real images from reconstructions and prior samples',
  }),
  adversarialWeight: rangeSetting({
    label: 'γ (adversarial weight)',
    urlKey: 'advgamma',
    // measured (README, VAE-GAN): γ = 10 let the discriminator win and the −ELBO rise at lr 0.01;
    // γ = 6 with the margin trains and gives the lowest Fréchet distance of those tried
    default: 6,
    min: 0,
    max: 1000,
    section: 'objective',
    hint: "decoder's loss = reconstruction + γ·adversarial; the encoder keeps reconstruction + β·KL. γ = 0: a VAE with a spectator",
  }),
  discriminatorSteps: rangeSetting({
    label: 'k_D (discriminator steps)',
    urlKey: 'kd',
    default: 1,
    min: 1,
    max: 10,
    integer: true,
    section: 'optimiser',
    hint: 'Discriminator updates per generator update (GAN Lab’s k_D), each on the step’s batch with fresh samples',
  }),
  balanceMargin: rangeSetting({
    label: 'Balancing margin',
    urlKey: 'margin',
    default: 0.35,
    min: 0,
    max: 0.69,
    section: 'optimiser',
    hint: "Larsen's balancing: D skips its update while a loss of its is below ln 2 − m, the generator while one is above ln 2 + m (0: off; 0.35, Larsen's value, by default)",
  }),
  similarity: choiceSetting<SimilarityId>({
    label: 'Reconstruction in',
    urlKey: 'sim',
    default: 'pixels',
    effect: 'live',
    section: 'objective',
    options: SIMILARITIES,
    hint: "Larsen's learned similarity: the encoder and decoder minimise ½‖D_l(x) − D_l(x̃)‖² in a discriminator layer instead of the pixel likelihood (the −ELBO is still the pixels')",
  }),
  // InfoVAE's λ (the Training objective select offers InfoVAE for the VAE-GAN's VAE part too)
  mmdWeight: DECODER_SETTINGS.mmdWeight,
} as const satisfies SettingSpecs;

export const VAE_GAN = {
  id: 'vaegan',
  label: 'VAE-GAN',
  description:
    'Larsen et al. 2015: the VAE’s encoder and decoder and a discriminator that tells real images from reconstructions and prior samples; the decoder also learns to fool it (weight γ), for sharper samples at some cost in likelihood.',
  latentKind: 'gaussian',
  networks: ['mlp', 'conv'],
  terms: [
    RECONSTRUCTION_TERM,
    KL_TERM,
    {
      id: 'featureReconstruction',
      label: 'Feature reconstruction',
      meaning:
        '½‖D_l(x) − D_l(x̃)‖²: the distance of a reconstruction from its image in the discriminator’s layer l (layer 1 while Reconstruction in is pixels); minimised in place of the pixel term under the learned similarity',
      inElbo: false,
      role: 'reconstruction',
    },
    {
      id: 'adversarial',
      label: 'Adversarial (G)',
      meaning: '−½[log D(x̃) + log D(x_p)]: the decoder’s loss for reconstructions and prior samples that the discriminator does not take for real; weighted by γ',
      inElbo: false,
      role: 'adversarial',
    },
    {
      id: 'discriminatorReal',
      label: 'Discriminator, real',
      meaning: '−log D(x): the discriminator’s loss on real images (label 1); ln 2 ≈ 0.69 when it cannot tell',
      inElbo: false,
      role: 'adversarial',
    },
    {
      id: 'discriminatorFake',
      label: 'Discriminator, fake',
      meaning: '−½[log(1 − D(x̃)) + log(1 − D(x_p))]: the discriminator’s loss on reconstructions and prior samples (label 0)',
      inElbo: false,
      role: 'adversarial',
    },
  ],
  settings: VAE_GAN_SETTINGS,
  panels: [
    'lossCurves',
    'latentSpace',
    'decodedPoint',
    'decoderGrid',
    'traversals',
    'klPerDimension',
    'snapshots',
    'discriminator',
    'vaeBaseline',
    'sampleQuality',
    'interpolation',
    'anomalyDetection',
    'drawing',
    'logLikelihood',
    'reconstructions',
    'workedExample',
  ],
  usesLabels: false,
  diagram: VAE_GAN_DIAGRAM,
  objectiveInWords:
    'each player’s own loss: the discriminator its two terms (discriminator, real + discriminator, fake); the encoder reconstruction + β·KL; the decoder reconstruction + γ·adversarial (G) (under the learned similarity, feature reconstruction in place of the pixel reconstruction)',
  players: [
    { id: 'discriminator', label: 'Discriminator', groups: [DISCRIMINATOR_GROUP] },
    { id: 'generator', label: 'Generator', groups: [GENERATOR_GROUP] },
  ],
} as const satisfies FamilyDescriptor;
