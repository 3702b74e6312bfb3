/**
 * The latent space panel: every test image's posterior mean μ(x) as a dot coloured by class (or,
 * with ground-truth factors, by a factor), against the prior's circles, with the draggable probe
 * whose decoding DecodedPoint shows. This file is the panel's shell: which plane is shown (axis
 * picker, PCA), the colouring, the caption; ScatterPlot draws.
 */
import type { LatentOverlay } from '../../../state/analysis/state';
import { useMemo, useState, type ReactNode } from 'react';
import type { LatentSnapshot } from '../../../state/appState';
import { factorsFit, type FactorInfo } from '../../charts/factorColors';
import { Panel } from '../../components/Panel';
import { formatCount } from '../../format';
import { axisLabels, resolveAxes, type LatentAxes } from './axes';
import { AxisPicker } from './AxisPicker';
import { ColorByPicker } from './ColorByPicker';
import { coloringFor, coloringName } from './coloring';
import { ScatterPlot } from './ScatterPlot';
import type { PriorComponentsView } from './view/priorComponents';
import './latent.css';

export type { LatentAxes } from './axes';
export type { PriorComponentsView } from './view/priorComponents';

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
  /** Drawn over the dots: an interpolation path with draggable ends, a drawn digit's posterior. */
  overlay?: LatentOverlay | null;
  /** An overlay path's end (0: A, 1: B) dragged to the full latent point z. */
  onOverlayEndMove?(end: 0 | 1, z: number[]): void;
  /** More tools for the title bar (the figure downloads). */
  extraTools?: ReactNode;
}

/** Fraction of a 2-D standard normal's mass within radius r: 1 − exp(−r²/2). */
const MASS_1 = Math.round(100 * (1 - Math.exp(-0.5)));
const MASS_2 = Math.round(100 * (1 - Math.exp(-2)));

export function LatentScatter(props: LatentScatterProps) {
  const { latents, axes, onAxesChange, klPerDim, pointFactors, factorInfo, onColorByChange, onPickPoint } = props;
  const latentDim = latents?.latentDim ?? props.probe.length;
  const shown = resolveAxes(axes, latentDim);

  const [ownColorBy, setOwnColorBy] = useState('class');
  const colorBy = props.colorBy ?? ownColorBy;
  const hasFactors = !!latents && factorsFit(pointFactors, factorInfo, latents.count);
  const coloring = useMemo(() => coloringFor(colorBy, factorInfo, hasFactors), [colorBy, factorInfo, hasFactors]);
  const pickColorBy = (value: string) => {
    if (props.colorBy === undefined) setOwnColorBy(value);
    onColorByChange?.(value);
  };

  const axisPicker = latentDim > 2 ? <AxisPicker axes={shown} latentDim={latentDim} klPerDim={klPerDim} onChange={onAxesChange} /> : null;
  const colorPicker = hasFactors && factorInfo ? <ColorByPicker value={coloringName(coloring)} factorInfo={factorInfo} onChange={pickColorBy} /> : null;
  const tools =
    axisPicker || colorPicker || props.extraTools ? (
      <>
        {axisPicker}
        {colorPicker}
        {props.extraTools}
      </>
    ) : null;

  const [xLabel, yLabel] = axisLabels(shown, latentDim);
  const caption = latents ? (
    <>
      Each dot is a test image&rsquo;s posterior mean E[q(z|x)] (<b>{formatCount(latents.count)}</b> images, step <b>{formatCount(latents.step)}</b>)
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
        <ScatterPlot
          latents={latents}
          shown={shown}
          xLabel={xLabel}
          yLabel={yLabel}
          coloring={coloring}
          classNames={props.classNames}
          previewImages={props.previewImages}
          imageShape={props.imageShape}
          probe={props.probe}
          onProbeChange={props.onProbeChange}
          gridValues={props.gridValues}
          pointFactors={pointFactors}
          factorInfo={factorInfo}
          onPickPoint={onPickPoint}
          priorComponents={props.priorComponents && props.priorComponents.latentDim === latents.latentDim ? props.priorComponents : null}
          overlay={props.overlay}
          onOverlayEndMove={props.onOverlayEndMove}
        />
      ) : (
        <div className="panel-empty latent-empty">Encoding the test set…</div>
      )}
    </Panel>
  );
}
