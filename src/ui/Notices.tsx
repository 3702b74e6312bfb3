/** Messages from validation, the worker and recovery, each dismissable. */
import type { Controller } from '../state/controller';
import { useStore } from './hooks/useStore';

export function Notices({ controller }: { controller: Controller }) {
  const notices = useStore(controller.store, (s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Messages">
      {notices.map((n) => (
        <li key={n.id} className={`notice notice-${n.level}`} role={n.level === 'error' ? 'alert' : undefined}>
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss message" onClick={() => controller.dismissNotice(n.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
