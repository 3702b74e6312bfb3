/**
 * Fashion-MNIST: the seeded stratified split (scripts/fashion-mnist.mjs), the converter's checks of
 * the package's JSON, the loader's validation of the served asset (same path as MNIST's), the real
 * prepared asset, and prepare-data's idempotence.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeClassFile,
  FASHION_CLASS_NAMES,
  FASHION_SPLIT_SEED,
  stratifiedSplit,
  testQuotas,
} from '../../scripts/fashion-mnist.mjs';
import { DATASETS } from '../../src/data/catalog';
import type { Dataset } from '../../src/data/dataset';
import { FASHION_MNIST, loadFashionMnist } from '../../src/data/fashion';
import { DataLoadError } from '../../src/data/fetchAsset';
import { DataFormatError } from '../../src/data/idx';
import { loadIdxTestSplit } from '../../src/data/idxDataset';
import { diskFetch } from './helpers/diskFetch';
import { idxImages, idxLabels } from './helpers/idx';

const root = path.resolve(__dirname, '../..');
const script = path.join(root, 'scripts/prepare-data.mjs');
const dataDir = path.join(root, 'public', 'data');

function prepare(args: string[] = []): string {
  return execFileSync(process.execPath, [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** 7,000 examples of each of ten classes, in class order, like the package's files. */
const packageLikeLabels = Uint8Array.from({ length: 70000 }, (_, i) => Math.floor(i / 7000));

function histogram(labels: ArrayLike<number>, indices: ArrayLike<number>, classes = 10): number[] {
  const h = new Array(classes).fill(0);
  for (let k = 0; k < indices.length; k++) h[labels[indices[k]]]++;
  return h;
}

