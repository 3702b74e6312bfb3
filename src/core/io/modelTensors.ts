/**
 * The tensors of a saved model in tfjs's own weight encoding (tf.io.encodeWeights /
 * decodeWeights: float32 and int32 bytes, one after the other, described by weight specs), by
 * name:
 *   weights/<path>                    every variable of the model (`weights/encoder/hidden/weight`)
 *   optimizer/<group>/m/<path>        Adam's first moment of that weight, per weight group
 *   optimizer/<group>/v/<path>        … and its second moment
 *   batcher/order                     the current epoch's order of the training images (int32)
 */
import * as tf from '../tf';
import type { TrainerSnapshot, TrainerState } from '../training/trainerState';
import type { WeightSpec } from './modelFile';
import type { NamedWeight } from './weights';

export const WEIGHTS_PREFIX = 'weights/';
export const BATCH_ORDER = 'batcher/order';

const momentName = (group: string, which: 'm' | 'v', path: string) => `optimizer/${group}/${which}/${path}`;

/** Encode a trainer's snapshot (and the batch order) with tfjs; the snapshot stays the caller's. */
export async function encodeModelTensors(snapshot: TrainerSnapshot, batchOrder: Int32Array | null): Promise<{ data: Uint8Array; specs: WeightSpec[] }> {
  const named: { name: string; tensor: tf.Tensor }[] = [
    ...snapshot.weights.map(({ path, tensor }) => ({ name: WEIGHTS_PREFIX + path, tensor })),
    ...snapshot.optimizers.flatMap((o) => [
      ...o.firstMoments.map(({ path, tensor }) => ({ name: momentName(o.group, 'm', path), tensor })),
      ...o.secondMoments.map(({ path, tensor }) => ({ name: momentName(o.group, 'v', path), tensor })),
    ]),
  ];
  const order = batchOrder ? tf.tensor1d(batchOrder, 'int32') : null;
  if (order) named.push({ name: BATCH_ORDER, tensor: order });
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    return { data: new Uint8Array(data), specs: specs.map((s) => ({ name: s.name, shape: s.shape.slice(), dtype: s.dtype as WeightSpec['dtype'] })) };
  } finally {
    order?.dispose();
  }
}

export interface DecodedModelTensors {
  state: Omit<TrainerState, 'step' | 'noise'>;
  batchOrder: Int32Array | null;
}

/**
 * Decode the tensors of a file into plain arrays (tfjs's decodeWeights; every tensor it makes is
 * freed here). `optimizerSteps` are the header's optimiser entries. Throws with a message naming
 * the tensor that is out of place; the shapes are checked against a model later.
 */
export function decodeModelTensors(data: Uint8Array, specs: readonly WeightSpec[], optimizerSteps: readonly { group: string; step: number }[]): DecodedModelTensors {
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const map = tf.io.decodeWeights(buffer, specs.map((s) => ({ ...s })));
  try {
    const weights: NamedWeight[] = [];
    const optimizers = optimizerSteps.map((o) => ({ group: o.group, step: o.step, firstMoments: [] as NamedWeight[], secondMoments: [] as NamedWeight[] }));
    let batchOrder: Int32Array | null = null;
    for (const spec of specs) {
      const tensor = map[spec.name];
      const shape = spec.shape.slice();
      if (spec.name === BATCH_ORDER) {
        if (spec.dtype !== 'int32' || shape.length !== 1) throw new Error(`${BATCH_ORDER} must be a list of int32 indices`);
        batchOrder = Int32Array.from(tensor.dataSync() as Int32Array);
        continue;
      }
      if (spec.dtype !== 'float32') throw new Error(`${spec.name} is ${spec.dtype}; weights and moments are float32`);
      const values = Float32Array.from(tensor.dataSync() as Float32Array);
      if (spec.name.startsWith(WEIGHTS_PREFIX)) {
        weights.push({ path: spec.name.slice(WEIGHTS_PREFIX.length), shape, values });
        continue;
      }
      const owner = optimizers.find((o) => spec.name.startsWith(`optimizer/${o.group}/m/`) || spec.name.startsWith(`optimizer/${o.group}/v/`));
      if (!owner) throw new Error(`the file holds a tensor “${spec.name}” that is neither a weight nor a moment of a listed optimiser`);
      const which = spec.name.charAt(`optimizer/${owner.group}/`.length);
      const path = spec.name.slice(`optimizer/${owner.group}/m/`.length);
      (which === 'm' ? owner.firstMoments : owner.secondMoments).push({ path, shape, values });
    }
    return { state: { weights, optimizers }, batchOrder };
  } finally {
    tf.dispose(Object.values(map));
  }
}
