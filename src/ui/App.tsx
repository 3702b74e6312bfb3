/**
 * The page: header, Train/Step/Reset with live figures, the settings sidebar and four panels.
 * It holds one Controller (the worker's owner) for its lifetime and reads the store through hooks.
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { Controller, GRID_SIZE_2D } from '../state/controller';
import { settingsFromUrl } from '../state/settings';
import { useStore } from '../state/store';
import { Controls } from './controls/Controls';
import { DataProgress } from './DataProgress';
import { Notices } from './Notices';
import { ConfirmChange } from './ConfirmChange';
import { StatusBar } from './StatusBar';
import { LossChart as LossChartPanel } from './panels/LossChart';
import { LatentScatter } from './panels/LatentScatter';
import { DecoderGrid as DecoderGridPanel } from './panels/DecoderGrid';
import { DecodedPoint, type DecodedPointProps } from './panels/DecodedPoint';
import { Traversals as TraversalsPanel } from './panels/Traversals';
import { KlBars as KlBarsPanel } from './panels/KlBars';
import { Disentanglement as DisentanglementPanel } from './panels/Disentanglement';
import { Snapshots as SnapshotsPanel } from './panels/Snapshots';
import { Comparison as ComparisonPanel } from './panels/Comparison';
import { DATASETS } from '../data/catalog';
import { quantileGrid } from './lib/quantiles';
import { topKlDims } from './lib/projection';
import './app.css';

type Axes = { kind: 'dims'; dims: [number, number] } | { kind: 'pca' };

function createController(): Controller {
  const { settings, messages } = settingsFromUrl(window.location.hash);
  return new Controller({
    createWorker: () => new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'training' }),
    assetBaseUrl: new URL('.', document.baseURI).href,
    initialSettings: settings,
    initialMessages: messages,
    writeUrl: (hash) => window.history.replaceState(null, '', hash ? `#${hash}` : window.location.pathname + window.location.search),
  });
}

const NO_CLASSES: string[] = [];

// Panels re-render only when their own props change (a probe move re-renders the app).
const LossChart = memo(LossChartPanel);
const DecoderGrid = memo(DecoderGridPanel);
const Traversals = memo(TraversalsPanel);
const KlBars = memo(KlBarsPanel);
const Disentanglement = memo(DisentanglementPanel);
const Snapshots = memo(SnapshotsPanel);
const Comparison = memo(ComparisonPanel);

/** The decoded image subscribes on its own: a new image redraws this panel, not the whole app. */
function ProbeImage(props: { controller: Controller } & Omit<DecodedPointProps, 'image' | 'latencyMs'>) {
  const { controller, ...rest } = props;
  const image = useStore(controller.view, (v) => v.probeImage);
  const latencyMs = useStore(controller.view, (v) => v.probeLatencyMs);
  return <DecodedPoint {...rest} image={image} latencyMs={latencyMs} />;
}

