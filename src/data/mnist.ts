/**
 * Loads MNIST from the gzipped IDX files that scripts/prepare-data.mjs puts in public/data,
 * guided by its manifest.json (file names and compressed sizes for the progress total).
 */
import type { Dataset, ImageSplit } from './dataset';
import { DataLoadError, fetchGzipAsset } from './fetchAsset';
import { checkPair, DataFormatError, parseIdxImages, parseIdxLabels } from './idx';

export type MnistFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface MnistManifestEntry {
  file: string;
  /** Compressed size. */
  bytes: number;
  sha256: string;
  rawBytes?: number;
  count?: number;
}

export interface MnistManifest {
  version: number;
  dataset: string;
  totalBytes: number;
  files: Record<MnistFileKey, MnistManifestEntry>;
}

export type MnistStage = 'manifest' | 'download' | 'decode' | 'done';

export interface MnistProgress {
  loadedBytes: number;
  totalBytes: number;
  stage: MnistStage;
}

const KEYS: MnistFileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];
const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const SIDE = 28;
const MANIFEST = 'manifest.json';
const PREPARE_HINT = 'run `npm run prepare-data`';

/** Validates the manifest's shape; throws DataLoadError naming what is wrong. */
export function parseManifest(text: string): MnistManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = text.trimStart().startsWith('<') ? 'an HTML page' : 'invalid JSON';
    throw new DataLoadError(MANIFEST, `${MANIFEST} on the server is ${what}, not the data manifest: ${PREPARE_HINT}.`);
  }
  const files = (json as { files?: Record<string, Partial<MnistManifestEntry>> } | null)?.files;
  for (const key of KEYS) {
    const entry = files?.[key];
    if (typeof entry?.file !== 'string' || typeof entry.bytes !== 'number' || !(entry.bytes > 0)) {
      throw new DataLoadError(MANIFEST, `${MANIFEST} has no valid entry for ${key}: ${PREPARE_HINT}.`);
    }
  }
  const manifest = json as MnistManifest;
  manifest.totalBytes = KEYS.reduce((sum, key) => sum + manifest.files[key].bytes, 0);
  return manifest;
}

async function fetchManifest(url: string, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<MnistManifest> {
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
  return parseManifest(await response.text());
}

// Lookup table: one division per grey level instead of per pixel.
const INTENSITY = Float32Array.from({ length: 256 }, (_, i) => i / 255);

function toIntensities(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = INTENSITY[pixels[i]];
  return out;
}

function split(imageBytes: Uint8Array, labelBytes: Uint8Array, imageFile: string, labelFile: string, name: string): ImageSplit {
  const images = parseIdxImages(imageBytes, imageFile, { rows: SIDE, cols: SIDE });
  const labels = parseIdxLabels(labelBytes, labelFile, CLASS_NAMES.length);
  checkPair(images, labels, name);
  if (images.count === 0) {
    throw new DataFormatError('count-mismatch', imageFile, `${imageFile}: the file holds no images.`);
  }
  // slice(): a compact buffer of its own, cheap to transfer between threads.
  return { images: toIntensities(images.pixels), labels: labels.labels.slice(), count: images.count };
}

/**
 * Downloads the four MNIST files in parallel from `baseUrl` (the folder holding manifest.json),
 * reporting aggregate compressed-byte progress, and returns intensities in [0, 1].
 * Rejects with DataLoadError (download) or DataFormatError (contents).
 */
export async function loadMnist(
  baseUrl: string,
  onProgress?: (p: MnistProgress) => void,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  signal?: AbortSignal,
): Promise<Dataset> {
  const base = baseUrl === '' || baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  onProgress?.({ loadedBytes: 0, totalBytes: 0, stage: 'manifest' });
  const manifest = await fetchManifest(base + MANIFEST, fetchImpl, signal);
  const totalBytes = manifest.totalBytes;

  // One failed file cancels the others instead of letting them download for nothing.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const loaded: Record<string, number> = {};
  // Steps of ≥ 0.5 %: decoded bodies arrive in many small chunks, too many messages for a worker.
  const step = totalBytes / 200;
  let lastReported = -Infinity;
  const report = () => {
    const sum = Math.min(KEYS.reduce((acc, key) => acc + (loaded[key] ?? 0), 0), totalBytes);
    if (sum - lastReported < step && sum !== totalBytes) return;
    if (sum === lastReported) return;
    lastReported = sum;
    onProgress?.({ loadedBytes: sum, totalBytes, stage: 'download' });
  };

  let bytes: Uint8Array[];
  try {
    bytes = await Promise.all(
      KEYS.map((key) => {
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
  } catch (err) {
    controller.abort();
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  onProgress?.({ loadedBytes: totalBytes, totalBytes, stage: 'decode' });
  const [trainImages, trainLabels, testImages, testLabels] = bytes;
  const f = manifest.files;
  const train = split(trainImages, trainLabels, f.trainImages.file, f.trainLabels.file, 'MNIST training set');
  const test = split(testImages, testLabels, f.testImages.file, f.testLabels.file, 'MNIST test set');
  onProgress?.({ loadedBytes: totalBytes, totalBytes, stage: 'done' });

  return {
    id: 'mnist',
    name: 'MNIST',
    shape: { width: SIDE, height: SIDE, channels: 1 },
    classNames: [...CLASS_NAMES],
    train,
    test,
  };
}
