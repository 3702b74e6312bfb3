/**
 * Log-likelihood (IWAE): on demand, the importance-weighted bounds L_k on log p(x) for k = 1, 10,
 * 100, 1000 on a number of test images, as a curve rising from the ELBO (k = 1) towards log p(x).
 * The job runs in the worker beside training, with a progress bar and Cancel.
 */
import { useMemo } from 'react';
import { scaleLinear, scaleLog } from 'd3';
import { BOUND_COUNTS, type BoundState } from '../../../state/analysis/state';
import { fmt } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import { Panel } from '../../components/Panel';

export interface LogLikelihoodProps {
  state: BoundState;
  step: number;
  canRun: boolean;
  onCount(count: number): void;
  onEstimate(): void;
  onCancel(): void;
}

const HEIGHT = 210;
const MARGIN = { top: 18, right: 64, bottom: 36, left: 56 };
const NUMBER = new Intl.NumberFormat('en-US');

function BoundChart({ ks, bounds, width }: { ks: number[]; bounds: number[]; width: number }) {
  const frame = useMemo(() => {
    const plotW = Math.max(60, width - MARGIN.left - MARGIN.right);
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const lo = Math.min(...bounds);
    const hi = Math.max(...bounds);
    const pad = Math.max(0.5, (hi - lo) * 0.18);
    const x = scaleLog([Math.min(...ks) / 1.6, Math.max(...ks) * 1.6], [0, plotW]);
    const y = scaleLinear([lo - pad, hi + pad], [plotH, 0]).nice(5);
    return { plotW, plotH, x, y };
  }, [ks, bounds, width]);
  const { plotW, plotH, x, y } = frame;
  const points = ks.map((k, i) => [x(k), y(bounds[i])] as const);
  const gap = bounds[bounds.length - 1] - bounds[0];
  const last = points[points.length - 1];
  return (
    <svg className="iwae-chart lab-svg" width={width} height={HEIGHT} role="img" aria-label={`Bound by k: ${ks.map((k, i) => `k = ${k}: ${fmt(bounds[i], 2)} nats`).join(', ')}`} data-bounds={JSON.stringify(bounds.map((b) => Number(b.toFixed(3))))}>
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        {y.ticks(5).map((t) => (
          <g key={t} transform={`translate(0,${y(t)})`}>
            <line className="iwae-grid" x2={plotW} />
            <text x={-8} dy="0.32em" textAnchor="end">
              {fmt(t, Math.abs(y.ticks(5)[1] - y.ticks(5)[0]) < 1 ? 1 : 0)}
            </text>
          </g>
        ))}
        {ks.map((k) => (
          <text key={k} x={x(k)} y={plotH + 16} textAnchor="middle">
            {NUMBER.format(k)}
          </text>
        ))}
        <text className="lab-axis-title" x={plotW / 2} y={plotH + 31} textAnchor="middle">
          k, importance samples per image (log scale)
        </text>
        <text className="lab-axis-title" transform={`translate(${-44},${plotH / 2}) rotate(-90)`} textAnchor="middle">
          bound on log p(x), nats
        </text>
        <line className="iwae-elbo" x1={0} x2={plotW} y1={points[0][1]} y2={points[0][1]} />
        <text className="iwae-elbo-label" x={plotW} y={points[0][1] + 14} textAnchor="end">
          ELBO (k = 1)
        </text>
        <path className="iwae-line" d={points.map(([px, py], i) => `${i ? 'L' : 'M'}${px} ${py}`).join('')} />
        {points.map(([px, py], i) => (
          <g key={ks[i]} transform={`translate(${px},${py})`}>
            <circle className="iwae-dot" r={4.5} data-k={ks[i]} data-bound={bounds[i]} />
            <text className="iwae-value" y={-10} textAnchor="middle">
              {fmt(bounds[i], 1)}
            </text>
          </g>
        ))}
        {gap > 0 ? (
          <g className="iwae-gap" transform={`translate(${last[0] + 14},0)`}>
            <path d={`M0 ${points[0][1]}H5V${last[1]}H0`} />
            <text x={9} y={(points[0][1] + last[1]) / 2} dy="0.32em">
              +{fmt(gap, 1)}
            </text>
          </g>
        ) : null}
      </g>
    </svg>
  );
}

