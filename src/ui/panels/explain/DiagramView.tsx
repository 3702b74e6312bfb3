/**
 * Draws any family's declared graph (core/models/diagram.ts): boxes on the declared grid, arrows
 * between them, each node's live value (a small image, a strip of bars, a number) from the flow
 * the worker computed, and, for the node under the pointer or keyboard focus, its one-sentence
 * explanation with its formula. Knows no family.
 */
import { useState } from 'react';
import { formatNumber } from '../../../core/explain/math';
import { FORMULAS } from '../../../core/explain/formulas';
import type { DiagramNode, FlowValue, ModelDiagram } from '../../../core/models/diagram';
import { Formula } from '../../math/MathView';
import { arrow, barHeight, bentArrow, diagramSize, nodeBox, type Box } from './diagramGeometry';
import { GreyImage } from './GreyImage';

/** Bars shown per strip (the first dimensions), and the value a full bar stands for. */
const MAX_BARS = 16;

/** At most this many values are also written under their bars. */
const LABELLED_BARS = 3;

function Bars({ values, box }: { values: Float32Array; box: Box }) {
  const n = Math.min(MAX_BARS, values.length);
  const labelled = n <= LABELLED_BARS;
  const width = Math.min(labelled ? 40 : 14, (box.width - 16) / Math.max(n, 1));
  const left = box.cx - (width * n) / 2;
  const mid = box.cy + (labelled ? 4 : 9);
  const half = labelled ? 11 : 15;
  return (
    <g className="diagram-bars">
      <line x1={left - 3} x2={left + width * n + 3} y1={mid} y2={mid} className="diagram-bars-axis" />
      {Array.from(values.subarray(0, n), (v, j) => {
        const h = barHeight(v, half);
        return <rect key={j} x={left + j * width + 2} width={Math.max(1, width - 4)} y={v >= 0 ? mid - h : mid} height={Math.max(1, h)} className={v >= 0 ? 'bar-pos' : 'bar-neg'} />;
      })}
      {labelled
        ? Array.from(values.subarray(0, n), (v, j) => (
            <text key={`v${j}`} x={left + (j + 0.5) * width} y={mid + half + 10} textAnchor="middle" className="diagram-bar-value num">
              {formatNumber(v, 2)}
            </text>
          ))
        : null}
    </g>
  );
}

function liveText(value: FlowValue | undefined): string {
  if (!value) return '';
  if (value.kind === 'number') return `${formatNumber(value.value, 4)} nats`;
  if (value.kind === 'bars') return `first values: ${Array.from(value.values.subarray(0, 4), (v) => formatNumber(v, 3)).join(', ')}${value.values.length > 4 ? ', …' : ''}`;
  return 'image';
}

function NodeShape({ node, box }: { node: DiagramNode; box: Box }) {
  const x = box.cx - box.width / 2;
  const y = box.cy - box.height / 2;
  if (node.kind === 'network') {
    // a trapezoid: the encoder narrows towards the code, the decoder widens away from it
    const narrowRight = node.shape ? node.shape === 'narrowing' : node.at.col < 3;
    const inset = 14;
    const pts = narrowRight
      ? [`${x},${y}`, `${x + box.width},${y + inset}`, `${x + box.width},${y + box.height - inset}`, `${x},${y + box.height}`]
      : [`${x},${y + inset}`, `${x + box.width},${y}`, `${x + box.width},${y + box.height}`, `${x},${y + box.height - inset}`];
    return <polygon points={pts.join(' ')} className="diagram-shape" />;
  }
  return <rect x={x} y={y} width={box.width} height={box.height} rx={node.kind === 'noise' ? box.height / 2 : 8} className="diagram-shape" />;
}

