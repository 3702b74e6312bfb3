/**
 * The conditional families' graphs, built on the VAE's: the conditional VAE feeds the class y
 * (one-hot) into both networks; M2 adds the classifier q(y|x), which infers y for an unlabelled
 * image, and its two terms (the class KL in the bound, the α-weighted classification outside it).
 */
import type { DiagramEdge, DiagramNode, ModelDiagram } from '../diagram';
import { VAE_EDGES, VAE_NODES } from './gaussianVae';

const CLASS_NODE: DiagramNode = {
  id: 'classLabel',
  label: 'y',
  kind: 'condition',
  at: { col: 1, row: 0 },
  explanation: 'The image’s class as a one-hot vector: it joins the encoder’s input and the decoder’s z, so z is left to hold the style.',
};

const CONDITIONAL_NODES: readonly DiagramNode[] = [
  ...Object.values(VAE_NODES).map((node): DiagramNode => {
    if (node.id === 'encoder') return { ...node, explanation: 'A neural network that maps the image and its class to the parameters of a Gaussian over latent codes, q(z|x, y).' };
    if (node.id === 'decoder') return { ...node, explanation: 'A neural network that turns a latent code and a class back into an image: the mean of p(x|z, y).' };
    return node;
  }),
  CLASS_NODE,
];

const CONDITIONAL_EDGES: readonly DiagramEdge[] = [
  ...VAE_EDGES,
  { from: 'classLabel', to: 'encoder' },
  { from: 'classLabel', to: 'decoder', label: 'y', bend: 30 },
];

export const CVAE_DIAGRAM: ModelDiagram = { columns: 6, rows: 4, nodes: CONDITIONAL_NODES, edges: CONDITIONAL_EDGES };

export const M2_DIAGRAM: ModelDiagram = {
  columns: 6,
  rows: 4,
  nodes: [
    ...CONDITIONAL_NODES.map((node) =>
      node.id === 'classLabel' ? { ...node, explanation: 'The class as a one-hot vector: the label where the image has one, else each class in turn, weighted by q(y|x).' } : node,
    ),
    {
      id: 'classifier',
      label: 'q(y|x)',
      kind: 'network',
      at: { col: 0, row: 0 },
      explanation: 'A classifier network: the probability of each class for the image, which stands in for the label of an unlabelled image.',
    },
    {
      id: 'classKlTerm',
      label: 'Class KL',
      kind: 'loss',
      at: { col: 0, row: 3 },
      explanation: 'KL(q(y|x) ‖ p(y)) for an unlabelled image, log K for a labelled one: the price of the class, part of the bound.',
      live: { key: 'term:classKl', as: 'number' },
    },
    {
      id: 'classificationTerm',
      label: 'Classification',
      kind: 'loss',
      at: { col: 1, row: 2.5 },
      explanation: '−log q(y|x) of the labelled images: the supervised term, weighted by α and added outside the bound.',
      live: { key: 'term:classification', as: 'number' },
    },
  ],
  edges: [
    ...CONDITIONAL_EDGES,
    { from: 'input', to: 'classifier' },
    { from: 'classifier', to: 'classLabel' },
    { from: 'classifier', to: 'classKlTerm', bend: -60 },
    { from: 'classifier', to: 'classificationTerm' },
    { from: 'classKlTerm', to: 'loss' },
    { from: 'classificationTerm', to: 'loss', label: 'α', bend: -30 },
  ],
};
