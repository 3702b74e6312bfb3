/**
 * The page's messages. None is dropped: a new one only replaces an identical older one (which
 * moves to the end). Messages about one thing that come together share a group key and are shown
 * as one entry with their list ("5 URL parameters were ignored"); a message may offer an action.
 */
import type { Notice, NoticeActionKind, NoticeGroupKey } from './appState';

/** The title of a group of `count` messages. */
export const NOTICE_GROUP_TITLES: Record<NoticeGroupKey, (count: number) => string> = {
  'url-ignored': (n) => `${n} URL parameters were ignored`,
  'url-adjusted': (n) => `${n} URL parameters were adjusted`,
};

export const NOTICE_ACTION_LABELS: Record<NoticeActionKind, string> = {
  restoreAndHalveLearningRate: 'Restore and halve the learning rate',
};

/** A message with its text, as the controller and the URL reader produce it. */
export interface Message {
  text: string;
  group?: NoticeGroupKey;
}

export function withNotice(notices: readonly Notice[], notice: Notice): Notice[] {
  return [...notices.filter((n) => n.text !== notice.text), notice];
}

/** What the page shows: a message of its own, or a group of them under a title. */
export interface NoticeEntry {
  /** Stable for React: the group key, or the message's id. */
  key: string;
  level: Notice['level'];
  /** The group's title; null for a single message (shown as its own text). */
  title: string | null;
  items: Notice[];
}

const SEVERITY: Record<Notice['level'], number> = { info: 0, warning: 1, error: 2 };

/**
 * The entries in the order of their newest message: a group sits where its newest message is,
 * with every message of it (oldest first) and the most severe level among them.
 */
export function groupNotices(notices: readonly Notice[]): NoticeEntry[] {
  const byGroup = new Map<NoticeGroupKey, Notice[]>();
  for (const n of notices) if (n.group) byGroup.set(n.group, [...(byGroup.get(n.group) ?? []), n]);
  const entries: NoticeEntry[] = [];
  for (const n of notices) {
    const members = n.group ? (byGroup.get(n.group) as Notice[]) : null;
    if (!members || members.length === 1) {
      entries.push({ key: `notice-${n.id}`, level: n.level, title: null, items: [n] });
      continue;
    }
    if (members[members.length - 1] !== n) continue;
    const level = members.reduce<Notice['level']>((worst, m) => (SEVERITY[m.level] > SEVERITY[worst] ? m.level : worst), 'info');
    entries.push({ key: `group-${n.group}`, level, title: NOTICE_GROUP_TITLES[n.group as NoticeGroupKey](members.length), items: members });
  }
  return entries;
}
