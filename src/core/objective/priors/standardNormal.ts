/** The standard normal prior N(0, I): no variables, the KL in closed form per dimension. */
import * as tf from '../../tf';
import type { Posterior } from '../../types';
import { klPerExampleAndDim } from '../kl';
import { LOG_2PI } from './gaussian';
import type { LatentPrior, PriorKl } from './prior';

export class StandardNormalPrior implements LatentPrior {
  readonly id = 'standard' as const;

  /** log N(z; 0, I) = −½ Σ_d (log 2π + z_d²). */
  logDensity(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => tf.mul(tf.sum(tf.add(tf.square(z), LOG_2PI), 1), -0.5) as tf.Tensor1D);
  }

  kl(posterior: Posterior): PriorKl {
    return tf.tidy(() => {
      const perDim = klPerExampleAndDim(posterior);
      return { perDim, perExample: tf.sum(perDim, 1) as tf.Tensor1D };
    });
  }

  components(): null {
    return null;
  }
}
