/** The page's messages as the header shows them (state/notices.ts): none dropped, groups with their list. */
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/state/appState';
import { groupNotices, withNotice } from '../../src/state/notices';

const n = (id: number, text: string, extra: Partial<Notice> = {}): Notice => ({ id, level: 'warning', text, ...extra });

describe('withNotice', () => {
  it('keeps every message, and moves a repeated one to the end', () => {
    let all: Notice[] = [];
    for (let i = 1; i <= 50; i++) all = withNotice(all, n(i, `m${i}`));
    expect(all).toHaveLength(50);
    all = withNotice(all, n(51, 'm1'));
    expect(all.map((x) => x.text).slice(-2)).toEqual(['m50', 'm1']);
    expect(all).toHaveLength(50);
  });
});

describe('groupNotices', () => {
  it('shows messages that came together as one entry with their list, where the newest of them is', () => {
    const notices = [
      n(1, 'z = 9999 is not one of …', { group: 'url-ignored' }),
      n(2, 'seed clamped', { group: 'url-adjusted' }),
      n(3, 'unknown “foo”', { group: 'url-ignored' }),
      n(4, 'the worker said something', { level: 'error' }),
      n(5, 'unknown “bar”', { group: 'url-ignored', level: 'error' }),
    ];
    const entries = groupNotices(notices);
    expect(entries.map((e) => [e.title, e.level, e.items.map((i) => i.id)])).toEqual([
      [null, 'warning', [2]], // a group of one is a plain message
      [null, 'error', [4]],
      ['3 URL parameters were ignored', 'error', [1, 3, 5]],
    ]);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
  });

  it('titles each group by its count', () => {
    const adjusted = [n(1, 'a', { group: 'url-adjusted' }), n(2, 'b', { group: 'url-adjusted' })];
    expect(groupNotices(adjusted).map((e) => e.title)).toEqual(['2 URL parameters were adjusted']);
    expect(groupNotices([])).toEqual([]);
  });
});
