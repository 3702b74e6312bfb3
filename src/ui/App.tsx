/**
 * The page: header, Train/Step/Reset with live figures, the settings sidebar, the core loop
 * (latent space, decoded point, decoder grid, loss curves) and the labs in tabs below it. It
 * holds one Controller (the worker's owner) for its lifetime.
 */
import { useEffect, useMemo } from 'react';
import { Tour } from '../state/explain/tour';
import { FAMILIES, networkOf } from '../core/models/catalog';
import { Controller } from '../state/controller';
import { modelConfigOf, PRESETS, settingsFromUrl } from '../state/settings';
import { IndexedDbLibrary } from '../state/storage/indexedDbLibrary';
import { ConfirmChange } from './ConfirmChange';
import { Controls } from './controls/Controls';
import { DataProgress } from './DataProgress';
import { formatCount } from './format';
import { useStore } from './hooks/useStore';
import { downloadBytes } from './keep/download';
import { KeepBar, ResumeOffer } from './keep/KeepBar';
import { useModelDrop } from './keep/useModelDrop';
import { Article } from './article/Article';
import { CoreLoop } from './layout/CoreLoop';
import { ExplainSection } from './layout/ExplainSection';
import { LabTabs } from './layout/LabTabs';
import { Notices } from './Notices';
import { OwnImagesPanel } from './ownImages/OwnImagesPanel';
import { StatusBar } from './StatusBar';
import { TourCard, TourInvitation } from './tour/Tour';
import { WorkerFailure } from './WorkerFailure';
import './app.css';

function createController(): Controller {
  const { settings, messages, preset } = settingsFromUrl(window.location.hash);
  return new Controller({
    // a link to a lesson opens its tab
    initialLabTab: PRESETS.find((p) => p.id === preset)?.tab,
    library: typeof indexedDB === 'undefined' ? null : new IndexedDbLibrary(),
    download: (file, name, type) => downloadBytes(file, name, type),
    createWorker: () => new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'training' }),
    // ?decodeCopy=0 decodes everything in the training worker (the bench compares both)
    createDecodeWorker:
      new URLSearchParams(window.location.search).get('decodeCopy') === '0'
        ? undefined
        : () => new Worker(new URL('../worker/decode/decode.worker.ts', import.meta.url), { type: 'module', name: 'decode' }),
    assetBaseUrl: new URL('.', document.baseURI).href,
    initialSettings: settings,
    initialMessages: messages,
    writeUrl: (hash) => window.history.replaceState(null, '', hash ? `#${hash}` : window.location.pathname + window.location.search),
  });
}

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function ModelFooter({ controller }: { controller: Controller }) {
  const settings = useStore(controller.store, (s) => s.settings);
  const model = useStore(controller.store, (s) => s.model);
  const backend = useStore(controller.store, (s) => s.backend);
  const family = FAMILIES[settings.model];
  const config = modelConfigOf(settings);
  return (
    <footer className="app-footer">
      Model: {family.label} ({networkOf(config.network).summary(config)})
      {model ? `, ${formatCount(model.parameterCount)} parameters` : ''}, Adam, trained in a Web Worker. Kingma &amp; Welling,{' '}
      <i>Auto-Encoding Variational Bayes</i> (2014); Higgins et al., <i>β-VAE</i> (2017)
      {settings.model === 'vqvae' ? (
        <>
          ; van den Oord et al., <i>Neural Discrete Representation Learning</i> (2017)
        </>
      ) : null}
      .
      {backend ? <p className="backend-reason">Backend {backend.name}: {backend.reason}.</p> : null}
    </footer>
  );
}

export function App() {
  const controller = useMemo(createController, []);
  const tour = useMemo(() => new Tour(browserStorage()), []);
  useEffect(() => () => controller.dispose(), [controller]);
  const dataFailed = useStore(controller.store, (s) => s.data.stage === 'failed');
  // “Your own images” before any are in use: only the images panel has something to show
  const awaitingImages = useStore(controller.store, (s) => s.settings.dataset === 'own' && s.model === null && s.data.stage === 'waiting');
  const dragging = useModelDrop(controller);
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <h1>VAE Playground</h1>
          <p>Train a variational autoencoder in your browser and explore what it learns.</p>
        </div>
        <button type="button" className="tour-reopen" onClick={() => tour.start()} title="The three-step tour: Train, drag the probe, raise β">
          Tour
        </button>
        <Notices controller={controller} />
      </header>
      <TourInvitation tour={tour} />
      <StatusBar controller={controller} />
      <KeepBar controller={controller} />
      <div className="layout">
        <Controls controller={controller} />
        <main className="main">
          <ResumeOffer controller={controller} />
          <ConfirmChange controller={controller} />
          <WorkerFailure controller={controller} />
          <OwnImagesPanel controller={controller} />
          <DataProgress controller={controller} />
          {dataFailed || awaitingImages ? null : (
            <>
              <CoreLoop controller={controller} />
              <ExplainSection controller={controller} />
              <LabTabs controller={controller} />
              <Article controller={controller} />
            </>
          )}
        </main>
      </div>
      <ModelFooter controller={controller} />
      <TourCard tour={tour} />
      {dragging ? <div className="drop-hint">Drop a .vaemodel file to load it (images go in “Your own images”)</div> : null}
    </div>
  );
}
