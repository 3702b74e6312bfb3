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
