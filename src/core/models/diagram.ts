/**
 * How a model family declares its graph for the "Model diagram" panel: nodes on a small grid
 * (column, row), edges between them, and for each node a one-sentence explanation, its formula
 * (an id from core/explain/formulas.ts) and which live value it shows. The panel draws any such
 * declaration; it knows no family. Pure data (no tfjs, no DOM).
 *
 * Live values are keyed by name: a family's flow (what the worker computes for one chosen test
 * image) fills them. The Gaussian families' flow has the keys of GAUSSIAN_FLOW_KEYS; a family
 * with other pieces (a class label, a codebook, a discriminator) adds its own keys.
 */
import type { FormulaId } from '../explain/formulas';

/** What a node is; the panel picks a shape and a colour from it. */
export type DiagramNodeKind = 'data' | 'network' | 'latent' | 'noise' | 'operation' | 'loss' | 'condition' | 'codebook' | 'prior';

/** How a node's live value is drawn: a small image, a strip of bars, or a number. */
export type LiveValueKind = 'image' | 'bars' | 'number';

export interface DiagramNode {
  id: string;
  label: string;
  kind: DiagramNodeKind;
  /**
   * A network's outline: narrowing to the right (image → code, as an encoder or a discriminator)
   * or widening (code → image, as a decoder). Absent: by its place, left of the middle narrowing.
   */
  shape?: 'narrowing' | 'widening';
  /** Grid position: column from the left, row from the top (0-based; halves allowed). */
  at: { col: number; row: number };
  /** One sentence: what this node is and does. */
  explanation: string;
  formula?: FormulaId;
  /** The live value shown in the node, by key of the family's flow, and how it is drawn. */
  live?: { key: string; as: LiveValueKind };
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** A short label on the arrow (e.g. "sample", "y"). */
  label?: string;
  /** Curve the arrow around what lies between its ends: pixels to the left of its direction (negative: right). */
  bend?: number;
}

export interface ModelDiagram {
  /** Grid size the nodes are placed on. */
  columns: number;
  rows: number;
  nodes: readonly DiagramNode[];
  edges: readonly DiagramEdge[];
}

/** One live value of a flow, as the node draws it. */
export type FlowValue = { kind: 'image'; pixels: Float32Array } | { kind: 'bars'; values: Float32Array } | { kind: 'number'; value: number };

/** The live values of a Gaussian latent's flow (computed by core/explain/workedExample.ts). */
export const GAUSSIAN_FLOW_KEYS = ['input', 'mu', 'logVar', 'epsilon', 'z', 'reconstruction', 'term:reconstruction', 'term:kl', 'loss'] as const;

/**
 * Live values a Gaussian family's flow adds when its diagram asks for them (the worker's explain
 * command reads the diagram): `term:<id>` of any other declared loss term, for the same image and
 * ε, and the decoding of a prior sample.
 */
export const PRIOR_SAMPLE_KEY = 'priorSample';

/** The loss terms a diagram shows that the worked example does not compute, by term id. */
export function extraTermsOf(diagram: ModelDiagram): string[] {
  const covered: readonly string[] = GAUSSIAN_FLOW_KEYS;
  return diagram.nodes.flatMap((n) => (n.live && n.live.key.startsWith('term:') && !covered.includes(n.live.key) ? [n.live.key.slice(5)] : []));
}

/** A diagram's problems (unknown edge ends, duplicate ids, nodes off the grid): empty when sound. */
export function diagramProblems(diagram: ModelDiagram): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const node of diagram.nodes) {
    if (ids.has(node.id)) problems.push(`node ${node.id} is declared twice`);
    ids.add(node.id);
    const { col, row } = node.at;
    if (!(col >= 0 && col < diagram.columns && row >= 0 && row < diagram.rows)) problems.push(`node ${node.id} is off the ${diagram.columns}×${diagram.rows} grid`);
    if (!node.explanation.trim()) problems.push(`node ${node.id} has no explanation`);
  }
  for (const edge of diagram.edges) {
    if (!ids.has(edge.from) || !ids.has(edge.to)) problems.push(`edge ${edge.from} → ${edge.to} names a node that is not declared`);
  }
  return problems;
}
