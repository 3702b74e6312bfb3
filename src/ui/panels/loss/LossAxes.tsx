/** The loss chart's axes: nats (linear or log, with grid lines), steps, and the KL weight β(t) on the right when it moves. */
import { memo, useMemo } from 'react';
import { Axis } from '../../charts/Axis';
import { formatBetaTick, formatNatsTick, formatStepTick } from '../../format';
import type { LossFrame } from './frame';
import { BETA_LABEL } from './LossLegend';

export const LossAxes = memo(function LossAxes({ frame, log, showBeta }: { frame: LossFrame; log: boolean; showBeta: boolean }) {
  const { x, y, plotW, plotH, ticksX, ticksY, left, right, yBeta, ticksBeta } = frame;
  const [d0, d1] = y.domain();
  const zeroInside = !log && d0 < 0 && d1 > 0;
  // The zero line, dashed, when the values cross 0 (a Gaussian likelihood's density).
  const zeroLine = useMemo(() => (zeroInside ? (t: number) => (t === 0 ? 'zero' : null) : undefined), [zeroInside]);
  return (
    <>
      <g className="lc-axis lc-axis-y">
        <Axis orient="left" scale={y} ticks={ticksY} format={formatNatsTick} grid={plotW} tickPadding={8} tickClass={zeroLine} />
        <text className="lc-axis-title" transform={`translate(${-left + 12},${plotH / 2}) rotate(-90)`} textAnchor="middle">
          nats per example{log ? ' (log)' : ''}
        </text>
      </g>
      <g className="lc-axis lc-axis-x" transform={`translate(0,${plotH})`}>
        <Axis orient="bottom" scale={x} ticks={ticksX} format={formatStepTick} tickSize={4} tickPadding={4} domain />
        <text className="lc-axis-title" x={plotW / 2} y={32} textAnchor="middle">
          step
        </text>
      </g>
      {showBeta ? (
        <g className="lc-axis lc-axis-beta" transform={`translate(${plotW},0)`}>
          <Axis orient="right" scale={yBeta} ticks={ticksBeta} format={formatBetaTick} tickSize={4} tickPadding={3} domain />
          <text className="lc-axis-title" transform={`translate(${right - 10},${plotH / 2}) rotate(90)`} textAnchor="middle">
            {BETA_LABEL}
          </text>
        </g>
      ) : null}
    </>
  );
});
