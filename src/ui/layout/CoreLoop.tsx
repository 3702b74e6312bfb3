/**
 * The core loop a newcomer sees first: the latent space with the probe, the decoded point and the
 * decoder grid beside it, the loss curves below. Each panel shows only when the model's family
 * declares it (core/models/catalog.ts); a discrete latent (VQ-VAE) shows its code panels instead.
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { quantileGrid } from '../../core/analysis/quantiles';
import { FAMILIES, type FamilyDescriptor, type PanelId } from '../../core/models/catalog';
import { DATASETS } from '../../data/catalog';
import { GRID_SIZE_2D, PRIOR_SAMPLES, type Controller } from '../../state/controller';
import { useStore } from '../hooks/useStore';
import { topKlDims } from '../../core/analysis/projection';
import { claimingComponent } from '../../core/analysis/mixtureComponents';
import { ClassPicker } from '../controls/ClassPicker';
import { ClassStrip as ClassStripPanel } from '../panels/classes/ClassStrip';
import { PriorPanel as PriorPanelView } from '../panels/prior/PriorPanel';
import { DecodedPoint, type DecodedPointProps } from '../panels/decoder/DecodedPoint';
import { DecoderGrid as DecoderGridPanel } from '../panels/decoder/DecoderGrid';
import { LatentScatter, type LatentAxes } from '../panels/latent/LatentScatter';
import { LossChart as LossChartPanel } from '../panels/loss/LossChart';
import { CodeLoop } from '../panels/codes/CodeLoop';
import type { LatentOverlay } from '../../state/analysis/state';
import { GridDownload, LossDownloads, ScatterDownloads } from '../figures/FigureDownloads';

// Panels re-render only when their own props change (a probe move re-renders the loop).
const LossChart = memo(LossChartPanel);
const DecoderGrid = memo(DecoderGridPanel);
const ClassStrip = memo(ClassStripPanel);
const PriorPanel = memo(PriorPanelView);

const NO_CLASSES: string[] = [];

/** The decoded image subscribes on its own: a new image redraws this panel, not the whole loop. */
function ProbeImage(props: { controller: Controller } & Omit<DecodedPointProps, 'image' | 'latencyMs' | 'copyStep'>) {
  const { controller, ...rest } = props;
  const image = useStore(controller.view, (v) => v.probeImage);
  const latencyMs = useStore(controller.view, (v) => v.probeLatencyMs);
  const copyStep = useStore(controller.view, (v) => v.probeCopyStep);
  return <DecodedPoint {...rest} image={image} latencyMs={latencyMs} copyStep={copyStep} decoderNote={<DecoderNote controller={controller} />} />;
}

/**
 * What the decoder's pictures are, when more than mean images: the autoregressive decoder draws
 * pixel after pixel (with its progress while it does), a learned σ or logistic scale is shown.
 */
function DecoderNote({ controller }: { controller: Controller }) {
  const decoder = useStore(controller.store, (s) => s.settings.decoder);
  const likelihood = useStore(controller.store, (s) => s.settings.likelihood);
  const scale = useStore(controller.store, (s) => s.disentanglement.latest?.learnedScale ?? null);
  const progress = useStore(controller.view, (v) => v.decodeProgress);
  return (
    <>
      {decoder === 'made' ? (
        <>
          {' '}
          The autoregressive decoder draws each image pixel by pixel, row by row: shown are its conditional means p(x<sub>i</sub> | x<sub>&lt;i</sub>, z) along one
          drawn path.
          {progress ? <span className="decoder-progress"> Drawing pixel {progress.done} of {progress.total}…</span> : null}
        </>
      ) : null}
      {scale !== null ? (
        <>
          {' '}
          Learned {likelihood === 'logistic' ? 'logistic scale s' : 'σ'} = <b>{scale.toPrecision(3)}</b>
          {likelihood === 'logistic' ? ' (pixels in [−1, 1])' : ''}.
        </>
      ) : null}
    </>
  );
}

