/**
 * KL per latent dimension: one bar per dimension (in index order, so each bar can be watched as it
 * trains), its height KL(q(z_j|x) ‖ p(z_j)) in nats averaged over the last batch; their sum is the
 * ELBO's KL term. Inactive units (Burda et al. 2016: the posterior mean hardly varies with x) are
 * hatched, the free-bits floor λ is a dashed line, and collapsed units raise a warning.
 * React renders the SVG; d3 supplies the scales and ticks.
 */
import { useId, useMemo, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { scaleBand, scaleLinear } from 'd3';
import { Axis } from '../../charts/Axis';
import { Tooltip } from '../../charts/Tooltip';
import { Panel } from '../../components/Panel';
import { formatNatsFixed as nats, formatNatsShort as barLabel, latentLabel } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import './lab.css';

export interface KlBarsProps {
  /** KL per dimension, nats, averaged over the last training batch. */
  klPerDim: number[] | null;
  /** Variance over test points of each unit's posterior mean E_q[z_u] (Burda et al.). */
  unitVariances: number[] | null;
  activeUnits: number | null;
  /** Free bits λ, nats per dimension (0 = off). */
  freeBits: number;
  latentDim: number;
}

/** A unit is active when the variance of its posterior mean exceeds this (Burda et al. 2016). */
const ACTIVE_THRESHOLD = 0.01;
const HEIGHT = 200;
const MARGIN = { top: 16, right: 20, bottom: 24, left: 40 };

const baseLine = (t: number) => (t === 0 ? 'base' : null);

export function KlBars({ klPerDim, unitVariances, activeUnits, freeBits, latentDim }: KlBarsProps) {
  const [wrapRef, width] = useElementWidth();
  const [hover, setHover] = useState<number | null>(null);
  const hatchId = `kl-hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;

  const kl = klPerDim && klPerDim.length === latentDim ? klPerDim : null;
  const variances = unitVariances && unitVariances.length === latentDim ? unitVariances : null;
  const inactive = (u: number) => (variances ? !(variances[u] > ACTIVE_THRESHOLD) : false);
  const active = activeUnits ?? (variances ? variances.filter((v) => v > ACTIVE_THRESHOLD).length : null);
  const collapsedCount = active !== null ? Math.max(0, latentDim - active) : 0;
  const total = kl ? kl.reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0) : null;

  const frame = useMemo(() => {
    if (!kl || width <= 0) return null;
    const plotW = Math.max(40, width - MARGIN.left - MARGIN.right);
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const max = Math.max(0.1, ...kl.filter(Number.isFinite), freeBits > 0 ? freeBits * 1.2 : 0);
    const y = scaleLinear([0, max], [plotH, 0]).nice(4);
    const x = scaleBand<number>(
      Array.from({ length: latentDim }, (_, i) => i),
      [0, plotW],
    )
      .paddingInner(latentDim > 24 ? 0.15 : 0.28)
      .paddingOuter(0.15);
    const every = Math.max(1, Math.ceil(26 / x.step()));
    const labelled = x.domain().filter((i) => i % every === 0 || i === latentDim - 1);
    return { plotW, plotH, x, y, ticks: y.ticks(4), labelled };
  }, [kl, width, latentDim, freeBits]);
  const varianceKey = variances ? variances.map((v) => (v > ACTIVE_THRESHOLD ? 1 : 0)).join('') : '';
  const inactiveClass = useMemo(() => (i: number) => (varianceKey && varianceKey[i] !== '1' ? 'inactive' : null), [varianceKey]);

  const onMove = (e: ReactPointerEvent<SVGRectElement>) => {
    if (!frame) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const i = Math.floor((px - frame.x.step() * frame.x.paddingOuter()) / frame.x.step());
    setHover(i >= 0 && i < latentDim ? i : null);
  };

  const tools = (
    <span className="lab-figure" title="Units whose posterior mean varies with the input: Var_x E_q[z_u] > 0.01 (Burda et al. 2016)">
      Active units{' '}
      <b className="num">
        {active ?? '–'} / {latentDim}
      </b>
    </span>
  );

  const caption = kl ? (
    <>
      Each bar is one dimension&rsquo;s KL(q(z<sub>j</sub>|x) ‖ p(z<sub>j</sub>)) in nats, averaged over the last training batch; the ELBO&rsquo;s KL term is
      their sum: <b>{nats(total ?? NaN, 1)}</b> nats over {latentDim} dimensions
      {kl.length > 0 ? (
        <>
          , the largest <b>{nats(Math.max(...kl), 1)}</b> ({latentLabel(kl.indexOf(Math.max(...kl)))})
        </>
      ) : null}
      .
      {variances ? (
        <>
          {' '}
          Hatched columns are inactive units: E<sub>q</sub>[z<sub>u</sub>] hardly varies across test images (variance ≤ {ACTIVE_THRESHOLD}, Burda et al. 2016).
        </>
      ) : null}
      {freeBits > 0 ? <> The dashed line is the free-bits floor λ = {freeBits} nats: below it, a dimension&rsquo;s KL is not penalised.</> : null}
    </>
  ) : (
    <>Each bar will be one latent dimension&rsquo;s KL(q(z|x) ‖ p(z)) in nats: how much information about x that dimension carries. Their sum is the ELBO&rsquo;s KL term.</>
  );

  const hoverInfo = hover !== null && kl && frame ? hover : null;

  return (
    <Panel title="KL per dimension" className="lab-panel kl-panel" caption={caption} tools={tools}>
      <div className="kl-chart" ref={wrapRef}>
        {kl && frame ? (
          <>
            <svg className="lab-svg" width={width} height={HEIGHT} role="img" aria-label={`KL per dimension: ${kl.map((v, i) => `${latentLabel(i)} ${nats(v)}`).join(', ')} nats`}>
              <defs>
                <pattern id={hatchId} width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                  <rect width="5" height="5" className="kl-hatch-bg" />
                  <line x1="0" y1="0" x2="0" y2="5" className="kl-hatch-line" />
                </pattern>
              </defs>
              <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
                <Axis className="lab-grid" orient="left" scale={frame.y} ticks={frame.ticks} format={String} grid={frame.plotW} tickPadding={6} tickClass={baseLine} />
                <text className="lab-axis-title" x={-MARGIN.left + 2} y={-6} aria-hidden="true">
                  nats
                </text>
                <Axis className="kl-axis" orient="bottom" scale={frame.x} ticks={frame.labelled} format={latentLabel} tickPadding={7} tickClass={inactiveClass} transform={`translate(0,${frame.plotH})`} />
                {kl.map((v, i) => {
                  const value = Number.isFinite(v) ? Math.max(0, v) : 0;
                  const x = frame.x(i) ?? 0;
                  const bw = frame.x.bandwidth();
                  const top = frame.y(value);
                  const h = Math.max(value > 0 ? 1 : 0, frame.plotH - top);
                  const off = inactive(i);
                  return (
                    <g key={i} className={`kl-bar${off ? ' inactive' : ''}${hoverInfo === i ? ' hover' : ''}`}>
                      {off ? <rect className="kl-inactive-col" x={x} y={0} width={bw} height={frame.plotH} fill={`url(#${hatchId})`} /> : null}
                      <rect className="kl-bar-value" x={x} y={frame.plotH - h} width={bw} height={h} rx={Math.min(2, bw / 4)} />
                      {bw >= 18 ? (
                        <text x={x + bw / 2} y={frame.plotH - h - 4} textAnchor="middle" className="kl-value">
                          {barLabel(v)}
                        </text>
                      ) : null}
                    </g>
                  );
                })}
                {freeBits > 0 ? (
                  <g className="kl-freebits" transform={`translate(0,${frame.y(freeBits)})`} aria-hidden="true">
                    <line x2={frame.plotW} />
                    <text x={frame.plotW + 4} dy="0.32em">
                      λ
                    </text>
                  </g>
                ) : null}
                <rect
                  className="lab-overlay"
                  width={frame.plotW}
                  height={frame.plotH + MARGIN.bottom}
                  onPointerMove={onMove}
                  onPointerLeave={() => setHover(null)}
                />
              </g>
            </svg>
            {hoverInfo !== null ? (
              <Tooltip
                className="kl-tooltip"
                x={MARGIN.left + (frame.x(hoverInfo) ?? 0) + frame.x.bandwidth() / 2}
                y={MARGIN.top + frame.y(Math.max(0, kl[hoverInfo]))}
                width={width}
                height={HEIGHT}
                align="above"
                gap={8}
              >
                <b>{latentLabel(hoverInfo)}</b>: KL <b className="num">{nats(kl[hoverInfo], 3)}</b> nats
                <br />
                {variances ? (
                  <>
                    Var E<sub>q</sub>[z]: <span className="num">{nats(variances[hoverInfo], 3)}</span> · {inactive(hoverInfo) ? 'inactive' : 'active'}
                  </>
                ) : (
                  'activity not measured yet'
                )}
              </Tooltip>
            ) : null}
            <div className="lab-legend" aria-hidden="true">
              <span className="lab-key">
                <span className="kl-swatch" />
                active unit
              </span>
              {variances ? (
              <span className="lab-key">
                <svg width="12" height="12">
                  <rect width="12" height="12" rx="2" fill={`url(#${hatchId})`} className="kl-swatch-inactive" />
                </svg>
                <span>
                  inactive unit (Var E<sub>q</sub>[z] ≤ {ACTIVE_THRESHOLD})
                </span>
              </span>
              ) : null}
              {freeBits > 0 ? (
                <span className="lab-key">
                  <svg width="18" height="6">
                    <line x1="0" x2="18" y1="3" y2="3" className="kl-freebits-key" />
                  </svg>
                  free bits λ = {freeBits} nats
                </span>
              ) : null}
            </div>
          </>
        ) : (
          <div className="panel-empty">Press Train: the KL of each latent dimension will appear here.</div>
        )}
      </div>
      {collapsedCount > 0 ? (
        <div className="warning lab-warning">
          <svg className="lab-warning-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M8 1.5 15 14H1z" />
            <path d="M8 6v3.6M8 11.6v.1" className="lab-warning-mark" />
          </svg>
          <span>
            <b>
              {collapsedCount} of {latentDim}
            </b>{' '}
            {collapsedCount === 1
              ? 'unit collapsed: its posterior q(z|x) equals the prior, so it carries no information (posterior collapse).'
              : 'units collapsed: their posterior q(z|x) equals the prior, so they carry no information (posterior collapse).'}{' '}
            Lower β, or try KL warm-up or free bits.
          </span>
        </div>
      ) : null}
    </Panel>
  );
}
