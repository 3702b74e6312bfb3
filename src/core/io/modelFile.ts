/**
 * The saved-model file (`.vaemodel`): one self-describing binary file.
 *
 *   bytes 0…7    magic "VAEPLAYG"
 *   bytes 8…11   format version, uint32 little-endian (FORMAT_VERSION)
 *   bytes 12…15  header length H in bytes, uint32 little-endian
 *   bytes 16…    the header: UTF-8 JSON (ModelFileHeader), padded with spaces to a multiple of 4
 *   then         the tensors, as tfjs encodes them (tf.io.encodeWeights): the header's `weights`
 *                are tfjs weight specs (name, shape, dtype) in the order of the bytes, and
 *                `dataBytes` / `dataCrc32` say how long the bytes are and what their CRC-32 is.
 *
 * The version sits before the header so that a newer format, whatever its header looks like, is
 * recognised as such. Pure (no tfjs, no DOM): the page reads headers for its list of saved models
 * and refuses a bad file before the worker sees it; the worker reads it again, decodes the
 * tensors with tfjs (worker/modelFiles.ts) and checks them against the model.
 */
import { FAMILIES, isFamilyId } from '../models/catalog';
import { crc32 } from './crc32';

export const MAGIC = 'VAEPLAYG';
export const FORMAT_VERSION = 1;
/** The file name's extension. */
export const MODEL_FILE_EXTENSION = '.vaemodel';
const PREFIX_BYTES = 16;

/** A tensor's place in the data: tfjs's weight spec (tf.io.WeightsManifestEntry) for our dtypes. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/**
 * What a file says about itself. The worker fills model, training, data, progress, trainer,
 * batcher and weights; the page adds its name, the time and its own `page` state (settings, loss
 * history), which the core does not interpret.
 */
export interface ModelFileHeader {
  app: 'VAE Playground';
  name: string;
  /** ISO 8601 time of saving. */
  savedAt: string;
  /** The ModelConfig (checked by the worker against the catalog before anything is built). */
  model: { family: string; network: string; latentDim: number } & Record<string, unknown>;
  /** The resolved TrainingConfig. */
  training: Record<string, unknown>;
  data: { id: string; name: string; trainCount: number; shape: { width: number; height: number; channels: number }; classNames: string[] };
  progress: { step: number; epoch: number; epochProgress: number };
  trainer: { step: number; noise: readonly number[] | null; optimizers: { group: string; step: number }[] };
  /** The batch order's position (the order itself is the tensor `batcher/order`), or null. */
  batcher: { count: number; batchSize: number; epoch: number; position: number; rng: readonly number[]; epochOffset: number } | null;
  weights: WeightSpec[];
  dataBytes: number;
  dataCrc32: number;
  /** The page's own state (settings, loss history…), checked by the page when it loads one. */
  page: Record<string, unknown>;
}

export type ModelFileProblemKind = 'notOurs' | 'truncated' | 'newerVersion' | 'damaged' | 'unknownFamily';

export type ModelFileRead = { ok: true; header: ModelFileHeader; data: Uint8Array } | { ok: false; kind: ModelFileProblemKind; message: string };

const encoder = new TextEncoder();

/** The bytes of a model file. */
export function writeModelFile(header: Omit<ModelFileHeader, 'dataBytes' | 'dataCrc32'>, data: Uint8Array): Uint8Array {
  const full: ModelFileHeader = { ...header, dataBytes: data.byteLength, dataCrc32: crc32(data) };
  let json = encoder.encode(JSON.stringify(full));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(PREFIX_BYTES + json.length + data.byteLength);
  out.set(encoder.encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, PREFIX_BYTES);
  out.set(data, PREFIX_BYTES + json.length);
  return out;
}

/** What a file that is not ours looks like, for a friendlier refusal. */
function lookalike(bytes: Uint8Array): string {
  const starts = (...b: number[]) => b.every((v, i) => bytes[i] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return ' It is a zip archive (an “Export for PyTorch” zip cannot be loaded back here; load the .vaemodel file).';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return ' It is a PNG image.';
  if (starts(0xff, 0xd8, 0xff)) return ' It is a JPEG image.';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64)).trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return ' It is a JSON text file.';
  // safetensors: a little-endian u64 header length (small: its high bytes are 0), then '{'
  if (bytes.length > 8 && bytes[8] === 0x7b && [4, 5, 6, 7].every((i) => bytes[i] === 0)) return ' It looks like a .safetensors file (made for PyTorch, it cannot be loaded back here).';
  return '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Why a header is not well formed (its structure, not whether its model fits), or null. */
