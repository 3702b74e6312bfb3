/**
 * How the scatter's dots are coloured: by class, or by one ground-truth factor (a column of the
 * points' factors, with that factor's palette). Pure.
 */
import { classColor } from '../../charts/colors';
import { factorColumn, factorPalette, isCategoricalFactor, type FactorInfo } from '../../charts/factorColors';

export type Coloring = { kind: 'class' } | { kind: 'factor'; factor: number; name: string; size: number; categorical: boolean };

const UNKNOWN = '#8a93a3';

/** The colouring for a "colour by" choice ("class" or a factor's name), class when the factor is not there. */
export function coloringFor(colorBy: string, factorInfo: FactorInfo | null | undefined, hasFactors: boolean): Coloring {
  const f = hasFactors && factorInfo ? factorInfo.names.indexOf(colorBy) : -1;
  if (f < 0 || !factorInfo) return { kind: 'class' };
  const name = factorInfo.names[f];
  return { kind: 'factor', factor: f, name, size: factorInfo.sizes[f], categorical: isCategoricalFactor(name) };
}

/** The name of a colouring, as the "colour by" select and the highlight remember it. */
export function coloringName(coloring: Coloring): string {
  return coloring.kind === 'class' ? 'class' : coloring.name;
}

/** Each point's colour key: its class label, or its value of the factor. */
export function colorKeys(coloring: Coloring, labels: ArrayLike<number>, pointFactors: Uint16Array | null | undefined, factorInfo: FactorInfo | null | undefined, count: number): ArrayLike<number> {
  if (coloring.kind === 'factor' && pointFactors && factorInfo) return factorColumn(pointFactors, count, factorInfo.names.length, coloring.factor);
  return labels;
}

/** The colour of a key under a colouring. */
export function colorOfKey(coloring: Coloring): (key: number) => string {
  if (coloring.kind === 'class') return classColor;
  const palette = factorPalette(coloring.name, coloring.size);
  return (key) => palette[key] ?? UNKNOWN;
}

/** How many classes to list: the names given, or one more than the largest label. */
export function classCount(labels: ArrayLike<number>, count: number, named: number): number {
  let max = -1;
  for (let k = 0; k < count; k++) if (labels[k] > max) max = labels[k];
  return Math.max(named, max + 1);
}
