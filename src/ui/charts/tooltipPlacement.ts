/** Where a chart's tooltip goes: beside its anchor, inside the chart. Pure functions. */

/**
 * The start (left or top) of a tip `size` long beside an anchor at `anchor`, within [0, bound]:
 * after the anchor by `gap`, else before it, else centred on it and clamped.
 */
export function placeBeside(anchor: number, size: number, bound: number, gap: number): number {
  let start = anchor + gap;
  if (start + size > bound) start = anchor - gap - size;
  if (start < 0) start = clampInto(anchor - size / 2, size, bound);
  return start;
}

/** `start` moved so that [start, start + size] stays within [0, bound] (the start wins when it cannot). */
export function clampInto(start: number, size: number, bound: number): number {
  return Math.max(0, Math.min(bound - size, start));
}