function headerProblem(h: Record<string, unknown>): string | null {
  if (h.app !== 'VAE Playground') return 'it does not say it was written by VAE Playground';
  if (!isRecord(h.model) || typeof h.model.family !== 'string') return 'it names no model';
  if (!isRecord(h.training)) return 'it has no training settings';
  const d = h.data;
  if (!isRecord(d) || typeof d.id !== 'string' || typeof d.name !== 'string' || !isCount(d.trainCount) || !isRecord(d.shape) || !Array.isArray(d.classNames)) return 'it does not say which data set the model was trained on';
  const p = h.progress;
  if (!isRecord(p) || !isCount(p.step) || typeof p.epoch !== 'number' || typeof p.epochProgress !== 'number') return 'it does not say how far training went';
  const t = h.trainer;
  if (!isRecord(t) || !isCount(t.step) || !Array.isArray(t.optimizers) || !(t.noise === null || Array.isArray(t.noise))) return "it has no trainer's state";
  if (!(h.batcher === null || isRecord(h.batcher))) return 'its batch order is malformed';
  if (!Array.isArray(h.weights) || h.weights.length === 0) return 'it lists no weights';
  for (const w of h.weights as unknown[]) {
    if (!isRecord(w) || typeof w.name !== 'string' || !Array.isArray(w.shape) || !w.shape.every(isCount) || (w.dtype !== 'float32' && w.dtype !== 'int32')) {
      return 'its table of weights is malformed';
    }
  }
  if (!isCount(h.dataBytes) || !isCount(h.dataCrc32)) return 'it does not say how long its weights are';
  const expected = (h.weights as WeightSpec[]).reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (expected !== h.dataBytes) return `its table of weights needs ${expected} bytes but it announces ${h.dataBytes}`;
  if (!isRecord(h.page)) return "it has no page state";
  if (typeof h.name !== 'string' || typeof h.savedAt !== 'string') return 'it has no name or date';
  return null;
}

/**
 * Read a model file: its header and the bytes of its tensors, or which of the problems below it
 * has, in words for the user. Checks, in order: ours at all, complete, not from a newer version,
 * a readable header, a family this version knows, and the checksum of the weights.
 */
export function readModelFile(bytes: Uint8Array): ModelFileRead {
  const fail = (kind: ModelFileProblemKind, message: string): ModelFileRead => ({ ok: false, kind, message });
  if (bytes.length === 0) return fail('notOurs', 'The file is empty: it is not a VAE Playground model file.');
  const magic = encoder.encode(MAGIC);
  const prefixMatches = magic.subarray(0, Math.min(magic.length, bytes.length)).every((b, i) => bytes[i] === b);
  if (!prefixMatches) return fail('notOurs', `This is not a VAE Playground model file.${lookalike(bytes)}`);
  if (bytes.length < PREFIX_BYTES) return fail('truncated', `The file is cut short: it has only ${bytes.length} bytes. Was the download interrupted?`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > FORMAT_VERSION) {
    return fail('newerVersion', `The file was saved by a newer version of VAE Playground (file format ${version}; this page reads format ${FORMAT_VERSION}). Load it in an up-to-date page.`);
  }
  if (version < 1) return fail('damaged', `The file is damaged: its format version reads ${version}.`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > bytes.length) {
    return fail('truncated', `The file is cut short: it has ${bytes.length.toLocaleString('en-US')} bytes, fewer than its own description needs. Was the download interrupted?`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch {
    return fail('damaged', 'The file is damaged: its description cannot be read.');
  }
  if (!isRecord(parsed)) return fail('damaged', 'The file is damaged: its description is not an object.');
  const problem = headerProblem(parsed);
  if (problem) return fail('damaged', `The file is damaged: ${problem}.`);
  const header = parsed as unknown as ModelFileHeader;
  const family = header.model.family;
  if (!isFamilyId(family)) {
    const known = Object.values(FAMILIES).map((f) => f.label).join(', ');
    return fail('unknownFamily', `The file holds a model of the family “${family}”, which this version of the page does not have (it has ${known}).`);
  }
  const start = PREFIX_BYTES + headerLength;
  const available = bytes.length - start;
  if (available < header.dataBytes) {
    return fail(
      'truncated',
      `The file is cut short: it has ${available.toLocaleString('en-US')} of the ${header.dataBytes.toLocaleString('en-US')} bytes of weights it announces. Was the download interrupted?`,
    );
  }
  if (available > header.dataBytes) return fail('damaged', `The file is damaged: ${(available - header.dataBytes).toLocaleString('en-US')} bytes follow its weights.`);
  const data = bytes.subarray(start, start + header.dataBytes);
  if (crc32(data) !== header.dataCrc32) return fail('damaged', 'The file is damaged: its weights do not match their checksum (some bytes were changed).');
  return { ok: true, header, data };
}
