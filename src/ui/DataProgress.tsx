/** The data set's download progress, or why it failed; nothing once the data is in. */
import type { Controller } from '../state/controller';
import { useStore } from './hooks/useStore';
import { DATASETS } from '../data/catalog';
import { formatCount, formatMegabytes } from './format';

/** Downloads count bytes; a generated data set (Shapes) counts images. */
function progressLabel(started: boolean, name: string, step: string, done: number, total: number): string {
  if (!started) return 'Starting the training worker…';
  if (step === 'generate') return total ? `Generating ${name}: ${formatCount(done)} of ${formatCount(total)} images` : `Generating ${name}…`;
  if (step === 'decode') return `Decoding ${name}…`;
  return total ? `Loading ${name}: ${formatMegabytes(done)} of ${formatMegabytes(total)} MB` : `Loading ${name}…`;
}

export function DataProgress({ controller }: { controller: Controller }) {
  const data = useStore(controller.store, (s) => s.data);
  const backend = useStore(controller.store, (s) => s.backend);
  const dataset = useStore(controller.store, (s) => s.settings.dataset);
  if (data.stage === 'ready') return null;
  // your own images: the images panel asks for them; nothing loads until they are chosen
  if (dataset === 'own' && data.stage === 'waiting') return null;
  if (data.stage === 'failed') {
    return (
      <div className="data-banner data-failed" role="alert">
        <b>The data set could not be loaded.</b> {data.error}
        <button type="button" onClick={() => window.location.reload()}>
          Try again
        </button>
      </div>
    );
  }
  const percent = data.totalBytes ? Math.min(100, Math.round((data.loadedBytes / data.totalBytes) * 100)) : 0;
  const label = progressLabel(Boolean(backend), DATASETS[dataset].name, data.step, data.loadedBytes, data.totalBytes);
  return (
    <div className="data-banner">
      <span>{label}</span>
      <span className="data-bar" role="progressbar" aria-label="Data loading" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <span style={{ width: `${percent}%` }} />
      </span>
    </div>
  );
}
