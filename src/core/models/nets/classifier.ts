/**
 * The classifier q(y|x) of the semi-supervised family: an MLP image → hidden ReLU → class logits
 * (Kingma et al. 2014 use one of the same width as the VAE's), whatever network the VAE has.
 */
import * as tf from '../../tf';
import { Dense } from '../../layers/dense';
import type { VariableScope } from '../../layers/scope';
import type { Rng } from '../../types';

export class MlpClassifier {
  private readonly hidden: Dense;
  private readonly output: Dense;

  constructor(inputSize: number, hiddenDim: number, classCount: number, rng: Rng, scope: VariableScope) {
    this.hidden = new Dense(inputSize, hiddenDim, 'relu', rng, { scope, path: 'classifier/hidden' }, false);
    this.output = new Dense(hiddenDim, classCount, 'linear', rng, { scope, path: 'classifier/output' });
  }

  /** Class logits [n, classes]. */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.output.call(this.hidden.call(x)));
  }
}
