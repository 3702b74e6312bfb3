/**
 * The VampPrior (Tomczak & Welling 2018, "VAE with a VampPrior"): the prior is the mixture of the
 * variational posteriors of K learned pseudo-inputs u_k,
 *   p(z) = (1/K) Σ_k q(z | u_k),
 * so the prior and the encoder are learned together and the prior lives where the posteriors do.
 * The pseudo-inputs are images, learned pixel by pixel and clipped to [0, 1] where used (Tomczak's
 * hard tanh), starting at intensity 0.05 ± 0.01 as there. (A sigmoid of learned logits would keep
 * the gradient at the bounds, but near 0.05 it passes 1/20 of it: the images hardly moved.)
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
  /** The pseudo-inputs' pixels [K, pixels], before the clip to [0, 1]. */
  readonly pseudoInputPixels: tf.Variable;

  constructor(
    readonly count: number,
    pixels: number,
    rng: Rng,
    scope: VariableScope,
    private readonly posteriorOf: PosteriorOf,
  ) {
    const initial = tf.tensor2d(Float32Array.from({ length: count * pixels }, () => Math.max(0, INITIAL_INTENSITY + INITIAL_SPREAD * normalFrom(rng))), [count, pixels]);
    this.pseudoInputPixels = scope.variable('prior/pseudoInputs', initial);
    initial.dispose();
  }

  /** The pseudo-inputs as images in [0, 1], [K, pixels]. */
  pseudoInputs(): tf.Tensor2D {
    return tf.clipByValue(this.pseudoInputPixels, 0, 1) as tf.Tensor2D;
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
