/**
 * The scatter's legend: one toggle per class (or per value of a categorical factor) that
 * highlights its dots, or, for an ordered factor, its name over a gradient from its first value
 * to its last.
 */
import { factorEnds, gradientCss, gradientStops } from '../../charts/factorColors';
import type { Coloring } from './coloring';

export interface ScatterLegendProps {
  coloring: Coloring;
  /** How many classes to list under the class colouring. */
  classCount: number;
  classNames: readonly string[];
  colorOf(key: number): string;
  highlight: number | null;
  onToggle(key: number): void;
}

export function ScatterLegend({ coloring, classCount, classNames, colorOf, highlight, onToggle }: ScatterLegendProps) {
  if (coloring.kind === 'factor' && !coloring.categorical) return <FactorGradient name={coloring.name} size={coloring.size} />;
  const count = coloring.kind === 'class' ? classCount : coloring.size;
  const named = coloring.kind === 'class' || coloring.size === classNames.length;
  return (
    <div className="latent-legend" role="group" aria-label={coloring.kind === 'class' ? 'Classes (click to highlight)' : `${coloring.name} (click to highlight)`}>
      {coloring.kind === 'factor' ? <span className="latent-legend-title">{coloring.name}</span> : null}
      {Array.from({ length: count }, (_, key) => (
        <button key={key} type="button" className="latent-legend-item" aria-pressed={highlight === key} onClick={() => onToggle(key)}>
          <span className="latent-swatch" style={{ background: colorOf(key) }} />
          {named ? (classNames[key] ?? String(key)) : String(key)}
        </button>
      ))}
    </div>
  );
}

/** The legend of an ordered factor: its name over a gradient bar from its first value to its last. */
function FactorGradient({ name, size }: { name: string; size: number }) {
  const [low, high] = factorEnds(name, size);
  return (
    <div className="latent-legend latent-gradient-legend" role="img" aria-label={`Colour: ${name}, from ${low} (dark purple) to ${high} (yellow), ${size} values`}>
      <span className="latent-legend-title">{name}</span>
      <span className="latent-gradient-end">{low}</span>
      <span className="latent-gradient" style={{ background: gradientCss(gradientStops(9)) }} />
      <span className="latent-gradient-end">{high}</span>
      <span className="latent-gradient-note">{size} values</span>
    </div>
  );
}
