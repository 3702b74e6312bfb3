/** The Corrupt toggle's damage: seeded noise within [0, 1], a square mask that says where it is. */
import { describe, expect, it } from 'vitest';
import { corruptImages } from '../../../src/data/corruption';

const SIZE = { width: 10, height: 10 };
const images = Float32Array.from({ length: 300 }, (_, i) => (i % 7) / 6);

describe('corruptImages', () => {
  it('none: a copy', () => {
    const out = corruptImages(images, 3, SIZE, 'none');
    expect(out.images).toEqual(images);
    expect(out.images).not.toBe(images);
    expect(out.masked).toBeNull();
  });

  it('noise: every image changed, values stay in [0, 1], the same for the same seed', () => {
    const a = corruptImages(images, 3, SIZE, 'noise', 4);
    expect(a.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.images.filter((v, i) => v !== images[i]).length).toBeGreaterThan(200);
    expect(corruptImages(images, 3, SIZE, 'noise', 4).images).toEqual(a.images);
    expect(corruptImages(images, 3, SIZE, 'noise', 5).images).not.toEqual(a.images);
  });

  it('mask: one 4×4 square of zeros per image, inside it, marked', () => {
    const { images: out, masked } = corruptImages(images, 3, SIZE, 'mask', 2);
    if (!masked) throw new Error('no mask');
    for (let k = 0; k < 3; k++) {
      const marks = Array.from(masked.subarray(k * 100, (k + 1) * 100));
      expect(marks.filter(Boolean).length).toBe(16);
      marks.forEach((m, i) => expect(out[k * 100 + i]).toBe(m ? 0 : images[k * 100 + i]));
    }
  });
});
