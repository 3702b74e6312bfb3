/**
 * Your own images, the parts that need no browser: telling a PNG or a JPEG (and its size) from
 * anything else, grey levels, the dark background, the fit into the square on hand-worked cases,
 * labels from folders, the seeded split, and the importer with a stand-in decoder (a PNG, a
 * JPEG, a non-image, a huge image, a folder with labels, a zip, the 20,000 limit). The real
 * decoding (createImageBitmap) is in the browser test.
 */
import { describe, expect, it } from 'vitest';
import { writeZip } from '../../src/core/io/zipWriter';
import { labelsFromPaths } from '../../src/data/own/labels';
import { OWN_IMAGE_LIMITS, ownDataset, ownImagesProblem, testIndices } from '../../src/data/own/ownDataset';
import { borderMean, darkenBackground, fitToSquare, greyFromRgba, trainingImage } from '../../src/data/own/pixels';
import { sniffImage } from '../../src/data/own/sniff';
import type { ImageDecoder } from '../../src/state/ownImages/decode';
import { OwnImagesImporter } from '../../src/state/ownImages/importer';
import { zipSources, type ImageSource } from '../../src/state/ownImages/sources';
import { expectAllClose } from './helpers/tf';

/** The first bytes of a PNG of the given size (signature and IHDR chunk). */
function pngHeader(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  b.set([8, 0, 0, 0, 0], 24);
  return b;
}

/** A JPEG's start: SOI, an APP0 segment, then a baseline frame header with the size. */
function jpegHeader(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [0xff, 0xc0, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof]);
}

const source = (path: string, bytes: Uint8Array): ImageSource => ({ path, size: bytes.length, read: async () => bytes });

/** A stand-in decoder: the picture is uniformly the grey level encoded in the file's last byte. */
const fakeDecoder: ImageDecoder = async (bytes, width, height, side) => {
  const level = bytes[bytes.length - 1] / 255;
  const rgba = new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : Math.round(level * 255)));
  return trainingImage(rgba, width, height, side);
};

function withLevel(header: Uint8Array, level: number): Uint8Array {
  return new Uint8Array([...header, level]);
}

describe('sniffing a file', () => {
  it('knows a PNG and a JPEG with their sizes, and names what else it is', () => {
    expect(sniffImage(pngHeader(640, 480))).toEqual({ kind: 'png', width: 640, height: 480 });
    expect(sniffImage(jpegHeader(3000, 2000))).toEqual({ kind: 'jpeg', width: 3000, height: 2000 });
    expect(sniffImage(new TextEncoder().encode('just some notes\n'))).toEqual({ kind: 'other', what: 'a text file' });
    expect(sniffImage(new TextEncoder().encode('GIF89a....'))).toEqual({ kind: 'other', what: 'a GIF image' });
    expect(sniffImage(new TextEncoder().encode('<?xml version="1.0"?><svg></svg>'))).toEqual({ kind: 'other', what: 'an SVG drawing' });
    expect(sniffImage(new Uint8Array(0))).toEqual({ kind: 'other', what: 'empty' });
    expect(sniffImage(pngHeader(1, 1).subarray(0, 14)).kind).toBe('other');
  });
});