function DiagramNodeView({ node, value, active, onActivate }: { node: DiagramNode; value: FlowValue | undefined; active: boolean; onActivate(id: string | null): void }) {
  const box = nodeBox(node);
  const termClass = node.live?.key.startsWith('term:') ? ` term-${node.live.key.slice(5)}` : '';
  const labelY = node.live?.as === 'image' ? box.cy - box.height / 2 - 7 : node.live ? box.cy - box.height / 2 + 14 : box.cy + 5;
  return (
    <g
      className={`diagram-node kind-${node.kind}${termClass}${active ? ' active' : ''}`}
      data-node={node.id}
      tabIndex={0}
      role="button"
      onMouseEnter={() => onActivate(node.id)}
      onFocus={() => onActivate(node.id)}
      onClick={() => onActivate(node.id)}
    >
      <NodeShape node={node} box={box} />
      <text x={box.cx} y={labelY} textAnchor="middle" className="diagram-label">
        {node.label}
      </text>
      {value?.kind === 'image' ? (
        <foreignObject x={box.cx - 30} y={box.cy - 30} width={60} height={60}>
          <GreyImage pixels={value.pixels} label={`${node.label}: the image`} className="diagram-image" />
        </foreignObject>
      ) : null}
      {value?.kind === 'bars' ? <Bars values={value.values} box={box} /> : null}
      {value?.kind === 'number' ? (
        <text x={box.cx} y={box.cy + 15} textAnchor="middle" className="diagram-value num" data-live={node.live?.key}>
          {formatNumber(value.value, 4)}
        </text>
      ) : null}
      {node.live && !value ? (
        <text x={box.cx} y={box.cy + 15} textAnchor="middle" className="diagram-value pending">
          —
        </text>
      ) : null}
    </g>
  );
}

export interface DiagramViewProps {
  diagram: ModelDiagram;
  /** The live values by key (null before the first result). */
  flow: Record<string, FlowValue> | null;
}

export function DiagramView({ diagram, flow }: DiagramViewProps) {
  const [activeId, setActiveId] = useState<string | null>(null);
  const { width, height } = diagramSize(diagram);
  const boxes = new Map(diagram.nodes.map((n) => [n.id, nodeBox(n)]));
  const active = diagram.nodes.find((n) => n.id === activeId) ?? null;
  return (
    <div className="diagram">
      <svg viewBox={`0 0 ${width} ${height}`} className="diagram-svg" role="group" aria-label="The model's graph" onMouseLeave={() => setActiveId(null)}>
        <defs>
          <marker id="diagram-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="diagram-arrowhead" />
          </marker>
        </defs>
        {diagram.edges.map((e) => {
          const from = boxes.get(e.from);
          const to = boxes.get(e.to);
          if (!from || !to) return null;
          const label = (x: number, y: number) =>
            e.label ? (
              <text x={x} y={y} className="diagram-edge-label" textAnchor="middle">
                {e.label}
              </text>
            ) : null;
          if (e.bend) {
            const curve = bentArrow(from, to, e.bend);
            return (
              <g key={`${e.from}-${e.to}`} className="diagram-edge">
                <path d={curve.d} markerEnd="url(#diagram-arrow)" />
                {label(curve.labelAt.x, curve.labelAt.y - 6)}
              </g>
            );
          }
          const a = arrow(from, to);
          return (
            <g key={`${e.from}-${e.to}`} className="diagram-edge">
              <line {...a} markerEnd="url(#diagram-arrow)" />
              {label((a.x1 + a.x2) / 2, (a.y1 + a.y2) / 2 - 8)}
            </g>
          );
        })}
        {diagram.nodes.map((n) => (
          <DiagramNodeView key={n.id} node={n} value={n.live ? flow?.[n.live.key] : undefined} active={n.id === activeId} onActivate={setActiveId} />
        ))}
      </svg>
      <div className="diagram-info" aria-live="polite">
        {active ? (
          <>
            <p>
              <strong>{active.label}</strong> — {active.explanation}
              {active.live && flow?.[active.live.key] ? <span className="diagram-info-value num"> Now: {liveText(flow[active.live.key])}.</span> : null}
            </p>
            {active.formula ? (
              <p className="diagram-info-formula">
                <span className="visually-hidden">{FORMULAS[active.formula].label}: </span>
                <Formula id={active.formula} block />
              </p>
            ) : null}
          </>
        ) : (
          <p className="diagram-info-hint">Point at a node (or move to it with Tab) for what it does and its formula.</p>
        )}
      </div>
    </div>
  );
}
