/**
 * The latent space: every test image's posterior mean μ(x) as a dot coloured by class, drawn on a
 * canvas (thousands of points) under a thin SVG overlay with the axes, the prior's circles, the
 * hovered point's 1σ posterior ellipse and the draggable probe whose decoding DecodedPoint shows.
 * New snapshots glide from the old positions (matched by test-set index) to the new ones.
 * With ground-truth factors (Shapes) the dots can be coloured by a factor instead of the class, and
 * Shift-click / double-click on a dot hands its index to onPickPoint (the probe jumps to its mean).
 */
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type KeyboardEvent, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { axisBottom, axisLeft, easeCubicInOut, quadtree, scaleLinear, select, type Quadtree, type ScaleLinear } from 'd3';
import type { LatentSnapshot } from '../../state/appState';
import { classColor } from '../lib/colors';
import { describeFactors, factorColumn, factorEnds, factorPalette, factorsFit, gradientCss, gradientStops, isCategoricalFactor, type FactorInfo } from '../lib/factorColors';
import { drawGrayscale, prepareCanvas } from '../lib/imageCanvas';
import { formatCoord, latentLabel, liftProbe, pca2, posteriorEllipse, project2, projectPoint, type Pca2, type ProjectionAxes } from '../lib/projection';
import { Panel } from './Panel';
import './latent.css';
import { useElementWidth } from '../lib/useElementWidth';

export type LatentAxes = { kind: 'dims'; dims: [number, number] } | { kind: 'pca' };

export interface LatentScatterProps {
  latents: LatentSnapshot | null;
  classNames: string[];
  /** Test images of the snapshot's points, row k of [count, width·height], 0..255. */
  previewImages: Uint8Array | null;
  imageShape: { width: number; height: number };
  axes: LatentAxes;
  onAxesChange(axes: LatentAxes): void;
  klPerDim: number[] | null;
  /** The probe's full latent vector. */
  probe: number[];
  onProbeChange(z: number[]): void;
  /** Quantile coordinates of the decoder grid, drawn as faint crosses when latentDim == 2. */
  gridValues?: number[];
  /** Ground-truth factors of the snapshot's points (Shapes), row-major [count, factorInfo.names.length]. */
  pointFactors?: Uint16Array | null;
  /** The factors' names and number of values (DataSummary.factors). */
  factorInfo?: FactorInfo | null;
  /** "class" or a factor name; the panel keeps its own choice when this is not given. */
  colorBy?: string;
  onColorByChange?(colorBy: string): void;
  /** Shift-click or double-click on a dot: the dot's index in the snapshot (e.g. to move the probe onto its mean). */
  onPickPoint?(pointIndex: number): void;
  /** A learned prior's components: drawn as 1σ and 2σ ellipses (opacity by weight) instead of N(0, I)'s circles. */
  priorComponents?: PriorComponentsView | null;
  /** A sentence the family adds to the caption (the conditional VAE: z holds the style, not the class). */
  captionNote?: ReactNode;
}

/** A mixture prior's components as the scatter draws them. */
export interface PriorComponentsView {
  count: number;
  latentDim: number;
  weights: ArrayLike<number>;
  means: ArrayLike<number>;
  logVars: ArrayLike<number>;
}

/** How the dots are coloured: by class, or by one factor (a column of pointFactors). */
type Coloring =
  | { kind: 'class' }
  | { kind: 'factor'; factor: number; name: string; size: number; categorical: boolean };

const TRANSITION_MS = 420;
const THUMB = 56;
const MARGIN = { top: 10, right: 12, bottom: 34, left: 42 };
const NUMBER = new Intl.NumberFormat('en-US');
/** Fraction of a 2-D standard normal's mass within radius r: 1 − exp(−r²/2). */
const MASS_1 = Math.round(100 * (1 - Math.exp(-0.5)));
const MASS_2 = Math.round(100 * (1 - Math.exp(-2)));

/** The axes actually shown: the requested ones if they make sense for latentDim, else z₁/z₂. */
function resolveAxes(axes: LatentAxes, latentDim: number): LatentAxes {
  if (axes.kind === 'pca') return latentDim > 2 ? axes : { kind: 'dims', dims: [0, 1] };
  const [i, j] = axes.dims;
  const ok = (d: number) => Number.isInteger(d) && d >= 0 && d < latentDim;
  if (latentDim >= 2 && ok(i) && ok(j) && i !== j) return axes;
  return { kind: 'dims', dims: [0, 1] };
}

function axisLabels(axes: LatentAxes, latentDim: number): [string, string] {
  if (axes.kind === 'pca') return ['PC 1', 'PC 2'];
  return [latentLabel(axes.dims[0]), latentDim >= 2 ? latentLabel(axes.dims[1]) : ''];
}

