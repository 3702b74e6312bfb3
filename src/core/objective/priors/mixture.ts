/**
 * A mixture of K diagonal Gaussians as the prior, everything learned:
 *   p(z) = Σ_k w_k N(z; μ_k, diag σ_k²),  w = softmax(logits),
 * initialised as the reference (../shared/reference/vae_torch.py --arch mog): means ~ N(0, 1),
 * log-variances 0, equal weights.
 */
import * as tf from '../../tf';
import type { VariableScope } from '../../layers/scope';
import type { Posterior, Rng } from '../../types';
import { mixtureLogDensity } from './gaussian';
import { oneSampleKl } from './oneSampleKl';
import type { LatentPrior, PriorComponents, PriorKl } from './prior';

/** A standard normal draw by Box–Muller from a uniform stream. */
export function normalFrom(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export class MixturePrior implements LatentPrior {
  readonly id = 'mog' as const;
  readonly means: tf.Variable;
  readonly logVars: tf.Variable;
  readonly logits: tf.Variable;

  constructor(components: number, latentDim: number, rng: Rng, scope: VariableScope) {
    const means = tf.tensor2d(Float32Array.from({ length: components * latentDim }, () => normalFrom(rng)), [components, latentDim]);
    const logVars = tf.zeros([components, latentDim]);
    const logits = tf.zeros([components]);
    this.means = scope.variable('prior/means', means);
    this.logVars = scope.variable('prior/logVars', logVars);
    this.logits = scope.variable('prior/logits', logits);
    tf.dispose([means, logVars, logits]);
  }

  logDensity(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => mixtureLogDensity(z, this.means as tf.Tensor2D, this.logVars as tf.Tensor2D, tf.logSoftmax(this.logits) as tf.Tensor1D));
  }

  kl(posterior: Posterior, z: tf.Tensor2D): PriorKl {
    return oneSampleKl(posterior, z, (s) => this.logDensity(s));
  }

  components(): PriorComponents {
    const parts = tf.tidy(() => ({ weights: tf.softmax(this.logits) as tf.Tensor1D, means: this.means.clone() as tf.Tensor2D, logVars: this.logVars.clone() as tf.Tensor2D }));
    return { ...parts, pseudoInputs: null };
  }
}