export function LogLikelihood({ state, step, canRun, onCount, onEstimate, onCancel }: LogLikelihoodProps) {
  const [measureRef, width] = useElementWidth();
  const running = state.status === 'running';
  const r = state.result;
  const fraction = state.progress && state.progress.total > 0 ? state.progress.done / state.progress.total : 0;
  const kMax = r ? r.ks[r.ks.length - 1] : 1000;

  const caption = r ? (
    <>
      log p(x) ≥ L<sub>k</sub> = E log (1/k) Σ p(x, z<sub>i</sub>)/q(z<sub>i</sub>|x), z<sub>i</sub> ~ q(z|x). At k = 1 it is the ELBO training maximises (
      <b>{fmt(r.bounds[0], 1)}</b> nats; test −ELBO of these images <b>{fmt(r.negativeElbo, 1)}</b>); with more samples it tightens towards log p(x): <b>{fmt(r.bounds[r.bounds.length - 1], 1)}</b> nats at k ={' '}
      {NUMBER.format(kMax)}, so −log p(x) ≤ <b>{fmt(-r.bounds[r.bounds.length - 1], 1)}</b>. The rise, <b>{fmt(r.bounds[r.bounds.length - 1] - r.bounds[0], 1)}</b> nats, is (a lower bound on) the KL from q(z|x) to the
      true posterior p(z|x) that the ELBO pays. The PyTorch reference gets 99.9 nats after 10 epochs at z = 20 on the first 1,000 test images; Burda et al.&rsquo;s 86.76 is on dynamically
      binarised MNIST, another likelihood, and not comparable.
    </>
  ) : (
    <>
      The ELBO is only a lower bound on log p(x), tight when q(z|x) equals the true posterior. The importance-weighted bound L<sub>k</sub> (Burda et al. 2016) averages k samples
      of p(x, z)/q(z|x): it is the ELBO at k = 1 and rises towards log p(x) as k grows; the rise measures how far q is from the true posterior.
    </>
  );

  return (
    <Panel title="Log-likelihood (IWAE)" className="use-iwae" caption={caption}>
      <div className="use-controls">
        <label className="use-field">
          Test images
          <select aria-label="Test images" value={state.count} disabled={running} onChange={(e) => onCount(Number(e.target.value))}>
            {BOUND_COUNTS.map((n) => (
              <option key={n} value={n}>
                {NUMBER.format(n)}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <>
            <div className="use-progress" role="progressbar" aria-label="IWAE progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)}>
              <span style={{ width: `${fraction * 100}%` }} />
            </div>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="use-primary" onClick={onEstimate} disabled={!canRun}>
            {r ? 'Estimate again' : 'Estimate'}
          </button>
        )}
        <span className="use-note">
          {running
            ? `${Math.round(fraction * 100)}% · ${state.progress?.stage ?? 'starting'}`
            : r
              ? `${NUMBER.format(r.count)} images × ${NUMBER.format(r.samples)} samples, ${fmt(r.seconds, 0)} s, at step ${NUMBER.format(r.step)}${step > r.step ? ' (trained on since)' : ''}`
              : state.status === 'cancelled'
                ? 'Cancelled.'
                : `k = 1, 10, 100, ${NUMBER.format(kMax)}; training goes on meanwhile`}
        </span>
      </div>
      <div className="iwae" ref={measureRef}>
        {r && width > 0 ? (
          <BoundChart ks={r.ks} bounds={r.bounds} width={width} />
        ) : (
          <div className="panel-empty use-empty">{state.error ?? (running ? 'Drawing importance samples…' : 'Press Estimate to draw the curve.')}</div>
        )}
      </div>
      {r && state.error ? <p className="use-error">{state.error}</p> : null}
    </Panel>
  );
}
