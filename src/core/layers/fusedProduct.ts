/**
 * a·b (+ bias) (ReLU) as tfjs's _FusedMatMul kernel, run directly: for a layer whose gradient is
 * hand-written. tf.fused.matMul runs an unfused matMul, add and relu whenever a gradient is being
 * recorded (its own gradient needs them); our layers differentiate themselves from y alone, so
 * inside their forward pass the fused kernel is always right, and a ReLU layer's training step
 * saves two passes over its output.
 */
import * as tf from '../tf';
import type { Activation } from './layer';

export function fusedProduct(a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D | null, activation: Activation): tf.Tensor2D {
  return tf.tidy(() => {
    // the kernel's operands are batches of matrices, as tf.fused.matMul passes them
    const inputs: tf.NamedTensorMap = { a: tf.reshape(a, [1, ...a.shape]), b: tf.reshape(b, [1, ...b.shape]) };
    if (bias) inputs.bias = bias;
    const attrs = { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 };
    const out = tf.engine().runKernel(tf._FusedMatMul, inputs, attrs) as tf.Tensor3D;
    return tf.reshape(out, [a.shape[0], b.shape[1]]) as tf.Tensor2D;
  });
}