function pixelsOf(dataset: keyof typeof DATASETS): number {
  const { width, height, channels } = DATASETS[dataset].shape;
  return width * height * channels;
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
      pixels={pixelsOf(settings.dataset)}
      mmdWeight={settings.objective === 'infovae' ? settings.mmdWeight : null}
      capacity={capacity.length ? capacity : undefined}
      freeBits={settings.freeBits}
      objectiveKind={settings.objective === 'infovae' ? 'vae' : settings.objective}
      objectiveInWords={(FAMILIES[settings.model] as FamilyDescriptor).objectiveInWords}
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
  const decodeClass = useStore(controller.view, (v) => v.decodeClass);
  const classStrip = useStore(controller.view, (v) => v.classStrip);
  const gridComponent = useStore(controller.view, (v) => v.gridComponent);
  const prior = useStore(store, (s) => s.prior);
  const handlers = useMemo(
    () => ({
      moveProbe: (z: number[]) => controller.moveProbe(z),
      pickPoint: (i: number) => controller.probeToPoint(i),
      resample: () => controller.resamplePrior(),
      pickClass: (label: number) => controller.chooseClass(label),
      pickComponent: (k: number | null) => controller.chooseGridComponent(k),
      moveEnd: (end: 0 | 1, z: number[]) => controller.analysis.interpolation.moveEnd(end, z),
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
  const family = FAMILIES[settings.model];
  const panels: readonly PanelId[] = family.panels;
  const shows = (id: PanelId) => panels.includes(id);
  const discrete = FAMILIES[settings.model].latentKind === 'discrete';
  const conditional = family.usesLabels && classNames.length > 0;
  const className = classNames[decodeClass] ?? String(decodeClass);
  const mixture = prior && prior.latentDim === latentDim ? prior : null;
  const claim = mixture && probe.length === latentDim ? claimingComponent(mixture, probe) : null;
  const probeNote =
    conditional || claim ? (
      <>
        {conditional ? <>Decoded as class <b>{className}</b>: p(x | z, y = {className}). </> : null}
        {claim ? (
          <>
            Component <b>{claim.component + 1}</b> of the prior claims the probe, p(k|z) = {claim.responsibility.toFixed(2)}.
          </>
        ) : null}
      </>
    ) : undefined;
  const scatterNote = conditional ? (
    <>
      Here z is the code of q(z|x, y): the class is given to the encoder and the decoder, so z is left to hold the style, not the class — the colours
      (the classes) overlap.
    </>
  ) : undefined;
  const gridSource = mixture ? (
    gridComponent !== null && gridComponent < mixture.count ? (
      <>component {gridComponent + 1} of the learned prior alone, N(μ_k, σ_k²)</>
    ) : (
      <>the learned prior p(z) = Σ_k w_k N(μ_k, σ_k²) (a component by its weight, then z from it)</>
    )
  ) : undefined;
  // the figure downloads, made once per choice so the memoised panels keep their props
  const gridSize = latentDim === 2 ? GRID_SIZE_2D : Math.sqrt(PRIOR_SAMPLES);
  const gridDownload = useMemo(() => <GridDownload controller={controller} manifold={latentDim === 2} columns={gridSize} />, [controller, latentDim, gridSize]);
  const decoderNote = useMemo(() => <DecoderNote controller={controller} />, [controller]);
  const axesKey = JSON.stringify(axes);
  // keyed by the axes' value: a new object with the same axes keeps the element
  const scatterDownloads = useMemo(() => <ScatterDownloads controller={controller} axes={axes} />, [controller, axesKey]);

  return (
    <div className={discrete ? 'core-loop discrete' : 'core-loop'}>
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
            gridValues={latentDim === 2 && !mixture ? gridValues : undefined}
            pointFactors={pointFactors}
            factorInfo={summary?.factors ?? null}
            onPickPoint={handlers.pickPoint}
            priorComponents={mixture}
            captionNote={scatterNote}
            overlay={overlay}
            onOverlayEndMove={handlers.moveEnd}
            extraTools={scatterDownloads}
          />
        </div>
      ) : null}
      {discrete ? null : (
      <div className="panel-side">
        {conditional ? <ClassPicker classNames={classNames} value={decodeClass} onChange={handlers.pickClass} /> : null}
        {shows('decodedPoint') ? (
          <ProbeImage controller={controller} imageShape={imageShape} probe={probe} latentDim={latentDim} shownDims={shownDims} onProbeChange={handlers.moveProbe} note={probeNote} />
        ) : null}
        {shows('classStrip') && conditional ? (
          <ClassStrip images={classStrip?.images ?? null} classNames={classNames} imageShape={imageShape} picked={decodeClass} onPick={handlers.pickClass} />
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
            samplesFrom={gridSource}
            extraTools={gridDownload}
            note={decoderNote}
          />
        ) : null}
        {shows('priorComponents') && mixture ? <PriorPanel prior={mixture} imageShape={imageShape} gridComponent={gridComponent} onPickComponent={handlers.pickComponent} /> : null}
      </div>
      )}
      {discrete ? (
        <div className="panel-codes">
          <CodeLoop controller={controller} shows={shows} classNames={classNames} imageShape={imageShape} />
        </div>
      ) : null}
      {shows('lossCurves') ? (
        <div className="panel-loss">
          <LossCurves controller={controller} />
        </div>
      ) : null}
    </div>
  );
}
