/**
 * Our convolution kernels (src/kernels/names.ts: im2col, col2im) as tensor functions, and whether
 * the active backend has them and the bias gradients (wasm with our module installed). The conv
 * layers use them with matMul (our GEMM there) where they exist and tfjs's own conv ops elsewhere.
 */
import * as tf from '../tf';
import { BIAS_GRAD_KERNEL, COL2IM_KERNEL, IM2COL_KERNEL, RELU_BIAS_GRAD_KERNEL, type PatchGeometry } from '../../kernels/names';
import type { Activation } from './layer';

const KERNELS = [IM2COL_KERNEL, COL2IM_KERNEL, BIAS_GRAD_KERNEL, RELU_BIAS_GRAD_KERNEL];

/** True when the active backend runs convolutions as im2col / col2im and matrix products. */
export function patchKernelsActive(): boolean {
  const backend = tf.getBackend();
  return KERNELS.every((name) => tf.getKernel(name, backend) !== undefined);
}

/** image [n, h, w, c] → patches [n·gh·gw, kh·kw·c]. */
export function im2col(image: tf.Tensor4D, geometry: PatchGeometry): tf.Tensor2D {
  return tf.engine().runKernel(IM2COL_KERNEL, { image }, { ...geometry }) as tf.Tensor2D;
}

/** patches [n·gh·gw, kh·kw·c] → image [n, h, w, c], + bias, activation. */
export function col2im(patches: tf.Tensor2D, bias: tf.Tensor1D | null, geometry: PatchGeometry, activation: Activation): tf.Tensor4D {
  const inputs: tf.NamedTensorMap = bias ? { patches, bias } : { patches };
  return tf.engine().runKernel(COL2IM_KERNEL, inputs, { ...geometry, activation }) as tf.Tensor4D;
}
