/** ROC curves of each out-of-distribution set against the test set, the diagonal of chance, the threshold's points. */
import { scaleLinear } from 'd3';
import type { RocCurve } from '../../../core/analysis/roc';
import type { ScoredSet } from '../../../worker/protocol';
import { fmt } from '../../format';
import { setColor } from './setColors';

export interface RocChartProps {
  sets: readonly ScoredSet[];
  curves: readonly RocCurve[];
  /** The rates at the threshold: [test (false positives), each set (true positives)]. */
  rates: number[];
  size: number;
}

const MARGIN = { top: 8, right: 10, bottom: 34, left: 40 };

export function RocChart({ sets, curves, rates, size }: RocChartProps) {
  const plot = size - MARGIN.left - MARGIN.bottom;
  const x = scaleLinear([0, 1], [0, plot]);
  const y = scaleLinear([0, 1], [plot, 0]);
  const ticks = [0, 0.5, 1];
  return (
    <svg className="roc-chart lab-svg" width={plot + MARGIN.left + MARGIN.right} height={size} role="img" aria-label={`ROC curves: ${sets.slice(1).map((s, i) => `${s.label} AUC ${fmt(curves[i]?.auc, 3)}`).join(', ')}`}>
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <rect className="roc-frame" width={plot} height={plot} />
        {ticks.map((t) => (
          <g key={t}>
            <text x={x(t)} y={plot + 14} textAnchor="middle">
              {t}
            </text>
            <text x={-6} y={y(t)} dy="0.32em" textAnchor="end">
              {t}
            </text>
          </g>
        ))}
        <text className="lab-axis-title" x={plot / 2} y={plot + 28} textAnchor="middle">
          false-positive rate (test set)
        </text>
        <text className="lab-axis-title" transform={`translate(${-28},${plot / 2}) rotate(-90)`} textAnchor="middle">
          detection rate
        </text>
        <line className="roc-chance" x1={0} y1={plot} x2={plot} y2={0} />
        {curves.map((c, i) => (
          <path key={sets[i + 1].id} className="roc-line" style={{ stroke: setColor(sets[i + 1].id) }} d={c.fpr.map((f, k) => `${k ? 'L' : 'M'}${x(f).toFixed(1)} ${y(c.tpr[k]).toFixed(1)}`).join('')} />
        ))}
        {Number.isFinite(rates[0])
          ? sets.slice(1).map((s, i) => (Number.isFinite(rates[i + 1]) ? <circle key={s.id} className="roc-point" r={3.5} cx={x(rates[0])} cy={y(rates[i + 1])} style={{ fill: setColor(s.id) }} /> : null))
          : null}
      </g>
    </svg>
  );
}
