/**
 * A user's picture made into an MNIST-like input: ink from any colours, the ink's box scaled to
 * 20 pixels on its longer side, its centre of mass at the centre of 28×28; and a file that is not
 * a PNG or JPEG gets a clear message.
 */
import { describe, expect, it } from 'vitest';
import { centreOfMass, inkBounds, inkFromRgba, layoutFor, normaliseLikeMnist } from '../../../src/data/drawing';
import { imageFileProblem, sniffImageFile } from '../../../src/data/imageFile';

/** A w×h canvas of zeros with the rectangle [x0, x1) × [y0, y1) set to 1. */
function rectangle(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out[y * w + x] = 1;
  return out;
}

function rgba(w: number, h: number, colour: (x: number, y: number) => [number, number, number, number]): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(colour(x, y), 4 * (y * w + x));
  return out;
}

const SIZE_28 = { width: 28, height: 28 };

describe('normaliseLikeMnist', () => {
  it('scales a square of ink anywhere on a big canvas to 20×20, centred in 28×28', () => {
    const ink = rectangle(280, 280, 20, 150, 120, 250);
    const out = normaliseLikeMnist(ink, { width: 280, height: 280 });
    if (!out) throw new Error('no ink found');
    expect(out.length).toBe(784);
    expect(inkBounds(out, SIZE_28, 0.5)).toEqual({ x0: 4, y0: 4, x1: 24, y1: 24 });
    expect(centreOfMass(out, SIZE_28)).toEqual([14, 14]);
    expect(Math.max(...out)).toBeCloseTo(1, 6);
  });

  it('keeps the aspect: a tall bar becomes 20 high and 5 wide, its centre of mass at the centre', () => {
    const ink = rectangle(200, 300, 50, 20, 70, 100); // 20 wide, 80 high
    const out = normaliseLikeMnist(ink, { width: 200, height: 300 });
    if (!out) throw new Error('no ink found');
    const box = inkBounds(out, SIZE_28, 0.5);
    expect(box && [box.x1 - box.x0, box.y1 - box.y0]).toEqual([5, 20]);
    const [cx, cy] = centreOfMass(out, SIZE_28) as [number, number];
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
  });

  it('centres the mass, not the box: a heavy bottom moves the box up', () => {
    // an L: a thin stem and a thick foot; the mass sits low, so the box is placed higher than the middle
    const w = 100;
    const ink = new Float32Array(w * w);
    const set = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * w + x] = 1;
    };
    set(10, 10, 20, 90);
    set(10, 80, 50, 90);
    const out = normaliseLikeMnist(ink, { width: w, height: w }) as Float32Array;
    const [cx, cy] = centreOfMass(out, SIZE_28) as [number, number];
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    const box = inkBounds(out, SIZE_28, 0.5) as { y0: number; y1: number };
    expect(box.y0 + box.y1).toBeLessThan(28); // the box's middle is above the field's
  });

  it('enlarges a small drawing and anti-aliases a shrunk one (grey edges, values in [0, 1])', () => {
    const small = normaliseLikeMnist(rectangle(10, 10, 4, 4, 6, 6), { width: 10, height: 10 }) as Float32Array;
    expect(inkBounds(small, SIZE_28, 0.5)).toEqual({ x0: 4, y0: 4, x1: 24, y1: 24 });
    // stripes every third column of a 31-pixel box, shrunk to 20: averaged into greys, not aliased
    const stripes = new Float32Array(100 * 100);
    for (let y = 0; y < 31; y++) for (let x = 0; x < 31; x += 3) stripes[y * 100 + x] = 1;
    const out = normaliseLikeMnist(stripes, { width: 100, height: 100 }) as Float32Array;
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
    const row = Array.from(out.subarray(14 * 28 + 4, 14 * 28 + 24));
    expect(row.filter((v) => v > 0.05 && v < 0.95).length).toBeGreaterThan(10);
    // the mean ink is kept: a third of the box
    expect(row.reduce((s, v) => s + v, 0) / 20).toBeCloseTo(11 / 31, 1);
  });

  it('returns null when there is no ink; other sides keep MNIST’s proportions', () => {
    expect(normaliseLikeMnist(new Float32Array(100), { width: 10, height: 10 })).toBeNull();
    expect(layoutFor(32)).toEqual({ side: 32, box: 23, threshold: 0.1 });
  });
});

describe('inkFromRgba', () => {
  it('inverts dark ink on a light ground (a scan) and scales the strongest ink to 1', () => {
    const img = rgba(4, 4, (x, y) => (x === 1 && y === 1 ? [20, 20, 20, 255] : x === 2 && y === 2 ? [137, 137, 137, 255] : [250, 250, 250, 255]));
    const ink = inkFromRgba(img, { width: 4, height: 4 });
    expect(ink[5]).toBeCloseTo(1, 6);
    expect(ink[10]).toBeCloseTo((250 - 137) / (250 - 20), 2);
    expect(ink[0]).toBe(0);
  });

  it('keeps light ink on a dark ground, in any colour', () => {
    const img = rgba(4, 4, (x, y) => (x === 2 && y === 1 ? [255, 40, 40, 255] : [0, 0, 30, 255]));
    const ink = inkFromRgba(img, { width: 4, height: 4 });
    expect(ink[6]).toBeCloseTo(1, 6);
    expect(ink[0]).toBe(0);
  });

  it('reads the opaque strokes of a transparent picture as ink', () => {
    const img = rgba(4, 4, (x) => (x === 3 ? [0, 0, 0, 255] : [0, 0, 0, 0]));
    expect(Array.from(inkFromRgba(img, { width: 4, height: 4 }).subarray(0, 4))).toEqual([0, 0, 0, 1]);
  });

  it('a flat picture has no ink', () => {
    const img = rgba(3, 3, () => [128, 128, 128, 255]);
    expect(inkFromRgba(img, { width: 3, height: 3 }).every((v) => v === 0)).toBe(true);
  });
});

describe('dropped files', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  const text = (s: string) => new TextEncoder().encode(s);

  it('takes PNG and JPEG by their signatures', () => {
    expect(sniffImageFile(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('png');
    expect(sniffImageFile(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg');
    expect(imageFileProblem('digit.png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBeNull();
  });

  it('gives a clear message for anything else, saying what it seems to be', () => {
    expect(imageFileProblem('notes.txt', text('a shopping list\n'))).toBe(
      '“notes.txt” is not a PNG or JPEG image (it looks like text). Drop a PNG or JPEG picture of a digit, or draw one.',
    );
    expect(imageFileProblem('paper.pdf', text('%PDF-1.7'))).toMatch(/not a PNG or JPEG image \(it is a PDF\)/);
    expect(imageFileProblem('anim.gif', text('GIF89a'))).toMatch(/it is a GIF/);
    expect(imageFileProblem('logo.svg', text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'))).toMatch(/SVG drawing/);
    expect(imageFileProblem('empty.png', new Uint8Array(0))).toMatch(/it is empty/);
    // a PNG by name only is still refused
    expect(imageFileProblem('fake.png', bytes(0, 1, 2, 3, 250, 251))).toMatch(/not a PNG or JPEG image/);
  });
});
