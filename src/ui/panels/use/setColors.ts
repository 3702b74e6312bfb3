/** One colour per scored set: the test set blue (filled), the out-of-distribution sets apart from it. */
import type { ScoredSet } from '../../../worker/protocol';

const COLORS: Record<ScoredSet['id'], string> = {
  test: '#4e79a7',
  'other-data': '#f28e2b',
  noise: '#59a14f',
  inverted: '#b07aa1',
  'held-out': '#e15759',
};

export function setColor(id: ScoredSet['id']): string {
  return COLORS[id];
}
