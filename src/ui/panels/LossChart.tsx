/**
 * The loss curves: the two terms of the negative ELBO (reconstruction and KL) and their sum, for
 * training (EMA-smoothed over the faint raw averages) and for the test set (dashed, with dots).
 * React renders the SVG; d3 supplies the scales and the line generator. Everything that depends
 * on the data is memoised, so hovering only redraws the rule, the dots and the tooltip.
 */
import { useDeferredValue, useId, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { curveStepAfter, line, scaleLinear, scaleLog } from 'd3';
import { Panel } from '../components/Panel';
import { smooth, type HistoryMarker, type HistoryPoint, type LossHistory } from '../../state/history';
import { termValue, type LossValues } from '../../core/objective/terms';
import {
  allPositive,
  decimateMinMax,
  linearTicks,
  linearYDomain,
  logTicks,
  logYDomain,
  nearestIndex,
  placeLabels,
  varies,
  weightDomain,
  type ValueSeries,
} from '../lib/lossScales';
import { formatBeta, formatBetaTick, formatNats, formatNatsTick, formatStep, formatStepTick } from '../format';
import './lossChart.css';
import { useElementWidth } from '../hooks/useElementWidth';

export interface LossChartProps {
  /** Train points every ~20 steps, test points every ~1000 steps, markers. */
  history: LossHistory;
  /** Last training averages. */
  /** Last training averages; `objective` is what the optimiser minimised (reconstruction + β·KL penalty). */
  latest: LossValues | null;
  latestTest: (LossValues & { step: number }) | null;
  /** β in force. */
  beta: number;
  likelihood: 'bernoulli' | 'gaussian';
  /** Capacity annealing's KL target C(t) in nats, drawn dotted on the nats axis when given. */
  capacity?: { step: number; value: number }[];
  /** Free bits λ in nats (0: off): the KL penalty is then Σ_d max(λ, KL_d). */
  freeBits?: number;
}

interface CapacityPoint {
  step: number;
  value: number;
}

type Term = 'reconstruction' | 'kl' | 'negativeElbo';

interface TermInfo {
  key: Term;
  /** Short name (tooltip, hide/show). */
  name: string;
  /** Legend text: a name and its formula. */
  legendName: string;
  legendMath: string;
  color: string;
}

const TERMS: readonly TermInfo[] = [
  { key: 'reconstruction', name: 'reconstruction', legendName: 'reconstruction', legendMath: '−E[log p(x|z)]', color: 'var(--recon)' },
  { key: 'kl', name: 'KL', legendName: 'KL(q(z|x) ‖ p(z))', legendMath: '', color: 'var(--kl)' },
  { key: 'negativeElbo', name: '−ELBO', legendName: '−ELBO', legendMath: '= sum of both', color: 'var(--elbo)' },
];

const MARKER_COLOR: Record<HistoryMarker['kind'], string> = {
  beta: 'var(--accent)',
  learningRate: 'var(--warn)',
  reset: 'var(--ink-faint)',
  diverged: 'var(--error)',
};

const SMOOTHING_OPTIONS: readonly { value: number; label: string }[] = [
  { value: 0, label: 'raw' },
  { value: 0.6, label: 'EMA 0.6' },
  { value: 0.8, label: 'EMA 0.8' },
  { value: 0.9, label: 'EMA 0.9' },
  { value: 0.97, label: 'EMA 0.97' },
];

const HEIGHT = 260;
const MARGIN = { top: 20, right: 14, bottom: 38 };
/** Right margin when the KL-weight axis is shown (its ticks and title). */
const RIGHT_WITH_WEIGHT = 50;
const BETA_LABEL = 'KL weight β(t)';
const CAPACITY_LABEL = 'capacity C(t)';
/** Pointer distance (px) within which a test evaluation joins the tooltip. */
const TEST_SNAP_PX = 24;

const EMPTY_MESSAGE = 'Press Train to watch the two ELBO terms pull against each other';

const VALUE_OF: Record<Term, (p: HistoryPoint) => number> = {
  reconstruction: (p) => p.values.reconstruction,
  kl: (p) => p.values.kl,
  negativeElbo: (p) => p.values.negativeElbo,
};

type Figures = { reconstruction: number; kl: number; negativeElbo: number; objective: number };
type CaptionFigures = { latest: Figures | null; latestTest: (Figures & { step: number }) | null };

/** The chart's figures of a step's or an evaluation's values. */
function figures(v: LossValues): Figures {
  return { reconstruction: termValue(v, 'reconstruction'), kl: termValue(v, 'kl'), negativeElbo: v.negativeElbo, objective: v.objective };
}

/** Test dots as one path of circles (one element instead of hundreds). */
function dotsPath(points: readonly HistoryPoint[], key: Term, x: (v: number) => number, y: (v: number) => number, ok: (v: number) => boolean, r: number): string {
  let d = '';
  const rr = r.toFixed(2);
  const dd = (2 * r).toFixed(2);
  for (const p of points) {
    const v = p.values[key];
    if (!ok(v)) continue;
    d += `M${(x(p.step) - r).toFixed(1)},${y(v).toFixed(1)}a${rr},${rr} 0 1,0 ${dd},0a${rr},${rr} 0 1,0 -${dd},0`;
  }
  return d;
}

export function LossChart({ history, latest: latestValues, latestTest: latestTestValues, beta, likelihood, capacity, freeBits = 0 }: LossChartProps) {
  const latest = latestValues && figures(latestValues);
  const latestTest = latestTestValues && { ...figures(latestTestValues), step: latestTestValues.step };
  const [logRequested, setLogRequested] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const [hidden, setHidden] = useState<ReadonlySet<Term>>(() => new Set());
  const [hoverPx, setHoverPx] = useState<number | null>(null);
  const [wrapRef, width] = useElementWidth();
  const clipId = `lc-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  // Drawn a beat behind when points arrive faster than they can be drawn (React skips stale ones).
  const shown = useDeferredValue(history);
  const train = shown.train;
  const test = shown.test;
  const markersAll = shown.markers;
  const empty = train.length === 0 && test.length === 0;
  const visibleTerms = useMemo(() => TERMS.filter((t) => !hidden.has(t.key)), [hidden]);
  const visibleKeys = useMemo(() => visibleTerms.map((t) => t.key), [visibleTerms]);

  const smoothed = useMemo(() => smooth(train, smoothing), [train, smoothing]);

  const lastStep = Math.max(train.length ? train[train.length - 1].step : 0, test.length ? test[test.length - 1].step : 0);
  const xMax = Math.max(lastStep, 1);

  // The KL weight β(t) in force: its own line and right-hand axis only when it moves (a schedule).
  const betaPoints = train.length ? train : test;
  const showBeta = useMemo(() => varies(betaPoints, (p) => p.beta), [betaPoints]);
  const betaRange = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of betaPoints) {
      if (!Number.isFinite(p.beta)) continue;
      lo = Math.min(lo, p.beta);
      hi = Math.max(hi, p.beta);
    }
    return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 0 };
  }, [betaPoints]);
  const betaNow = betaPoints.length ? betaPoints[betaPoints.length - 1].beta : beta;

  // Capacity C(t): the part of the schedule over the shown steps (and the next point, so the line reaches the edge).
  const capacityShown = useMemo<CapacityPoint[]>(() => {
    if (!capacity || capacity.length === 0) return [];
    const pts = capacity.filter((c) => Number.isFinite(c.step) && Number.isFinite(c.value)).sort((a, b) => a.step - b.step);
    const cut = pts.findIndex((c) => c.step > xMax);
    return cut < 0 ? pts : pts.slice(0, cut + 1);
  }, [capacity, xMax]);
  const showCapacity = capacityShown.length > 0;

  // What the y-domain must hold: every drawn value, with the latest ones guaranteed on screen.
  const domainSeries = useMemo(() => {
    const out: ValueSeries<HistoryPoint>[] = [];
    for (const k of visibleKeys) {
      out.push({ points: smoothed, value: VALUE_OF[k] }, { points: test, value: VALUE_OF[k] });
      if (smoothing > 0) out.push({ points: train, value: VALUE_OF[k], soft: true });
    }
    return out;
  }, [smoothed, train, test, visibleKeys, smoothing]);
  const include = useMemo(() => {
    const values: number[] = [];
    const lastSmoothed = smoothed[smoothed.length - 1];
    const lastTest = test[test.length - 1];
    for (const k of visibleKeys) {
      if (lastSmoothed) values.push(lastSmoothed.values[k]);
      if (lastTest) values.push(lastTest.values[k]);
    }
    // The capacity line's highest value over the shown steps (its low start needs no room: losses start at 0).
    let capacityMax = -Infinity;
    for (const c of capacityShown) if (c.step <= xMax && c.value > capacityMax) capacityMax = c.value;
    if (capacityMax > 0) values.push(capacityMax);
    return values;
  }, [smoothed, test, visibleKeys, capacityShown, xMax]);
  const linearDomain = useMemo(() => linearYDomain(domainSeries, { include }), [domainSeries, include]);
  const logAvailable = useMemo(() => allPositive(domainSeries, include), [domainSeries, include]);
  const useLog = logRequested && logAvailable;
  const logDomain = useMemo(() => (useLog ? logYDomain(domainSeries, { include }) : null), [useLog, domainSeries, include]);
  const yDomain = logDomain ?? linearDomain;

  // Scales and ticks.
  const frame = useMemo(() => {
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const ticksY = useLog ? logTicks(yDomain.domain, Math.max(3, Math.floor(plotH / 34))) : linearTicks(yDomain.domain, plotH);
    const labelsY = ticksY.map(formatNatsTick);
    const longest = labelsY.reduce((m, s) => Math.max(m, s.length), 1);
    const left = Math.max(46, Math.round(longest * 6.4 + 30));
    const right = showBeta ? RIGHT_WITH_WEIGHT : MARGIN.right;
    const plotW = Math.max(40, width - left - right);
    const x = scaleLinear().domain([0, xMax]).range([0, plotW]);
    const y = useLog ? scaleLog().domain(yDomain.domain).range([plotH, 0]) : scaleLinear().domain(yDomain.domain).range([plotH, 0]);
    const ticksX = x.ticks(Math.max(2, Math.floor(plotW / 64))).filter(Number.isInteger);
    // A little head-room, so a weight held at its maximum is not drawn on the frame's top edge.
    const yBeta = scaleLinear().domain(weightDomain(betaRange.hi)).range([plotH, 8]);
    const ticksBeta = yBeta.ticks(Math.max(2, Math.min(5, Math.floor(plotH / 45))));
    return { left, right, plotW, plotH, x, y, ticksY, labelsY, ticksX, yBeta, ticksBeta };
  }, [width, xMax, yDomain, useLog, showBeta, betaRange.hi]);

  // The data layer: paths, test dots, markers. Recomputed only when data, size or scale change.
  const dataLayer = useMemo(() => {
    if (width === 0) return null;
    const { x, y, plotW, plotH } = frame;
    const limit = plotH * 20;
    const ok = (v: number) => Number.isFinite(v) && (!useLog || v > 0);
    const py = (v: number) => Math.max(-limit, Math.min(limit, y(v)));
    const pathOf = (series: readonly HistoryPoint[], key: Term): string => {
      const pts = decimateMinMax(series, (p) => x(p.step), (p) => (ok(p.values[key]) ? p.values[key] : NaN));
      return (
        line<HistoryPoint>()
          .digits(1)
          .defined((p) => ok(p.values[key]))
          .x((p) => x(p.step))
          .y((p) => py(p.values[key]))(pts) ?? ''
      );
    };
    const spacing = test.length > 1 ? (x(test[test.length - 1].step) - x(test[0].step)) / (test.length - 1) : plotW;
    const dotR = spacing >= 14 ? 2.6 : spacing >= 6 ? 1.7 : 0;

    const { yBeta } = frame;
    const betaPath = showBeta
      ? (line<HistoryPoint>()
          .digits(1)
          .curve(curveStepAfter)
          .defined((p) => Number.isFinite(p.beta))
          .x((p) => x(p.step))
          .y((p) => yBeta(p.beta))(betaPoints) ?? '')
      : '';
    const capacityPath = capacityShown.length
      ? (line<CapacityPoint>()
          .digits(1)
          .defined((c) => ok(c.value))
          .x((c) => x(c.step))
          .y((c) => py(c.value))(capacityShown) ?? '')
      : '';

    const markers = markersAll.filter((m) => m.step >= 0 && m.step <= xMax);
    const boxes = markers.map((m) => ({ x: x(m.step), width: m.label.length * 5.7 + 2 }));
    const placed = placeLabels(boxes, plotW, 2);

    return (
      <g>
        <g className="lc-markers">
          {markers.map((m, i) => {
            const mx = x(m.step);
            const p = placed[i];
            return (
              <g key={`${m.step}-${m.kind}-${i}`} style={{ color: MARKER_COLOR[m.kind] }}>
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
          {smoothing > 0
            ? visibleTerms.map((t) => <path key={`raw-${t.key}`} className="lc-raw" style={{ stroke: t.color }} d={pathOf(train, t.key)} />)
            : null}
          {visibleTerms.map((t) => (
            <path key={`test-${t.key}`} className="lc-test" style={{ stroke: t.color }} d={pathOf(test, t.key)} />
          ))}
          {visibleTerms.map((t) => (
            <path key={`train-${t.key}`} className="lc-train" style={{ stroke: t.color }} d={pathOf(smoothed, t.key)} />
          ))}
          {dotR > 0
            ? visibleTerms.map((t) => <path key={`dots-${t.key}`} className="lc-test-dots" style={{ stroke: t.color }} d={dotsPath(test, t.key, x, py, ok, dotR)} />)
            : null}
          {smoothed.length
            ? visibleTerms.map((t) => {
                const p = smoothed[smoothed.length - 1];
                return ok(p.values[t.key]) ? <circle key={`head-${t.key}`} className="lc-head" style={{ fill: t.color }} cx={x(p.step)} cy={py(p.values[t.key])} r={3} /> : null;
              })
            : null}
        </g>
      </g>
    );
  }, [frame, width, useLog, train, smoothed, test, visibleTerms, smoothing, markersAll, xMax, clipId, showBeta, betaPoints, capacityShown]);

  // The axes: static for a given frame.
  const axes = useMemo(() => {
    if (width === 0) return null;
    const { x, y, plotW, plotH, ticksY, labelsY, ticksX, left, right, yBeta, ticksBeta } = frame;
    const [d0, d1] = y.domain();
    const zeroInside = !useLog && d0 < 0 && d1 > 0;
    return (
      <>
        <g className="lc-grid">
          {ticksY.map((t) => (
            <line key={t} x1={0} x2={plotW} y1={y(t)} y2={y(t)} />
          ))}
          {zeroInside ? <line className="lc-zero" x1={0} x2={plotW} y1={y(0)} y2={y(0)} /> : null}
        </g>
        <g className="lc-axis lc-axis-y">
          {ticksY.map((t, i) => (
            <text key={t} x={-8} y={y(t)} dy="0.32em" textAnchor="end">
              {labelsY[i]}
            </text>
          ))}
          <text className="lc-axis-title" transform={`translate(${-left + 12},${plotH / 2}) rotate(-90)`} textAnchor="middle">
            nats per example{useLog ? ' (log)' : ''}
          </text>
        </g>
        <g className="lc-axis lc-axis-x" transform={`translate(0,${plotH})`}>
          <line className="lc-domain" x1={0} x2={plotW} />
          {ticksX.map((t) => (
            <g key={t} transform={`translate(${x(t)},0)`}>
              <line y2={4} />
              <text y={16} textAnchor="middle">
                {formatStepTick(t)}
              </text>
            </g>
          ))}
          <text className="lc-axis-title" x={plotW / 2} y={32} textAnchor="middle">
            step
          </text>
        </g>
        {showBeta ? (
          <g className="lc-axis lc-axis-beta" transform={`translate(${plotW},0)`}>
            <line className="lc-domain" y1={0} y2={plotH} />
            {ticksBeta.map((t) => (
              <g key={t} transform={`translate(0,${yBeta(t)})`}>
                <line x2={4} />
                <text x={7} dy="0.32em" textAnchor="start">
                  {formatBetaTick(t)}
                </text>
              </g>
            ))}
            <text className="lc-axis-title" transform={`translate(${right - 10},${plotH / 2}) rotate(90)`} textAnchor="middle">
              {BETA_LABEL}
            </text>
          </g>
        ) : null}
      </>
    );
  }, [frame, width, useLog, showBeta]);

  // Hover: the nearest training point, and the nearest test evaluation when it is close.
  const hover = useMemo(() => {
    if (hoverPx === null || width === 0) return null;
    const { x } = frame;
    const step = x.invert(hoverPx);
    const i = nearestIndex(smoothed, step);
    const ti = nearestIndex(test, step);
    const testNear = ti >= 0 && (i < 0 || Math.abs(x(test[ti].step) - hoverPx) <= TEST_SNAP_PX) ? test[ti] : null;
    const trainPoint = i >= 0 ? smoothed[i] : null;
    const ruleStep = trainPoint ? trainPoint.step : testNear ? testNear.step : null;
    if (ruleStep === null) return null;
    return { trainPoint, testNear, ruleStep };
  }, [hoverPx, frame, smoothed, test, width]);

  const onPointerMove = (e: ReactPointerEvent<SVGRectElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    setHoverPx(Math.max(0, Math.min(frame.plotW, e.clientX - rect.left)));
  };

  const ariaLabel = useMemo(() => {
    const parts = [`Loss curves over ${formatStep(lastStep)} steps, in nats per example.`];
    if (latest) {
      parts.push(
        `Latest training average: −ELBO ${formatNats(latest.negativeElbo)} = reconstruction ${formatNats(latest.reconstruction)} + KL ${formatNats(latest.kl)}.`,
      );
    }
    if (latestTest) parts.push(`Test −ELBO ${formatNats(latestTest.negativeElbo)} at step ${formatStep(latestTest.step)}.`);
    if (history.markers.length) parts.push(`${history.markers.length} marked event${history.markers.length === 1 ? '' : 's'}.`);
    if (showBeta) parts.push(`The KL weight β(t) follows a schedule between ${formatBeta(betaRange.lo)} and ${formatBeta(betaRange.hi)} (dashed line, right axis).`);
    if (showCapacity) parts.push(`Capacity C(t), the KL target, dotted: ${formatNats(capacityShown[capacityShown.length - 1].value)} nats at the end.`);
    return parts.join(' ');
  }, [lastStep, latest, latestTest, history.markers.length, showBeta, betaRange, showCapacity, capacityShown]);

  // Keep the tooltip inside the chart: right of the rule, else left of it, else clamped.
  const tipRef = useRef<HTMLDivElement>(null);
  const anchorX = hover ? frame.x(hover.ruleStep) + frame.left : 0;
  useLayoutEffect(() => {
    const el = tipRef.current;
    if (!el || !hover) return;
    const w = el.offsetWidth;
    let lx = anchorX + 12;
    if (lx + w > width) lx = anchorX - 12 - w;
    if (lx < 0) lx = Math.max(0, Math.min(width - w, anchorX - w / 2));
    el.style.left = `${lx}px`;
  }, [hover, anchorX, width]);

  const caption = (
    <LossCaption
      latest={latest}
      latestTest={latestTest}
      beta={beta}
      likelihood={likelihood}
      scheduledBeta={showBeta ? betaNow : null}
      capacityNow={showCapacity ? capacityAt(capacityShown, lastStep) : null}
      freeBits={freeBits}
    />
  );

  if (empty) {
    return (
      <Panel title="Loss curves" caption={caption} className="loss-chart">
        <div className="lc-empty" style={{ height: HEIGHT }}>
          <div>
            <svg className="lc-empty-icon" viewBox="0 0 64 32" aria-hidden="true">
              <path d="M2 4 C 14 24, 24 27, 62 28" style={{ stroke: 'var(--recon)' }} />
              <path d="M2 30 C 12 14, 28 10, 62 9" style={{ stroke: 'var(--kl)' }} />
            </svg>
            <p>{EMPTY_MESSAGE}</p>
          </div>
        </div>
      </Panel>
    );
  }

  const logTitle = logAvailable
    ? 'Log scale for the y axis: shows the small KL term and the slow late progress'
    : likelihood === 'gaussian'
      ? 'Log scale unavailable: with the Gaussian likelihood the reconstruction term is a continuous density, so it and −ELBO can be negative'
      : 'Log scale needs every plotted value to be positive';

  const tools = (
    <>
      <label className="lc-smoothing" title="Smoothing: exponential moving average of the training curves (the raw averages stay faint behind)">
        <select aria-label="Smoothing" value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))}>
          {SMOOTHING_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" aria-pressed={useLog} disabled={!logAvailable} title={logTitle} onClick={() => setLogRequested(!useLog)}>
        Log scale
      </button>
    </>
  );

  const toggleTerm = (key: Term) => {
    setHidden((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else if (TERMS.length - next.size > 1) next.add(key);
      return next;
    });
  };

  const { left, plotW, plotH, x } = frame;
  const ruleX = hover ? x(hover.ruleStep) : 0;
  const showClipNote = yDomain.clipped;

  return (
    <Panel title="Loss curves" caption={caption} tools={tools} className="loss-chart">
      <div className="lc-legend">
        {TERMS.map((t) => {
          const on = !hidden.has(t.key);
          return (
            <button
              key={t.key}
              type="button"
              className="lc-legend-item"
              aria-pressed={on}
              title={on ? `Hide ${t.name}` : `Show ${t.name}`}
              onClick={() => toggleTerm(t.key)}
            >
              <svg width="18" height="10" aria-hidden="true">
                <line x1="1" x2="17" y1="5" y2="5" style={{ stroke: t.color }} />
              </svg>
              <span className="lc-legend-name">{t.legendName}</span>
              {t.legendMath ? (
                <>
                  {' '}
                  <span className="lc-legend-math">{t.legendMath}</span>
                </>
              ) : null}
            </button>
          );
        })}
        {showBeta ? (
          <span className="lc-legend-extra" title="The weight of the KL term in force at each step (right axis)">
            <svg width="18" height="10" aria-hidden="true">
              <path className="lc-key-beta" d="M1 8 H7 V2 H17" />
            </svg>
            <span className="lc-legend-name">{BETA_LABEL}</span> <span className="lc-legend-math">right axis</span>
          </span>
        ) : null}
        {showCapacity ? (
          <span className="lc-legend-extra" title="Capacity annealing: the KL value the objective pulls towards, in nats">
            <svg width="18" height="10" aria-hidden="true">
              <line className="lc-key-capacity" x1="2" x2="17" y1="5" y2="5" />
            </svg>
            <span className="lc-legend-name">{CAPACITY_LABEL}</span> <span className="lc-legend-math">KL target</span>
          </span>
        ) : null}
        <span className="lc-legend-styles" aria-label="Solid lines: training, smoothed, with raw averages faint. Dashed with dots: test set.">
          <span className="lc-style">
            <svg width="22" height="10" aria-hidden="true">
              <path className="lc-key-raw" d="M1 6 L5 3 L8 7 L12 2 L15 6 L18 4 L21 6" />
              <line className="lc-key-train" x1="1" x2="21" y1="5" y2="5" />
            </svg>
            train
          </span>
          <span className="lc-style">
            <svg width="22" height="10" aria-hidden="true">
              <line className="lc-key-test" x1="1" x2="21" y1="5" y2="5" />
              <circle className="lc-key-dot" cx="11" cy="5" r="2.4" />
            </svg>
            test
          </span>
        </span>
      </div>
      <div className="lc-chart" ref={wrapRef} style={{ height: HEIGHT }}>
        {width > 0 ? (
          <svg className="lc-svg" width={width} height={HEIGHT} role="img" aria-label={ariaLabel}>
            <defs>
              <clipPath id={clipId}>
                <rect x={0} y={-2} width={plotW + 4} height={plotH + 4} />
              </clipPath>
            </defs>
            <g transform={`translate(${left},${MARGIN.top})`}>
              {axes}
              {dataLayer}
              {showClipNote ? (
                <text className="lc-clip-note" x={0} y={-8}>
                  {yDomain.clippedRecent ? 'some values off the scale' : 'early steps off the scale'}
                </text>
              ) : null}
              {hover ? (
                <g className="lc-hover" pointerEvents="none">
                  <line className="lc-rule" x1={ruleX} x2={ruleX} y1={0} y2={plotH} />
                  {hover.trainPoint ? <HoverDots point={hover.trainPoint} terms={visibleTerms} frame={frame} log={useLog} filled /> : null}
                  {hover.testNear ? <HoverDots point={hover.testNear} terms={visibleTerms} frame={frame} log={useLog} /> : null}
                  {showBeta && hover.trainPoint && Number.isFinite(hover.trainPoint.beta) ? (
                    <circle className="lc-hover-beta" cx={ruleX} cy={frame.yBeta(hover.trainPoint.beta)} r={3} />
                  ) : null}
                </g>
              ) : null}
              <rect
                className="lc-overlay"
                width={plotW}
                height={plotH}
                onPointerMove={onPointerMove}
                onPointerDown={onPointerMove}
                onPointerLeave={() => setHoverPx(null)}
              />
            </g>
          </svg>
        ) : null}
        {hover ? (
          <div
            ref={tipRef}
            className="tooltip lc-tooltip"
            style={{ left: anchorX + 12, top: MARGIN.top + 4 }}
          >
            <TooltipBody hover={hover} terms={visibleTerms} capacity={showCapacity ? capacityAt(capacityShown, hover.ruleStep) : null} />
          </div>
        ) : null}
      </div>
    </Panel>
  );
}

interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  plotH: number;
}

function HoverDots({ point, terms, frame, log, filled }: { point: HistoryPoint; terms: readonly TermInfo[]; frame: Frame; log: boolean; filled?: boolean }) {
  return (
    <>
      {terms.map((t) => {
        const v = point.values[t.key];
        if (!Number.isFinite(v) || (log && v <= 0)) return null;
        const cy = frame.y(v);
        if (cy < -4 || cy > frame.plotH + 4) return null;
        return (
          <circle
            key={t.key}
            className={filled ? 'lc-hover-dot' : 'lc-hover-dot lc-hover-dot-test'}
            style={filled ? { fill: t.color } : { stroke: t.color }}
            cx={frame.x(point.step)}
            cy={cy}
            r={filled ? 3.5 : 3.2}
          />
        );
      })}
    </>
  );
}

function TooltipBody({
  hover,
  terms,
  capacity,
}: {
  hover: { trainPoint: HistoryPoint | null; testNear: HistoryPoint | null; ruleStep: number };
  terms: readonly TermInfo[];
  capacity: number | null;
}) {
  const { trainPoint, testNear } = hover;
  const beta = trainPoint?.beta ?? testNear?.beta;
  return (
    <>
      <div className="lc-tt-head">
        <span>step {formatStep(hover.ruleStep)}</span>
        {beta !== undefined ? <span className="lc-tt-beta">β {formatBeta(beta)}</span> : null}
      </div>
      <table>
        <thead>
          <tr>
            <th />
            {trainPoint ? <th>train</th> : null}
            {testNear ? <th>test{testNear.step !== hover.ruleStep ? ` @ ${formatStep(testNear.step)}` : ''}</th> : null}
          </tr>
        </thead>
        <tbody>
          {terms.map((t) => (
            <tr key={t.key}>
              <th scope="row">
                <i className="lc-tt-swatch" style={{ background: t.color }} />
                {t.name}
              </th>
              {trainPoint ? <td>{formatNats(trainPoint.values[t.key])}</td> : null}
              {testNear ? <td>{formatNats(testNear.values[t.key])}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {capacity !== null ? (
        <div className="lc-tt-extra">
          capacity C(t) <b>{formatNats(capacity)}</b> nats
        </div>
      ) : null}
    </>
  );
}

/** The capacity in force at `step`: the last schedule point at or before it (else the first). */
function capacityAt(points: readonly CapacityPoint[], step: number): number | null {
  if (points.length === 0) return null;
  let value = points[0].value;
  for (const c of points) {
    if (c.step > step) break;
    value = c.value;
  }
  return value;
}

function LossCaption({
  latest,
  latestTest,
  beta,
  likelihood,
  scheduledBeta,
  capacityNow,
  freeBits = 0,
}: CaptionFigures & Pick<LossChartProps, 'beta' | 'likelihood' | 'freeBits'> & { scheduledBeta: number | null; capacityNow: number | null }): ReactNode {
  if (latest && (scheduledBeta !== null || capacityNow !== null)) {
    return <ScheduleCaption latest={latest} latestTest={latestTest} likelihood={likelihood} scheduledBeta={scheduledBeta} capacityNow={capacityNow} />;
  }
  const betaText = <b>{formatBeta(beta)}</b>;
  if (!latest) {
    return (
      <>
        −ELBO = reconstruction + KL, in nats per example. Training minimises reconstruction + β·KL (β = {betaText}).
      </>
    );
  }
  const objective = latest.objective ?? latest.reconstruction + beta * latest.kl;
  const penalty = freeBits > 0 ? <>β·Σ max(λ, KL_d)</> : <>β·KL</>;
  return (
    <>
      −ELBO <b>{formatNats(latest.negativeElbo)}</b> nats = reconstruction <b>{formatNats(latest.reconstruction)}</b> + KL <b>{formatNats(latest.kl)}</b>.
      Training minimises reconstruction + {penalty}
      {beta !== 1 || freeBits > 0 ? <> = <b>{formatNats(objective)}</b></> : null} (β = {betaText}
      {freeBits > 0 ? <>, free bits λ = <b>{formatNats(freeBits)}</b> nats per dimension</> : null})
      {latestTest ? (
        <>
          ; test −ELBO <b>{formatNats(latestTest.negativeElbo)}</b> at step {formatStep(latestTest.step)}.
        </>
      ) : (
        '.'
      )}
      {likelihood === 'gaussian' && latest.reconstruction < 0 ? ' Reconstruction is negative: the Gaussian likelihood is a density.' : null}
    </>
  );
}

/** The caption under a KL schedule: the weight (or the capacity target) in force now. */
function ScheduleCaption({
  latest,
  latestTest,
  likelihood,
  scheduledBeta,
  capacityNow,
}: Pick<CaptionFigures, 'latestTest'> & Pick<LossChartProps, 'likelihood'> & {
  latest: Figures;
  scheduledBeta: number | null;
  capacityNow: number | null;
}): ReactNode {
  const objective =
    capacityNow !== null ? (
      <>
        reconstruction + γ·|KL − C(t)|, with the capacity C(t) = <b>{formatNats(capacityNow)}</b> nats now (dotted)
        {scheduledBeta !== null ? (
          <>
            {' '}
            and the weight at <b>{formatBeta(scheduledBeta)}</b> (dashed, right axis)
          </>
        ) : null}
      </>
    ) : (
      <>
        reconstruction + β(t)·KL = <b>{formatNats(latest.objective ?? latest.reconstruction + (scheduledBeta ?? 1) * latest.kl)}</b>, with the scheduled β(t) ={' '}
        <b>{formatBeta(scheduledBeta ?? 1)}</b> now (dashed, right axis)
      </>
    );
  return (
    <>
      −ELBO <b>{formatNats(latest.negativeElbo)}</b> nats = reconstruction <b>{formatNats(latest.reconstruction)}</b> + KL <b>{formatNats(latest.kl)}</b>.
      Training minimises {objective}
      {latestTest ? (
        <>
          ; test −ELBO <b>{formatNats(latestTest.negativeElbo)}</b> at step {formatStep(latestTest.step)}.
        </>
      ) : (
        '.'
      )}
      {likelihood === 'gaussian' && latest.reconstruction < 0 ? ' Reconstruction is negative: the Gaussian likelihood is a density.' : null}
    </>
  );
}
