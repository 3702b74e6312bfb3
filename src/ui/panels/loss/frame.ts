/**
 * The loss chart's geometry for a width and a y-domain: margins (the left one fits the longest
 * tick label), the step and nats scales (linear or log), the KL-weight scale on the right, and
 * their ticks. Pure.
 */
import { scaleLinear, scaleLog, type ScaleContinuousNumeric, type ScaleLinear } from 'd3';
import { formatNatsTick } from '../../format';
import { weightDomain } from './domain';
import { linearTicks, logTicks } from './ticks';

export const HEIGHT = 260;
export const MARGIN = { top: 20, right: 14, bottom: 38 };
/** Right margin when the KL-weight axis is shown (its ticks and title). */
const RIGHT_WITH_WEIGHT = 50;

export interface LossFrame {
  left: number;
  right: number;
  plotW: number;
  plotH: number;
  x: ScaleLinear<number, number>;
  y: ScaleContinuousNumeric<number, number>;
  ticksX: number[];
  ticksY: number[];
  /** The KL weight β(t) on the right-hand axis. */
  yBeta: ScaleLinear<number, number>;
  ticksBeta: number[];
}

export interface FrameRequest {
  width: number;
  /** The last step shown (at least 1). */
  xMax: number;
  yDomain: [number, number];
  log: boolean;
  showBeta: boolean;
  /** The largest KL weight shown. */
  betaMax: number;
}

export function lossFrame({ width, xMax, yDomain, log, showBeta, betaMax }: FrameRequest): LossFrame {
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticksY = log ? logTicks(yDomain, Math.max(3, Math.floor(plotH / 34))) : linearTicks(yDomain, plotH);
  const longest = ticksY.reduce((m, t) => Math.max(m, formatNatsTick(t).length), 1);
  const left = Math.max(46, Math.round(longest * 6.4 + 30));
  const right = showBeta ? RIGHT_WITH_WEIGHT : MARGIN.right;
  const plotW = Math.max(40, width - left - right);
  const x = scaleLinear().domain([0, xMax]).range([0, plotW]);
  const y = log ? scaleLog().domain(yDomain).range([plotH, 0]) : scaleLinear().domain(yDomain).range([plotH, 0]);
  const ticksX = x.ticks(Math.max(2, Math.floor(plotW / 64))).filter(Number.isInteger);
  // A little head-room, so a weight held at its maximum is not drawn on the frame's top edge.
  const yBeta = scaleLinear().domain(weightDomain(betaMax)).range([plotH, 8]);
  const ticksBeta = yBeta.ticks(Math.max(2, Math.min(5, Math.floor(plotH / 45))));
  return { left, right, plotW, plotH, x, y, ticksX, ticksY, yBeta, ticksBeta };
}
