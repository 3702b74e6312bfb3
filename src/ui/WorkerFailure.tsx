/** When the training worker kept dying and the page gave up on it: why, and the way out. */
import type { Controller } from '../state/controller';
import { useStore } from './hooks/useStore';

export function WorkerFailure({ controller }: { controller: Controller }) {
  const reason = useStore(controller.store, (s) => s.workerFailure);
  if (!reason) return null;
  return (
    <div className="data-banner data-failed" role="alert">
      <b>The training worker keeps stopping.</b> The last time: {reason}.
      <button type="button" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </div>
  );
}
