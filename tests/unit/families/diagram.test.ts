/**
 * Conformance for the model diagram: every family in the registry declares a sound graph (unique
 * nodes on its grid, edges between declared nodes, a sentence for every node, formulas that
 * exist, a node with the live value of each loss term it reports) and the panel's renderer draws
 * it, empty and with live values, knowing nothing of the family.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FORMULAS } from '../../../src/core/explain/formulas';
import { gaussianFlow, type WorkedExample } from '../../../src/core/explain/workedExample';
import { FAMILIES, FAMILY_IDS } from '../../../src/core/models/catalog';
import { diagramProblems, GAUSSIAN_FLOW_KEYS, PRIOR_SAMPLE_KEY, type ModelDiagram } from '../../../src/core/models/diagram';
import { priorFlow, withPrior } from '../../../src/core/models/diagrams/priors';
import { VQ_FLOW_KEYS, vqFlow } from '../../../src/core/models/diagrams/vqVae';
import { PRIORS } from '../../../src/core/objective/catalog';
import { DiagramView } from '../../../src/ui/panels/explain/DiagramView';

function fakeExample(d: number): WorkedExample {
  const v = (k: number) => Float32Array.from({ length: d }, (_, j) => k + j / 10);
  return { latentDim: d, beta: 1, mu: v(0.5), logVar: v(-1), sigma: v(0.6), epsilon: v(-0.3), z: v(0.2), reconstruction: 123.456, klPerDim: v(0.1), kl: 4.25, loss: 127.706, gradZ: v(1), gradMu: v(2), gradLogVar: v(3), reconstructionImage: new Float32Array(16).fill(0.5) };
}

describe.each(FAMILY_IDS.map((id) => ({ id, family: FAMILIES[id] })))('the $id family’s diagram', ({ family }) => {
  const diagram = family.diagram;

  it('is declared and sound', () => {
    expect(diagram.nodes.length).toBeGreaterThan(2);
    expect(diagramProblems(diagram)).toEqual([]);
    for (const node of diagram.nodes) if (node.formula) expect(FORMULAS[node.formula], `${node.id}'s formula`).toBeDefined();
  });

  it('shows the live value of every loss term the family reports', () => {
    const liveKeys = diagram.nodes.flatMap((n) => (n.live ? [n.live.key] : []));
    // the KL's parts (β-TCVAE's decomposition) are charted, not drawn as loss nodes of their own
    for (const term of family.terms) if (!('partOf' in term && term.partOf)) expect(liveKeys, term.id).toContain(`term:${term.id}`);
  });

  it('draws only live values its flow provides (a Gaussian latent’s keys, its other terms and a prior sample, for a family with the worked example)', () => {
    if (!(family.panels as readonly string[]).includes('workedExample')) return;
    const provided = [...GAUSSIAN_FLOW_KEYS, PRIOR_SAMPLE_KEY, ...family.terms.map((t) => `term:${t.id}`)];
    for (const node of diagram.nodes) if (node.live) expect(provided, node.id).toContain(node.live.key);
  });

  it('renders every node and arrow, before any value and with live values', () => {
    const empty = renderToStaticMarkup(createElement(DiagramView, { diagram, flow: null }));
    for (const node of diagram.nodes) {
      expect(empty).toContain(`data-node="${node.id}"`);
      expect(empty).toContain(`>${node.label}</text>`);
    }
    expect(empty.match(/class="diagram-edge"/g)?.length).toBe(diagram.edges.length);
    const extras = { terms: Object.fromEntries(family.terms.map((t, i) => [t.id, 0.5 + i])), priorSample: new Float32Array(16).fill(0.75) };
    const flow = gaussianFlow(new Float32Array(16).fill(0.25), fakeExample(3), extras);
    const live = renderToStaticMarkup(createElement(DiagramView, { diagram, flow }));
    for (const node of diagram.nodes) {
      if (node.live && !(node.live.key in flow)) continue; // a key of another family's flow
      if (node.live?.as === 'number') expect(live).toMatch(new RegExp(`data-live="${node.live.key}"[^>]*>[0-9.]+<`));
      if (node.live?.as === 'bars') expect(live).toContain('diagram-bars');
      if (node.live?.as === 'image') expect(live).toContain('grey-image');
    }
    if (diagram.nodes.some((n) => n.live?.key === 'term:reconstruction')) expect(live).toContain('>123.5<');
  });
});

describe('the VQ-VAE’s flow', () => {
  it('fills every live value its diagram declares, and the panel draws them', () => {
    const latest = { terms: { reconstruction: 80.25, codeKl: 203.8, codebook: 1.5, commitment: 0.375 }, objective: 82.125 };
    const flow = vqFlow(new Float32Array(16).fill(0.5), new Float32Array(16).fill(0.25), latest);
    const declared = FAMILIES.vqvae.diagram.nodes.flatMap((n) => (n.live ? [n.live.key] : []));
    expect(new Set(declared)).toEqual(new Set(VQ_FLOW_KEYS));
    for (const key of declared) expect(flow, key).toHaveProperty([key]);
    const live = renderToStaticMarkup(createElement(DiagramView, { diagram: FAMILIES.vqvae.diagram, flow }));
    expect(live).toMatch(/data-live="term:codebook"[^>]*>1\.5</);
    expect(live).toMatch(/data-live="term:commitment"[^>]*>0\.375</);
    expect(live).toMatch(/data-live="loss"[^>]*>82\.13</);
  });

  it('leaves out what it does not have yet (no reconstruction, a term not finite)', () => {
    const flow = vqFlow(null, null, { terms: { reconstruction: Number.NaN, codebook: 2 }, objective: 2 });
    expect(Object.keys(flow).sort()).toEqual(['loss', 'term:codebook']);
  });
});

describe('the prior’s node', () => {
  const vae = FAMILIES.vae.diagram;

  it('joins the KL under every prior, with the formula of the KL it feeds', () => {
    for (const prior of PRIORS.map((p) => p.id)) {
      const diagram = withPrior(vae, prior);
      expect(diagramProblems(diagram), prior).toEqual([]);
      const node = diagram.nodes.find((n) => n.id === 'prior');
      expect(node?.kind, prior).toBe('prior');
      expect(FORMULAS[node?.formula ?? 'prior'], prior).toBeDefined();
      expect(diagram.edges).toContainEqual({ from: 'prior', to: 'klTerm' });
      const kl = diagram.nodes.find((n) => n.id === 'klTerm');
      expect(kl?.formula, prior).toBe(prior === 'standard' ? 'klGaussian' : 'klSample');
      // nothing else of the VAE's graph changes
      expect(diagram.nodes.length).toBe(vae.nodes.length + 1);
    }
    expect(withPrior(vae, 'standard').nodes.find((n) => n.id === 'prior')?.formula).toBe('prior');
    expect(withPrior(vae, 'mog').nodes.find((n) => n.id === 'prior')?.live?.key).toBe('prior:weights');
    expect(withPrior(vae, 'vamp').nodes.find((n) => n.id === 'prior')?.live?.key).toBe('prior:pseudoInput');
  });

  it('leaves a graph without a KL node as it is', () => {
    const noKl: ModelDiagram = { columns: 2, rows: 1, nodes: vae.nodes.filter((n) => n.id === 'input' || n.id === 'encoder'), edges: [] };
    expect(withPrior(noKl, 'mog')).toBe(noKl);
  });

  it('shows a mixture’s weights as multiples of an even share, and the VampPrior’s first pseudo-input', () => {
    const flow = priorFlow({ weights: Float32Array.from([0.5, 0.25, 0.25]), pseudoInputs: null, count: 3 });
    expect(flow['prior:weights']).toEqual({ kind: 'bars', values: Float32Array.from([1.5, 0.75, 0.75]) });
    expect(flow['prior:pseudoInput']).toBeUndefined();
    const pseudo = Float32Array.from({ length: 2 * 4 }, (_, i) => i / 8);
    const vamp = priorFlow({ weights: Float32Array.from([0.5, 0.5]), pseudoInputs: pseudo, count: 2 });
    const image = vamp['prior:pseudoInput'];
    expect(image?.kind).toBe('image');
    if (image?.kind === 'image') expect(Array.from(image.pixels)).toEqual([0, 0.125, 0.25, 0.375]);
  });

  it('is drawn with its live value', () => {
    for (const [prior, flow, mark] of [
      ['mog', priorFlow({ weights: Float32Array.from([0.6, 0.4]), pseudoInputs: null, count: 2 }), 'diagram-bars'],
      ['vamp', priorFlow({ weights: Float32Array.from([1]), pseudoInputs: new Float32Array(16).fill(0.5), count: 1 }), 'grey-image'],
    ] as const) {
      const html = renderToStaticMarkup(createElement(DiagramView, { diagram: withPrior(vae, prior), flow }));
      const node = /data-node="prior"[\s\S]*?<\/g>/.exec(html)?.[0] ?? '';
      expect(node, prior).toContain(mark);
    }
  });
});
