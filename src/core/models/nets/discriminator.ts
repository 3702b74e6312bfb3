/**
 * The discriminators of VAE-GAN, image → the logit of "real", with the activations of their
 * hidden layers kept: Larsen et al.'s learned similarity measures a reconstruction in the l-th
 * layer's features. Both kinds have two feature layers:
 *   mlp:  Dense h ReLU (layer 1), Dense h ReLU (layer 2), Dense → 1, h the VAE's hidden width;
 *   conv: Conv 4×4 s2 p1 c→16 ReLU (layer 1), Conv 4×4 s2 p1 16→32 ReLU (layer 2), flatten,
 *         Dense 128 ReLU, Dense → 1 (conv-small's encoder body, nets/conv.ts).
 * Their first layer passes a gradient back to the image: the generator learns through D.
 */
import * as tf from '../../tf';
import { Conv2d } from '../../layers/conv2d';
import { convOutputSize, type ConvWindow } from '../../layers/convGeometry';
import { Dense } from '../../layers/dense';
import type { VariableScope } from '../../layers/scope';
import type { ImageShape } from '../../../data/dataset';
import type { Rng } from '../../types';
import type { NetworkId } from '../catalog';

export interface DiscriminatorOutput {
  /** The hidden layers' activations, flattened to [n, features], layer 1 first. */
  features: tf.Tensor2D[];
  /** The logit of D(x) = σ(logit) that an image is real, [n]. */
  logits: tf.Tensor1D;
}

export interface DiscriminatorNet {
  /** How many feature layers `call` returns. */
  readonly featureLayers: number;
  call(x: tf.Tensor2D): DiscriminatorOutput;
}

export const CONV_DISCRIMINATOR = { channels: [16, 32] as const, denseWidth: 128 };
const WINDOW: ConvWindow = { kernelSize: 4, stride: 2, padding: 1 };

const PATH = 'discriminator';

function logitsOf(head: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(head, [head.shape[0]]) as tf.Tensor1D;
}

export class MlpDiscriminator implements DiscriminatorNet {
  readonly featureLayers = 2;
  private readonly hidden1: Dense;
  private readonly hidden2: Dense;
  private readonly output: Dense;

  constructor(inputSize: number, width: number, rng: Rng, scope: VariableScope) {
    this.hidden1 = new Dense(inputSize, width, 'relu', rng, { scope, path: `${PATH}/hidden1` });
    this.hidden2 = new Dense(width, width, 'relu', rng, { scope, path: `${PATH}/hidden2` });
    this.output = new Dense(width, 1, 'linear', rng, { scope, path: `${PATH}/output` });
  }

  call(x: tf.Tensor2D): DiscriminatorOutput {
    return tf.tidy(() => {
      const h1 = this.hidden1.call(x);
      const h2 = this.hidden2.call(h1);
      return { features: [h1, h2], logits: logitsOf(this.output.call(h2)) };
    });
  }
}

export class ConvDiscriminator implements DiscriminatorNet {
  readonly featureLayers = 2;
  private readonly conv1: Conv2d;
  private readonly conv2: Conv2d;
  private readonly hidden: Dense;
  private readonly output: Dense;
  private readonly imageShape: [number, number, number];
  private readonly sizes: [number, number];

  constructor(imageShape: ImageShape, rng: Rng, scope: VariableScope) {
    const image: [number, number] = [imageShape.height, imageShape.width];
    const first = convOutputSize(image, WINDOW);
    const second = convOutputSize(first, WINDOW);
    if (second[0] < 1 || second[1] < 1) throw new Error(`the conv discriminator needs images of at least 4×4, got ${image[0]}×${image[1]}`);
    const [c1, c2] = CONV_DISCRIMINATOR.channels;
    this.imageShape = [image[0], image[1], imageShape.channels];
    this.sizes = [first[0] * first[1] * c1, second[0] * second[1] * c2];
    this.conv1 = new Conv2d({ ...WINDOW, inChannels: imageShape.channels, outChannels: c1, activation: 'relu' }, rng, { scope, path: `${PATH}/conv1` });
    this.conv2 = new Conv2d({ ...WINDOW, inChannels: c1, outChannels: c2, activation: 'relu' }, rng, { scope, path: `${PATH}/conv2` });
    this.hidden = new Dense(this.sizes[1], CONV_DISCRIMINATOR.denseWidth, 'relu', rng, { scope, path: `${PATH}/hidden` });
    this.output = new Dense(CONV_DISCRIMINATOR.denseWidth, 1, 'linear', rng, { scope, path: `${PATH}/output` });
  }

  call(x: tf.Tensor2D): DiscriminatorOutput {
    return tf.tidy(() => {
      const n = x.shape[0];
      const a1 = this.conv1.call(tf.reshape(x, [n, ...this.imageShape]) as tf.Tensor4D);
      const a2 = this.conv2.call(a1);
      const f2 = tf.reshape(a2, [n, this.sizes[1]]) as tf.Tensor2D;
      const features = [tf.reshape(a1, [n, this.sizes[0]]) as tf.Tensor2D, f2];
      return { features, logits: logitsOf(this.output.call(this.hidden.call(f2))) };
    });
  }
}

/** `width`: the MLP's hidden width (the VAE's). */
export function buildDiscriminator(network: NetworkId, imageShape: ImageShape, width: number, rng: Rng, scope: VariableScope): DiscriminatorNet {
  const inputSize = imageShape.width * imageShape.height * imageShape.channels;
  return network === 'conv' ? new ConvDiscriminator(imageShape, rng, scope) : new MlpDiscriminator(inputSize, width, rng, scope);
}
