/**
 * Messages from validation, the worker and recovery. None is dropped: the newest few show, the
 * earlier ones wait behind a disclosure; messages that came together are one line with their
 * list; a message may offer an action (after a divergence: restore and halve the learning rate).
 * Long texts wrap: the header never grows wider than the window.
 */
import { useMemo } from 'react';
import type { Notice } from '../state/appState';
import type { Controller } from '../state/controller';
import { groupNotices, NOTICE_ACTION_LABELS, type NoticeEntry } from '../state/notices';
import { useStore } from './hooks/useStore';

/** Entries shown without opening "earlier messages". */
const SHOWN = 3;

function NoticeText({ notice, controller }: { notice: Notice; controller: Controller }) {
  return (
    <>
      <span className="notice-text">{notice.text}</span>
      {notice.action ? (
        <button type="button" className="notice-action" onClick={() => controller.runNoticeAction(notice.id)}>
          {NOTICE_ACTION_LABELS[notice.action]}
        </button>
      ) : null}
    </>
  );
}

function Entry({ entry, controller }: { entry: NoticeEntry; controller: Controller }) {
  const dismiss = () => entry.items.forEach((n) => controller.dismissNotice(n.id));
  return (
    <li className={`notice notice-${entry.level}`}>
      {/* an error is announced as it comes; the rest politely */}
      <div className="notice-body" role={entry.level === 'error' ? 'alert' : 'status'}>
        {entry.title === null ? (
          <NoticeText notice={entry.items[0]} controller={controller} />
        ) : (
          <details className="notice-group" open>
            <summary>{entry.title}</summary>
            <ul>
              {entry.items.map((n) => (
                <li key={n.id}>
                  <NoticeText notice={n} controller={controller} />
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
      <button type="button" className="notice-dismiss" aria-label={entry.title === null ? 'Dismiss message' : `Dismiss the ${entry.items.length} messages`} onClick={dismiss}>
        ×
      </button>
    </li>
  );
}

export function Notices({ controller }: { controller: Controller }) {
  const notices = useStore(controller.store, (s) => s.notices);
  const entries = useMemo(() => groupNotices(notices), [notices]);
  if (entries.length === 0) return null;
  const earlier = entries.slice(0, -SHOWN);
  const shown = entries.slice(-SHOWN);
  return (
    <section className="notices" aria-label="Messages">
      {earlier.length ? (
        <details className="notices-earlier">
          <summary>
            {earlier.length} earlier {earlier.length === 1 ? 'message' : 'messages'}
          </summary>
          <ul className="notice-list">
            {earlier.map((e) => (
              <Entry key={e.key} entry={e} controller={controller} />
            ))}
          </ul>
        </details>
      ) : null}
      <ul className="notice-list">
        {shown.map((e) => (
          <Entry key={e.key} entry={e} controller={controller} />
        ))}
      </ul>
      {entries.length > 1 ? (
        <button type="button" className="notices-clear" onClick={() => controller.dismissAllNotices()}>
          Dismiss all
        </button>
      ) : null}
    </section>
  );
}
