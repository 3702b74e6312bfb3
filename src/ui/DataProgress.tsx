/** The data set's download progress, or why it failed; nothing once the data is in. */
import type { Controller } from '../state/controller';
import { useStore } from '../state/store';

export function DataProgress({ controller }: { controller: Controller }) {
  const data = useStore(controller.store, (s) => s.data);
  const backend = useStore(controller.store, (s) => s.backend);
  if (data.stage === 'ready') return null;
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
  const label = !backend ? 'Starting the training worker…' : data.totalBytes ? `Loading MNIST: ${(data.loadedBytes / 1e6).toFixed(1)} of ${(data.totalBytes / 1e6).toFixed(1)} MB` : 'Loading MNIST…';
  return (
    <div className="data-banner">
      <span>{label}</span>
      <span className="data-bar" role="progressbar" aria-label="Data loading" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <span style={{ width: `${percent}%` }} />
      </span>
    </div>
  );
}