describe('the seeded stratified split', () => {
  const split = stratifiedSplit(packageLikeLabels, { testCount: 10000, seed: FASHION_SPLIT_SEED });

  it('is 60,000 / 10,000, disjoint and complete, 6,000 / 1,000 of every class', () => {
    expect(split.train.length).toBe(60000);
    expect(split.test.length).toBe(10000);
    const seen = new Uint8Array(70000);
    for (const i of [...split.train, ...split.test]) seen[i]++;
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(histogram(packageLikeLabels, split.train)).toEqual(new Array(10).fill(6000));
    expect(histogram(packageLikeLabels, split.test)).toEqual(new Array(10).fill(1000));
  });

  it('is the same for the same seed and different for another', () => {
    const again = stratifiedSplit(packageLikeLabels, { testCount: 10000, seed: FASHION_SPLIT_SEED });
    expect(Buffer.from(again.test.buffer).equals(Buffer.from(split.test.buffer))).toBe(true);
    expect(Buffer.from(again.train.buffer).equals(Buffer.from(split.train.buffer))).toBe(true);
    const other = stratifiedSplit(packageLikeLabels, { testCount: 10000, seed: FASHION_SPLIT_SEED + 1 });
    expect(Buffer.from(other.test.buffer).equals(Buffer.from(split.test.buffer))).toBe(false);
  });

  it('draws the test images from all over each class and interleaves the classes', () => {
    // Not the first 1,000 of each class file: test indices spread over the class's 7,000.
    const offsets = Array.from(split.test, (i) => i % 7000);
    expect(Math.min(...offsets)).toBeLessThan(50);
    expect(Math.max(...offsets)).toBeGreaterThan(6950);
    // Shuffled order: the first 100 test labels cover every class.
    expect(new Set(Array.from(split.test.subarray(0, 100), (i) => packageLikeLabels[i])).size).toBe(10);
  });

  it('keeps every group on one side', () => {
    // Pairs (2k, 2k+1) of each class are "identical images".
    const groups = Int32Array.from({ length: 70000 }, (_, i) => i - (i % 2));
    const grouped = stratifiedSplit(packageLikeLabels, { testCount: 10000, seed: 7, groups });
    const isTest = new Uint8Array(70000);
    for (const i of grouped.test) isTest[i] = 1;
    for (let i = 0; i < 70000; i += 2) expect(isTest[i]).toBe(isTest[i + 1]);
    expect(histogram(packageLikeLabels, grouped.test)).toEqual(new Array(10).fill(1000));
  });

  it('refuses quotas it cannot meet without splitting a group', () => {
    const labels = Uint8Array.from([0, 0, 0, 1, 1, 1]);
    const groups = Int32Array.from([0, 0, 0, 3, 3, 3]);
    expect(() => stratifiedSplit(labels, { testCount: 2, seed: 1, classCount: 2, groups })).toThrow(
      /could not fill the test quota of class \d \(0 of 1\) without splitting a group/,
    );
  });

  it('allocates test quotas in proportion to class sizes, by largest remainder', () => {
    expect(testQuotas(new Array(10).fill(7000), 10000)).toEqual(new Array(10).fill(1000));
    expect(testQuotas([7010, 6990], 2000)).toEqual([1001, 999]); // 1001.43 / 998.57
    expect(testQuotas([5, 3, 2], 5)).toEqual([3, 1, 1]); // 2.5 / 1.5 / 1: ties go to the lower class
    expect(testQuotas([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(() => testQuotas([1, 1], 3)).toThrow('cannot take 3 test images from 2');
  });
});

describe("the converter's checks of the package's JSON", () => {
  const image = (v: number) => new Array(784).fill(v);

  it('reads grey levels and skips empty entries', () => {
    const text = JSON.stringify({ data: [image(0), [], image(255), []] });
    const out = decodeClassFile(text, '0.json');
    expect(out.count).toBe(2);
    expect(out.skipped).toBe(2);
    expect(out.pixels.length).toBe(2 * 784);
    expect(out.pixels[0]).toBe(0);
    expect(out.pixels[784]).toBe(255);
  });

  it('rejects wrong sizes, values and shapes, naming the file and image', () => {
    expect(() => decodeClassFile(JSON.stringify({ data: [image(1), new Array(780).fill(0)] }), '3.json')).toThrow(
      '3.json: image 1 has 780 values, expected 784',
    );
    const bright = image(0);
    bright[5] = 256;
    expect(() => decodeClassFile(JSON.stringify({ data: [bright] }), '4.json')).toThrow(
      '4.json: image 0 has value 256 at pixel 5, expected an integer 0..255',
    );
    const fractional = image(0);
    fractional[9] = 0.5;
    expect(() => decodeClassFile(JSON.stringify({ data: [fractional] }), '5.json')).toThrow('value 0.5 at pixel 9');
    expect(() => decodeClassFile('{"images": []}', '6.json')).toThrow('6.json has no "data" array');
    expect(() => decodeClassFile('{"data": [', '7.json')).toThrow(/^7\.json is not valid JSON/);
  });
});

/** A server of one hand-made Fashion-MNIST asset: 3 training and 2 test images. */
function tinyAsset(overrides: Record<string, Uint8Array> = {}): typeof fetch {
  const pixels = (n: number) => Uint8Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256);
  const raw: Record<string, Uint8Array> = {
    'fashion-train-images.idx.gz': idxImages(3, 28, 28, pixels(3)),
    'fashion-train-labels.idx.gz': idxLabels([0, 9, 4]),
    'fashion-test-images.idx.gz': idxImages(2, 28, 28, pixels(2)),
    'fashion-test-labels.idx.gz': idxLabels([8, 1]),
    ...overrides,
  };
  const files: Record<string, Uint8Array<ArrayBuffer>> = {};
  for (const [name, bytes] of Object.entries(raw)) files[name] = new Uint8Array(gzipSync(bytes));
  const entry = (file: string) => ({ file, bytes: files[file].length, sha256: '', rawBytes: raw[file].length });
  const manifest = {
    version: 2,
    datasets: {
      fashion: {
        files: {
          trainImages: entry('fashion-train-images.idx.gz'),
          trainLabels: entry('fashion-train-labels.idx.gz'),
          testImages: entry('fashion-test-images.idx.gz'),
          testLabels: entry('fashion-test-labels.idx.gz'),
        },
      },
    },
  };
  return (async (input: RequestInfo | URL) => {
    const name = String(input).split('/').pop() ?? '';
    if (name === 'manifest.json') return new Response(JSON.stringify(manifest));
    const bytes = files[name];
    return bytes ? new Response(bytes) : new Response('not found', { status: 404 });
  }) as typeof fetch;
}

async function formatError(fetchImpl: typeof fetch): Promise<DataFormatError> {
  const err = await loadFashionMnist('/data/', undefined, fetchImpl).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DataFormatError);
  return err as DataFormatError;
}

describe('loadFashionMnist validates the asset like MNIST', () => {
  it('loads a well-formed asset with the ten class names', async () => {
    const d = await loadFashionMnist('/data/', undefined, tinyAsset());
    expect(d.id).toBe('fashion');
    expect(d.name).toBe('Fashion-MNIST');
    expect(d.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(d.train.count).toBe(3);
    expect(Array.from(d.test.labels)).toEqual([8, 1]);
    expect(d.train.images[1]).toBeCloseTo(7 / 255, 6);
  });

  it('bad magic: a label file served as the images', async () => {
    const err = await formatError(tinyAsset({ 'fashion-test-images.idx.gz': idxLabels([8, 1]) }));
    expect(err.code).toBe('bad-magic');
    expect(err.file).toBe('fashion-test-images.idx.gz');
    expect(err.message).toBe('fashion-test-images.idx.gz: wrong magic number 2049 (expected 2051): this is not an IDX image file.');
  });

  it('truncation: fewer pixels than the header promises', async () => {
    const cut = idxImages(3, 28, 28, new Uint8Array(3 * 784)).subarray(0, 16 + 2 * 784 + 100);
    const err = await formatError(tinyAsset({ 'fashion-train-images.idx.gz': cut }));
    expect(err.code).toBe('truncated');
    expect(err.message).toBe('fashion-train-images.idx.gz: the file is truncated: 3 images of 28×28 need 2368 bytes, but it has 1684.');
  });

  it('truncation: a cut-off gzip download', async () => {
    const whole = tinyAsset();
    const cut = (async (input: RequestInfo | URL) => {
      const response = await whole(input);
      if (!String(input).endsWith('fashion-train-images.idx.gz')) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      return new Response(bytes.subarray(0, bytes.length >> 1));
    }) as typeof fetch;
    const err = await loadFashionMnist('/data/', undefined, cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as Error).message).toMatch(/^fashion-train-images\.idx\.gz is truncated: the server sent \d+ of its \d+ bytes/);
  });

  it('count mismatch: images and labels of different lengths', async () => {
    const err = await formatError(tinyAsset({ 'fashion-train-labels.idx.gz': idxLabels([0, 9]) }));
    expect(err.code).toBe('count-mismatch');
    expect(err.message).toBe('Fashion-MNIST training set: 3 images but 2 labels; the image and label files do not belong together.');
  });

  it('a label outside the ten classes', async () => {
    const err = await formatError(tinyAsset({ 'fashion-test-labels.idx.gz': idxLabels([8, 10]) }));
    expect(err.code).toBe('bad-label');
    expect(err.message).toBe('fashion-test-labels.idx.gz: label 10 at index 1 is out of range (expected 0 to 9).');
  });

  it('a manifest without Fashion-MNIST says to prepare the data', async () => {
    const onlyMnist = (async () => new Response(JSON.stringify({ version: 2, datasets: { mnist: {} } }))) as typeof fetch;
    const err = await loadFashionMnist('/data/', undefined, onlyMnist).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as Error).message).toBe('manifest.json has no valid entry for trainImages of Fashion-MNIST: run `npm run prepare-data`.');
  });

  it('loads its test split alone (the out-of-distribution set of an MNIST model), validated the same way', async () => {
    const requested: string[] = [];
    const whole = tinyAsset();
    const watching = (async (input: RequestInfo | URL) => {
      requested.push(String(input).split('/').pop() ?? '');
      return whole(input);
    }) as typeof fetch;
    const test = await loadIdxTestSplit(FASHION_MNIST, '/data/', undefined, watching);
    expect(test.count).toBe(2);
    expect(Array.from(test.labels)).toEqual([8, 1]);
    expect(requested.sort()).toEqual(['fashion-test-images.idx.gz', 'fashion-test-labels.idx.gz', 'manifest.json']);
    const err = await loadIdxTestSplit(FASHION_MNIST, '/data/', undefined, tinyAsset({ 'fashion-test-images.idx.gz': idxLabels([8, 1]) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as DataFormatError).code).toBe('bad-magic');
  });

  it('is described with its split in the catalog', () => {
    expect(DATASETS.fashion.name).toBe('Fashion-MNIST');
    expect(DATASETS.fashion.shape).toEqual({ width: 28, height: 28, channels: 1 });
    expect(DATASETS.fashion.description).toMatch(/seeded: 60,000 training \/ 10,000 test/);
    expect(FASHION_MNIST.classNames).toEqual(FASHION_CLASS_NAMES);
  });
});

