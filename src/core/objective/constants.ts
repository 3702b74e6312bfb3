/** Numbers of the objective that pure code (the PyTorch export's script) needs too: no tfjs here. */

/** Observation noise σ of the Gaussian likelihood, fixed: p(x|z) = N(x; sigmoid(logits), σ²I). */
export const GAUSSIAN_SIGMA = 0.1;