describe('from pixels to a training image', () => {
  it('makes grey levels by luma, transparency counting as white', () => {
    const rgba = new Uint8Array([255, 255, 255, 255, 255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128]);
    expectAllClose(greyFromRgba(rgba, 4, 1), [1, 0.299, 1, 1 - 128 / 255], 1e-6);
  });

  it('makes a light background dark, and leaves a dark one', () => {
    // a 3×3 white picture with a black centre: the border is white
    const light = Float32Array.from([1, 1, 1, 1, 0, 1, 1, 1, 1]);
    expect(borderMean(light, 3, 3)).toBe(1);
    expect(darkenBackground(light, 3, 3)).toBe(true);
    expect(Array.from(light)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(darkenBackground(light, 3, 3)).toBe(false);
  });

  it('halves a 56×56 picture into 28×28 by averaging 2×2 blocks', () => {
    const grey = Float32Array.from({ length: 56 * 56 }, (_, i) => ((i % 56) + Math.floor(i / 56)) % 4 / 3);
    const out = fitToSquare(grey, 56, 56, 28);
    const at = (x: number, y: number) => grey[y * 56 + x];
    for (const [x, y] of [[0, 0], [5, 9], [27, 27]]) {
      expect(out[y * 28 + x]).toBeCloseTo((at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1)) / 4, 6);
    }
  });

  it('keeps the aspect and centres: a 10×20 picture becomes 14×28 with 7 dark columns either side', () => {
    const out = fitToSquare(new Float32Array(200).fill(1), 10, 20, 28);
    const row = Array.from(out.subarray(14 * 28, 15 * 28));
    expect(row).toEqual([...new Array(7).fill(0), ...new Array(14).fill(1), ...new Array(7).fill(0)]);
    expect(out.reduce((a, b) => a + b, 0)).toBe(14 * 28);
  });

  it('scales up a small picture, and a 3×1 stripe lands in the middle rows of the square', () => {
    expect(Array.from(fitToSquare(Float32Array.from([0.5]), 1, 1, 4))).toEqual(new Array(16).fill(0.5));
    const out = fitToSquare(Float32Array.from([0, 1, 0]), 3, 1, 6);
    expect(Array.from(out.subarray(0, 12))).toEqual(new Array(12).fill(0));
    expect(Array.from(out.subarray(12, 18))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(out.subarray(18, 24))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(out.subarray(24))).toEqual(new Array(12).fill(0));
  });

  it('shrinks a huge picture by a non-whole factor without losing its mean', () => {
    const grey = Float32Array.from({ length: 300 * 200 }, (_, i) => (i * 7919) % 101 / 100);
    const mean = grey.reduce((a, b) => a + b, 0) / grey.length;
    const out = fitToSquare(grey, 300, 200, 28);
    // 28 × 19 box (200·28/300 = 18.7 → 19), centred: rows 4…22
    const box = Array.from(out.subarray(4 * 28, 23 * 28));
    expect(box.reduce((a, b) => a + b, 0) / box.length).toBeCloseTo(mean, 1);
    expect(Array.from(out.subarray(0, 4 * 28)).every((v) => v === 0)).toBe(true);
  });
});

describe('labels from folders', () => {
  it('takes the folder below the common one; loose images are unsorted; no folders, one class', () => {
    expect(labelsFromPaths(['pets/cats/1.png', 'pets/dogs/2.png', 'pets/cats/3.png'])).toEqual({ classNames: ['cats', 'dogs'], labels: [0, 1, 0] });
    expect(labelsFromPaths(['a.png', 'b.jpg'])).toEqual({ classNames: ['images'], labels: [0, 0] });
    expect(labelsFromPaths(['set/a.png', 'set/b.jpg'])).toEqual({ classNames: ['images'], labels: [0, 0] });
    expect(labelsFromPaths(['d/10/x.png', 'd/9/y.png', 'd/z.png'])).toEqual({ classNames: ['9', '10', 'unsorted'], labels: [1, 0, 2] });
    expect(labelsFromPaths(['d/a/deep/x.png', 'd/b/y.png'])).toEqual({ classNames: ['a', 'b'], labels: [0, 1] });
  });
});

describe('the data set of your own images', () => {
  it('holds out a tenth (at least one), the same ones every time, and scales the bytes to [0, 1]', () => {
    expect(testIndices(2).size).toBe(1);
    expect(testIndices(100).size).toBe(10);
    expect([...testIndices(100)]).toEqual([...testIndices(100)]);
    const count = 20;
    const images = { name: 'mine', side: 28, classNames: ['a', 'b'], pixels: Uint8Array.from({ length: count * 784 }, (_, i) => Math.floor(i / 784) * 10), labels: Uint8Array.from({ length: count }, (_, i) => i % 2), count };
    const d = ownDataset(images);
    expect(d).toMatchObject({ id: 'own', name: 'mine', shape: { width: 28, height: 28, channels: 1 }, classNames: ['a', 'b'] });
    expect(d.train.count + d.test.count).toBe(20);
    expect(d.test.count).toBe(2);
    const first = [...testIndices(20)].sort((a, b) => a - b)[0];
    expect(d.test.images[0]).toBeCloseTo((first * 10) / 255, 6);
    expect(d.test.labels[0]).toBe(first % 2);
    expect(ownImagesProblem({ ...images, side: 30 })).toMatch(/side must be one of 28, 32/);
    expect(ownImagesProblem({ ...images, count: 1, pixels: images.pixels.subarray(0, 784), labels: images.labels.subarray(0, 1) })).toMatch(/2 to 20,000 images/);
    expect(ownImagesProblem({ ...images, labels: images.labels.map(() => 5) })).toMatch(/not one of the classes/);
  });
});

