/**
 * The VampPrior (Tomczak & Welling 2018, "VAE with a VampPrior"): the prior is the mixture of the
 * variational posteriors of K learned pseudo-inputs u_k,
 *   p(z) = (1/K) Σ_k q(z | u_k),
 * so the prior and the encoder are learned together and the prior lives where the posteriors do.
 * The pseudo-inputs are images: u_k = sigmoid(a_k) keeps each pixel in (0, 1) (Tomczak clips with a
 * hard tanh; the sigmoid never stops the gradient), a_k starting near intensity 0.05 as there.
 */
import * as tf from '../../tf';
import type { VariableScope } from '../../layers/scope';
import type { Posterior, Rng } from '../../types';
import { mixtureLogDensity } from './gaussian';
import { normalFrom } from './mixture';
import { oneSampleKl } from './oneSampleKl';
import type { LatentPrior, PriorComponents, PriorKl } from './prior';

/** The encoder's posterior of images [K, pixels] (differentiable in the images). */
export type PosteriorOf = (images: tf.Tensor2D) => Posterior;

const INITIAL_INTENSITY = 0.05;
const INITIAL_SPREAD = 0.01;

export class VampPrior implements LatentPrior {
  readonly id = 'vamp' as const;
  /** Pre-sigmoid pseudo-inputs [K, pixels]. */
  readonly pseudoInputLogits: tf.Variable;

  constructor(
    readonly count: number,
    pixels: number,
    rng: Rng,
    scope: VariableScope,
    private readonly posteriorOf: PosteriorOf,
  ) {
    const logit = (p: number) => Math.log(p / (1 - p));
    const initial = tf.tensor2d(Float32Array.from({ length: count * pixels }, () => logit(Math.min(0.99, Math.max(0.01, INITIAL_INTENSITY + INITIAL_SPREAD * normalFrom(rng))))), [count, pixels]);
    this.pseudoInputLogits = scope.variable('prior/pseudoInputs', initial);
    initial.dispose();
  }

  /** The pseudo-inputs as images in (0, 1), [K, pixels]. */
  pseudoInputs(): tf.Tensor2D {
    return tf.sigmoid(this.pseudoInputLogits) as tf.Tensor2D;
  }

  logDensity(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const { mu, logVar } = this.posteriorOf(this.pseudoInputs());
      return mixtureLogDensity(z, mu, logVar, tf.fill([this.count], -Math.log(this.count)) as tf.Tensor1D);
    });
  }

  kl(posterior: Posterior, z: tf.Tensor2D): PriorKl {
    return oneSampleKl(posterior, z, (s) => this.logDensity(s));
  }

  components(): PriorComponents {
    return tf.tidy(() => {
      const pseudoInputs = this.pseudoInputs();
      const { mu, logVar } = this.posteriorOf(pseudoInputs);
      return { weights: tf.fill([this.count], 1 / this.count) as tf.Tensor1D, means: mu, logVars: logVar, pseudoInputs };
    });
  }
}
