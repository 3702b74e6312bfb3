/**
 * The latent scatter in words, for screen readers (the points are drawn on a canvas): how many
 * points, along which axes and over what range, what the colours mean and where each colour's
 * points sit on average. Pure: from the projected coordinates the panel draws.
 */

/** Colour groups described one by one up to this many; beyond, only their number. */
const MAX_GROUPS = 12;

export interface ScatterDescription {
  /** Row-major [count, 2] projected coordinates. */
  xy: ArrayLike<number>;
  count: number;
  /** Each point's colour key (its class, or a factor's value). */
  keys: ArrayLike<number>;
  keyName(key: number): string;
  /** What the colours show ("class", "scale"). */
  colouredBy: string;
  xLabel: string;
  yLabel: string;
}

function short(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}

export function describeScatter(d: ScatterDescription): string {
  if (d.count === 0) return 'The latent space: no points yet.';
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  const sums = new Map<number, { x: number; y: number; n: number }>();
  for (let i = 0; i < d.count; i++) {
    const x = d.xy[2 * i];
    const y = d.xy[2 * i + 1];
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
    const s = sums.get(d.keys[i]) ?? { x: 0, y: 0, n: 0 };
    s.x += x;
    s.y += y;
    s.n += 1;
    sums.set(d.keys[i], s);
  }
  const head = `${d.count.toLocaleString('en-US')} test points, their posterior means along ${d.xLabel} (${short(xMin)} to ${short(xMax)}) and ${d.yLabel} (${short(yMin)} to ${short(yMax)}), coloured by ${d.colouredBy}.`;
  if (sums.size > MAX_GROUPS) return `${head} ${sums.size} colours.`;
  const centres = [...sums.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, s]) => `${d.keyName(key)} at (${short(s.x / s.n)}, ${short(s.y / s.n)})`);
  return `${head} Average position by ${d.colouredBy}: ${centres.join('; ')}.`;
}
