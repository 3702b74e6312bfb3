/**
 * What the pointer shows on the loss chart: a rule at the nearest training point, its values as
 * dots on the curves (the nearest test evaluation's too, when close), and the tooltip with the
 * numbers by curve name.
 */
import type { HistoryPoint } from '../../../state/history';
import { Tooltip } from '../../charts/Tooltip';
import { formatBeta, formatNats, formatStep } from '../../format';
import type { LossFrame } from './frame';
import { nearestIndex } from './lookup';
import type { LossSeries } from './series';

/** Pointer distance (px) within which a test evaluation joins the tooltip. */
const TEST_SNAP_PX = 24;

export interface LossHoverPoint {
  trainPoint: HistoryPoint | null;
  testNear: HistoryPoint | null;
  /** The step the rule is drawn at. */
  ruleStep: number;
}

/** The nearest training point to the pointer, and the nearest test evaluation when it is close. */
export function hoverAt(px: number, frame: LossFrame, smoothed: readonly HistoryPoint[], test: readonly HistoryPoint[]): LossHoverPoint | null {
  const { x } = frame;
  const step = x.invert(px);
  const i = nearestIndex(smoothed, step);
  const ti = nearestIndex(test, step);
  const testNear = ti >= 0 && (i < 0 || Math.abs(x(test[ti].step) - px) <= TEST_SNAP_PX) ? test[ti] : null;
  const trainPoint = i >= 0 ? smoothed[i] : null;
  const ruleStep = trainPoint ? trainPoint.step : testNear ? testNear.step : null;
  return ruleStep === null ? null : { trainPoint, testNear, ruleStep };
}

function HoverDots({ point, series, frame, log, filled }: { point: HistoryPoint; series: readonly LossSeries[]; frame: LossFrame; log: boolean; filled?: boolean }) {
  return (
    <>
      {series.map((s) => {
        const v = point.values[s.id];
        if (!Number.isFinite(v) || (log && v <= 0)) return null;
        const cy = frame.y(v);
        if (cy < -4 || cy > frame.plotH + 4) return null;
        return (
          <circle
            key={s.id}
            className={filled ? 'lc-hover-dot' : 'lc-hover-dot lc-hover-dot-test'}
            style={filled ? { fill: s.color } : { stroke: s.color }}
            cx={frame.x(point.step)}
            cy={cy}
            r={filled ? 3.5 : 3.2}
          />
        );
      })}
    </>
  );
}

/** The rule and dots, inside the plot's coordinates. */
export function HoverMarks({ hover, series, frame, log, showBeta }: { hover: LossHoverPoint; series: readonly LossSeries[]; frame: LossFrame; log: boolean; showBeta: boolean }) {
  const ruleX = frame.x(hover.ruleStep);
  const beta = hover.trainPoint?.beta;
  return (
    <g className="lc-hover" pointerEvents="none">
      <line className="lc-rule" x1={ruleX} x2={ruleX} y1={0} y2={frame.plotH} />
      {hover.trainPoint ? <HoverDots point={hover.trainPoint} series={series} frame={frame} log={log} filled /> : null}
      {hover.testNear ? <HoverDots point={hover.testNear} series={series} frame={frame} log={log} /> : null}
      {showBeta && beta !== undefined && Number.isFinite(beta) ? <circle className="lc-hover-beta" cx={ruleX} cy={frame.yBeta(beta)} r={3} /> : null}
    </g>
  );
}

export interface LossTooltipProps {
  hover: LossHoverPoint;
  series: readonly LossSeries[];
  /** The capacity C(t) at the rule's step, when drawn. */
  capacity: number | null;
  /** The rule's x in the chart's coordinates, and the chart's size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export function LossTooltip({ hover, series, capacity, x, y, width, height }: LossTooltipProps) {
  const { trainPoint, testNear } = hover;
  const beta = trainPoint?.beta ?? testNear?.beta;
  return (
    <Tooltip className="lc-tooltip" x={x} y={y} width={width} height={height}>
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
          {series.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <i className="lc-tt-swatch" style={{ background: s.color }} />
                {s.name}
              </th>
              {trainPoint ? <td>{formatNats(trainPoint.values[s.id])}</td> : null}
              {testNear ? <td>{formatNats(testNear.values[s.id])}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {capacity !== null ? (
        <div className="lc-tt-extra">
          capacity C(t) <b>{formatNats(capacity)}</b> nats
        </div>
      ) : null}
    </Tooltip>
  );
}
