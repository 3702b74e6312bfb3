/**
 * The backward pass of a layer's bias and activation, shared by the dense and conv layers: from
 * the upstream gradient dy and the layer's output y (same shape, channels or units last),
 *   g = dy (linear) or dy where y > 0, else 0 (ReLU: y > 0 exactly where the pre-activation is),
 *   db = Σ of g over every axis but the last.
 * With our kernels (wasm) that is one pass over dy; otherwise tfjs ops.
 */
import * as tf from '../tf';
import { BIAS_GRAD_KERNEL, RELU_BIAS_GRAD_KERNEL, RELU_GRAD_KERNEL } from '../../kernels/names';
import type { Activation } from './layer';

function has(kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

export function preActivationAndBiasGrad(dy: tf.Tensor, y: tf.Tensor, activation: Activation): { g: tf.Tensor; db: tf.Tensor1D } {
  const fusable = dy.dtype === 'float32' && y.dtype === 'float32' && tf.util.arraysEqual(dy.shape, y.shape);
  if (activation === 'relu' && fusable && has(RELU_BIAS_GRAD_KERNEL)) {
    const [g, db] = tf.engine().runKernel(RELU_BIAS_GRAD_KERNEL, { dy, y }) as [tf.Tensor, tf.Tensor1D];
    return { g, db };
  }
  if (activation === 'linear' && dy.dtype === 'float32' && has(BIAS_GRAD_KERNEL)) {
    return { g: dy, db: tf.engine().runKernel(BIAS_GRAD_KERNEL, { dy }) as tf.Tensor1D };
  }
  let g = dy;
  if (activation === 'relu') g = fusable && has(RELU_GRAD_KERNEL) ? (tf.engine().runKernel(RELU_GRAD_KERNEL, { dy, y }) as tf.Tensor) : tf.mul(dy, tf.step(y));
  const leading = Array.from({ length: g.rank - 1 }, (_, i) => i);
  return { g, db: tf.sum(g, leading) as tf.Tensor1D };
}
