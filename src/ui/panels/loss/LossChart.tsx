/**
 * The loss curves: each loss term the model declares and the bound they make (−ELBO), for training
 * (EMA-smoothed over the faint raw averages) and for the test set (dashed, with dots), with the KL
 * schedule and the marked events on the time axis. This component holds the chart's state (log
 * scale, smoothing, hidden curves, the pointer) and the domain; the parts draw (LossAxes, LossLines,
 * LossHover), explain (LossLegend, LossCaption) and compute (domain, frame, series, schedule).
 */
import type { LikelihoodId } from '../../../core/objective/catalog';
import { useCallback, useDeferredValue, useId, useMemo, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { ObjectiveKind } from '../../../core/objective/catalog';
import type { LossTermSpec, LossValues } from '../../../core/objective/terms';
import { smooth, type HistoryPoint, type LossHistory } from '../../../state/history';
import { Panel } from '../../components/Panel';
import { useElementWidth } from '../../hooks/useElementWidth';
import { allPositive, linearYDomain, logYDomain, type ValueSeries } from './domain';
import { HEIGHT, lossFrame, MARGIN } from './frame';
import { LossAxes } from './LossAxes';
import { describeChart, LossCaption } from './LossCaption';
import { hoverAt, HoverMarks, LossTooltip } from './LossHover';
import { LossLegend } from './LossLegend';
import { LossLines } from './LossLines';
import { LossTools } from './LossTools';
import { capacityAt, capacityUpTo, valueRange, varies } from './schedule';
import { lossSeries, weightedTerm } from './series';
import './lossChart.css';

export interface LossChartProps {
  /** The loss terms the model declares, in chart order. */
  terms: readonly LossTermSpec[];
  /** Train points every ~20 steps, test points every ~1000 steps, markers. */
  history: LossHistory;
  /** Last training averages; `objective` is what the optimiser minimised (reconstruction + β·KL penalty). */
  latest: LossValues | null;
  latestTest: (LossValues & { step: number }) | null;
  /** β in force. */
  beta: number;
  likelihood: LikelihoodId;
  /** Capacity annealing's KL target C(t) in nats, drawn dotted on the nats axis when given. */
  capacity?: { step: number; value: number }[];
  /** Free bits λ in nats (0: off): the KL penalty is then Σ_d max(λ, KL_d). */
  freeBits?: number;
  /** What training minimises (β-TCVAE: the caption says so). */
  objectiveKind?: ObjectiveKind;
  /** More tools for the title bar (the figure downloads). */
  extraTools?: ReactNode;
  /** Pixels per image (bits per dimension of the discrete likelihoods). */
  pixels?: number;
  /** InfoVAE's λ when the objective is InfoVAE; else null. */
  mmdWeight?: number | null;
  /** The family's objective in words when its players minimise different sums (VAE-GAN); else the sum is shown. */
  objectiveInWords?: string;
}

const NO_SERIES: ValueSeries<HistoryPoint>[] = [];

export function LossChart({ terms, history, latest, latestTest, beta, likelihood, capacity, freeBits = 0, objectiveKind, extraTools, pixels, mmdWeight = null, objectiveInWords }: LossChartProps) {
  const [logRequested, setLogRequested] = useState(false);
  const [smoothing, setSmoothing] = useState(0.6);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const [hoverPx, setHoverPx] = useState<number | null>(null);
  const [wrapRef, width] = useElementWidth();
  const clipId = `lc-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  const series = useMemo(() => lossSeries(terms), [terms]);
  const visible = useMemo(() => series.filter((s) => !hidden.has(s.id)), [series, hidden]);

  // Drawn a beat behind when points arrive faster than they can be drawn (React skips stale ones).
  const shown = useDeferredValue(history);
  const { train, test, markers } = shown;
  const empty = train.length === 0 && test.length === 0;
  const smoothed = useMemo(() => smooth(train, smoothing), [train, smoothing]);
  const lastStep = Math.max(train.length ? train[train.length - 1].step : 0, test.length ? test[test.length - 1].step : 0);
  const xMax = Math.max(lastStep, 1);

  // The KL weight β(t) in force: its own line and right-hand axis only when it moves (a schedule).
  const betaPoints = train.length ? train : test;
  const showBeta = useMemo(() => varies(betaPoints, (p) => p.beta), [betaPoints]);
  const betaRange = useMemo(() => valueRange(betaPoints, (p) => p.beta), [betaPoints]);
  const betaNow = betaPoints.length ? betaPoints[betaPoints.length - 1].beta : beta;
  const capacityShown = useMemo(() => capacityUpTo(capacity, xMax), [capacity, xMax]);
  const showCapacity = capacityShown.length > 0;

  // What the y-domain must hold: every drawn value, with the latest ones guaranteed on screen.
  const domainSeries = useMemo(() => {
    if (visible.length === 0) return NO_SERIES;
    const out: ValueSeries<HistoryPoint>[] = [];
    for (const s of visible) {
      const value = (p: HistoryPoint) => p.values[s.id];
      out.push({ points: smoothed, value }, { points: test, value });
      if (smoothing > 0) out.push({ points: train, value, soft: true });
    }
    return out;
  }, [smoothed, train, test, visible, smoothing]);
  const include = useMemo(() => {
    const values: number[] = [];
    const lastSmoothed = smoothed[smoothed.length - 1];
    const lastTest = test[test.length - 1];
    for (const s of visible) {
      if (lastSmoothed) values.push(lastSmoothed.values[s.id]);
      if (lastTest) values.push(lastTest.values[s.id]);
    }
    // The capacity line's highest value over the shown steps (its low start needs no room: losses start at 0).
    let capacityMax = -Infinity;
    for (const c of capacityShown) if (c.step <= xMax && c.value > capacityMax) capacityMax = c.value;
    if (capacityMax > 0) values.push(capacityMax);
    return values;
  }, [smoothed, test, visible, capacityShown, xMax]);
  const linearDomain = useMemo(() => linearYDomain(domainSeries, { include }), [domainSeries, include]);
  const logAvailable = useMemo(() => allPositive(domainSeries, include), [domainSeries, include]);
  const useLog = logRequested && logAvailable;
  const logDomain = useMemo(() => (useLog ? logYDomain(domainSeries, { include }) : null), [useLog, domainSeries, include]);
  const yDomain = logDomain ?? linearDomain;

  const frame = useMemo(
    () => lossFrame({ width, xMax, yDomain: yDomain.domain, log: useLog, showBeta, betaMax: betaRange.hi }),
    [width, xMax, yDomain, useLog, showBeta, betaRange.hi],
  );
  const hover = useMemo(() => (hoverPx === null || width === 0 ? null : hoverAt(hoverPx, frame, smoothed, test)), [hoverPx, frame, smoothed, test, width]);

  const toggle = useCallback(
    (id: string) =>
      setHidden((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else if (series.length - next.size > 1) next.add(id);
        return next;
      }),
    [series.length],
  );
  const onPointerMove = (e: ReactPointerEvent<SVGRectElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    setHoverPx(Math.max(0, Math.min(frame.plotW, e.clientX - rect.left)));
  };

  const weighted = weightedTerm(terms);
  const caption = (
    <LossCaption
      terms={terms}
      latest={latest}
      latestTest={latestTest}
      beta={beta}
      likelihood={likelihood}
      pixels={pixels}
      mmdWeight={mmdWeight}
      scheduledBeta={showBeta ? betaNow : null}
      capacityNow={showCapacity ? capacityAt(capacityShown, lastStep) : null}
      freeBits={freeBits}
      objectiveKind={objectiveKind}
      objectiveInWords={objectiveInWords}
    />
  );

  if (empty) {
    const [first, second] = series;
    return (
      <Panel title="Loss curves" caption={caption} className="loss-chart">
        <div className="lc-empty" style={{ height: HEIGHT }}>
          <div>
            <svg className="lc-empty-icon" viewBox="0 0 64 32" aria-hidden="true">
              <path d="M2 4 C 14 24, 24 27, 62 28" style={{ stroke: first.color }} />
              {second && second.term ? <path d="M2 30 C 12 14, 28 10, 62 9" style={{ stroke: second.color }} /> : null}
            </svg>
            <p>{`Press Train to watch the ${terms.filter((t) => t.inElbo).length === 2 ? 'two ' : ''}ELBO terms pull against each other`}</p>
          </div>
        </div>
      </Panel>
    );
  }

  const { left, plotW, plotH } = frame;
  const tools = (
    <>
      <LossTools
        smoothing={smoothing}
        onSmoothing={setSmoothing}
        log={useLog}
        logAvailable={logAvailable}
        onLog={() => setLogRequested(!useLog)}
        likelihood={likelihood}
        smallTerm={weighted}
      />
      {extraTools}
    </>
  );
  return (
    <Panel title="Loss curves" caption={caption} tools={tools} className="loss-chart">
      <LossLegend series={series} hidden={hidden} onToggle={toggle} showBeta={showBeta} showCapacity={showCapacity} />
      <div className="lc-chart" ref={wrapRef} style={{ height: HEIGHT }}>
        {width > 0 ? (
          <svg className="lc-svg" width={width} height={HEIGHT} role="img" aria-label={describeChart({ series, latest, latestTest, lastStep, markers: history.markers.length, betaRange: showBeta ? betaRange : null, capacityEnd: showCapacity ? capacityShown[capacityShown.length - 1].value : null })}>
            <defs>
              <clipPath id={clipId}>
                <rect x={0} y={-2} width={plotW + 4} height={plotH + 4} />
              </clipPath>
            </defs>
            <g transform={`translate(${left},${MARGIN.top})`}>
              <LossAxes frame={frame} log={useLog} showBeta={showBeta} />
              <LossLines
                frame={frame}
                log={useLog}
                series={visible}
                train={train}
                smoothed={smoothed}
                test={test}
                smoothing={smoothing}
                markers={markers}
                clipId={clipId}
                betaPoints={showBeta ? betaPoints : null}
                capacity={capacityShown}
              />
              {yDomain.clipped ? (
                <text className="lc-clip-note" x={0} y={-8}>
                  {yDomain.clippedRecent ? 'some values off the scale' : 'early steps off the scale'}
                </text>
              ) : null}
              {hover ? <HoverMarks hover={hover} series={visible} frame={frame} log={useLog} showBeta={showBeta} /> : null}
              <rect className="lc-overlay" width={plotW} height={plotH} onPointerMove={onPointerMove} onPointerDown={onPointerMove} onPointerLeave={() => setHoverPx(null)} />
            </g>
          </svg>
        ) : null}
        {hover ? (
          <LossTooltip
            hover={hover}
            series={visible}
            capacity={showCapacity ? capacityAt(capacityShown, hover.ruleStep) : null}
            x={frame.x(hover.ruleStep) + left}
            y={MARGIN.top + 4}
            width={width}
            height={HEIGHT}
          />
        ) : null}
      </div>
    </Panel>
  );
}
