/**
 * A writer for the safetensors format (huggingface/safetensors), which PyTorch users load with
 * `safetensors.torch.load_file` (or a few lines of numpy, as our exported script does):
 *
 *   8 bytes   N, the header's length, unsigned 64-bit little-endian
 *   N bytes   a UTF-8 JSON object: for every tensor { "dtype": "F32", "shape": [...],
 *             "data_offsets": [begin, end] } (byte offsets into the data, which the tensors tile
 *             without gaps, in order), and optionally "__metadata__": { string: string };
 *             padded with spaces so the data starts 8-byte aligned
 *   the data  row-major (C order) little-endian values
 *
 * Pure (no tfjs, no DOM).
 */

export interface SafeTensor {
  name: string;
  shape: number[];
  /** float32 values (F32) or int64 counts (I64, written from integers). */
  values: Float32Array | { int64: number[] };
}

const encoder = new TextEncoder();

function byteLength(t: SafeTensor): number {
  return t.values instanceof Float32Array ? t.values.byteLength : t.values.int64.length * 8;
}

/** The bytes of a .safetensors file holding `tensors` in the order given. */
export function writeSafetensors(tensors: readonly SafeTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || Object.hasOwn(header, t.name)) throw new Error(`safetensors: the name ${t.name} is used twice`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const values = t.values instanceof Float32Array ? t.values.length : t.values.int64.length;
    if (count !== values) throw new Error(`safetensors: ${t.name} has ${values} values for shape [${t.shape.join(', ')}]`);
    const size = byteLength(t);
    header[t.name] = { dtype: t.values instanceof Float32Array ? 'F32' : 'I64', shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = encoder.encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    if (t.values instanceof Float32Array) {
      for (let i = 0; i < t.values.length; i++, at += 4) view.setFloat32(at, t.values[i], true);
    } else {
      for (const v of t.values.int64) {
        view.setBigInt64(at, BigInt(v), true);
        at += 8;
      }
    }
  }
  return out;
}
