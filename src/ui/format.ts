/** Numbers as the page shows them: nats with one decimal, '–' when unknown. */
export function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return '–';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace('-', '−');
}
