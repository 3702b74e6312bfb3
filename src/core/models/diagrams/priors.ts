/**
 * The prior's part of a Gaussian family's graph: a node p(z) that feeds the KL term and says which
 * prior is in force. A learned prior shows what it has learned, live: the mixture's weights as bars,
 * the VampPrior's first pseudo-input as an image; and the KL node then carries the one-sample
 * estimate's formula instead of the closed form. Pure data, like the graphs it extends.
 */
import type { PriorId } from '../../objective/catalog';
import type { DiagramNode, FlowValue, ModelDiagram } from '../diagram';

/** The live values a learned prior adds to a flow (filled from the worker's prior report). */
export const PRIOR_FLOW_KEYS = ['prior:weights', 'prior:pseudoInput'] as const;

/** Where the prior's node goes on the Gaussian families' 6 × 4 grid: below the encoder, beside the KL. */
const PRIOR_AT = { col: 1, row: 3 } as const;

const PRIOR_NODES: Record<PriorId, DiagramNode> = {
  standard: {
    id: 'prior',
    label: 'p(z)',
    kind: 'prior',
    at: PRIOR_AT,
    formula: 'prior',
    explanation: 'The prior over latent codes, here the standard normal N(0, I), fixed: the KL measures how far each image’s q(z|x) strays from it, in closed form.',
  },
  mog: {
    id: 'prior',
    label: 'p(z): mixture',
    kind: 'prior',
    at: PRIOR_AT,
    formula: 'priorMixture',
    explanation:
      'A mixture of K Gaussians whose means, variances and weights are learned with the model; the bars are the weights relative to an even share (1/K). With no closed form, the KL is estimated at the sample z.',
    live: { key: 'prior:weights', as: 'bars' },
  },
  vamp: {
    id: 'prior',
    label: 'p(z): VampPrior',
    kind: 'prior',
    at: PRIOR_AT,
    formula: 'priorVamp',
    explanation:
      'The mixture of the posteriors q(z|u_k) of K learned pseudo-inputs u_k (Tomczak & Welling 2018); the image is the first pseudo-input. With no closed form, the KL is estimated at the sample z.',
    live: { key: 'prior:pseudoInput', as: 'image' },
  },
};

/**
 * The diagram with the prior's node joined to its KL node (id 'klTerm'); a learned prior also
 * gives the KL node the one-sample formula. A diagram without a KL node is returned as it is.
 */
export function withPrior(diagram: ModelDiagram, prior: PriorId): ModelDiagram {
  if (!diagram.nodes.some((n) => n.id === 'klTerm')) return diagram;
  const learned = prior !== 'standard';
  return {
    ...diagram,
    nodes: [...diagram.nodes.map((n): DiagramNode => (n.id === 'klTerm' && learned ? { ...n, formula: 'klSample' } : n)), PRIOR_NODES[prior]],
    edges: [...diagram.edges, { from: 'prior', to: 'klTerm' }],
  };
}

/** What a learned prior last reported, as much of it as the diagram shows. */
export interface PriorSnapshot {
  /** [K] mixture weights (sum 1). */
  weights: Float32Array;
  /** [K, pixels] the VampPrior's pseudo-inputs in [0, 1], or null. */
  pseudoInputs: Float32Array | null;
  count: number;
}

/** The prior's live values: the weights as multiples of an even share, the first pseudo-input. */
export function priorFlow(prior: PriorSnapshot): Record<string, FlowValue> {
  const flow: Record<string, FlowValue> = {};
  const k = prior.weights.length;
  if (k > 0) flow['prior:weights'] = { kind: 'bars', values: prior.weights.map((w) => w * k) };
  if (prior.pseudoInputs && prior.count > 0) {
    const pixels = prior.pseudoInputs.length / prior.count;
    flow['prior:pseudoInput'] = { kind: 'image', pixels: prior.pseudoInputs.subarray(0, pixels) };
  }
  return flow;
}
