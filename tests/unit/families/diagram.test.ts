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
import { diagramProblems, GAUSSIAN_FLOW_KEYS, PRIOR_SAMPLE_KEY } from '../../../src/core/models/diagram';
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
