/**
 * Loads a data set of 28×28 grey images (MNIST, Fashion-MNIST) from the gzipped IDX files that
 * scripts/prepare-data.mjs puts in public/data, guided by its manifest.json (one section per data
 * set: file names and compressed sizes for the progress total). One implementation for all of
 * them: fetch with progress, decompress, validate (idx.ts), convert to intensities.
 */
import type { Dataset, DatasetId, ImageSplit } from './dataset';
import { DataLoadError, fetchGzipAsset } from './fetchAsset';
import { checkPair, DataFormatError, parseIdxImages, parseIdxLabels } from './idx';

export type IdxFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface IdxManifestEntry {
  file: string;
  /** Compressed size. */
  bytes: number;
  sha256: string;
  rawBytes?: number;
  count?: number;
}

/** One data set's section of manifest.json. */
export interface IdxManifest {
  name?: string;
  totalBytes: number;
  files: Record<IdxFileKey, IdxManifestEntry>;
}

export type IdxStage = 'manifest' | 'download' | 'decode' | 'done';

export interface IdxProgress {
  loadedBytes: number;
  totalBytes: number;
  stage: IdxStage;
}

/** What tells one IDX data set from another. */
export interface IdxDatasetSpec {
  id: DatasetId;
  /** As in messages and the Dataset, e.g. 'MNIST'. */
  name: string;
  /** The data set's key under `datasets` in manifest.json. */
  manifestKey: string;
  classNames: readonly string[];
}

/** The manifest layout this loader reads (prepare-data.mjs's MANIFEST_VERSION). */
export const MANIFEST_VERSION = 2;
const KEYS: IdxFileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];
const SIDE = 28;
const MANIFEST = 'manifest.json';
const PREPARE_HINT = 'run `npm run prepare-data`';

/** Validates the manifest and returns the section of `spec`; throws DataLoadError naming what is wrong. */
export function parseManifest(text: string, spec: Pick<IdxDatasetSpec, 'name' | 'manifestKey'>): IdxManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = text.trimStart().startsWith('<') ? 'an HTML page' : 'invalid JSON';
    throw new DataLoadError(MANIFEST, `${MANIFEST} on the server is ${what}, not the data manifest: ${PREPARE_HINT}.`);
  }
  const root = json as { version?: unknown; datasets?: Record<string, { files?: Record<string, Partial<IdxManifestEntry>> }> } | null;
  if (typeof root?.version === 'number' && root.version !== MANIFEST_VERSION) {
    throw new DataLoadError(
      MANIFEST,
      `${MANIFEST} has layout version ${root.version}, this app reads version ${MANIFEST_VERSION}: ${PREPARE_HINT}.`,
    );
  }
  const section = root?.datasets?.[spec.manifestKey];
  for (const key of KEYS) {
    const entry = section?.files?.[key];
    if (typeof entry?.file !== 'string' || typeof entry.bytes !== 'number' || !(entry.bytes > 0)) {
      throw new DataLoadError(MANIFEST, `${MANIFEST} has no valid entry for ${key} of ${spec.name}: ${PREPARE_HINT}.`);
    }
  }
  const manifest = section as unknown as IdxManifest;
  manifest.totalBytes = KEYS.reduce((sum, key) => sum + manifest.files[key].bytes, 0);
  return manifest;
}

