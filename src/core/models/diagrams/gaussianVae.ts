/**
 * The VAE's graph for the model diagram: x → encoder → μ, log σ² → z = μ + σ ⊙ ε → decoder → x̂,
 * and the loss = reconstruction + β·KL. The nodes are exported one by one so that a family built
 * on the Gaussian VAE (a conditional VAE, a learned prior) declares its graph as these plus its own.
 */
import type { DiagramEdge, DiagramNode, ModelDiagram } from '../diagram';

export const VAE_NODES = {
  input: { id: 'input', label: 'x', kind: 'data', at: { col: 0, row: 1 }, explanation: 'A test image of your choice, as the encoder sees it: pixel intensities in [0, 1].', live: { key: 'input', as: 'image' } },
  encoder: { id: 'encoder', label: 'Encoder', kind: 'network', at: { col: 1, row: 1 }, formula: 'encoder', explanation: 'A neural network that maps the image to the parameters of a Gaussian over latent codes, q(z|x).' },
  mu: { id: 'mu', label: 'μ', kind: 'latent', at: { col: 2, row: 0.5 }, formula: 'encoder', explanation: 'The posterior mean: where in the latent space the encoder places this image.', live: { key: 'mu', as: 'bars' } },
  logVar: { id: 'logVar', label: 'log σ²', kind: 'latent', at: { col: 2, row: 1.5 }, formula: 'sigma', explanation: 'The posterior log-variance: how unsure the encoder is about each dimension (0 means σ = 1, the prior’s spread).', live: { key: 'logVar', as: 'bars' } },
  epsilon: { id: 'epsilon', label: 'ε', kind: 'noise', at: { col: 3, row: 0 }, formula: 'epsilon', explanation: 'Standard normal noise drawn outside the network, so that the sample below is a differentiable function of μ and σ.', live: { key: 'epsilon', as: 'bars' } },
  z: { id: 'z', label: 'z', kind: 'operation', at: { col: 3, row: 1 }, formula: 'reparameterisation', explanation: 'The reparameterised sample z = μ + σ ⊙ ε: a draw from q(z|x) that gradients can flow through.', live: { key: 'z', as: 'bars' } },
  decoder: { id: 'decoder', label: 'Decoder', kind: 'network', at: { col: 4, row: 1 }, formula: 'decoder', explanation: 'A neural network that turns a latent code back into an image: the mean of p(x|z).' },
  reconstruction: { id: 'reconstruction', label: 'x̂', kind: 'data', at: { col: 5, row: 1 }, formula: 'decoder', explanation: 'The decoder’s image for this sample z: what the model makes of the input.', live: { key: 'reconstruction', as: 'image' } },
  reconstructionTerm: { id: 'reconstructionTerm', label: 'Reconstruction', kind: 'loss', at: { col: 5, row: 2.5 }, formula: 'reconstruction', explanation: 'How many nats the decoder needs to describe x given z: small when x̂ matches x.', live: { key: 'term:reconstruction', as: 'number' } },
  klTerm: { id: 'klTerm', label: 'KL', kind: 'loss', at: { col: 2, row: 2.5 }, formula: 'klGaussian', explanation: 'How far q(z|x) is from the prior p(z), in nats: the price of the code (in closed form against N(0, I); against a learned mixture, the one-sample estimate log q(z|x) − log p(z)).', live: { key: 'term:kl', as: 'number' } },
  loss: { id: 'loss', label: 'Loss', kind: 'loss', at: { col: 3.5, row: 3 }, formula: 'loss', explanation: 'What training minimises: reconstruction + β·KL (with β = 1, the negative ELBO).', live: { key: 'loss', as: 'number' } },
} as const satisfies Record<string, DiagramNode>;

export const VAE_EDGES: readonly DiagramEdge[] = [
  { from: 'input', to: 'encoder' },
  { from: 'encoder', to: 'mu' },
  { from: 'encoder', to: 'logVar' },
  { from: 'mu', to: 'z' },
  { from: 'logVar', to: 'z', label: 'σ' },
  { from: 'epsilon', to: 'z' },
  { from: 'z', to: 'decoder' },
  { from: 'decoder', to: 'reconstruction' },
  { from: 'reconstruction', to: 'reconstructionTerm' },
  { from: 'mu', to: 'klTerm', bend: -170 },
  { from: 'logVar', to: 'klTerm' },
  { from: 'reconstructionTerm', to: 'loss' },
  { from: 'klTerm', to: 'loss', label: 'β' },
];

export const VAE_DIAGRAM: ModelDiagram = {
  columns: 6,
  rows: 4,
  nodes: Object.values(VAE_NODES),
  edges: VAE_EDGES,
};