function imageKeys(split: Dataset['train']): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < split.count; i++) {
    const view = split.images.subarray(i * 784, (i + 1) * 784);
    keys.add(createHash('sha1').update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)).digest('hex'));
  }
  return keys;
}

describe('the prepared Fashion-MNIST asset', () => {
  let dataset: Dataset;
  let manifest: {
    datasets: {
      fashion: { totalBytes: number; files: Record<string, { file: string; bytes: number }>; split: { seed: number; trainPerClass: number[]; testPerClass: number[] } };
    };
  };

  beforeAll(async () => {
    prepare(); // fast no-op when public/data is up to date
    manifest = JSON.parse(readFileSync(path.join(dataDir, 'manifest.json'), 'utf8'));
    dataset = await loadFashionMnist('/data/', undefined, diskFetch(path.join(root, 'public')));
  }, 120_000);

  it('holds 60,000 / 10,000 images of 28×28, 6,000 / 1,000 of every class', () => {
    expect(dataset.shape).toEqual({ width: 28, height: 28, channels: 1 });
    expect(dataset.train.count).toBe(60000);
    expect(dataset.test.count).toBe(10000);
    expect(dataset.train.images.length).toBe(60000 * 784);
    expect(histogram(dataset.train.labels, Array.from({ length: 60000 }, (_, i) => i))).toEqual(new Array(10).fill(6000));
    expect(histogram(dataset.test.labels, Array.from({ length: 10000 }, (_, i) => i))).toEqual(new Array(10).fill(1000));
    expect(manifest.datasets.fashion.split.seed).toBe(FASHION_SPLIT_SEED);
    expect(manifest.datasets.fashion.split.trainPerClass).toEqual(new Array(10).fill(6000));
    expect(manifest.datasets.fashion.split.testPerClass).toEqual(new Array(10).fill(1000));
  });

  it('has intensities in [0, 1] with both extremes present', () => {
    for (const split of [dataset.train, dataset.test]) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of split.images) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
    }
  });

  it('shares no image between training and test sets, not even a byte-identical copy', () => {
    const train = imageKeys(dataset.train);
    const test = imageKeys(dataset.test);
    expect(train.size).toBeGreaterThan(59900); // the package repeats a few dozen images
    for (const key of test) expect(train.has(key)).toBe(false);
  });

  it('looks like clothing: trousers have a gap between the legs, bags are wide', () => {
    const meanImage = (label: number) => {
      const mean = new Float64Array(784);
      let n = 0;
      for (let i = 0; i < dataset.train.count; i++) {
        if (dataset.train.labels[i] !== label) continue;
        for (let p = 0; p < 784; p++) mean[p] += dataset.train.images[i * 784 + p];
        n++;
      }
      return mean.map((v) => v / n);
    };
    const trouser = meanImage(1);
    // Lower half, centre column against the legs either side of it.
    const at = (img: Float64Array, r: number, c: number) => img[r * 28 + c];
    expect(at(trouser, 22, 14)).toBeLessThan(0.5 * Math.min(at(trouser, 22, 10), at(trouser, 22, 18)));
    const bag = meanImage(8);
    expect(at(bag, 14, 3)).toBeGreaterThan(at(trouser, 14, 3));
  });

  it('is the asset the manifest describes', () => {
    for (const entry of Object.values(manifest.datasets.fashion.files)) {
      expect(entry.file).toMatch(/^fashion-(train|test)-(images|labels)\.idx\.gz$/);
      expect(statSync(path.join(dataDir, entry.file)).size).toBe(entry.bytes);
    }
  });
});

