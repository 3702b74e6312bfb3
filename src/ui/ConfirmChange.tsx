/** Asks before a setting change throws away a trained model. */
import type { Controller } from '../state/controller';
import { useStore } from './hooks/useStore';

export function ConfirmChange({ controller }: { controller: Controller }) {
  const pending = useStore(controller.store, (s) => s.pendingChange);
  if (!pending) return null;
  return (
    <div className="confirm" role="alertdialog" aria-label="Discard the trained model?">
      <span>{pending.description}</span>
      <button type="button" className="primary" onClick={() => controller.confirmPendingChange()}>
        Discard and rebuild
      </button>
      <button type="button" onClick={() => controller.cancelPendingChange()}>
        Keep current model
      </button>
    </div>
  );
}
