/**
 * Disentanglement over training: the Mutual Information Gap (Chen et al. 2018) on a 0…1 axis and
 * the number of active units (Burda et al. 2016) on a secondary axis, with a table of each factor's
 * gap and its two most informative latents. MNIST has no ground-truth factors, so there only the
 * active units are drawn, with a note on how to get MIG.
 */
import { useMemo, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { curveStepAfter, line, scaleLinear } from 'd3';
import { finiteMax } from '../../charts/finiteMax';
import type { DisentanglementReport } from '../../../state/appState';
import { Axis } from '../../charts/Axis';
import { Tooltip } from '../../charts/Tooltip';
import { Panel } from '../../components/Panel';
import { formatCount, formatScore as mig, formatScoreTick, formatStepTick, latentLabel } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import './lab.css';

export interface DisentanglementPoint {
  step: number;
  mig: number | null;
  activeUnits: number;
}

export interface DisentanglementProps {
  history: DisentanglementPoint[];
  latest: DisentanglementReport | null;
  /** Whether the data set has ground-truth factors (Shapes), without which there is no MIG. */
  hasFactors: boolean;
  /** The data set's name, for saying it has no factors. */
  datasetName?: string;
}

const HEIGHT = 190;
const MARGIN = { top: 14, right: 34, bottom: 26, left: 38 };
const MIG_TICKS = [0, 0.25, 0.5, 0.75, 1];
const baseLine = (t: number) => (t === 0 ? 'base' : null);

function topDims([a, b]: [number, number]): string {
  return `${a >= 0 ? latentLabel(a) : '–'} / ${b >= 0 ? latentLabel(b) : '–'}`;
}

export function Disentanglement({ history, latest, hasFactors, datasetName = 'This data set' }: DisentanglementProps) {
  const [wrapRef, width] = useElementWidth();
  const [hover, setHover] = useState<number | null>(null);
  const showMig = hasFactors;
  const units = latest?.unitVariances.length ?? 0;

  const frame = useMemo(() => {
    if (width <= 0 || history.length === 0) return null;
    const plotW = Math.max(40, width - MARGIN.left - MARGIN.right);
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const first = history[0].step;
    const last = history[history.length - 1].step;
    const x = scaleLinear([first, last > first ? last : first + 1], [0, plotW]);
    const maxUnits = finiteMax(history.map((p) => p.activeUnits), Math.max(1, units));
    const yMig = scaleLinear([0, 1], [plotH, 0]);
    const yUnits = scaleLinear([0, maxUnits], [plotH, 0]);
    const unitTicks = yUnits.ticks(Math.min(maxUnits, 4)).filter(Number.isInteger);
    const migPath =
      line<DisentanglementPoint>()
        .defined((p) => p.mig !== null && Number.isFinite(p.mig))
        .x((p) => x(p.step))
        .y((p) => yMig(Math.max(0, Math.min(1, p.mig ?? 0))))(history) ?? '';
    const unitsPath =
      line<DisentanglementPoint>()
        .curve(curveStepAfter)
        .defined((p) => Number.isFinite(p.activeUnits))
        .x((p) => x(p.step))
        .y((p) => yUnits(p.activeUnits))(history) ?? '';
    const xTicks = x.ticks(Math.max(2, Math.floor(plotW / 80))).filter(Number.isInteger);
    return { plotW, plotH, x, yMig, yUnits, unitTicks, migPath, unitsPath, xTicks };
  }, [width, history, units]);

  const onMove = (e: ReactPointerEvent<SVGRectElement>) => {
    if (!frame) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const step = frame.x.invert(e.clientX - rect.left);
    let best = 0;
    for (let i = 1; i < history.length; i++) if (Math.abs(history[i].step - step) < Math.abs(history[best].step - step)) best = i;
    setHover(best);
  };

  const lastPoint = history[history.length - 1];
  const latestMig = latest?.mig ?? lastPoint?.mig ?? null;
  const hp = hover !== null && frame && hover < history.length ? history[hover] : null;
  // The unit axis takes the left side when there is no MIG to draw.
  const unitsOnLeft = !showMig;

  const caption = showMig ? (
    <>
      MIG (Chen et al. 2018): for each ground-truth factor, the gap between the two latents that know most about it, as a fraction of the factor&rsquo;s entropy;
      1 = each factor in its own latent. Estimated on 2,000 test images.
      {latestMig !== null && lastPoint ? (
        <>
          {' '}
          Latest MIG <b>{mig(latestMig)}</b> at step <b>{formatCount(lastPoint.step)}</b>, with <b>{lastPoint.activeUnits}</b>
          {units ? ` of ${units}` : ''} units active.
        </>
      ) : null}
    </>
  ) : (
    <>
      Active units (Burda et al. 2016): latent dimensions whose posterior mean E<sub>q</sub>[z<sub>u</sub>] varies across test images (variance &gt; 0.01); the
      others have collapsed onto the prior.
      {lastPoint ? (
        <>
          {' '}
          Now <b>{lastPoint.activeUnits}</b>
          {units ? ` of ${units}` : ''} at step <b>{formatCount(lastPoint.step)}</b>.
        </>
      ) : null}
    </>
  );

  return (
    <Panel
      title="Disentanglement"
      className="lab-panel dis-panel"
      caption={caption}
      tools={
        showMig ? (
          <span className="lab-figure">
            MIG <b className="num">{mig(latestMig)}</b>
          </span>
        ) : null
      }
    >
      {!hasFactors ? (
        <div className="dis-note">
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" className="dis-note-icon">
            <circle cx="8" cy="8" r="7" />
            <path d="M8 7v4.5M8 4.6v.1" />
          </svg>
          <span>
            <b>MIG needs ground-truth factors</b>: the known values that generated each image (shape, scale, rotation, position). {datasetName} has none; switch the{' '}
            <b>Dataset</b> to <b>Shapes</b> to measure disentanglement. Meanwhile, the active units:
          </span>
        </div>
      ) : null}
      <div className="dis-chart" ref={wrapRef}>
        {frame ? (
          <>
            <div className="lab-legend dis-legend" aria-hidden="true">
              {showMig ? (
                <span className="lab-key">
                  <svg width="18" height="8">
                    <line x1="0" x2="18" y1="4" y2="4" className="dis-mig-key" />
                  </svg>
                  MIG <span className="lab-key-note">(left axis, 0–1)</span>
                </span>
              ) : null}
              <span className="lab-key">
                <svg width="18" height="8">
                  <line x1="0" x2="18" y1="4" y2="4" className="dis-units-key" />
                </svg>
                active units{showMig ? <span className="lab-key-note"> (right axis)</span> : null}
              </span>
            </div>
            <svg
              className="lab-svg"
              width={width}
              height={HEIGHT}
              role="img"
              aria-label={
                showMig
                  ? `MIG over training, latest ${mig(latestMig)}; active units, latest ${lastPoint?.activeUnits ?? '–'}`
                  : `Active units over training, latest ${lastPoint?.activeUnits ?? '–'}`
              }
            >
              <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
                <Axis
                  className={unitsOnLeft ? 'lab-grid dis-units-ticks' : 'lab-grid'}
                  orient="left"
                  scale={showMig ? frame.yMig : frame.yUnits}
                  ticks={showMig ? MIG_TICKS : frame.unitTicks}
                  format={showMig ? formatScoreTick : String}
                  grid={frame.plotW}
                  tickPadding={6}
                  tickClass={baseLine}
                />
                {showMig ? <Axis className="dis-units-ticks" orient="right" scale={frame.yUnits} ticks={frame.unitTicks} format={String} tickPadding={6} transform={`translate(${frame.plotW},0)`} /> : null}
                <Axis className="lab-axis" orient="bottom" scale={frame.x} ticks={frame.xTicks} format={formatStepTick} tickPadding={8} transform={`translate(0,${frame.plotH})`} />
                <text className="lab-axis-title" x={-6} y={frame.plotH + 16} textAnchor="end" aria-hidden="true">
                  step
                </text>
                <path className="dis-units" d={frame.unitsPath} />
                {showMig ? <path className="dis-mig" d={frame.migPath} /> : null}
                {showMig && history.length <= 40
                  ? history.map((p, i) =>
                      p.mig !== null && Number.isFinite(p.mig) ? (
                        <circle key={i} className="dis-mig-dot" cx={frame.x(p.step)} cy={frame.yMig(Math.max(0, Math.min(1, p.mig)))} r={2.4} />
                      ) : null,
                    )
                  : null}
                {hp ? (
                  <g className="dis-hover" transform={`translate(${frame.x(hp.step)},0)`}>
                    <line y2={frame.plotH} />
                    {showMig && hp.mig !== null && Number.isFinite(hp.mig) ? <circle className="dis-mig-dot" cy={frame.yMig(Math.max(0, Math.min(1, hp.mig)))} r={3.5} /> : null}
                    <circle className="dis-units-dot" cy={frame.yUnits(hp.activeUnits)} r={3} />
                  </g>
                ) : null}
                <rect className="lab-overlay" width={frame.plotW} height={frame.plotH} onPointerMove={onMove} onPointerLeave={() => setHover(null)} />
              </g>
            </svg>
            {hp ? (
              <Tooltip className="dis-tooltip" x={MARGIN.left + frame.x(hp.step)} y={MARGIN.top + 22} width={width} height={HEIGHT}>
                step <b className="num">{formatCount(hp.step)}</b>
                {showMig ? (
                  <>
                    <br />
                    MIG <b className="num">{mig(hp.mig)}</b>
                  </>
                ) : null}
                <br />
                active units <b className="num">{hp.activeUnits}</b>
              </Tooltip>
            ) : null}
          </>
        ) : (
          <div className="panel-empty dis-empty">
            {showMig ? 'MIG and the active units appear once the model has encoded the test set.' : 'The active units appear once the model has encoded the test set.'}
          </div>
        )}
      </div>
      {showMig && latest?.migPerFactor && latest.migPerFactor.length > 0 ? (
        <table className="dis-table">
          <caption className="visually-hidden">MIG per factor at step {formatCount(latest.step)}</caption>
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col">Gap</th>
              <th scope="col" title="The latents with the most and second-most mutual information with the factor">
                Top latents
              </th>
            </tr>
          </thead>
          <tbody>
            {latest.migPerFactor.map((f) => (
              <tr key={f.factor}>
                <th scope="row">{f.factor}</th>
                <td className="dis-gap">
                  <span className="dis-gap-bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(0, Math.min(1, f.gap)) * 100}%` }} />
                  </span>
                  <span className="num">{mig(f.gap)}</span>
                </td>
                <td className="num dis-dims">{topDims(f.topDims)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  );
}