describe('the importer', () => {
  it('reads a PNG and a JPEG, refuses a non-image and a huge image with reasons, and labels by folder', async () => {
    let decoded = 0;
    const counting: ImageDecoder = async (...args) => {
      decoded += 1;
      return fakeDecoder(...args);
    };
    const importer = new OwnImagesImporter(counting);
    const summary = await importer.add({
      sources: [
        source('shapes/circles/a.png', withLevel(pngHeader(64, 48), 200)),
        source('shapes/squares/b.jpg', withLevel(jpegHeader(30, 30), 30)),
        source('shapes/squares/notes.txt', new TextEncoder().encode('not a picture')),
        source('shapes/circles/huge.png', withLevel(pngHeader(20_000, 20_000), 10)),
        source('shapes/circles/c.png', withLevel(pngHeader(28, 28), 255)),
      ],
      unreadable: [],
    });
    expect(decoded).toBe(3); // the text and the huge picture are never decoded
    expect(summary).toMatchObject({ name: 'your images (shapes)', side: 28, count: 3, classNames: ['circles', 'squares'], perClass: [2, 1], leftOut: 0 });
    expect(summary?.skipped).toEqual([
      { path: 'shapes/squares/notes.txt', reason: 'not a PNG or JPEG image (a text file)' },
      { path: 'shapes/circles/huge.png', reason: '20,000×20,000 pixels is more than the 40 megapixels allowed' },
    ]);
    // a light picture (level 200) had its background made dark; the dark one (30) did not
    expect(summary?.inverted).toBe(2);
    expect(summary?.preview[14 * 28 + 14]).toBe(Math.round((1 - 200 / 255) * 255));
    const payload = importer.payload();
    expect(payload).toMatchObject({ side: 28, count: 3, classNames: ['circles', 'squares'] });
    expect(Array.from(payload!.labels)).toEqual([0, 1, 0]);
    expect(ownImagesProblem(payload)).toBeNull();
    // the same files at 32×32
    const bigger = await importer.setSide(32);
    expect(bigger?.side).toBe(32);
    expect(importer.payload()?.pixels.length).toBe(3 * 32 * 32);
  });

  it('reads the images of a zip, with its folders as classes', async () => {
    const zip = writeZip([
      { name: 'digits/0/a.png', data: withLevel(pngHeader(28, 28), 0) },
      { name: 'digits/1/b.png', data: withLevel(pngHeader(28, 28), 0) },
      { name: 'digits/1/c.png', data: withLevel(pngHeader(28, 28), 0) },
      { name: '__MACOSX/digits/._a.png', data: new Uint8Array([0, 5, 22, 7]) },
    ]);
    const importer = new OwnImagesImporter(fakeDecoder);
    const summary = await importer.add({ sources: zipSources(zip, 'digits.zip'), unreadable: [] });
    expect(summary).toMatchObject({ count: 3, classNames: ['0', '1'], perClass: [1, 2], skipped: [] });
  });

  it(`uses at most ${OWN_IMAGE_LIMITS.maxImages.toLocaleString('en-US')} images and says how many were left out`, async () => {
    const png = withLevel(pngHeader(4, 4), 0);
    const sources = Array.from({ length: OWN_IMAGE_LIMITS.maxImages + 7 }, (_, i) => source(`many/${i}.png`, png));
    const summary = await new OwnImagesImporter(fakeDecoder).add({ sources, unreadable: [] });
    expect(summary?.count).toBe(OWN_IMAGE_LIMITS.maxImages);
    expect(summary?.leftOut).toBe(7);
  });

  it('needs two images to train, and says so', async () => {
    const importer = new OwnImagesImporter(fakeDecoder);
    const summary = await importer.add({ sources: [source('one.png', withLevel(pngHeader(9, 9), 0))], unreadable: [] });
    expect(summary?.count).toBe(1);
    expect(importer.payload()).toBeNull();
  });
});
