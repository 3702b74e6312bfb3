/**
 * The loss chart's data layer: for each visible curve the faint raw training averages, the test
 * evaluations (dashed, with dots while there is room) and the smoothed training curve with a dot
 * at its head; the KL weight β(t) and the capacity C(t) when drawn; the marked events. d3 makes the
 * paths; memoised by the chart so that hovering does not rebuild them.
 */
import { memo } from 'react';
import { curveStepAfter, line } from 'd3';
import type { HistoryMarker, HistoryPoint } from '../../../state/history';
import { formatStep } from '../../format';
import { decimateMinMax } from './decimate';
import type { LossFrame } from './frame';
import { MARKER_COLORS, markerLabelWidth, placeLabels } from './markers';
import type { CapacityPoint } from './schedule';
import type { LossSeries } from './series';

export interface LossLinesProps {
  frame: LossFrame;
  log: boolean;
  series: readonly LossSeries[];
  train: readonly HistoryPoint[];
  smoothed: readonly HistoryPoint[];
  test: readonly HistoryPoint[];
  /** The raw averages are drawn only under smoothing. */
  smoothing: number;
  markers: readonly HistoryMarker[];
  clipId: string;
  /** The points whose β is drawn (null: no β line). */
  betaPoints: readonly HistoryPoint[] | null;
  capacity: readonly CapacityPoint[];
}

/** Test dots as one path of circles (one element instead of hundreds). */
function dotsPath(points: readonly HistoryPoint[], id: string, x: (v: number) => number, y: (v: number) => number, ok: (v: number) => boolean, r: number): string {
  let d = '';
  const rr = r.toFixed(2);
  const dd = (2 * r).toFixed(2);
  for (const p of points) {
    const v = p.values[id];
    if (!ok(v)) continue;
    d += `M${(x(p.step) - r).toFixed(1)},${y(v).toFixed(1)}a${rr},${rr} 0 1,0 ${dd},0a${rr},${rr} 0 1,0 -${dd},0`;
  }
  return d;
}

export const LossLines = memo(function LossLines({ frame, log, series, train, smoothed, test, smoothing, markers, clipId, betaPoints, capacity }: LossLinesProps) {
  const { x, y, plotW, plotH, yBeta } = frame;
  const xMax = x.domain()[1];
  const limit = plotH * 20;
  const ok = (v: number) => Number.isFinite(v) && (!log || v > 0);
  const py = (v: number) => Math.max(-limit, Math.min(limit, y(v)));
  const pathOf = (points: readonly HistoryPoint[], id: string): string => {
    const kept = decimateMinMax(points, (p) => x(p.step), (p) => (ok(p.values[id]) ? p.values[id] : NaN));
    return (
      line<HistoryPoint>()
        .digits(1)
        .defined((p) => ok(p.values[id]))
        .x((p) => x(p.step))
        .y((p) => py(p.values[id]))(kept) ?? ''
    );
  };
  const spacing = test.length > 1 ? (x(test[test.length - 1].step) - x(test[0].step)) / (test.length - 1) : plotW;
  const dotR = spacing >= 14 ? 2.6 : spacing >= 6 ? 1.7 : 0;

  const betaPath = betaPoints
    ? (line<HistoryPoint>()
        .digits(1)
        .curve(curveStepAfter)
        .defined((p) => Number.isFinite(p.beta))
        .x((p) => x(p.step))
        .y((p) => yBeta(p.beta))(betaPoints) ?? '')
    : '';
  const capacityPath = capacity.length
    ? (line<CapacityPoint>()
        .digits(1)
        .defined((c) => ok(c.value))
        .x((c) => x(c.step))
        .y((c) => py(c.value))(capacity) ?? '')
    : '';

  const shownMarkers = markers.filter((m) => m.step >= 0 && m.step <= xMax);
  const placed = placeLabels(
    shownMarkers.map((m) => ({ x: x(m.step), width: markerLabelWidth(m.label) })),
    plotW,
    2,
  );
  const head = smoothed[smoothed.length - 1];

  return (
    <g>
      <g className="lc-markers">
        {shownMarkers.map((m, i) => {
          const mx = x(m.step);
          const p = placed[i];
          return (
            <g key={`${m.step}-${m.kind}-${i}`} style={{ color: MARKER_COLORS[m.kind] }}>
              <title>{`${m.label} at step ${formatStep(m.step)}`}</title>
              <line className="lc-marker-line" x1={mx} x2={mx} y1={0} y2={plotH} />
              {p.row >= 0 ? (
                <text className="lc-marker-label" x={p.anchor === 'start' ? mx + 3 : mx - 3} y={plotH - 5 - p.row * 13} textAnchor={p.anchor}>
                  {m.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </g>
      <g clipPath={`url(#${clipId})`}>
        {betaPath ? <path className="lc-beta" d={betaPath} /> : null}
        {capacityPath ? <path className="lc-capacity" d={capacityPath} /> : null}
        {smoothing > 0 ? series.map((s) => <path key={`raw-${s.id}`} className="lc-raw" style={{ stroke: s.color }} d={pathOf(train, s.id)} />) : null}
        {series.map((s) => (
          <path key={`test-${s.id}`} className="lc-test" style={{ stroke: s.color }} d={pathOf(test, s.id)} />
        ))}
        {series.map((s) => (
          <path key={`train-${s.id}`} className="lc-train" style={{ stroke: s.color }} d={pathOf(smoothed, s.id)} />
        ))}
        {dotR > 0 ? series.map((s) => <path key={`dots-${s.id}`} className="lc-test-dots" style={{ stroke: s.color }} d={dotsPath(test, s.id, x, py, ok, dotR)} />) : null}
        {head
          ? series.map((s) =>
              ok(head.values[s.id]) ? <circle key={`head-${s.id}`} className="lc-head" style={{ fill: s.color }} cx={x(head.step)} cy={py(head.values[s.id])} r={3} /> : null,
            )
          : null}
      </g>
    </g>
  );
});
