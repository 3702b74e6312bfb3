/**
 * The latent scatter itself: a canvas of dots under a thin SVG overlay (axes, prior circles, the
 * hovered dot's ellipse, the draggable probe) and a tooltip. React renders the skeleton, the
 * labels, the tooltip's content and the legend; ScatterView draws and handles the pointer, driven
 * from one layout effect with the latest model.
 */
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { projectPoint } from '../../../core/analysis/projection';
import { describeScatter } from '../../a11y/describeScatter';
import type { LatentOverlay } from '../../../state/analysis/state';
import type { LatentSnapshot } from '../../../state/appState';
import { factorsFit, type FactorInfo } from '../../charts/factorColors';
import { formatCoord } from '../../format';
import { useElementWidth } from '../../hooks/useElementWidth';
import { classCount as countClasses, colorKeys, colorOfKey, coloringName, type Coloring } from './coloring';
import type { LatentAxes } from './axes';
import { ScatterLegend } from './ScatterLegend';
import { ScatterTooltip } from './ScatterTooltip';
import { useProjection } from './useProjection';
import { drawGroups } from './view/drawOrder';
import { ScatterView, type ScatterElements } from './view/ScatterView';
import { dotRadius, MARGIN, plotSize } from './view/viewport';
import type { PriorComponentsView } from './view/priorComponents';

export interface ScatterPlotProps {
  latents: LatentSnapshot;
  shown: LatentAxes;
  xLabel: string;
  yLabel: string;
  coloring: Coloring;
  classNames: string[];
  /** Test images of the snapshot's points, row k of [count, width·height], 0..255. */
  previewImages: Uint8Array | null;
  imageShape: { width: number; height: number };
  probe: number[];
  onProbeChange(z: number[]): void;
  /** The decoder grid's quantile values, drawn as faint crosses on a 2-D plane. */
  gridValues?: number[];
  pointFactors?: Uint16Array | null;
  factorInfo?: FactorInfo | null;
  onPickPoint?(pointIndex: number): void;
  /** A learned prior's components, drawn instead of N(0, I)'s circles. */
  priorComponents?: PriorComponentsView | null;
  /** The tools' marks over the dots (interpolation path, drawing's posterior). */
  overlay?: LatentOverlay | null;
  onOverlayEndMove?(end: 0 | 1, z: number[]): void;
}