export function App() {
  const controller = useMemo(createController, []);
  useEffect(() => () => controller.dispose(), [controller]);

  const store = controller.store;
  const settings = useStore(store, (s) => s.settings);
  const history = useStore(store, (s) => s.history);
  const latest = useStore(store, (s) => s.training.latest);
  const latestTest = useStore(store, (s) => s.training.latestTest);
  const latents = useStore(store, (s) => s.latents);
  const previewImages = useStore(store, (s) => s.previewImages);
  const summary = useStore(store, (s) => s.data.summary);
  const dataFailed = useStore(store, (s) => s.data.stage === 'failed');
  const probe = useStore(controller.view, (v) => v.probe);
  const grid = useStore(controller.view, (v) => v.grid);
  const traversal = useStore(controller.view, (v) => v.traversal);
  const disentanglement = useStore(store, (s) => s.disentanglement);
  const pointFactors = useStore(store, (s) => s.pointFactors);
  const snapshots = useStore(store, (s) => s.snapshots);
  const comparison = useStore(store, (s) => s.comparison);
  const dataReady = useStore(store, (s) => s.data.stage === 'ready');
  const capacity = useMemo(
    () => history.train.flatMap((p) => (p.capacity === undefined ? [] : [{ step: p.step, value: p.capacity }])),
    [history.train],
  );

  // stable callbacks, so memoised panels skip renders that change nothing of theirs
  const handlers = useMemo(
    () => ({
      moveProbe: (z: number[]) => controller.moveProbe(z),
      pickPoint: (i: number) => controller.probeToPoint(i),
      resample: () => controller.resamplePrior(),
      takeSnapshot: () => controller.takeSnapshot(),
      removeSnapshot: (id: number) => controller.removeSnapshot(id),
      runComparison: () => controller.runComparison(),
      cancelComparison: () => controller.cancelComparison(),
    }),
    [controller],
  );
  const latentDim = settings.latentDim;
  const [chosenAxes, setChosenAxes] = useState<Axes | null>(null);
  useEffect(() => setChosenAxes(null), [latentDim]);
  const klPerDim = latest?.klPerDim ?? null;
  const autoAxes: Axes = { kind: 'dims', dims: latentDim === 2 || !klPerDim || klPerDim.length !== latentDim ? [0, 1] : topKlDims(klPerDim) };
  const axes = chosenAxes ?? autoAxes;
  const shownDims = axes.kind === 'dims' ? axes.dims : null;
  const gridValues = useMemo(() => quantileGrid(GRID_SIZE_2D).values, []);
  const imageShape = summary?.shape ?? DATASETS[settings.dataset].shape;
  const classNames = summary?.classNames ?? NO_CLASSES;

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <h1>VAE Playground</h1>
          <p>Train a variational autoencoder in your browser and explore what it learns.</p>
        </div>
        <Notices controller={controller} />
      </header>
      <StatusBar controller={controller} />
      <ConfirmChange controller={controller} />
      <div className="layout">
        <Controls controller={controller} />
        <main className="panels">
          <DataProgress controller={controller} />
          {dataFailed ? null : (
            <>
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
                />
              </div>
              <div className="panel-side">
                <ProbeImage controller={controller} imageShape={imageShape} probe={probe} latentDim={latentDim} shownDims={shownDims} onProbeChange={handlers.moveProbe} />
                <DecoderGrid
                  images={grid?.images ?? null}
                  latentDim={latentDim}
                  gridSize={latentDim === 2 ? GRID_SIZE_2D : 8}
                  values={gridValues}
                  imageShape={imageShape}
                  onResample={handlers.resample}
                  step={grid ? grid.step : null}
                />
              </div>
              <div className="panel-loss">
                <LossChart
                  history={history}
                  latest={latest}
                  latestTest={latestTest}
                  beta={settings.beta}
                  likelihood={settings.likelihood}
                  capacity={capacity.length ? capacity : undefined}
                  freeBits={settings.freeBits}
                />
              </div>
              <div className="panel-traversals">
                <Traversals traversal={traversal} klPerDim={klPerDim} imageShape={imageShape} latentDim={latentDim} />
              </div>
              <div className="panel-lab-side">
                <KlBars
                  klPerDim={klPerDim}
                  unitVariances={disentanglement.latest?.unitVariances ?? null}
                  activeUnits={disentanglement.latest?.activeUnits ?? null}
                  freeBits={settings.freeBits}
                  latentDim={latentDim}
                />
                <Disentanglement history={disentanglement.history} latest={disentanglement.latest} hasFactors={Boolean(summary?.factors)} />
              </div>
              <div className="panel-snapshots">
                <Snapshots
                  snapshots={snapshots}
                  onTake={handlers.takeSnapshot}
                  onRemove={handlers.removeSnapshot}
                  canTake={latents !== null}
                  classNames={classNames}
                  imageShape={imageShape}
                />
              </div>
              <div className="panel-compare">
                <Comparison
                  state={comparison}
                  onRun={handlers.runComparison}
                  onCancel={handlers.cancelComparison}
                  classNames={classNames}
                  disabledReason={dataReady ? null : 'waiting for the data'}
                />
              </div>
            </>
          )}
        </main>
      </div>
      <footer className="app-footer">
        Model: MLP {imageShape.width * imageShape.height}–{settings.hiddenDim}–{latentDim}–{settings.hiddenDim}–{imageShape.width * imageShape.height}, Adam, trained in a
        Web Worker. Kingma &amp; Welling, <i>Auto-Encoding Variational Bayes</i> (2014); Higgins et al., <i>β-VAE</i> (2017).
      </footer>
    </div>
  );
}
