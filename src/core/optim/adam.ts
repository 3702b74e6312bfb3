/**
 * Adam (Kingma & Ba 2015), written out so the learning rate can change between steps, the state
 * can be checkpointed and restored after a divergence, and it matches PyTorch's update exactly:
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
 *
 * Where the active backend has a FUSED_ADAM_KERNEL (ours on wasm: src/kernels/tfjsKernels.ts),
 * each parameter's update is that one kernel (the same float32 operations in the same order)
 * instead of ~12 element-wise ops.
 */
import * as tf from '../tf';
import { FUSED_ADAM_KERNEL, type FusedAdamAttrs } from '../../kernels/names';

export interface AdamState {
  step: number;
  firstMoments: tf.Tensor[];
  secondMoments: tf.Tensor[];
}

export class Adam {
  private readonly firstMoments: tf.Variable[];
  private readonly secondMoments: tf.Variable[];
  private step = 0;

  constructor(
    private readonly params: tf.Variable[],
    public learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    // tf.variable does not take ownership of its initial value; tidy frees the zeros.
    this.firstMoments = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.secondMoments = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
  }

  /** Apply one update; grads[i] belongs to params[i]. The caller still owns the gradients. */
  apply(grads: tf.Tensor[]): void {
    this.step += 1;
    const correction1 = 1 - this.beta1 ** this.step;
    const sqrtCorrection2 = Math.sqrt(1 - this.beta2 ** this.step);
    const stepSize = (this.learningRate * sqrtCorrection2) / correction1;
    const epsilon = this.epsilon * sqrtCorrection2;
    const fused = tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const g = grads[i];
        if (fused) {
          const attrs: FusedAdamAttrs = { beta1: this.beta1, beta2: this.beta2, epsilon, stepSize };
          const inputs = { theta: param, g, m: this.firstMoments[i], v: this.secondMoments[i] };
          const [theta, m, v] = tf.engine().runKernel<tf.Tensor[]>(FUSED_ADAM_KERNEL, inputs, { ...attrs });
          this.firstMoments[i].assign(m);
          this.secondMoments[i].assign(v);
          param.assign(theta);
          return;
        }
        const m = tf.add(tf.mul(this.firstMoments[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.secondMoments[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.firstMoments[i].assign(m);
        this.secondMoments[i].assign(v);
        param.assign(tf.sub(param, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize)));
      });
    });
  }

  get stepCount(): number {
    return this.step;
  }

  /** A copy of the state that the caller owns. */
  snapshot(): AdamState {
    return {
      step: this.step,
      firstMoments: this.firstMoments.map((t) => t.clone()),
      secondMoments: this.secondMoments.map((t) => t.clone()),
    };
  }

  restore(state: AdamState): void {
    this.step = state.step;
    state.firstMoments.forEach((t, i) => this.firstMoments[i].assign(t));
    state.secondMoments.forEach((t, i) => this.secondMoments[i].assign(t));
  }

  dispose(): void {
    for (const t of [...this.firstMoments, ...this.secondMoments]) t.dispose();
  }
}

export function disposeAdamState(state: AdamState): void {
  for (const t of [...state.firstMoments, ...state.secondMoments]) t.dispose();
}
