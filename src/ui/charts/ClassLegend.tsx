/** The classes' colours, one legend for all the mini scatters of a panel. */
import { classColor } from './colors';
import './charts.css';

/** The labels present in some latent snapshots, ascending. */
export function labelsPresent(snapshots: readonly ({ labels: ArrayLike<number>; count: number } | null | undefined)[]): number[] {
  const seen = new Set<number>();
  for (const s of snapshots) {
    if (!s) continue;
    for (let k = 0; k < s.count; k++) seen.add(s.labels[k]);
  }
  return [...seen].sort((a, b) => a - b);
}

export function ClassLegend({ labels, classNames }: { labels: readonly number[]; classNames: readonly string[] }) {
  return (
    <ul className="mini-legend" aria-label="Classes">
      {labels.map((l) => (
        <li key={l}>
          <span className="mini-swatch" style={{ background: classColor(l) }} />
          {classNames[l] ?? String(l)}
        </li>
      ))}
    </ul>
  );
}