export function ScatterPlot(props: ScatterPlotProps) {
  const { latents, shown, xLabel, yLabel, coloring, classNames, probe, gridValues, pointFactors, factorInfo, onPickPoint, onProbeChange } = props;
  const { count, latentDim: dim, labels } = latents;
  const [wrapRef, width] = useElementWidth();
  const size = useMemo(() => plotSize(width), [width]);
  const describeId = useId();
  const [hover, setHover] = useState<number | null>(null);
  // A legend entry's highlight belongs to the colouring it was picked in.
  const [picked, setPicked] = useState<{ coloring: string; key: number } | null>(null);

  const projection = useProjection(latents, shown);
  const keys = useMemo(() => colorKeys(coloring, labels, pointFactors, factorInfo, count), [coloring, labels, pointFactors, factorInfo, count]);
  const colorOf = useMemo(() => colorOfKey(coloring), [coloring]);
  const groups = useMemo(() => drawGroups(keys, count), [keys, count]);
  const classes = useMemo(() => countClasses(labels, count, classNames.length), [labels, count, classNames.length]);
  const name = coloringName(coloring);
  const highlight = picked && picked.coloring === name ? picked.key : null;
  const toggleHighlight = useCallback((key: number) => setPicked((p) => (p && p.coloring === name && p.key === key ? null : { coloring: name, key })), [name]);
  const lattice = dim === 2 && projection.axes.kind === 'dims' && gridValues && gridValues.length > 0 ? gridValues : null;
  const probeXY = useMemo(() => projectPoint(probe, projection.axes), [probe, projection.axes]);
  // the canvas's text alternative: the points in words
  const summary = useMemo(() => {
    const named = coloring.kind === 'class' || coloring.size === classNames.length;
    const keyName = (k: number) => (named ? (classNames[k] ?? String(k)) : String(k));
    return describeScatter({ xy: projection.positions, count, keys, keyName, colouredBy: name, xLabel, yLabel });
  }, [projection.positions, count, keys, coloring, classNames, name, xLabel, yLabel]);

  const canvasRef = useRef<HTMLCanvasElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const xAxisRef = useRef<SVGGElement>(null);
  const yAxisRef = useRef<SVGGElement>(null);
  const priorRef = useRef<SVGGElement>(null);
  const componentsRef = useRef<SVGGElement>(null);
  const hoverRef = useRef<SVGGElement>(null);
  const probeRef = useRef<SVGGElement>(null);
  const toolsRef = useRef<SVGGElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<ScatterView | null>(null);

  // The one effect that drives the drawing: after every render, the view gets the latest model.
  useLayoutEffect(() => {
    if (!viewRef.current) {
      const els = { canvas: canvasRef.current, svg: svgRef.current, xAxis: xAxisRef.current, yAxis: yAxisRef.current, prior: priorRef.current, components: componentsRef.current, hover: hoverRef.current, probe: probeRef.current, tools: toolsRef.current, tooltip: tooltipRef.current };
      if (Object.values(els).some((el) => !el)) return;
      viewRef.current = new ScatterView(els as ScatterElements);
    }
    viewRef.current.update({
      size,
      positions: projection.positions,
      indices: latents.indices,
      dim,
      axesKey: projection.key,
      projection: projection.axes,
      logVar: latents.logVar,
      keys,
      colorOf,
      groups,
      highlight,
      dotRadius: dotRadius(size.plotW, count),
      lattice,
      origin: projection.origin,
      probe,
      hover,
      onProbeChange,
      onPickPoint,
      onHover: setHover,
      priorComponents: props.priorComponents ?? null,
      overlay: props.overlay ?? null,
      onOverlayEndMove: props.onOverlayEndMove,
    });
  });
  useEffect(
    () => () => {
      viewRef.current?.destroy();
      viewRef.current = null;
    },
    [],
  );

  const hovered = hover !== null && hover < count ? hover : null;
  const factors = factorInfo && pointFactors && factorsFit(pointFactors, factorInfo, count) ? { values: pointFactors, info: factorInfo, categoryNames: classNames } : null;
  const { height, plotW, plotH } = size;

  return (
    <div className="latent-scatter" data-point-count={count} data-step={latents.step}>
      <div className="latent-plot" ref={wrapRef} style={{ height: height || undefined }}>
        <canvas ref={canvasRef} className="latent-canvas" role="img" aria-label={summary} />
        <svg ref={svgRef} className="latent-svg" width={width} height={height}>
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
            <g className="latent-components" ref={componentsRef} role="img" aria-label="Prior components" display={dim >= 2 && props.priorComponents ? undefined : 'none'} />
            <g className="latent-prior" ref={priorRef} aria-hidden="true" display={dim >= 2 && !props.priorComponents ? undefined : 'none'}>
              <circle className="prior-halo" />
              <circle className="prior-halo" />
              <circle className="prior-1" />
              <circle className="prior-2" />
            </g>
            <g className="latent-overlay" ref={toolsRef} />
            <g className="latent-hover" ref={hoverRef} visibility="hidden" aria-hidden="true">
              <ellipse />
              <circle />
            </g>
            <g ref={probeRef} className="latent-probe" role="button" tabIndex={0} aria-label="Latent probe" aria-describedby={describeId}>
              <circle className="probe-hit" r={18} />
              <circle className="probe-focus" r={14} />
              <circle className="probe-halo" r={10} />
              <circle className="probe-ring" r={8} />
              <path className="probe-cross" d="M-4.5 0H4.5M0 -4.5V4.5" />
            </g>
          </g>
        </svg>
        <div className="tooltip latent-tooltip" ref={tooltipRef} style={{ visibility: 'hidden' }} aria-hidden="true">
          {hovered !== null ? (
            <ScatterTooltip
              point={hovered}
              latents={latents}
              projection={projection.axes}
              color={colorOf(keys[hovered])}
              className={classNames[labels[hovered]] ?? String(labels[hovered])}
              previewImages={props.previewImages}
              imageShape={props.imageShape}
              factors={factors}
              canPick={!!onPickPoint}
            />
          ) : null}
        </div>
        <span id={describeId} className="visually-hidden">
          {`${xLabel} = ${formatCoord(probeXY[0])}${dim >= 2 ? `, ${yLabel} = ${formatCoord(probeXY[1])}` : ''}. Drag the probe or click the plot to move it; arrow keys move it by 0.1, with Shift by 0.5.`}
        </span>
      </div>
      <ScatterLegend coloring={coloring} classCount={classes} classNames={classNames} colorOf={colorOf} highlight={highlight} onToggle={toggleHighlight} />
    </div>
  );
}
