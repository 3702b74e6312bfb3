/**
 * How much the model uses z, over training: the KL term and an estimate of the mutual
 * information I(x; z) in nats (left axis), and the active units (right axis). With the
 * autoregressive decoder at β = 1 all three fall towards 0 (posterior collapse): the decoder
 * models the image from its own earlier pixels and no longer needs z, so the KL's cost buys
 * nothing. The remedies (annealing, free bits, context dropout, InfoVAE) show here by bringing
 * them back.
 */
import { useMemo } from 'react';
import { curveStepAfter, line, scaleLinear } from 'd3';
import { finiteMax } from '../../charts/finiteMax';
import type { DisentanglementReport, UsagePoint } from '../../../state/appState';
import { Axis } from '../../charts/Axis';
import { Panel } from '../../components/Panel';
import { formatCount, formatNats, formatStepTick } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import './lab.css';

export interface LatentUsageProps {
  history: readonly UsagePoint[];
  latest: DisentanglementReport | null;
  /** The decoder is autoregressive (the caption explains collapse). */
  autoregressive: boolean;
}

const HEIGHT = 170;
const MARGIN = { top: 12, right: 30, bottom: 24, left: 38 };

export function LatentUsage({ history, latest, autoregressive }: LatentUsageProps) {
  const [wrapRef, width] = useElementWidth();
  const units = latest?.unitVariances.length ?? 0;
  const frame = useMemo(() => {
    if (width <= 0 || history.length === 0) return null;
    const plotW = Math.max(40, width - MARGIN.left - MARGIN.right);
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const first = history[0].step;
    const last = history[history.length - 1].step;
    const x = scaleLinear([first, last > first ? last : first + 1], [0, plotW]);
    const maxNats = finiteMax(history.flatMap((p) => [p.kl, p.mutualInformation]), 1);
    const yNats = scaleLinear([0, maxNats * 1.05], [plotH, 0]).nice();
    const yUnits = scaleLinear([0, Math.max(1, units)], [plotH, 0]);
    const natsPath = (pick: (p: UsagePoint) => number | undefined) =>
      line<UsagePoint>()
        .defined((p) => pick(p) !== undefined && Number.isFinite(pick(p)))
        .x((p) => x(p.step))
        .y((p) => yNats(Math.max(0, pick(p) ?? 0)))(history as UsagePoint[]) ?? '';
    const unitsPath =
      line<UsagePoint>()
        .curve(curveStepAfter)
        .defined((p) => Number.isFinite(p.activeUnits))
        .x((p) => x(p.step))
        .y((p) => yUnits(p.activeUnits))(history as UsagePoint[]) ?? '';
    return {
      plotW,
      plotH,
      x,
      yNats,
      yUnits,
      klPath: natsPath((p) => p.kl),
      miPath: natsPath((p) => p.mutualInformation),
      unitsPath,
      xTicks: x.ticks(Math.max(2, Math.floor(plotW / 80))).filter(Number.isInteger),
      unitTicks: yUnits.ticks(Math.min(Math.max(1, units), 4)).filter(Number.isInteger),
    };
  }, [width, history, units]);
  const now = history[history.length - 1];
  const ceiling = latest?.mutualInformationCeiling;
  const caption = (
    <>
      How much the model uses z: the KL term, an estimate of the mutual information I(x; z) between images and codes (the KL&rsquo;s index-code part, on 2,000 test
      images{ceiling ? `, at most log M = ${formatNats(ceiling)} nats` : ''}) and the active units.
      {now ? (
        <>
          {' '}
          Now KL <b>{now.kl !== undefined ? formatNats(now.kl) : '–'}</b> nats, I(x; z) ≈ <b>{now.mutualInformation !== undefined ? formatNats(now.mutualInformation) : '–'}</b> nats,{' '}
          <b>{now.activeUnits}</b>
          {units ? ` of ${units}` : ''} units active at step <b>{formatCount(now.step)}</b>.
        </>
      ) : null}
      {autoregressive ? (
        <>
          {' '}
          With the autoregressive decoder and β = 1 these fall towards 0 (posterior collapse): the decoder predicts each pixel from the ones before it and no longer needs
          z, so every nat of KL is a cost with nothing bought. Annealing, free bits, context dropout or InfoVAE bring z back.
        </>
      ) : null}
    </>
  );
  return (
    <Panel title="Latent usage" className="lab-panel usage-panel" caption={caption}>
      <div className="dis-chart" ref={wrapRef}>
        {frame ? (
          <>
            <div className="lab-legend" aria-hidden="true">
              <span className="lab-key">
                <svg width="18" height="8">
                  <line x1="0" x2="18" y1="4" y2="4" className="usage-kl" />
                </svg>
                KL
              </span>
              <span className="lab-key">
                <svg width="18" height="8">
                  <line x1="0" x2="18" y1="4" y2="4" className="usage-mi" />
                </svg>
                I(x; z) <span className="lab-key-note">(nats, left)</span>
              </span>
              <span className="lab-key">
                <svg width="18" height="8">
                  <line x1="0" x2="18" y1="4" y2="4" className="dis-units-key" />
                </svg>
                active units <span className="lab-key-note">(right)</span>
              </span>
            </div>
            <svg className="lab-svg" width={width} height={HEIGHT} role="img" aria-label={`Latent usage over training: KL, mutual information and active units, ${now?.activeUnits ?? '–'} units now`}>
              <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
                <Axis className="lab-grid" orient="left" scale={frame.yNats} ticks={4} format={(v) => String(v)} grid={frame.plotW} tickPadding={6} />
                <Axis className="dis-units-ticks" orient="right" scale={frame.yUnits} ticks={frame.unitTicks} format={String} tickPadding={6} transform={`translate(${frame.plotW},0)`} />
                <Axis className="lab-axis" orient="bottom" scale={frame.x} ticks={frame.xTicks} format={formatStepTick} tickPadding={8} transform={`translate(0,${frame.plotH})`} />
                <path className="dis-units" d={frame.unitsPath} />
                <path className="usage-kl" d={frame.klPath} />
                <path className="usage-mi" d={frame.miPath} />
              </g>
            </svg>
          </>
        ) : (
          <div className="panel-empty dis-empty">The KL, I(x; z) and the active units appear once the model has encoded the test set.</div>
        )}
      </div>
    </Panel>
  );
}
