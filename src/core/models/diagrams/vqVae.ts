/**
 * The VQ-VAE's graph for the model diagram: x → encoder → z_e → the nearest code in the codebook →
 * z_q → decoder → x̂, and the loss = reconstruction + codebook term + β_c · commitment term (the
 * KL against the uniform prior over codes is the constant positions · log K: in the bound, not
 * minimised). Its flow (vqFlow) is the chosen test image of the Code grid panel, its
 * reconstruction, and the loss terms of the latest training report.
 */
import type { LossValues } from '../../objective/terms';
import type { DiagramEdge, DiagramNode, FlowValue, ModelDiagram } from '../diagram';

/** The live values of a discrete latent's flow (vqFlow). */
export const VQ_FLOW_KEYS = ['input', 'reconstruction', 'term:reconstruction', 'term:codeKl', 'term:codebook', 'term:commitment', 'loss'] as const;

const VQ_NODES: readonly DiagramNode[] = [
  { id: 'input', label: 'x', kind: 'data', at: { col: 0, row: 1 }, explanation: 'A test image (the one in the Code grid panel), as the encoder sees it: pixel intensities in [0, 1].', live: { key: 'input', as: 'image' } },
  { id: 'encoder', label: 'Encoder', kind: 'network', at: { col: 1, row: 1 }, formula: 'vqEncoder', explanation: 'A convolutional network that maps the image to a grid of vectors z_e, one of D numbers per position (7×7 on MNIST).' },
  { id: 'ze', label: 'z_e', kind: 'latent', at: { col: 2, row: 1 }, formula: 'vqEncoder', explanation: 'The encoder’s output at each position of the grid: a point in the same D-dimensional space as the codes.' },
  { id: 'codebook', label: 'Codebook', kind: 'codebook', at: { col: 3, row: 0 }, explanation: 'K learned vectors of D numbers (the Codebook panel shows them projected to 2-D), moved by the codebook term or by EMA.' },
  { id: 'nearest', label: 'Nearest code', kind: 'operation', at: { col: 3, row: 1 }, formula: 'quantise', explanation: 'Each position snaps to the code closest to its z_e; the gradient skips this step (straight-through): the decoder’s gradient goes to z_e unchanged.' },
  { id: 'zq', label: 'z_q', kind: 'latent', at: { col: 4, row: 1 }, formula: 'quantise', explanation: 'The grid of chosen codes: all the decoder sees. The latent is this grid of choices, not a point.' },
  { id: 'decoder', label: 'Decoder', kind: 'network', at: { col: 5, row: 1 }, formula: 'vqDecoder', explanation: 'A convolutional network that turns the grid of codes back into an image: the mean of p(x|z_q).' },
  { id: 'reconstruction', label: 'x̂', kind: 'data', at: { col: 6, row: 1 }, formula: 'vqDecoder', explanation: 'The decoder’s image for the chosen image’s grid of codes.', live: { key: 'reconstruction', as: 'image' } },
  { id: 'codebookTerm', label: 'Codebook', kind: 'loss', at: { col: 2.5, row: 2.3 }, formula: 'codebookTerm', explanation: '‖sg[z_e] − e‖² summed over positions and D: pulls each chosen code toward the encoder outputs that chose it (the encoder gets no gradient from it).', live: { key: 'term:codebook', as: 'number' } },
  { id: 'commitmentTerm', label: 'Commitment', kind: 'loss', at: { col: 3.75, row: 2.3 }, formula: 'commitmentTerm', explanation: 'β_c‖z_e − sg[e]‖²: keeps the encoder’s outputs near the codes they chose (the codes get no gradient from it).', live: { key: 'term:commitment', as: 'number' } },
  { id: 'klTerm', label: 'KL', kind: 'loss', at: { col: 4.5, row: 0 }, formula: 'codeKl', explanation: 'KL(q(z|x) ‖ p(z)) against the uniform prior over K codes: positions · log K, the same for every image, so part of the bound but nothing to minimise.', live: { key: 'term:codeKl', as: 'number' } },
  { id: 'reconstructionTerm', label: 'Reconstruction', kind: 'loss', at: { col: 6, row: 2.3 }, formula: 'reconstruction', explanation: 'How many nats the decoder needs to describe x given its grid of codes: small when x̂ matches x.', live: { key: 'term:reconstruction', as: 'number' } },
  { id: 'loss', label: 'Loss', kind: 'loss', at: { col: 4.25, row: 3.2 }, formula: 'vqLoss', explanation: 'What training minimises: reconstruction + codebook term + commitment term (with EMA codebook updates the codebook term is reported, not minimised).', live: { key: 'loss', as: 'number' } },
];

const VQ_EDGES: readonly DiagramEdge[] = [
  { from: 'input', to: 'encoder' },
  { from: 'encoder', to: 'ze' },
  { from: 'ze', to: 'nearest' },
  { from: 'codebook', to: 'nearest', label: 'K codes' },
  { from: 'nearest', to: 'zq' },
  { from: 'zq', to: 'decoder' },
  { from: 'decoder', to: 'reconstruction' },
  { from: 'reconstruction', to: 'reconstructionTerm' },
  { from: 'ze', to: 'codebookTerm' },
  { from: 'zq', to: 'codebookTerm', label: 'e' },
  { from: 'ze', to: 'commitmentTerm' },
  { from: 'zq', to: 'commitmentTerm' },
  // the KL sits apart from the loss: a constant of the bound, nothing to minimise
  { from: 'zq', to: 'klTerm' },
  { from: 'codebookTerm', to: 'loss' },
  { from: 'commitmentTerm', to: 'loss' },
  { from: 'reconstructionTerm', to: 'loss' },
];

export const VQ_DIAGRAM: ModelDiagram = { columns: 7, rows: 4, nodes: VQ_NODES, edges: VQ_EDGES };

/**
 * The VQ-VAE's live values: the chosen image (intensities in [0, 1]) and its reconstruction, and
 * the terms of the latest report (per-image means), the loss as the optimiser weighs them.
 */
export function vqFlow(input: Float32Array | null, reconstruction: Float32Array | null, latest: Pick<LossValues, 'terms' | 'objective'> | null): Record<string, FlowValue> {
  const flow: Record<string, FlowValue> = {};
  if (input) flow.input = { kind: 'image', pixels: input };
  if (reconstruction) flow.reconstruction = { kind: 'image', pixels: reconstruction };
  if (latest) {
    for (const id of ['reconstruction', 'codeKl', 'codebook', 'commitment']) {
      const value = latest.terms[id];
      if (value !== undefined && Number.isFinite(value)) flow[`term:${id}`] = { kind: 'number', value };
    }
    if (Number.isFinite(latest.objective)) flow.loss = { kind: 'number', value: latest.objective };
  }
  return flow;
}
