/**
 * A formula (core/explain/math.ts) typeset with the browser's own MathML: each node is the
 * MathML element of its name, so nothing is injected as HTML and no style is set inline.
 */
import { createElement, type ReactNode } from 'react';
import { mathText, type MathNode } from '../../core/explain/math';
import { FORMULAS, type FormulaId } from '../../core/explain/formulas';
import './math.css';

function render(node: MathNode, key?: number): ReactNode {
  const k = key === undefined ? {} : { key };
  switch (node.t) {
    case 'mi':
    case 'mn':
    case 'mo':
    case 'mtext':
      return createElement(node.t, k, node.text);
    case 'mrow':
      return createElement('mrow', k, ...node.children.map((c, i) => render(c, i)));
    case 'msub':
      return createElement('msub', k, render(node.base, 0), render(node.sub, 1));
    case 'msup':
      return createElement('msup', k, render(node.base, 0), render(node.sup, 1));
    case 'msubsup':
      return createElement('msubsup', k, render(node.base, 0), render(node.sub, 1), render(node.sup, 2));
    case 'mfrac':
      return createElement('mfrac', k, render(node.num, 0), render(node.den, 1));
    case 'munderover':
      return createElement('munderover', k, render(node.base, 0), render(node.under, 1), render(node.over, 2));
  }
}

export interface MathViewProps {
  math: MathNode;
  /** Set on its own line, centred (display) or in the text's flow. */
  block?: boolean;
  className?: string;
}

export function MathView({ math, block = false, className }: MathViewProps) {
  return createElement(
    'math',
    // a block formula may scroll sideways in a narrow window: reachable by keyboard
    { display: block ? 'block' : 'inline', className: `math ${className ?? ''}`.trim(), 'aria-label': mathText(math), tabIndex: block ? 0 : undefined },
    render(math),
  );
}

/** One of the page's formulas, by id (written once in core/explain/formulas.ts). */
export function Formula({ id, block = false }: { id: FormulaId; block?: boolean }) {
  return <MathView math={FORMULAS[id].math} block={block} className={`formula-${id}`} />;
}
