/**
 * The page: header, Train/Step/Reset with live figures, the settings sidebar, the core loop
 * (latent space, decoded point, decoder grid, loss curves) and the labs in tabs below it. It
 * holds one Controller (the worker's owner) for its lifetime.
 */
import { useEffect, useMemo } from 'react';
import { FAMILIES, networkOf } from '../core/models/catalog';
import { Controller } from '../state/controller';
import { modelConfigOf, settingsFromUrl } from '../state/settings';
import { ConfirmChange } from './ConfirmChange';
import { Controls } from './controls/Controls';
import { DataProgress } from './DataProgress';
import { formatCount } from './format';
import { useStore } from './hooks/useStore';
import { CoreLoop } from './layout/CoreLoop';
import { LabTabs } from './layout/LabTabs';
import { Notices } from './Notices';
import { StatusBar } from './StatusBar';
import './app.css';

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

function ModelFooter({ controller }: { controller: Controller }) {
  const settings = useStore(controller.store, (s) => s.settings);
  const model = useStore(controller.store, (s) => s.model);
  const family = FAMILIES[settings.model];
  const config = modelConfigOf(settings);
  return (
    <footer className="app-footer">
      Model: {family.label} ({networkOf(config.network).summary(config)})
      {model ? `, ${formatCount(model.parameterCount)} parameters` : ''}, Adam, trained in a Web Worker. Kingma &amp; Welling,{' '}
      <i>Auto-Encoding Variational Bayes</i> (2014); Higgins et al., <i>β-VAE</i> (2017).
    </footer>
  );
}

export function App() {
  const controller = useMemo(createController, []);
  useEffect(() => () => controller.dispose(), [controller]);
  const dataFailed = useStore(controller.store, (s) => s.data.stage === 'failed');
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
        <main className="main">
          <DataProgress controller={controller} />
          {dataFailed ? null : (
            <>
              <CoreLoop controller={controller} />
              <LabTabs controller={controller} />
            </>
          )}
        </main>
      </div>
      <ModelFooter controller={controller} />
    </div>
  );
}