describe('prepare-data', () => {
  let dir: string;
  const mtimes = (d: string) =>
    Object.fromEntries(
      ['manifest.json', 'mnist-train-images.idx.gz', 'fashion-train-images.idx.gz', 'fashion-test-labels.idx.gz'].map((f) => [f, statSync(path.join(d, f)).mtimeMs]),
    );

  beforeAll(() => {
    prepare();
    dir = mkdtempSync(path.join(tmpdir(), 'prepare-data-'));
    cpSync(dataDir, dir, { recursive: true, preserveTimestamps: true });
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('does nothing when the outputs are up to date', () => {
    const before = mtimes(dir);
    const manifest = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    const out = prepare(['--data-out', dir]);
    expect(out).toMatch(/MNIST up to date; Fashion-MNIST up to date;/);
    expect(mtimes(dir)).toEqual(before);
    expect(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe(manifest);
  });

  it('rebuilds only what is missing, to the same bytes (the split is deterministic), then rests', () => {
    const manifest = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    const mnistBefore = statSync(path.join(dir, 'mnist-train-images.idx.gz')).mtimeMs;
    unlinkSync(path.join(dir, 'fashion-test-labels.idx.gz'));
    const out = prepare(['--data-out', dir]);
    expect(out).toMatch(/MNIST up to date; Fashion-MNIST converted and split \(30\.\d MB\)/);
    expect(statSync(path.join(dir, 'mnist-train-images.idx.gz')).mtimeMs).toBe(mnistBefore);
    // Same sizes and sha256 for all four files: the manifest is byte-identical.
    expect(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe(manifest);
    expect(prepare(['--data-out', dir])).toMatch(/MNIST up to date; Fashion-MNIST up to date;/);
  }, 120_000);
});