export function LatentScatter(props: LatentScatterProps) {
  const { latents, axes, onAxesChange, klPerDim, pointFactors, factorInfo, onColorByChange, onPickPoint } = props;
  const latentDim = latents?.latentDim ?? props.probe.length;
  const shown = resolveAxes(axes, latentDim);
  const lastDims = useRef<[number, number]>([0, 1]);
  if (shown.kind === 'dims') lastDims.current = shown.dims;

  // Colour by class, or by a ground-truth factor when the points have them.
  const [ownColorBy, setOwnColorBy] = useState('class');
  const colorBy = props.colorBy ?? ownColorBy;
  const hasFactors = !!latents && factorsFit(pointFactors, factorInfo, latents.count);
  const coloring = useMemo<Coloring>(() => {
    const f = hasFactors && factorInfo ? factorInfo.names.indexOf(colorBy) : -1;
    if (f < 0 || !factorInfo) return { kind: 'class' };
    const name = factorInfo.names[f];
    return { kind: 'factor', factor: f, name, size: factorInfo.sizes[f], categorical: isCategoricalFactor(name) };
  }, [hasFactors, factorInfo, colorBy]);
  const pickColorBy = (value: string) => {
    if (props.colorBy === undefined) setOwnColorBy(value);
    onColorByChange?.(value);
  };
  const colorPicker =
    hasFactors && factorInfo ? (
      <label className="latent-colorby">
        <span aria-hidden="true">colour</span>
        <select aria-label="Colour by" value={coloring.kind === 'class' ? 'class' : coloring.name} onChange={(e) => pickColorBy(e.target.value)}>
          <option value="class">class</option>
          {factorInfo.names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
    ) : null;

  const axisPicker = latentDim > 2 ? <AxisPicker axes={shown} latentDim={latentDim} klPerDim={klPerDim} lastDims={lastDims.current} onChange={onAxesChange} /> : null;
  const tools =
    axisPicker || colorPicker ? (
      <>
        {axisPicker}
        {colorPicker}
      </>
    ) : null;

  const [xLabel, yLabel] = axisLabels(shown, latentDim);
  const caption = latents ? (
    <>
      Each dot is a test image&rsquo;s posterior mean E[q(z|x)] (<b>{NUMBER.format(latents.count)}</b> images, step <b>{NUMBER.format(latents.step)}</b>)
      {shown.kind === 'pca' ? (
        <>, seen along its first two principal components</>
      ) : latentDim > 2 ? (
        <>
          , seen along {xLabel} and {yLabel} of {latentDim} dimensions
        </>
      ) : null}
      .{' '}
      {latentDim >= 2 && props.priorComponents ? (
        <>
          The ellipses are the learned prior&rsquo;s {props.priorComponents.count} components at 1σ and 2σ, more opaque for more weight.{' '}
        </>
      ) : latentDim >= 2 ? (
        <>
          The dashed circles, radius 1 and 2 of the prior p(z) = N(0, I), hold {MASS_1}% and {MASS_2}% of its mass.{' '}
        </>
      ) : null}
      {props.captionNote ? <>{props.captionNote} </> : null}
      {coloring.kind === 'factor' ? <>Coloured by the ground-truth {coloring.name}. </> : null}
      Hover a dot for its image and 1σ ellipse; drag the probe to decode any z.
      {onPickPoint ? <> Shift-click or double-click a dot to put the probe on its mean (the traversals then start from that image).</> : null}
    </>
  ) : (
    <>Each dot will be a test image&rsquo;s posterior mean E[q(z|x)], coloured by its class, against the prior p(z) = N(0, I).</>
  );

  return (
    <Panel title="Latent space" className="latent-panel" caption={caption} tools={tools}>
      {latents && latents.count > 0 ? (
        <ScatterPlot {...props} latents={latents} shown={shown} xLabel={xLabel} yLabel={yLabel} coloring={coloring} factorsShown={hasFactors} />
      ) : (
        <div className="panel-empty latent-empty">Encoding the test set…</div>
      )}
    </Panel>
  );
}

function AxisPicker({
  axes,
  latentDim,
  klPerDim,
  lastDims,
  onChange,
}: {
  axes: LatentAxes;
  latentDim: number;
  klPerDim: number[] | null;
  lastDims: [number, number];
  onChange(axes: LatentAxes): void;
}) {
  const pca = axes.kind === 'pca';
  const dims = axes.kind === 'dims' ? axes.dims : lastDims;
  const kl = klPerDim && klPerDim.length === latentDim ? klPerDim : null;
  const options = Array.from({ length: latentDim }, (_, i) => (
    <option key={i} value={i}>
      {latentLabel(i)}
      {kl ? ` (${kl[i].toFixed(1)} nats)` : ''}
    </option>
  ));
  const pick = (which: 0 | 1, value: number) => {
    const other = dims[1 - which];
    const next: [number, number] = which === 0 ? [value, other] : [other, value];
    // Picking the dimension already on the other axis swaps the two.
    if (next[0] === next[1]) next[1 - which] = dims[which];
    onChange({ kind: 'dims', dims: next });
  };
  return (
    <div className="latent-axes">
      <label className="latent-axis-pick">
        <span aria-hidden="true">x</span>
        <select aria-label="Horizontal axis" value={dims[0]} disabled={pca} onChange={(e) => pick(0, Number(e.target.value))}>
          {options}
        </select>
      </label>
      <label className="latent-axis-pick">
        <span aria-hidden="true">y</span>
        <select aria-label="Vertical axis" value={dims[1]} disabled={pca} onChange={(e) => pick(1, Number(e.target.value))}>
          {options}
        </select>
      </label>
      <button
        type="button"
        aria-pressed={pca}
        title="Project the means onto their first two principal components"
        onClick={() => onChange(pca ? { kind: 'dims', dims: lastDims } : { kind: 'pca' })}
      >
        PCA
      </button>
    </div>
  );
}

interface ScatterPlotProps extends LatentScatterProps {
  latents: LatentSnapshot;
  shown: LatentAxes;
  xLabel: string;
  yLabel: string;
  coloring: Coloring;
  /** pointFactors fit the snapshot: the tooltip describes them. */
  factorsShown: boolean;
}

interface Live {
  width: number;
  height: number;
  plotW: number;
  plotH: number;
  /** Each point's colour key (class label or factor value) and the colour of a key. */
  keys: ArrayLike<number>;
  colorOf: (key: number) => string;
  groups: { label: number; order: Int32Array }[];
  lattice: number[] | null;
  proj: ProjectionAxes;
  origin: [number, number];
  probe: number[];
  probeXY: [number, number];
  highlight: number | null;
  hover: number | null;
  radius: number;
  logVar: Float32Array;
  dim: number;
  priorComponents: PriorComponentsView | null;
}

interface Anim {
  display: Float32Array | null;
  from: Float32Array | null;
  to: Float32Array | null;
  indices: Int32Array | null;
  dim: number;
  axesKey: string;
  r: number;
  rFrom: number;
  rTo: number;
  start: number;
  raf: number;
}

/** Half-width of the (shorter side of the) view that covers the points: at least 3, in steps of ½. */
function neededRadius(xy: Float32Array): number {
  let m = 0;
  for (let i = 0; i < xy.length; i++) {
    const v = Math.abs(xy[i]);
    if (v > m && Number.isFinite(v)) m = v;
  }
  return Math.max(3, Math.ceil(m * 1.06 * 2) / 2);
}

/** Start positions for a new snapshot: each point's current position, matched by test-set index. */
function alignPositions(prev: Float32Array, prevIdx: Int32Array, nextIdx: Int32Array, fallback: Float32Array): Float32Array {
  const out = Float32Array.from(fallback);
  let same = prevIdx.length === nextIdx.length;
  for (let k = 0; same && k < nextIdx.length; k++) if (prevIdx[k] !== nextIdx[k]) same = false;
  if (same) {
    out.set(prev.subarray(0, out.length));
    return out;
  }
  const where = new Map<number, number>();
  for (let k = 0; k < prevIdx.length; k++) where.set(prevIdx[k], k);
  for (let k = 0; k < nextIdx.length; k++) {
    const j = where.get(nextIdx[k]);
    if (j !== undefined) {
      out[2 * k] = prev[2 * j];
      out[2 * k + 1] = prev[2 * j + 1];
    }
  }
  return out;
}

/**
 * Draw order: the points in 8 interleaved slices, and within a slice by class, so one path per
 * (slice, class) keeps the canvas fast without always painting class 9 over class 0.
 */
function drawGroups(labels: ArrayLike<number>, count: number): { label: number; order: Int32Array }[] {
  const slices = 8;
  const groups: { label: number; order: Int32Array }[] = [];
  for (let s = 0; s < slices; s++) {
    const byLabel = new Map<number, number[]>();
    for (let k = s; k < count; k += slices) {
      const l = labels[k];
      let list = byLabel.get(l);
      if (!list) byLabel.set(l, (list = []));
      list.push(k);
    }
    for (const [label, list] of [...byLabel.entries()].sort((a, b) => a[0] - b[0])) groups.push({ label, order: Int32Array.from(list) });
  }
  return groups;
}

function ScatterPlot({
  latents,
  shown,
  xLabel,
  yLabel,
  classNames,
  previewImages,
  imageShape,
  probe,
  onProbeChange,
  gridValues,
  coloring,
  factorsShown,
  pointFactors,
  factorInfo,
  onPickPoint,
  priorComponents,
}: ScatterPlotProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const priorRef = useRef<SVGGElement>(null);
  const componentsRef = useRef<SVGGElement>(null);
  const hoverRef = useRef<SVGGElement>(null);
  const probeRef = useRef<SVGGElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const thumbRef = useRef<HTMLCanvasElement>(null);
  const describeId = useId();

  const [wrapRef, width] = useElementWidth();
  const height = width > 0 ? Math.max(280, Math.min(640, Math.round(width * 0.95 + 24))) : 0;
  const plotW = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotH = Math.max(1, height - MARGIN.top - MARGIN.bottom);

  const { count, latentDim: dim, labels } = latents;
  // A legend entry's highlight belongs to the colouring it was picked in.
  const [picked, setPicked] = useState<{ coloring: string; key: number } | null>(null);
  const [hover, setHover] = useState<number | null>(null);

  // Projection: PCA is recomputed per snapshot, warm-started from the last one so signs stay put.
  const lastPca = useRef<Pca2 | null>(null);
  const pca = useMemo(() => (shown.kind === 'pca' ? pca2(latents.mu, count, dim, lastPca.current) : null), [shown.kind, latents, count, dim]);
  useEffect(() => {
    if (pca) lastPca.current = pca;
  }, [pca]);
  const d0 = shown.kind === 'dims' ? shown.dims[0] : -1;
  const d1 = shown.kind === 'dims' ? shown.dims[1] : -1;
  const proj = useMemo<ProjectionAxes>(() => (pca ? { kind: 'pca', pca } : { kind: 'dims', dims: [d0, d1] }), [pca, d0, d1]);
  const axesKey = `${dim}:${pca ? 'pca' : `${d0},${d1}`}`;
  const target = useMemo(() => project2(latents.mu, count, dim, proj), [latents, count, dim, proj]);
  // Colour keys: the class labels, or one factor's values with that factor's palette.
  const factorKeys = useMemo(
    () => (coloring.kind === 'factor' && pointFactors && factorInfo ? factorColumn(pointFactors, count, factorInfo.names.length, coloring.factor) : null),
    [coloring, pointFactors, factorInfo, count],
  );
  const keys: ArrayLike<number> = factorKeys ?? labels;
  const palette = useMemo(() => (coloring.kind === 'factor' ? factorPalette(coloring.name, coloring.size) : null), [coloring]);
  const colorOf = useCallback((key: number) => (palette ? (palette[key] ?? '#8a93a3') : classColor(key)), [palette]);
  const groups = useMemo(() => drawGroups(keys, count), [keys, count]);
  const coloringKey = coloring.kind === 'class' ? 'class' : coloring.name;
  const highlight = picked && picked.coloring === coloringKey ? picked.key : null;
  const toggleHighlight = (key: number) => setPicked((p) => (p && p.coloring === coloringKey && p.key === key ? null : { coloring: coloringKey, key }));

  const base = useMemo(() => Array.from({ length: dim }, (_, i) => probe[i] ?? 0), [probe, dim]);
  const probeXY = useMemo(() => projectPoint(base, proj), [base, proj]);
  const origin = useMemo(() => projectPoint(new Array(dim).fill(0), proj), [dim, proj]);

  const classCount = useMemo(() => {
    let max = -1;
    for (let k = 0; k < count; k++) if (labels[k] > max) max = labels[k];
    return Math.max(classNames.length, max + 1);
  }, [labels, count, classNames.length]);
  const className = (label: number) => classNames[label] ?? String(label);

  const live = useRef<Live>(null as unknown as Live);
  live.current = {
    width,
    height,
    plotW,
    plotH,
    keys,
    colorOf,
    groups,
    lattice: dim === 2 && proj.kind === 'dims' && gridValues && gridValues.length > 0 ? gridValues : null,
    proj,
    origin,
    probe: base,
    probeXY,
    highlight,
    hover,
    radius: Math.max(1.4, Math.min(2.6, plotW / 210)) * (count > 5000 ? 0.8 : 1),
    logVar: latents.logVar,
    dim,
    priorComponents: priorComponents && priorComponents.latentDim === dim ? priorComponents : null,
  };
  const onProbeChangeRef = useRef(onProbeChange);
  onProbeChangeRef.current = onProbeChange;
  const onPickPointRef = useRef(onPickPoint);
  onPickPointRef.current = onPickPoint;

  // Hover lookup: a quadtree over the points' screen positions, rebuilt lazily.
  const quadRef = useRef<Quadtree<number> | null>(null);
  const lastPointer = useRef<{ px: number; py: number } | null>(null);
  const drag = useRef<{ id: number; dx: number; dy: number } | null>(null);
  const anim = useRef<Anim>({ display: null, from: null, to: null, indices: null, dim: 0, axesKey: '', r: 3, rFrom: 3, rTo: 3, start: 0, raf: 0 });

  const scales = useCallback((): { x: ScaleLinear<number, number>; y: ScaleLinear<number, number> } => {
    const L = live.current;
    const r = anim.current.r;
    const aspect = L.plotW / L.plotH;
    const rx = r * Math.max(1, aspect);
    const ry = r * Math.max(1, 1 / aspect);
    return { x: scaleLinear([-rx, rx], [0, L.plotW]), y: scaleLinear([-ry, ry], [L.plotH, 0]) };
  }, []);

  const paintCanvas = useCallback(() => {
    const L = live.current;
    const A = anim.current;
    const canvas = canvasRef.current;
    if (!canvas || L.width <= 0 || !A.display) return;
    const prepared = prepareCanvas(canvas, L.width, L.height);
    if (!prepared) return;
    const { ctx } = prepared;
    const { x, y } = scales();
    ctx.clearRect(0, 0, L.width, L.height);
    ctx.save();
    ctx.translate(MARGIN.left, MARGIN.top);
    ctx.beginPath();
    ctx.rect(0, 0, L.plotW, L.plotH);
    ctx.clip();

    // Faint grid at the integer ticks, a little stronger through 0.
    ctx.lineWidth = 1;
    for (const [ticks, vertical] of [
      [x.ticks(Math.max(4, Math.round(L.plotW / 70))), true],
      [y.ticks(Math.max(4, Math.round(L.plotH / 70))), false],
    ] as const) {
      for (const t of ticks) {
        const p = Math.round(vertical ? x(t) : y(t)) + 0.5;
        ctx.strokeStyle = t === 0 ? 'rgba(29, 35, 48, 0.16)' : 'rgba(29, 35, 48, 0.06)';
        ctx.beginPath();
        if (vertical) {
          ctx.moveTo(p, 0);
          ctx.lineTo(p, L.plotH);
        } else {
          ctx.moveTo(0, p);
          ctx.lineTo(L.plotW, p);
        }
        ctx.stroke();
      }
    }

    // The decoder grid's quantile points as small crosses.
    if (L.lattice) {
      ctx.strokeStyle = 'rgba(29, 35, 48, 0.22)';
      ctx.beginPath();
      for (const vx of L.lattice) {
        for (const vy of L.lattice) {
          const px = x(vx);
          const py = y(vy);
          ctx.moveTo(px - 3, py);
          ctx.lineTo(px + 3, py);
          ctx.moveTo(px, py - 3);
          ctx.lineTo(px, py + 3);
        }
      }
      ctx.stroke();
    }

    // The points: one path per (slice, class); the highlighted class last and opaque.
    const pos = A.display;
    const r = L.radius;
    const tau = Math.PI * 2;
    const x0 = x(0);
    const kx = x(1) - x0;
    const y0 = y(0);
    const ky = y(1) - y0;
    for (let pass = 0; pass < (L.highlight === null ? 1 : 2); pass++) {
      for (const g of L.groups) {
        const isHighlighted = g.label === L.highlight;
        if (L.highlight !== null && isHighlighted !== (pass === 1)) continue;
        ctx.globalAlpha = L.highlight === null ? 0.75 : isHighlighted ? 0.92 : 0.1;
        ctx.fillStyle = L.colorOf(g.label);
        ctx.beginPath();
        const order = g.order;
        for (let n = 0; n < order.length; n++) {
          const k = order[n];
          const px = x0 + kx * pos[2 * k];
          const py = y0 + ky * pos[2 * k + 1];
          if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
          ctx.moveTo(px + r, py);
          ctx.arc(px, py, r, 0, tau);
        }
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
    ctx.restore();
  }, [scales]);

  const axesKeyRef = useRef('');
  const paintAxes = useCallback((x: ScaleLinear<number, number>, y: ScaleLinear<number, number>, unit: number) => {
    const L = live.current;
    if (xAxisRef.current) {
      select(xAxisRef.current)
        .attr('transform', `translate(0,${L.plotH})`)
        .call(axisBottom(x).ticks(Math.max(4, Math.round(L.plotW / 70))).tickSizeOuter(0).tickSize(5).tickPadding(4));
    }
    if (yAxisRef.current) {
      select(yAxisRef.current).call(axisLeft(y).ticks(Math.max(4, Math.round(L.plotH / 70))).tickSizeOuter(0).tickSize(5).tickPadding(4));
    }
    if (priorRef.current) {
      select(priorRef.current)
        .attr('transform', `translate(${x(L.origin[0])},${y(L.origin[1])})`)
        .selectAll<SVGCircleElement, unknown>('circle')
        .attr('r', (_, i) => ((i % 2) + 1) * unit);
    }
  }, []);

  const paintOverlay = useCallback(() => {
    const L = live.current;
    const A = anim.current;
    if (L.width <= 0) return;
    const { x, y } = scales();
    const unit = x(1) - x(0);
    // Axes and prior circles only change with the view (size, domain, origin).
    const viewKey = `${L.plotW},${L.plotH},${A.r},${L.origin[0]},${L.origin[1]}`;
    if (viewKey !== axesKeyRef.current || !xAxisRef.current?.firstChild) {
      axesKeyRef.current = viewKey;
      paintAxes(x, y, unit);
    }
    if (componentsRef.current) drawPriorComponents(componentsRef.current, L.priorComponents, L.proj, x, y, unit);
    // Hovered point: a ring and the posterior's 1σ ellipse.
    const hoverG = hoverRef.current;
    const tip = tooltipRef.current;
    if (hoverG) {
      const k = L.hover;
      if (k === null || !A.display || k >= A.display.length / 2) {
        hoverG.setAttribute('visibility', 'hidden');
        if (tip) tip.style.visibility = 'hidden';
      } else {
        const px = x(A.display[2 * k]);
        const py = y(A.display[2 * k + 1]);
        const e = posteriorEllipse(L.logVar.subarray(k * L.dim, (k + 1) * L.dim), L.proj);
        hoverG.setAttribute('visibility', 'visible');
        hoverG.setAttribute('transform', `translate(${px},${py})`);
        const ellipse = hoverG.querySelector('ellipse');
        if (ellipse) {
          ellipse.setAttribute('rx', String(Math.max(0.5, e.rx * unit)));
          ellipse.setAttribute('ry', String(Math.max(0.5, e.ry * unit)));
          ellipse.setAttribute('transform', `rotate(${(-e.angle * 180) / Math.PI})`);
          const color = L.colorOf(L.keys[k]);
          ellipse.setAttribute('stroke', color);
          ellipse.setAttribute('fill', color);
        }
        if (tip) {
          const ax = MARGIN.left + px;
          const ay = MARGIN.top + py;
          const tw = tip.offsetWidth;
          const th = tip.offsetHeight;
          // Beside the ellipse rather than over it (up to a point).
          const reach = Math.hypot(e.rx * Math.cos(e.angle), e.ry * Math.sin(e.angle)) * unit;
          const gap = 12 + Math.min(70, reach);
          let left = ax + gap;
          if (left + tw > L.width) left = Math.max(0, ax - gap - tw);
          const top = Math.max(0, Math.min(L.height - th, ay - th / 2));
          tip.style.left = `${left}px`;
          tip.style.top = `${top}px`;
          tip.style.visibility = 'visible';
        }
      }
    }
    if (probeRef.current) {
      const [px, py] = L.probeXY;
      const cx = Math.max(0, Math.min(L.plotW, x(px)));
      const cy = Math.max(0, Math.min(L.plotH, y(py)));
      probeRef.current.setAttribute('transform', `translate(${cx},${cy})`);
    }
  }, [scales, paintAxes]);

  // A new snapshot or new axes: glide from where the points are to where they go.
  useLayoutEffect(() => {
    const A = anim.current;
    const first = !A.display || A.dim !== dim;
    const axesChanged = A.axesKey !== axesKey;
    const reduced = typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const needed = neededRadius(target);
    // The view only grows, or shrinks when the points have drawn well inside it, or the axes change.
    const rTo = first || axesChanged || needed > A.r || needed < A.r * 0.6 ? needed : A.r;
    if (A.raf) cancelAnimationFrame(A.raf);
    A.raf = 0;
    if (first || reduced) {
      A.display = Float32Array.from(target);
      A.r = rTo;
    } else {
      A.from = alignPositions(A.display!, A.indices!, latents.indices, target);
      A.to = target;
      A.display = Float32Array.from(A.from);
      A.rFrom = A.r;
      A.rTo = rTo;
      A.start = performance.now();
      const tick = (now: number) => {
        const t = Math.max(0, Math.min(1, (now - A.start) / TRANSITION_MS));
        const e = easeCubicInOut(t);
        const { from, to, display } = A;
        if (!from || !to || !display) return;
        for (let i = 0; i < display.length; i++) display[i] = from[i] + (to[i] - from[i]) * e;
        A.r = A.rFrom + (A.rTo - A.rFrom) * e;
        paintCanvas();
        paintOverlay();
        if (t < 1) A.raf = requestAnimationFrame(tick);
        else {
          A.raf = 0;
          quadRef.current = null;
          // The points moved under a resting pointer: look again.
          const p = lastPointer.current;
          if (p && !drag.current) setHover(findPointRef.current(p.px, p.py));
        }
      };
      A.raf = requestAnimationFrame(tick);
    }
    A.indices = latents.indices;
    A.dim = dim;
    A.axesKey = axesKey;
    quadRef.current = null;
    paintCanvas();
    paintOverlay();
  }, [target, latents.indices, dim, axesKey, paintCanvas, paintOverlay]);

  useEffect(
    () => () => {
      cancelAnimationFrame(anim.current.raf);
      anim.current.raf = 0;
    },
    [],
  );

  // The hovered point's test image in the tooltip.
  useLayoutEffect(() => {
    const canvas = thumbRef.current;
    if (!canvas || hover === null) return;
    const prepared = prepareCanvas(canvas, THUMB, THUMB);
    if (!prepared) return;
    const { ctx } = prepared;
    const { width: w, height: h } = imageShape;
    ctx.fillStyle = '#0e121b';
    ctx.fillRect(0, 0, THUMB, THUMB);
    if (previewImages && (hover + 1) * w * h <= previewImages.length) drawGrayscale(ctx, previewImages, w, h, 0, 0, THUMB, 255, { offset: hover * w * h, low: [14, 18, 27] });
  }, [hover, previewImages, imageShape]);

  // Repaint on size, highlight or lattice changes; the overlay after every render (probe, hover).
  useLayoutEffect(() => {
    quadRef.current = null;
    paintCanvas();
  }, [width, height, highlight, groups, colorOf, gridValues, paintCanvas]);
  useLayoutEffect(() => paintOverlay());


  const findPoint = (px: number, py: number): number | null => {
    const A = anim.current;
    if (!A.display || A.raf) return live.current.hover;
    if (!quadRef.current) {
      const { x, y } = scales();
      const pos = A.display;
      const ids: number[] = [];
      for (let k = 0; k < pos.length / 2; k++) if (Number.isFinite(pos[2 * k]) && Number.isFinite(pos[2 * k + 1])) ids.push(k);
      quadRef.current = quadtree<number>(
        ids,
        (k) => x(pos[2 * k]),
        (k) => y(pos[2 * k + 1]),
      );
    }
    const k = quadRef.current.find(px, py, 10);
    return k === undefined ? null : k;
  };

  const findPointRef = useRef(findPoint);
  findPointRef.current = findPoint;

  const localPoint = (e: { clientX: number; clientY: number }) => {
    const rect = svgRef.current!.getBoundingClientRect();
    return { px: e.clientX - rect.left - MARGIN.left, py: e.clientY - rect.top - MARGIN.top };
  };

  const moveProbeTo = (px: number, py: number) => {
    const L = live.current;
    const { x, y } = scales();
    const xy: [number, number] = [x.invert(Math.max(0, Math.min(L.plotW, px))), y.invert(Math.max(0, Math.min(L.plotH, py)))];
    const z = liftProbe(xy, L.probe, L.proj);
    L.probe = z;
    L.probeXY = xy;
    paintOverlay();
    onProbeChangeRef.current(z);
  };

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const { px, py } = localPoint(e);
    const onProbe = probeRef.current?.contains(e.target as Node) ?? false;
    const L = live.current;
    if (!onProbe && (px < 0 || py < 0 || px > L.plotW || py > L.plotH)) return;
    // Shift-click on a dot picks that point (the probe goes to its mean) instead of moving the probe here.
    if (e.shiftKey && !onProbe && onPickPointRef.current) {
      const k = findPoint(px, py);
      if (k !== null) {
        e.preventDefault();
        onPickPointRef.current(k);
        return;
      }
    }
    e.preventDefault();
    svgRef.current?.setPointerCapture(e.pointerId);
    const { x, y } = scales();
    drag.current = onProbe ? { id: e.pointerId, dx: x(L.probeXY[0]) - px, dy: y(L.probeXY[1]) - py } : { id: e.pointerId, dx: 0, dy: 0 };
    probeRef.current?.focus({ preventScroll: true });
    setHover(null);
    if (!onProbe) moveProbeTo(px, py);
  };

  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const { px, py } = localPoint(e);
    const d = drag.current;
    if (d && d.id === e.pointerId) {
      moveProbeTo(px + d.dx, py + d.dy);
      return;
    }
    if (d || e.pointerType === 'touch') return;
    const L = live.current;
    if (px < 0 || py < 0 || px > L.plotW || py > L.plotH) {
      lastPointer.current = null;
      setHover(null);
      return;
    }
    lastPointer.current = { px, py };
    setHover(findPoint(px, py));
  };

  const onDoubleClick = (e: ReactMouseEvent<SVGSVGElement>) => {
    const pick = onPickPointRef.current;
    if (!pick || probeRef.current?.contains(e.target as Node)) return;
    const { px, py } = localPoint(e);
    const L = live.current;
    if (px < 0 || py < 0 || px > L.plotW || py > L.plotH) return;
    const k = findPoint(px, py);
    if (k !== null) pick(k);
  };

  const endDrag = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (drag.current?.id !== e.pointerId) return;
    drag.current = null;
    if (svgRef.current?.hasPointerCapture(e.pointerId)) svgRef.current.releasePointerCapture(e.pointerId);
  };

  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    const step = e.shiftKey ? 0.5 : 0.1;
    const delta: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const d = delta[e.key];
    if (!d) return;
    e.preventDefault();
    const L = live.current;
    const { x, y } = scales();
    const [xMin, xMax] = x.domain();
    const [yMin, yMax] = y.domain();
    const round = (v: number) => Math.round(v * 1e6) / 1e6;
    const xy: [number, number] = [round(Math.max(xMin, Math.min(xMax, L.probeXY[0] + d[0]))), round(Math.max(yMin, Math.min(yMax, L.probeXY[1] + d[1])))];
    const z = liftProbe(xy, L.probe, L.proj);
    L.probe = z;
    L.probeXY = xy;
    paintOverlay();
    onProbeChangeRef.current(z);
  };

  const hoverInfo = hover !== null && hover < count ? hover : null;
  const hoverMu = hoverInfo !== null ? projectPoint(latents.mu.subarray(hoverInfo * dim, (hoverInfo + 1) * dim), proj) : null;
  const hoverSigma = hoverInfo !== null ? posteriorEllipse(latents.logVar.subarray(hoverInfo * dim, (hoverInfo + 1) * dim), proj) : null;

  return (
    <div className="latent-scatter" data-point-count={count} data-step={latents.step}>
      <div className="latent-plot" ref={wrapRef} style={{ height: height || undefined }}>
        {width > 0 ? (
          <>
            <canvas ref={canvasRef} className="latent-canvas" aria-hidden="true" />
            <svg
              ref={svgRef}
              className="latent-svg"
              width={width}
              height={height}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onDoubleClick={onDoubleClick}
              onPointerUp={endDrag}
              onPointerCancel={endDrag}
              onLostPointerCapture={endDrag}
              onPointerLeave={() => {
                if (!drag.current) {
                  lastPointer.current = null;
                  setHover(null);
                }
              }}
            >
              <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
                <rect className="latent-hit" width={plotW} height={plotH} />
                <g className="latent-axis" ref={xAxisRef} aria-hidden="true" />
                <g className="latent-axis" ref={yAxisRef} aria-hidden="true" />
                <text className="latent-axis-label" x={plotW / 2} y={plotH + 30} textAnchor="middle">
                  {xLabel}
                </text>
                <text className="latent-axis-label" transform={`translate(${-MARGIN.left + 11},${plotH / 2}) rotate(-90)`} textAnchor="middle">
                  {yLabel}
                </text>
                <g className="latent-components" ref={componentsRef} aria-label="Prior components" role="img" display={dim >= 2 && live.current.priorComponents ? undefined : 'none'} />
                <g className="latent-prior" ref={priorRef} aria-hidden="true" display={dim >= 2 && !live.current.priorComponents ? undefined : 'none'}>
                  <circle className="prior-halo" />
                  <circle className="prior-halo" />
                  <circle className="prior-1" />
                  <circle className="prior-2" />
                </g>
                <g className="latent-hover" ref={hoverRef} visibility="hidden" aria-hidden="true">
                  <ellipse />
                  <circle r={live.current.radius + 3} />
                </g>
                <g
                  ref={probeRef}
                  className="latent-probe"
                  role="button"
                  tabIndex={0}
                  aria-label="Latent probe"
                  aria-describedby={describeId}
                  onKeyDown={onKeyDown}
                >
                  <circle className="probe-hit" r={18} />
                  <circle className="probe-focus" r={14} />
                  <circle className="probe-halo" r={10} />
                  <circle className="probe-ring" r={8} />
                  <path className="probe-cross" d="M-4.5 0H4.5M0 -4.5V4.5" />
                </g>
              </g>
            </svg>
            <div className="tooltip latent-tooltip" ref={tooltipRef} style={{ visibility: 'hidden' }} aria-hidden="true">
              {hoverInfo !== null && hoverMu && hoverSigma ? (
                <>
                  <canvas ref={thumbRef} className="latent-thumb" width={THUMB} height={THUMB} style={{ width: THUMB, height: THUMB }} />
                  <div className="latent-tip-text">
                    <div className="latent-tip-class">
                      <span className="latent-swatch" style={{ background: colorOf(keys[hoverInfo]) }} />
                      {className(labels[hoverInfo])}
                      <span className="latent-tip-index">test #{latents.indices[hoverInfo]}</span>
                    </div>
                    <div className="num">
                      μ = ({formatCoord(hoverMu[0])}, {formatCoord(hoverMu[1])})
                    </div>
                    <div className="num">
                      {proj.kind === 'dims' ? (
                        <>
                          σ = ({formatCoord(hoverSigma.rx)}, {formatCoord(hoverSigma.ry)})
                        </>
                      ) : (
                        <>
                          σ along the ellipse: {formatCoord(hoverSigma.rx)}, {formatCoord(hoverSigma.ry)}
                        </>
                      )}
                    </div>
                    {factorsShown && pointFactors && factorInfo ? (
                      <div className="latent-tip-factors">
                        {describeFactors(pointFactors.subarray(hoverInfo * factorInfo.names.length, (hoverInfo + 1) * factorInfo.names.length), factorInfo, classNames)}
                      </div>
                    ) : null}
                    {onPickPoint ? <div className="latent-tip-hint">Shift-click or double-click: probe from here</div> : null}
                  </div>
                </>
              ) : null}
            </div>
          </>
        ) : null}
        <span id={describeId} className="visually-hidden">
          {`${xLabel} = ${formatCoord(probeXY[0])}${dim >= 2 ? `, ${yLabel} = ${formatCoord(probeXY[1])}` : ''}. Drag the probe or click the plot to move it; arrow keys move it by 0.1, with Shift by 0.5.`}
        </span>
      </div>
      {coloring.kind === 'factor' && !coloring.categorical ? (
        <FactorGradient name={coloring.name} size={coloring.size} />
      ) : (
        <div
          className="latent-legend"
          role="group"
          aria-label={coloring.kind === 'class' ? 'Classes (click to highlight)' : `${coloring.name} (click to highlight)`}
        >
          {coloring.kind === 'factor' ? <span className="latent-legend-title">{coloring.name}</span> : null}
          {Array.from({ length: coloring.kind === 'class' ? classCount : coloring.size }, (_, key) => (
            <button key={key} type="button" className="latent-legend-item" aria-pressed={highlight === key} onClick={() => toggleHighlight(key)}>
              <span className="latent-swatch" style={{ background: colorOf(key) }} />
              {coloring.kind === 'class' || coloring.size === classNames.length ? className(key) : String(key)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** The legend of an ordered factor: its name over a gradient bar from its first value to its last. */
function FactorGradient({ name, size }: { name: string; size: number }) {
  const [low, high] = factorEnds(name, size);
  return (
    <div className="latent-legend latent-gradient-legend" role="img" aria-label={`Colour: ${name}, from ${low} (dark purple) to ${high} (yellow), ${size} values`}>
      <span className="latent-legend-title">{name}</span>
      <span className="latent-gradient-end">{low}</span>
      <span className="latent-gradient" style={{ background: gradientCss(gradientStops(9)) }} />
      <span className="latent-gradient-end">{high}</span>
      <span className="latent-gradient-note">{size} values</span>
    </div>
  );
}

/**
 * A learned prior's components on the scatter: each component's 1σ and 2σ ellipse in the shown
 * projection (the same ellipse as a posterior's) and its number at the mean, more opaque for more
 * weight (the heaviest component fully so).
 */
function drawPriorComponents(group: SVGGElement, components: PriorComponentsView | null, proj: ProjectionAxes, x: ScaleLinear<number, number>, y: ScaleLinear<number, number>, unit: number): void {
  const items = components
    ? Array.from({ length: components.count }, (_, k) => {
        const d = components.latentDim;
        const mean = Array.from({ length: d }, (_, j) => components.means[k * d + j]);
        const [cx, cy] = projectPoint(mean, proj);
        const e = posteriorEllipse(Array.from({ length: d }, (_, j) => components.logVars[k * d + j]), proj);
        return { k, cx: x(cx), cy: y(cy), e, weight: components.weights[k] };
      })
    : [];
  const heaviest = Math.max(1e-9, ...items.map((c) => c.weight));
  select(group)
    .selectAll<SVGGElement, (typeof items)[number]>('g.prior-component')
    .data(items, (c) => String(c.k))
    .join((enter) => {
      const g = enter.append('g').attr('class', 'prior-component');
      g.append('ellipse').attr('class', 'component-2');
      g.append('ellipse').attr('class', 'component-1');
      g.append('text').attr('class', 'component-label').attr('text-anchor', 'middle').attr('dy', '0.35em');
      return g;
    })
    .attr('transform', (c) => `translate(${c.cx},${c.cy})`)
    .attr('opacity', (c) => 0.2 + 0.8 * (c.weight / heaviest))
    .each(function (c) {
      const rotate = `rotate(${(-c.e.angle * 180) / Math.PI})`;
      select(this).select('.component-1').attr('rx', Math.max(0.5, c.e.rx * unit)).attr('ry', Math.max(0.5, c.e.ry * unit)).attr('transform', rotate);
      select(this).select('.component-2').attr('rx', Math.max(0.5, 2 * c.e.rx * unit)).attr('ry', Math.max(0.5, 2 * c.e.ry * unit)).attr('transform', rotate);
      select(this).select('text').text(String(c.k + 1));
    });
}
