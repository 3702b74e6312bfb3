/**
 * The convolutional networks, exactly conv-small of ../shared/reference/vae_torch.py --arch conv:
 *   encoder: Conv 4×4 s2 p1 c→16, ReLU, Conv 4×4 s2 p1 16→32, ReLU, flatten, [ , y] Dense 128
 *            ReLU, Dense → outputSize (μ and log σ² together);
 *   decoder: [z, y] Dense 128 ReLU, Dense 128 → 32·h/4·w/4 ReLU, reshape, ConvT 4×4 s2 p1 32→16
 *            ReLU, ConvT 4×4 s2 p1 16→c (the likelihood's logits), flattened to [n, pixels].
 * MNIST's 28×28 goes 28 → 14 → 7 and back; Shapes' 32×32 gives 8×8×32. Other sides work too:
 * the decoder's output paddings (PyTorch's output_padding) make it end at the encoder's input size.
 * A one-hot condition y (the conditional families) joins the dense part: after the flatten in the
 * encoder, beside z in the decoder.
 *
 * Layout: tfjs is NHWC, PyTorch NCHW, so the flatten between conv and dense orders its 1568
 * features (h, w, c) here and (c, h, w) there: the same network up to a permutation of the rows
 * of the encoder's first dense weight and of the columns of the decoder's second. That matters
 * only when copying weights across (permute them then), never for training or comparing numbers.
 */
import * as tf from '../../tf';
import { Conv2d } from '../../layers/conv2d';
import { convOutputSize, type ConvWindow } from '../../layers/convGeometry';
import { ConvTranspose2d } from '../../layers/convTranspose2d';
import { Dense } from '../../layers/dense';
import type { VariableScope } from '../../layers/scope';
import type { Rng } from '../../types';
import { pixelCount } from '../../../data/dataset';
import { parseConvChannels, type ConvChannels } from '../catalog';
import type { DecoderNet, EncoderNet, NetShape, NetworkOptions } from './net';

export interface ConvNetOptions {
  /** Channels after the first and the second convolution (the reference: 16, 32). */
  channels: readonly [number, number];
  /** Width of the dense layer between the convolutions and the head (the reference: 128). */
  denseWidth: number;
}

export const CONV_SMALL: ConvNetOptions = { channels: [16, 32], denseWidth: 128 };

/** The conv net's options from its declared settings (catalog.ts: convChannels); the dense width stays the reference's. */
export function convNetOptions(options: NetworkOptions): ConvNetOptions {
  const channels = options.convChannels;
  return channels === undefined ? CONV_SMALL : { ...CONV_SMALL, channels: parseConvChannels(channels as ConvChannels) };
}

/** Both convolutions' window: 4×4, stride 2, padding 1 (halves an even side). */
export const CONV_SMALL_WINDOW: ConvWindow = { kernelSize: 4, stride: 2, padding: 1 };
const WINDOW = CONV_SMALL_WINDOW;

/** The sides [h, w] of the image, after the first and after the second convolution. */
export function sides(shape: Pick<NetShape, 'imageShape'>): [[number, number], [number, number], [number, number]] {
  const image: [number, number] = [shape.imageShape.height, shape.imageShape.width];
  const first = convOutputSize(image, WINDOW);
  const second = convOutputSize(first, WINDOW);
  if (second[0] < 1 || second[1] < 1) throw new Error(`the conv networks need images of at least 4×4, got ${image[0]}×${image[1]}`);
  return [image, first, second];
}

/** The output padding that makes a transposed convolution of side `from` end at side `to`. */
export function outputPadding(from: number, to: number): number {
  return to - ((from - 1) * WINDOW.stride - 2 * WINDOW.padding + WINDOW.kernelSize);
}

