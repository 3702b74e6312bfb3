import { describe, expect, it } from 'vitest';
import { mosaicLayout, sequentialTiles, tileBox } from '../../src/ui/charts/mosaic';
import { clampInto, placeBeside } from '../../src/ui/charts/tooltipPlacement';

describe('mosaic layout', () => {
  it('fits whole device pixels per cell into the room, height in proportion', () => {
    const layout = mosaicLayout({ rows: 15, cols: 15, image: { width: 28, height: 28 }, room: 400, dpr: 2 });
    expect(layout.cellW).toBe(Math.floor(800 / 15));
    expect(Number.isInteger(layout.cellH)).toBe(true);
    expect(layout.width).toBe((layout.cellW * 15) / 2);
    expect(layout.width).toBeLessThanOrEqual(400);
  });

  it('keeps gaps out of the cells and places tiles by row and column', () => {
    const layout = mosaicLayout({ rows: 2, cols: 3, image: { width: 32, height: 16 }, room: 100, gapX: 1, gapY: 3, dpr: 1 });
    expect(layout.cellW).toBe(Math.floor((100 - 2) / 3));
    expect(layout.cellH).toBe(Math.round(layout.cellW / 2));
    expect(layout.width).toBe(3 * layout.cellW + 2);
    expect(layout.height).toBe(2 * layout.cellH + 3);
    expect(tileBox(layout, 1, 2)).toEqual({ x: 2 * (layout.cellW + 1), y: layout.cellH + 3, width: layout.cellW, height: layout.cellH });
  });

  it('takes a fixed cell size instead of a room', () => {
    const layout = mosaicLayout({ rows: 1, cols: 1, image: { width: 28, height: 28 }, cell: 56, dpr: 1.5 });
    expect(layout.cellW).toBe(84);
    expect(layout.width).toBe(56);
    expect([...sequentialTiles(3)]).toEqual([0, 1, 2]);
  });
});

describe('tooltip placement', () => {
  it('goes after the anchor, else before it, else centred and clamped', () => {
    expect(placeBeside(100, 50, 400, 12)).toBe(112);
    expect(placeBeside(380, 50, 400, 12)).toBe(318);
    expect(placeBeside(30, 50, 70, 12)).toBe(5);
    expect(placeBeside(10, 500, 400, 12)).toBe(0);
    expect(clampInto(390, 50, 400)).toBe(350);
    expect(clampInto(-4, 50, 400)).toBe(0);
  });
});
