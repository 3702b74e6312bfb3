/**
 * A dense layer whose weight is multiplied by a fixed 0/1 mask before every product,
 * y = act(x·(W ⊙ M) + b): the connections the mask removes carry nothing forward and get no
 * gradient (∂/∂W of x·(W ⊙ M) is (xᵀ·g) ⊙ M). MADE's autoregressive masks are such masks. The
 * mask is a constant the layer owns.
 */
import * as tf from '../tf';
import { Dense, type Activation, type LayerPlace } from './dense';
import type { Rng } from '../types';

export class MaskedDense extends Dense {
  readonly mask: tf.Tensor2D;

  /** `mask` row-major [inputSize, outputSize], 1 where a connection exists. */
  constructor(inputSize: number, outputSize: number, activation: Activation, rng: Rng, place: LayerPlace, mask: Float32Array, inputGrad = true) {
    super(inputSize, outputSize, activation, rng, place, inputGrad);
    if (mask.length !== inputSize * outputSize) throw new Error(`the mask of ${place.path} has ${mask.length} entries, not ${inputSize} × ${outputSize}`);
    this.mask = tf.tensor2d(mask, [inputSize, outputSize]);
  }

  protected override effectiveWeight(): tf.Tensor2D {
    return tf.mul(this.weight, this.mask) as tf.Tensor2D;
  }

  override dispose(): void {
    super.dispose();
    this.mask.dispose();
  }
}