async function fetchManifest(url: string, spec: IdxDatasetSpec, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<IdxManifest> {
  let response: Response;
  try {
    response = await fetchImpl(url, { signal, cache: 'no-cache' });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new DataLoadError(MANIFEST, `${MANIFEST} could not be downloaded: network error (${String(err)}).`, { cause: err });
  }
  if (response.status === 404) {
    throw new DataLoadError(MANIFEST, `${MANIFEST} is missing on the server (HTTP 404): ${PREPARE_HINT}.`, { status: 404 });
  }
  if (!response.ok) {
    throw new DataLoadError(MANIFEST, `${MANIFEST} could not be downloaded: the server answered HTTP ${response.status}.`, {
      status: response.status,
    });
  }
  return parseManifest(await response.text(), spec);
}

// Lookup table: one division per grey level instead of per pixel.
const INTENSITY = Float32Array.from({ length: 256 }, (_, i) => i / 255);

function toIntensities(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = INTENSITY[pixels[i]];
  return out;
}

function split(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  imageFile: string,
  labelFile: string,
  name: string,
  classCount: number,
): ImageSplit {
  const images = parseIdxImages(imageBytes, imageFile, { rows: SIDE, cols: SIDE });
  const labels = parseIdxLabels(labelBytes, labelFile, classCount);
  checkPair(images, labels, name);
  if (images.count === 0) {
    throw new DataFormatError('count-mismatch', imageFile, `${imageFile}: the file holds no images.`);
  }
  // slice(): a compact buffer of its own, cheap to transfer between threads.
  return { images: toIntensities(images.pixels), labels: labels.labels.slice(), count: images.count };
}

/**
 * Downloads some of the data set's files in parallel from `base` (the folder holding
 * manifest.json), reporting aggregate compressed-byte progress over those files.
 */
async function downloadFiles(
  spec: IdxDatasetSpec,
  base: string,
  keys: readonly IdxFileKey[],
  onProgress: ((p: IdxProgress) => void) | undefined,
  fetchImpl: typeof fetch,
  signal: AbortSignal | undefined,
): Promise<{ manifest: IdxManifest; bytes: Uint8Array[]; totalBytes: number }> {
  onProgress?.({ loadedBytes: 0, totalBytes: 0, stage: 'manifest' });
  const manifest = await fetchManifest(base + MANIFEST, spec, fetchImpl, signal);
  const totalBytes = keys.reduce((sum, key) => sum + manifest.files[key].bytes, 0);

  // One failed file cancels the others instead of letting them download for nothing.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const loaded: Record<string, number> = {};
  // Steps of ≥ 0.5 %: decoded bodies arrive in many small chunks, too many messages for a worker.
  const step = totalBytes / 200;
  let lastReported = -Infinity;
  const report = () => {
    const sum = Math.min(keys.reduce((acc, key) => acc + (loaded[key] ?? 0), 0), totalBytes);
    if (sum - lastReported < step && sum !== totalBytes) return;
    if (sum === lastReported) return;
    lastReported = sum;
    onProgress?.({ loadedBytes: sum, totalBytes, stage: 'download' });
  };

  try {
    const bytes = await Promise.all(
      keys.map((key) => {
        const entry = manifest.files[key];
        return fetchGzipAsset(base + entry.file, {
          expectedBytes: entry.bytes,
          expectedRawBytes: entry.rawBytes,
          fetchImpl,
          signal: controller.signal,
          onProgress: (n) => {
            loaded[key] = Math.min(n, entry.bytes);
            report();
          },
        });
      }),
    );
    return { manifest, bytes, totalBytes };
  } catch (err) {
    controller.abort();
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function baseOf(baseUrl: string): string {
  return baseUrl === '' || baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}

/**
 * Downloads the data set's four files in parallel from `baseUrl` (the folder holding
 * manifest.json), reporting aggregate compressed-byte progress, and returns intensities in [0, 1].
 * Rejects with DataLoadError (download) or DataFormatError (contents).
 */
export async function loadIdxDataset(
  spec: IdxDatasetSpec,
  baseUrl: string,
  onProgress?: (p: IdxProgress) => void,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  signal?: AbortSignal,
): Promise<Dataset> {
  const { manifest, bytes, totalBytes } = await downloadFiles(spec, baseOf(baseUrl), KEYS, onProgress, fetchImpl, signal);
  onProgress?.({ loadedBytes: totalBytes, totalBytes, stage: 'decode' });
  const [trainImages, trainLabels, testImages, testLabels] = bytes;
  const f = manifest.files;
  const classCount = spec.classNames.length;
  const train = split(trainImages, trainLabels, f.trainImages.file, f.trainLabels.file, `${spec.name} training set`, classCount);
  const test = split(testImages, testLabels, f.testImages.file, f.testLabels.file, `${spec.name} test set`, classCount);
  onProgress?.({ loadedBytes: totalBytes, totalBytes, stage: 'done' });

  return {
    id: spec.id,
    name: spec.name,
    shape: { width: SIDE, height: SIDE, channels: 1 },
    classNames: [...spec.classNames],
    train,
    test,
  };
}

/**
 * Only the test split (two files instead of four): another data set's images scored by a model
 * trained on this one, as out-of-distribution examples. Validated like the whole data set.
 */
export async function loadIdxTestSplit(
  spec: IdxDatasetSpec,
  baseUrl: string,
  onProgress?: (p: IdxProgress) => void,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  signal?: AbortSignal,
): Promise<ImageSplit> {
  const keys: IdxFileKey[] = ['testImages', 'testLabels'];
  const { manifest, bytes, totalBytes } = await downloadFiles(spec, baseOf(baseUrl), keys, onProgress, fetchImpl, signal);
  onProgress?.({ loadedBytes: totalBytes, totalBytes, stage: 'decode' });
  const f = manifest.files;
  const test = split(bytes[0], bytes[1], f.testImages.file, f.testLabels.file, `${spec.name} test set`, spec.classNames.length);
  onProgress?.({ loadedBytes: totalBytes, totalBytes, stage: 'done' });
  return test;
}
