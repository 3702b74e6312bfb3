/**
 * The MLP networks of Kingma & Welling (784-400-z-400-784, ReLU): an encoder body that maps an
 * image (and optionally a one-hot condition) to a vector, and a decoder that maps a vector (and
 * the condition) to the likelihood's logits for every pixel.
 */
import * as tf from '../../tf';
import { Dense } from '../../layers/dense';
import type { VariableScope } from '../../layers/scope';
import { pixelCount } from '../../../data/dataset';
import type { Rng } from '../../types';
import type { DecoderNet, EncoderNet, NetShape } from './net';

/** h = ReLU([x, y]·W₁ + b₁); out = h·W₂ + b₂ (one product for μ and log σ² together). */
export class MlpEncoder implements EncoderNet {
  private readonly hidden: Dense;
  private readonly head: Dense;

  constructor(shape: NetShape, rng: Rng, scope: VariableScope) {
    // the first layer is fed by data: its input gradient would be a wasted product (unless the
    // input is learned, as the VampPrior's pseudo-inputs are)
    this.hidden = new Dense(pixelCount(shape.imageShape) + shape.conditionSize, shape.hiddenDim, 'relu', rng, { scope, path: 'encoder/hidden' }, shape.inputGradient === true);
    this.head = new Dense(shape.hiddenDim, shape.outputSize, 'linear', rng, { scope, path: 'encoder/head' });
  }

  call(x: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => this.head.call(this.hidden.call(condition ? (tf.concat([x, condition], 1) as tf.Tensor2D) : x)));
  }
}

/** logits = ReLU([z, y]·W₃ + b₃)·W₄ + b₄. */
export class MlpDecoder implements DecoderNet {
  private readonly hidden: Dense;
  private readonly output: Dense;

  constructor(shape: NetShape, rng: Rng, scope: VariableScope) {
    this.hidden = new Dense(shape.latentSize + shape.conditionSize, shape.hiddenDim, 'relu', rng, { scope, path: 'decoder/hidden' });
    this.output = new Dense(shape.hiddenDim, pixelCount(shape.imageShape), 'linear', rng, { scope, path: 'decoder/output' });
  }

  call(z: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => this.output.call(this.hidden.call(condition ? (tf.concat([z, condition], 1) as tf.Tensor2D) : z)));
  }
}
