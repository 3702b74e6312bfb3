/**
 * VAE-GAN's graph for the model diagram: the VAE's encoder, z and decoder; the decoder also turns
 * a prior sample z_p into x_p; the discriminator sees three inputs (the real x, the reconstruction
 * x̃ and the prior sample x_p) and gives each player its losses: the discriminator's two terms,
 * and the encoder's and decoder's reconstruction, KL and adversarial term (γ-weighted, the
 * decoder's only) or, under the learned similarity, the reconstruction in its features.
 */
import { PRIOR_SAMPLE_KEY, type DiagramEdge, type DiagramNode, type ModelDiagram } from '../diagram';
import { VAE_NODES } from './gaussianVae';

/** The VAE's nodes, placed to leave room below for the prior sample and the players' terms. */
const at = (node: DiagramNode, col: number, row: number): DiagramNode => ({ ...node, at: { col, row } });

const NODES: readonly DiagramNode[] = [
  at(VAE_NODES.input, 0, 1.15),
  at(VAE_NODES.encoder, 1, 1.15),
  at(VAE_NODES.mu, 2, 0.65),
  at(VAE_NODES.logVar, 2, 1.65),
  at(VAE_NODES.epsilon, 3, 0.15),
  at(VAE_NODES.z, 3, 1.15),
  {
    id: 'priorSample',
    label: 'z_p',
    kind: 'prior',
    at: { col: 3, row: 1.95 },
    formula: 'priorSample',
    explanation: 'A draw from the prior N(0, I), not from any image: its decoding x_p is a sample of the model, which the discriminator also judges.',
  },
  { ...VAE_NODES.decoder, at: { col: 4, row: 1.15 }, explanation: 'The generator: it decodes the posterior sample z into the reconstruction x̃ and the prior sample z_p into x_p, and learns both to describe x and to fool the discriminator.' },
  { ...VAE_NODES.reconstruction, label: 'x̃', at: { col: 5, row: 0.7 }, explanation: 'The reconstruction of x from its posterior sample z, as the pixel likelihood and the discriminator see it (label 0 for the discriminator).' },
  {
    id: 'priorImage',
    label: 'x_p',
    kind: 'data',
    at: { col: 5, row: 1.85 },
    formula: 'priorSample',
    explanation: 'The decoder’s image for the prior sample z_p: what the model generates; the discriminator takes it for fake (label 0).',
    live: { key: PRIOR_SAMPLE_KEY, as: 'image' },
  },
  {
    id: 'discriminator',
    label: 'Discriminator',
    kind: 'network',
    shape: 'narrowing',
    at: { col: 6, row: 1.7 },
    formula: 'discriminator',
    explanation: 'A second network, with its own weights and optimiser: D(x) is the probability that an image is a real one; it sees the real x (label 1), x̃ and x_p (label 0).',
  },
  {
    id: 'klTerm',
    label: 'KL',
    kind: 'loss',
    at: { col: 1, row: 3.4 },
    formula: 'klGaussian',
    explanation: 'KL(q(z|x) ‖ N(0, I)) in nats: the price of the code, in the encoder’s loss (with β).',
    live: { key: 'term:kl', as: 'number' },
  },
  {
    id: 'reconstructionTerm',
    label: 'Reconstruction',
    kind: 'loss',
    at: { col: 2.1, row: 3.4 },
    formula: 'reconstruction',
    explanation: 'The pixel likelihood’s −log p(x|z): what the encoder and the decoder minimise while Reconstruction in is pixels, and the −ELBO’s part either way.',
    live: { key: 'term:reconstruction', as: 'number' },
  },
  {
    id: 'featureTerm',
    label: 'Feature rec.',
    kind: 'loss',
    at: { col: 3.2, row: 3.4 },
    formula: 'featureReconstruction',
    explanation: 'Larsen’s learned similarity: the distance between x and x̃ in the discriminator’s layer l; minimised in place of the pixel term when Reconstruction in is a discriminator layer.',
    live: { key: 'term:featureReconstruction', as: 'number' },
  },
  {
    id: 'adversarialTerm',
    label: 'Adversarial',
    kind: 'loss',
    at: { col: 4.3, row: 3.4 },
    formula: 'adversarial',
    explanation: 'The decoder’s adversarial loss: small when the discriminator takes x̃ and x_p for real. It reaches the decoder only (a stop-gradient keeps it from the encoder).',
    live: { key: 'term:adversarial', as: 'number' },
  },
  {
    id: 'realTerm',
    label: 'D, real',
    kind: 'loss',
    at: { col: 5.5, row: 2.75 },
    formula: 'discriminatorLoss',
    explanation: '−log D(x): the discriminator’s loss on real images; ln 2 ≈ 0.69 when it cannot tell.',
    live: { key: 'term:discriminatorReal', as: 'number' },
  },
  {
    id: 'fakeTerm',
    label: 'D, fake',
    kind: 'loss',
    at: { col: 6.5, row: 2.75 },
    formula: 'discriminatorLoss',
    explanation: '−½[log(1 − D(x̃)) + log(1 − D(x_p))]: the discriminator’s loss on reconstructions and prior samples.',
    live: { key: 'term:discriminatorFake', as: 'number' },
  },
  {
    id: 'generatorLoss',
    label: 'Loss (G)',
    kind: 'operation',
    at: { col: 2.65, row: 4.25 },
    formula: 'generatorLoss',
    explanation: 'The generator’s loss (encoder and decoder, one player): reconstruction (pixels or features) + β·KL for the encoder, plus γ times the adversarial term for the decoder.',
  },
  {
    id: 'discriminatorLoss',
    label: 'Loss (D)',
    kind: 'operation',
    at: { col: 6, row: 3.8 },
    formula: 'discriminatorLoss',
    explanation: 'The discriminator’s loss: D, real + D, fake; k_D of its updates come before each generator update.',
  },
];

const EDGES: readonly DiagramEdge[] = [
  { from: 'input', to: 'encoder' },
  { from: 'encoder', to: 'mu' },
  { from: 'encoder', to: 'logVar' },
  { from: 'mu', to: 'z' },
  { from: 'logVar', to: 'z', label: 'σ' },
  { from: 'epsilon', to: 'z' },
  { from: 'z', to: 'decoder' },
  { from: 'priorSample', to: 'decoder' },
  { from: 'decoder', to: 'reconstruction' },
  { from: 'decoder', to: 'priorImage' },
  { from: 'input', to: 'discriminator', label: 'real x', bend: -250 },
  { from: 'reconstruction', to: 'discriminator' },
  { from: 'priorImage', to: 'discriminator' },
  { from: 'mu', to: 'klTerm' },
  { from: 'logVar', to: 'klTerm' },
  { from: 'reconstruction', to: 'reconstructionTerm', bend: 40 },
  { from: 'discriminator', to: 'featureTerm' },
  { from: 'discriminator', to: 'adversarialTerm' },
  { from: 'discriminator', to: 'realTerm' },
  { from: 'discriminator', to: 'fakeTerm' },
  { from: 'klTerm', to: 'generatorLoss', label: 'β' },
  { from: 'reconstructionTerm', to: 'generatorLoss' },
  { from: 'featureTerm', to: 'generatorLoss' },
  { from: 'adversarialTerm', to: 'generatorLoss', label: 'γ' },
  { from: 'realTerm', to: 'discriminatorLoss' },
  { from: 'fakeTerm', to: 'discriminatorLoss' },
];

export const VAE_GAN_DIAGRAM: ModelDiagram = { columns: 7.5, rows: 5, nodes: NODES, edges: EDGES };
