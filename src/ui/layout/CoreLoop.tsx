/**
 * The core loop a newcomer sees first: the latent space with the probe, the decoded point and the
 * decoder grid beside it, the loss curves below. Each panel shows only when the model's family
 * declares it (core/models/catalog.ts).
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { quantileGrid } from '../../core/analysis/quantiles';
import { FAMILIES, type PanelId } from '../../core/models/catalog';
import { DATASETS } from '../../data/catalog';
import { GRID_SIZE_2D, PRIOR_SAMPLES, type Controller } from '../../state/controller';
import { useStore } from '../hooks/useStore';
import { topKlDims } from '../../core/analysis/projection';
import { DecodedPoint, type DecodedPointProps } from '../panels/decoder/DecodedPoint';
import { DecoderGrid as DecoderGridPanel } from '../panels/decoder/DecoderGrid';
import { LatentScatter, type LatentAxes } from '../panels/latent/LatentScatter';
import { LossChart as LossChartPanel } from '../panels/loss/LossChart';
import type { LatentOverlay } from '../../state/analysis/state';
import { GridDownload, LossDownloads, ScatterDownloads } from '../figures/FigureDownloads';

// Panels re-render only when their own props change (a probe move re-renders the loop).
const LossChart = memo(LossChartPanel);
const DecoderGrid = memo(DecoderGridPanel);

const NO_CLASSES: string[] = [];

/** The decoded image subscribes on its own: a new image redraws this panel, not the whole loop. */
function ProbeImage(props: { controller: Controller } & Omit<DecodedPointProps, 'image' | 'latencyMs'>) {
  const { controller, ...rest } = props;
  const image = useStore(controller.view, (v) => v.probeImage);
  const latencyMs = useStore(controller.view, (v) => v.probeLatencyMs);
  return <DecodedPoint {...rest} image={image} latencyMs={latencyMs} />;
}

function LossCurves({ controller }: { controller: Controller }) {
  const history = useStore(controller.store, (s) => s.history);
  const latest = useStore(controller.store, (s) => s.training.latest);
  const latestTest = useStore(controller.store, (s) => s.training.latestTest);
  const settings = useStore(controller.store, (s) => s.settings);
  const terms = useStore(controller.store, (s) => s.model?.terms ?? FAMILIES[s.settings.model].terms);
  const capacity = useMemo(() => history.train.flatMap((p) => (p.capacity === undefined ? [] : [{ step: p.step, value: p.capacity }])), [history.train]);
  const downloads = useMemo(() => <LossDownloads controller={controller} />, [controller]);
  return (
    <LossChart
      extraTools={downloads}
      terms={terms}
      history={history}
      latest={latest}
      latestTest={latestTest}
      beta={settings.beta}
      likelihood={settings.likelihood}
      capacity={capacity.length ? capacity : undefined}
      freeBits={settings.freeBits}
    />
  );
}

export function CoreLoop({ controller }: { controller: Controller }) {
  const store = controller.store;
  const settings = useStore(store, (s) => s.settings);
  const latest = useStore(store, (s) => s.training.latest);
  const latents = useStore(store, (s) => s.latents);
  const previewImages = useStore(store, (s) => s.previewImages);
  const pointFactors = useStore(store, (s) => s.pointFactors);
  const summary = useStore(store, (s) => s.data.summary);
  const probe = useStore(controller.view, (v) => v.probe);
  const grid = useStore(controller.view, (v) => v.grid);
  const handlers = useMemo(
    () => ({
      moveProbe: (z: number[]) => controller.moveProbe(z),
      pickPoint: (i: number) => controller.probeToPoint(i),
      resample: () => controller.resamplePrior(),
      moveEnd: (end: 0 | 1, z: number[]) => controller.analysis.moveEnd(end, z),
    }),
    [controller],
  );
  // the tools' marks on the scatter while their tab is open: the interpolation path, the drawing's posterior
  const toolsShown = useStore(controller.view, (v) => v.labTab === 'use');
  const pathLatents = useStore(controller.analysis.store, (s) => s.interpolation.result?.latents ?? null);
  const drawn = useStore(controller.analysis.store, (s) => (s.drawing.input ? s.drawing.result : null));
  const overlay = useMemo<LatentOverlay | null>(
    () => (toolsShown ? { path: pathLatents, posterior: drawn ? { mu: drawn.mu, logVar: drawn.logVar } : null } : null),
    [toolsShown, pathLatents, drawn],
  );
  const latentDim = settings.latentDim;
  const [chosenAxes, setChosenAxes] = useState<LatentAxes | null>(null);
  useEffect(() => setChosenAxes(null), [latentDim]);
  const klPerDim = latest?.klPerDim ?? null;
  const autoAxes: LatentAxes = { kind: 'dims', dims: latentDim === 2 || !klPerDim || klPerDim.length !== latentDim ? [0, 1] : topKlDims(klPerDim) };
  const axes = chosenAxes ?? autoAxes;
  const shownDims = axes.kind === 'dims' ? axes.dims : null;
  const gridValues = useMemo(() => quantileGrid(GRID_SIZE_2D).values, []);
  const imageShape = summary?.shape ?? DATASETS[settings.dataset].shape;
  const classNames = summary?.classNames ?? NO_CLASSES;
  const panels: readonly PanelId[] = FAMILIES[settings.model].panels;
  const shows = (id: PanelId) => panels.includes(id);
  // the figure downloads, made once per choice so the memoised panels keep their props
  const gridSize = latentDim === 2 ? GRID_SIZE_2D : Math.sqrt(PRIOR_SAMPLES);
  const gridDownload = useMemo(() => <GridDownload controller={controller} manifold={latentDim === 2} columns={gridSize} />, [controller, latentDim, gridSize]);
  const axesKey = JSON.stringify(axes);
  // keyed by the axes' value: a new object with the same axes keeps the element
  const scatterDownloads = useMemo(() => <ScatterDownloads controller={controller} axes={axes} />, [controller, axesKey]);

  return (
    <div className="core-loop">
      {shows('latentSpace') ? (
        <div className="panel-latent">
          <LatentScatter
            latents={latents}
            classNames={classNames}
            previewImages={previewImages}
            imageShape={imageShape}
            axes={axes}
            onAxesChange={setChosenAxes}
            klPerDim={klPerDim}
            probe={probe}
            onProbeChange={handlers.moveProbe}
            gridValues={latentDim === 2 ? gridValues : undefined}
            pointFactors={pointFactors}
            factorInfo={summary?.factors ?? null}
            onPickPoint={handlers.pickPoint}
            overlay={overlay}
            onOverlayEndMove={handlers.moveEnd}
            extraTools={scatterDownloads}
          />
        </div>
      ) : null}
      <div className="panel-side">
        {shows('decodedPoint') ? (
          <ProbeImage controller={controller} imageShape={imageShape} probe={probe} latentDim={latentDim} shownDims={shownDims} onProbeChange={handlers.moveProbe} />
        ) : null}
        {shows('decoderGrid') ? (
          <DecoderGrid
            images={grid?.images ?? null}
            latentDim={latentDim}
            gridSize={gridSize}
            values={gridValues}
            imageShape={imageShape}
            onResample={handlers.resample}
            step={grid ? grid.step : null}
            extraTools={gridDownload}
          />
        ) : null}
      </div>
      {shows('lossCurves') ? (
        <div className="panel-loss">
          <LossCurves controller={controller} />
        </div>
      ) : null}
    </div>
  );
}
