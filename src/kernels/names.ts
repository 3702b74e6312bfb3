/**
 * The names and attributes of the kernels this project registers with tfjs (ours on wasm:
 * tfjsKernels.ts). The model core asks tfjs whether a kernel of that name exists on the active
 * backend and runs it, or falls back to stock ops; so the names live here, below both.
 */

/**
 * Adam's update of one parameter: inputs theta, g, m, v (float32, one size), attrs FusedAdamAttrs,
 * outputs [θ', m', v'] as new tensors, computed in float32 as
 *   m' = β₁·m + (1−β₁)·g,  v' = β₂·v + (1−β₂)·(g·g),  θ' = θ − (m' / (√v' + epsilon)) · stepSize.
 */
export const FUSED_ADAM_KERNEL = 'VaeAdamUpdate';

export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  /** ε·√(1−β₂ᵗ) */
  epsilon: number;
  /** lr·√(1−β₂ᵗ)/(1−β₁ᵗ) */
  stepSize: number;
}

/**
 * The Bernoulli reconstruction NLL of a batch as one kernel forward and one backward:
 *   BERNOULLI_NLL_KERNEL: inputs logits, x (float32 [n, p]) → [n], per row
 *     Σ_j max(l, 0) − l·x + log1p(e^(−|l|));
 *   BERNOULLI_NLL_GRAD_KERNEL: inputs logits, x [n, p], dy [n] → [n, p], (σ(l) − x)·dy[row].
 */
export const BERNOULLI_NLL_KERNEL = 'VaeBernoulliNllRows';
export const BERNOULLI_NLL_GRAD_KERNEL = 'VaeBernoulliNllGrad';

/** ReLU's backward: inputs dy, y (float32, one size) → dy where y > 0, else 0. */
export const RELU_GRAD_KERNEL = 'VaeReluGrad';

/** Registered (as a marker) where matMul reads transposed operands at no cost: our wasm GEMM. */
export const TRANSPOSE_FREE_MATMUL = 'VaeTransposeFreeMatMul';

/**
 * Where a convolution's patches are: an image [batch, height, width, channels] (NHWC) seen as a
 * grid [batch, gridHeight, gridWidth] of kernelHeight × kernelWidth × channels patches; patch
 * (b, gy, gx) holds the image rows gy·strideHeight − padTop + ky and the columns
 * gx·strideWidth − padLeft + kx (ky < kernelHeight, kx < kernelWidth), zeros outside the image.
 */
export interface PatchGeometry {
  batch: number;
  height: number;
  width: number;
  channels: number;
  kernelHeight: number;
  kernelWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
  gridHeight: number;
  gridWidth: number;
}

/**
 * A convolution as a matrix product needs its data moved (src/core/layers/conv2d.ts and
 * convTranspose2d.ts; the products run on the GEMM):
 *   IM2COL_KERNEL: input image (float32 [batch, height, width, channels]), attrs PatchGeometry →
 *     patches [batch·gridHeight·gridWidth, kernelHeight·kernelWidth·channels], row (b, gy, gx),
 *     column (ky, kx, c): a convolution is then patches · filter[kh·kw·cIn, cOut].
 *   COL2IM_KERNEL: input patches (that shape) and optionally bias [channels], attrs Col2ImAttrs →
 *     image [batch, height, width, channels]: im2col's adjoint (every pixel the sum of the patch
 *     entries im2col takes from it), + bias, then the activation. A transposed convolution is
 *     col2im(x · filterᵀ), and a convolution's input gradient col2im(dy · filterᵀ).
 */
export const IM2COL_KERNEL = 'VaeIm2Col';
export const COL2IM_KERNEL = 'VaeCol2Im';

export interface Col2ImAttrs extends PatchGeometry {
  activation: 'linear' | 'relu';
}

/**
 * A bias's gradient, the sum over every axis but the last:
 *   BIAS_GRAD_KERNEL: input dy (float32 [..., c]) → db [c], Σ over rows of dy;
 *   RELU_BIAS_GRAD_KERNEL: inputs dy, y (float32, one shape [..., c]; y a ReLU's output) →
 *     [g, db]: g = dy where y > 0, else 0 (dy's shape), db = Σ over rows of g.
 */
export const BIAS_GRAD_KERNEL = 'VaeBiasGrad';
export const RELU_BIAS_GRAD_KERNEL = 'VaeReluBiasGrad';