function withCondition(x: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D {
  return condition ? (tf.concat([x, condition], 1) as tf.Tensor2D) : x;
}

export class ConvEncoder implements EncoderNet {
  private readonly conv1: Conv2d;
  private readonly conv2: Conv2d;
  private readonly hidden: Dense;
  private readonly head: Dense;
  private readonly imageShape: [number, number, number];
  private readonly flatSize: number;

  constructor(shape: NetShape, rng: Rng, scope: VariableScope, options: ConvNetOptions = CONV_SMALL) {
    const [image, , [h2, w2]] = sides(shape);
    const [c1, c2] = options.channels;
    const channels = shape.imageShape.channels;
    this.imageShape = [image[0], image[1], channels];
    this.flatSize = h2 * w2 * c2;
    // the first layer is fed by data: its input gradient would be a wasted col2im and product
    // (unless the input is learned, as the VampPrior's pseudo-inputs are)
    this.conv1 = new Conv2d({ ...WINDOW, inChannels: channels, outChannels: c1, activation: 'relu' }, rng, { scope, path: 'encoder/conv1' }, shape.inputGradient === true);
    this.conv2 = new Conv2d({ ...WINDOW, inChannels: c1, outChannels: c2, activation: 'relu' }, rng, { scope, path: 'encoder/conv2' });
    this.hidden = new Dense(this.flatSize + shape.conditionSize, options.denseWidth, 'relu', rng, { scope, path: 'encoder/hidden' });
    this.head = new Dense(options.denseWidth, shape.outputSize, 'linear', rng, { scope, path: 'encoder/head' });
  }

  call(x: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => {
      const n = x.shape[0];
      const images = tf.reshape(x, [n, ...this.imageShape]) as tf.Tensor4D;
      const features = tf.reshape(this.conv2.call(this.conv1.call(images)), [n, this.flatSize]) as tf.Tensor2D;
      return this.head.call(this.hidden.call(withCondition(features, condition)));
    });
  }
}

export class ConvDecoder implements DecoderNet {
  private readonly hidden: Dense;
  private readonly grid: Dense;
  private readonly convT1: ConvTranspose2d;
  private readonly convT2: ConvTranspose2d;
  private readonly gridShape: [number, number, number];
  private readonly pixels: number;

  constructor(shape: NetShape, rng: Rng, scope: VariableScope, options: ConvNetOptions = CONV_SMALL) {
    const [image, first, second] = sides(shape);
    const [c1, c2] = options.channels;
    this.gridShape = [second[0], second[1], c2];
    this.pixels = pixelCount(shape.imageShape);
    const pad = (from: [number, number], to: [number, number]): number => {
      const [ph, pw] = [outputPadding(from[0], to[0]), outputPadding(from[1], to[1])];
      // the layer has one output padding for both axes: enough for square images and any whose
      // sides halve alike
      if (ph !== pw) throw new Error(`the conv decoder cannot end at ${image[0]}×${image[1]}: its sides need different output paddings`);
      return ph;
    };
    this.hidden = new Dense(shape.latentSize + shape.conditionSize, options.denseWidth, 'relu', rng, { scope, path: 'decoder/hidden' });
    this.grid = new Dense(options.denseWidth, second[0] * second[1] * c2, 'relu', rng, { scope, path: 'decoder/grid' });
    this.convT1 = new ConvTranspose2d({ ...WINDOW, inChannels: c2, outChannels: c1, activation: 'relu', outputPadding: pad(second, first) }, rng, { scope, path: 'decoder/convT1' });
    this.convT2 = new ConvTranspose2d({ ...WINDOW, inChannels: c1, outChannels: shape.imageShape.channels, activation: 'linear', outputPadding: pad(first, image) }, rng, {
      scope,
      path: 'decoder/convT2',
    });
  }

  call(z: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => {
      const n = z.shape[0];
      const grid = tf.reshape(this.grid.call(this.hidden.call(withCondition(z, condition))), [n, ...this.gridShape]) as tf.Tensor4D;
      return tf.reshape(this.convT2.call(this.convT1.call(grid)), [n, this.pixels]) as tf.Tensor2D;
    });
  }
}
