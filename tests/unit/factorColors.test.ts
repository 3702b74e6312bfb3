import { describe, expect, it } from 'vitest';
import { interpolateViridis } from 'd3';
import { classColor } from '../../src/ui/charts/colors';
import {
  describeFactors,
  factorColor,
  factorColumn,
  factorEnds,
  factorFraction,
  factorPalette,
  factorsFit,
  factorValueText,
  gradientCss,
  gradientStops,
  isCategoricalFactor,
  SEQUENTIAL_RANGE,
  sequentialColor,
} from '../../src/ui/charts/factorColors';

const SHAPES = { names: ['shape', 'scale', 'orientation', 'x', 'y'], sizes: [3, 6, 40, 32, 32] };
const SHAPE_NAMES = ['square', 'ellipse', 'heart'];

/** Relative luminance of an "rgb(r, g, b)" or "#rrggbb" colour (rough, sRGB without gamma). */
function luminance(color: string): number {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(color);
  const [r, g, b] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [parseInt(color.slice(1, 3), 16), parseInt(color.slice(3, 5), 16), parseInt(color.slice(5, 7), 16)];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe('factorFraction', () => {
  it('maps value index v of n values to v / (n − 1)', () => {
    expect(factorFraction(0, 6)).toBe(0);
    expect(factorFraction(5, 6)).toBe(1);
    expect(factorFraction(2, 5)).toBe(0.5);
    expect(factorFraction(12, 40)).toBeCloseTo(12 / 39, 12);
  });

  it('clamps out-of-range values and gives single-valued or bad sizes the middle', () => {
    expect(factorFraction(-3, 6)).toBe(0);
    expect(factorFraction(9, 6)).toBe(1);
    expect(factorFraction(0, 1)).toBe(0.5);
    expect(factorFraction(0, 0)).toBe(0.5);
    expect(factorFraction(Number.NaN, 6)).toBe(0.5);
  });
});

describe('sequentialColor and factorColor', () => {
  it('is viridis over SEQUENTIAL_RANGE: dark at 0, light (but not the palest yellow) at 1', () => {
    expect(sequentialColor(0)).toBe(interpolateViridis(SEQUENTIAL_RANGE[0]));
    expect(sequentialColor(1)).toBe(interpolateViridis(SEQUENTIAL_RANGE[1]));
    expect(sequentialColor(1)).not.toBe(interpolateViridis(1));
    expect(luminance(sequentialColor(0))).toBeLessThan(0.2);
    expect(luminance(sequentialColor(1))).toBeGreaterThan(0.6);
  });

  it('gets lighter as the value grows (an ordered scale)', () => {
    const lum = Array.from({ length: 6 }, (_, v) => luminance(factorColor('scale', v, 6)));
    for (let v = 1; v < lum.length; v++) expect(lum[v]).toBeGreaterThan(lum[v - 1]);
  });

  it('clamps its input', () => {
    expect(sequentialColor(-1)).toBe(sequentialColor(0));
    expect(sequentialColor(2)).toBe(sequentialColor(1));
  });

  it('colours the categorical shape factor with the class palette', () => {
    expect(isCategoricalFactor('shape')).toBe(true);
    expect(isCategoricalFactor('scale')).toBe(false);
    for (let v = 0; v < 3; v++) expect(factorColor('shape', v, 3)).toBe(classColor(v));
  });

  it('factorPalette lists every value\'s colour', () => {
    const palette = factorPalette('orientation', 40);
    expect(palette).toHaveLength(40);
    expect(palette[0]).toBe(sequentialColor(0));
    expect(palette[39]).toBe(sequentialColor(1));
    expect(new Set(palette).size).toBeGreaterThan(30);
    expect(factorPalette('shape', 3)).toEqual([classColor(0), classColor(1), classColor(2)]);
  });
});

describe('gradientStops and gradientCss', () => {
  it('spreads the stops evenly from 0 to 1 with the scale\'s colours', () => {
    const stops = gradientStops(5);
    expect(stops.map((s) => s.offset)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(stops[0].color).toBe(sequentialColor(0));
    expect(stops[4].color).toBe(sequentialColor(1));
    expect(gradientStops(1)).toHaveLength(2);
  });

  it('writes a CSS linear-gradient with percentage stops', () => {
    const css = gradientCss([
      { offset: 0, color: '#000000' },
      { offset: 1 / 3, color: 'rgb(1, 2, 3)' },
      { offset: 1, color: '#ffffff' },
    ]);
    expect(css).toBe('linear-gradient(to right, #000000 0%, rgb(1, 2, 3) 33.33%, #ffffff 100%)');
    expect(gradientCss(gradientStops(2), 'to top')).toMatch(/^linear-gradient\(to top, /);
  });
});

describe('describing factors', () => {
  it('names categories, gives positions as indices and ordinal values as ranks', () => {
    expect(factorValueText('shape', 2, 3, SHAPE_NAMES)).toBe('heart');
    expect(factorValueText('shape', 1, 3)).toBe('1');
    expect(factorValueText('x', 5, 32)).toBe('5');
    expect(factorValueText('scale', 2, 6)).toBe('3/6');
    expect(factorValueText('orientation', 11, 40)).toBe('12/40');
  });

  it('joins a point\'s factors in one line', () => {
    expect(describeFactors([2, 2, 11, 5, 30], SHAPES, SHAPE_NAMES)).toBe('shape heart · scale 3/6 · orientation 12/40 · x 5 · y 30');
    expect(describeFactors([0, 0], { names: ['a', 'b'], sizes: [4, 2] })).toBe('a 1/4 · b 1/2');
  });

  it('labels the ends of known scales in words', () => {
    expect(factorEnds('scale', 6)).toEqual(['small', 'large']);
    expect(factorEnds('orientation', 40)).toEqual(['0°', '351°']);
    expect(factorEnds('x', 32)).toEqual(['left', 'right']);
    expect(factorEnds('y', 32)).toEqual(['top', 'bottom']);
    expect(factorEnds('brightness', 8)).toEqual(['1', '8']);
  });
});

describe('factorColumn and factorsFit', () => {
  const values = Uint16Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]); // 4 points × 3 factors

  it('extracts one factor of every point', () => {
    expect(Array.from(factorColumn(values, 4, 3, 0))).toEqual([0, 10, 20, 30]);
    expect(Array.from(factorColumn(values, 4, 3, 2))).toEqual([2, 12, 22, 32]);
    expect(Array.from(factorColumn(values, 4, 3, 3))).toEqual([0, 0, 0, 0]);
  });

  it('checks that the factors match the points', () => {
    const info = { names: ['a', 'b', 'c'], sizes: [40, 40, 40] };
    expect(factorsFit(values, info, 4)).toBe(true);
    expect(factorsFit(values, info, 5)).toBe(false);
    expect(factorsFit(null, info, 4)).toBe(false);
    expect(factorsFit(values, null, 4)).toBe(false);
    expect(factorsFit(values, { names: ['a', 'b', 'c'], sizes: [40, 40] }, 4)).toBe(false);
  });
});
