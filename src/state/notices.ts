/** The page's messages: a new one replaces an identical older one; the last few are kept. */
import type { Notice } from './appState';

export const NOTICES_KEPT = 4;

export function withNotice(notices: readonly Notice[], notice: Notice): Notice[] {
  return [...notices.filter((n) => n.text !== notice.text), notice].slice(-NOTICES_KEPT);
}
