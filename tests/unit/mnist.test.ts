import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset';
import { DataLoadError } from '../../src/data/fetchAsset';
import { DataFormatError } from '../../src/data/idx';
import { parseManifest } from '../../src/data/idxDataset';
import { loadMnist, MNIST, type MnistProgress } from '../../src/data/mnist';
import { diskFetch as serveFrom } from './helpers/diskFetch';

const root = path.resolve(__dirname, '../..');
const publicDir = path.join(root, 'public');

const diskFetch = serveFrom(publicDir);

describe('loadMnist on the prepared files', () => {
  let dataset: Dataset;
  const progress: MnistProgress[] = [];

  beforeAll(async () => {
    // Fast no-op when public/data is already up to date.
    execFileSync(process.execPath, [path.join(root, 'scripts/prepare-data.mjs')], { stdio: 'pipe' });
    dataset = await loadMnist('/data/', (p) => progress.push(p), diskFetch);
  }, 120_000);

  it('has the MNIST shape, counts and class names', () => {
    expect(dataset.id).toBe('mnist');
    expect(dataset.shape).toEqual({ width: 28, height: 28, channels: 1 });
    expect(dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(dataset.train.count).toBe(60000);
    expect(dataset.test.count).toBe(10000);
    expect(dataset.train.images.length).toBe(60000 * 784);
    expect(dataset.test.images.length).toBe(10000 * 784);
    expect(dataset.train.labels.length).toBe(60000);
    expect(dataset.test.labels.length).toBe(10000);
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

  it('has labels 0..9, all classes present, and the known first labels', () => {
    for (const split of [dataset.train, dataset.test]) {
      const histogram = new Array(10).fill(0);
      for (const label of split.labels) histogram[label]++;
      expect(histogram.reduce((a, b) => a + b, 0)).toBe(split.count);
      expect(histogram.every((n) => n > split.count / 20)).toBe(true);
    }
    // The well-known start of MNIST: training labels 5, 0, 4, 1, 9; test labels 7, 2, 1, 0.
    expect(Array.from(dataset.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(dataset.test.labels.subarray(0, 4))).toEqual([7, 2, 1, 0]);
  });

  it('keeps the first training image a "5" with a blank border', () => {
    const first = dataset.train.images.subarray(0, 784);
    // MNIST digits are centred in a 20×20 box: the outer rows are empty.
    expect(first.subarray(0, 28 * 4).every((v) => v === 0)).toBe(true);
    const ink = first.reduce((a, b) => a + b, 0);
    expect(ink).toBeGreaterThan(50);
    expect(ink).toBeLessThan(250);
  });

  it('reported download progress monotonically up to the manifest total', async () => {
    const manifest = JSON.parse(await readFile(path.join(publicDir, 'data/manifest.json'), 'utf8'));
    const total = manifest.datasets.mnist.totalBytes as number;
    expect(progress[0].stage).toBe('manifest');
    const downloads = progress.filter((p) => p.stage === 'download');
    expect(downloads.length).toBeGreaterThan(10);
    for (let i = 1; i < downloads.length; i++) {
      expect(downloads[i].loadedBytes).toBeGreaterThanOrEqual(downloads[i - 1].loadedBytes);
      expect(downloads[i].totalBytes).toBe(total);
    }
    expect(downloads[downloads.length - 1].loadedBytes).toBe(total);
    expect(progress[progress.length - 1]).toEqual({ loadedBytes: total, totalBytes: total, stage: 'done' });
  });
});

describe('loadMnist failures', () => {
  it('says to prepare the data when the manifest is missing', async () => {
    const notFound = (async () => new Response('nope', { status: 404 })) as typeof fetch;
    const err = await loadMnist('/data', undefined, notFound).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as Error).message).toBe('manifest.json is missing on the server (HTTP 404): run `npm run prepare-data`.');
  });

  it('names the missing file when one data file is absent', async () => {
    const partial = (async (input: RequestInfo | URL) =>
      String(input).includes('test-labels') ? new Response('', { status: 404 }) : diskFetch(input)) as typeof fetch;
    const err = await loadMnist('/data', undefined, partial).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as Error).message).toContain('mnist-test-labels.idx.gz is missing on the server');
  });

  it('rejects swapped files with a format error', async () => {
    const swapped = (async (input: RequestInfo | URL) =>
      diskFetch(String(input).replace('test-labels', 'test-images'))) as typeof fetch;
    const err = await loadMnist('/data', undefined, swapped).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as DataFormatError).code).toBe('bad-magic');
    expect((err as Error).message).toContain('mnist-test-labels.idx.gz: wrong magic number 2051 (expected 2049)');
  });

  it('rejects an HTML page served instead of the manifest', () => {
    expect(() => parseManifest('<!doctype html><html></html>', MNIST)).toThrow(
      'manifest.json on the server is an HTML page, not the data manifest: run `npm run prepare-data`.',
    );
    expect(() => parseManifest('{"version":2,"datasets":{}}', MNIST)).toThrow(
      'manifest.json has no valid entry for trainImages of MNIST: run `npm run prepare-data`.',
    );
  });

  it('rejects a manifest of another layout version (prepared by an older checkout)', () => {
    expect(() => parseManifest('{"version":1,"dataset":"mnist","files":{}}', MNIST)).toThrow(
      'manifest.json has layout version 1, this app reads version 2: run `npm run prepare-data`.',
    );
  });
});
