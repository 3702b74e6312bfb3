/**
 * The anomaly scores as overlaid histograms: the test set filled, each out-of-distribution set
 * outlined, every set as fractions of its own images; a draggable threshold line, and a marker for
 * the drawn digit. d3 gives the scales; React draws the SVG.
 */
import { useMemo, type PointerEvent as ReactPointerEvent } from 'react';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import type { ScoredSet } from '../../../worker/protocol';
import { fmt } from '../../format';
import type { HistogramFrame } from './anomalyMath';
import { setColor } from './setColors';

export interface ScoreHistogramProps {
  sets: readonly ScoredSet[];
  frame: HistogramFrame;
  width: number;
  scoreLabel: string;
  threshold: number;
  onThreshold(value: number): void;
  /** The drawn digit's score, or null. */
  marker: number | null;
}

export const HISTOGRAM_HEIGHT = 230;

/** A tick in nats: whole numbers without decimals, small ones with what they need. */
function tickLabel(t: number): string {
  return fmt(t, Number.isInteger(t) || Math.abs(t) >= 100 ? 0 : Number.isInteger(t * 10) ? 1 : 2);
}
const MARGIN = { top: 22, right: 14, bottom: 36, left: 44 };

export function histogramScale(frame: HistogramFrame, plotW: number): ScaleContinuousNumeric<number, number> {
  const domain: [number, number] = [frame.edges[0], frame.edges[frame.edges.length - 1]];
  return frame.log ? scaleLog(domain, [0, plotW]) : scaleLinear(domain, [0, plotW]);
}

export function ScoreHistogram({ sets, frame, width, scoreLabel, threshold, onThreshold, marker }: ScoreHistogramProps) {
  const plotW = Math.max(60, width - MARGIN.left - MARGIN.right);
  const plotH = HISTOGRAM_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = useMemo(() => histogramScale(frame, plotW), [frame, plotW]);
  const y = useMemo(() => scaleLinear([0, frame.maxFraction * 1.08], [plotH, 0]), [frame.maxFraction, plotH]);
  const ticks = frame.log ? x.ticks(6).filter((_, i, all) => all.length <= 8 || i % 2 === 0) : x.ticks(6);
  const [lo, hi] = x.domain();
  const clamp = (v: number) => Math.max(lo, Math.min(hi, v));

  const outline = (fractions: number[]) => {
    let d = `M${x(frame.edges[0])} ${plotH}`;
    fractions.forEach((f, k) => (d += `V${y(f)}H${x(frame.edges[k + 1])}`));
    return `${d}V${plotH}`;
  };

  const drag = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.type === 'pointerdown') e.currentTarget.setPointerCapture(e.pointerId);
    else if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const px = Math.max(0, Math.min(plotW, e.clientX - rect.left - MARGIN.left));
    onThreshold(x.invert(px));
  };

  const tx = x(clamp(threshold));
  return (
    <svg
      className="hist-chart lab-svg"
      width={width}
      height={HISTOGRAM_HEIGHT}
      role="img"
      aria-label={`Histograms of ${scoreLabel} for ${sets.map((s) => s.label).join(', ')}; threshold at ${fmt(threshold)} nats`}
      onPointerDown={drag}
      onPointerMove={drag}
    >
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        {y.ticks(4).map((t) => (
          <g key={t} transform={`translate(0,${y(t)})`}>
            <line className="hist-grid" x2={plotW} />
            <text x={-6} dy="0.32em" textAnchor="end">
              {`${Math.round(t * 100)}%`}
            </text>
          </g>
        ))}
        {ticks.map((t) => (
          <text key={t} x={x(t)} y={plotH + 15} textAnchor="middle">
            {tickLabel(t)}
          </text>
        ))}
        <text className="lab-axis-title" x={plotW / 2} y={plotH + 31} textAnchor="middle">
          {scoreLabel}, nats{frame.log ? ' (log scale)' : ''}
        </text>
        {sets.map((s, i) => (
          <path key={s.id} className={i === 0 ? 'hist-test' : 'hist-set'} d={outline(frame.fractions[i])} style={{ stroke: setColor(s.id), fill: i === 0 ? setColor(s.id) : 'none' }} data-set={s.id} />
        ))}
        <line className="hist-axis" y1={plotH} y2={plotH} x2={plotW} />
        {marker !== null && Number.isFinite(marker) ? (
          <g className="hist-marker" transform={`translate(${x(clamp(marker))},0)`} data-marker={marker}>
            <line y1={8} y2={plotH} />
            <path d="M-5 0H5L0 8Z" />
            <text y={-5} textAnchor="middle">
              your digit
            </text>
          </g>
        ) : null}
        <g className="hist-threshold" transform={`translate(${tx},0)`}>
          <line y1={-14} y2={plotH} />
          <rect x={-6} y={-14} width={12} height={plotH + 14} className="hist-threshold-hit" />
          <text x={tx > plotW - 90 ? -6 : 6} y={-6} textAnchor={tx > plotW - 90 ? 'end' : 'start'}>
            threshold {fmt(threshold)}
          </text>
        </g>
      </g>
    </svg>
  );
}
