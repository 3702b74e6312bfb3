/**
 * The VQ-VAE's networks, exactly ../shared/reference/vae_torch.py --arch vq: the conv-small trunk
 * (Conv 4×4 s2 p1 c→16, ReLU, Conv 4×4 s2 p1 16→32, ReLU: 28×28 → 7×7×32, Shapes' 32×32 → 8×8×32)
 * and a 1×1 conv 32→D to z_e; the decoder a 1×1 conv D→32, ReLU, ConvT 4×4 s2 p1 32→16, ReLU,
 * ConvT 16→c (the likelihood's logits). A 1×1 conv is a dense layer applied at every position
 * (the same weights and PyTorch's same initialisation, fan-in = channels), run as one product
 * over the rows [n·positions, channels].
 */
import * as tf from '../../tf';
import { Conv2d } from '../../layers/conv2d';
import { ConvTranspose2d } from '../../layers/convTranspose2d';
import { Dense } from '../../layers/dense';
import type { VariableScope } from '../../layers/scope';
import type { ImageShape } from '../../../data/dataset';
import type { Rng } from '../../types';
import { CONV_SMALL, CONV_SMALL_WINDOW as WINDOW, outputPadding, sides } from './conv';

/** The code grid's [height, width] for an image shape (the trunk's output side). */
export function codeGrid(imageShape: ImageShape): [number, number] {
  const [, , grid] = sides({ imageShape });
  return grid;
}

/** Images [n, pixels] → z_e, one row per position [n·positions, D] (example-major, row-major grid). */
export class VqEncoder {
  private readonly conv1: Conv2d;
  private readonly conv2: Conv2d;
  private readonly project: Dense;
  private readonly imageShape: [number, number, number];

  constructor(imageShape: ImageShape, codeDim: number, rng: Rng, scope: VariableScope) {
    const [c1, c2] = CONV_SMALL.channels;
    this.imageShape = [imageShape.height, imageShape.width, imageShape.channels];
    // the first layer is fed by data: its input gradient would be wasted work
    this.conv1 = new Conv2d({ ...WINDOW, inChannels: imageShape.channels, outChannels: c1, activation: 'relu' }, rng, { scope, path: 'encoder/conv1' }, false);
    this.conv2 = new Conv2d({ ...WINDOW, inChannels: c1, outChannels: c2, activation: 'relu' }, rng, { scope, path: 'encoder/conv2' });
    this.project = new Dense(c2, codeDim, 'linear', rng, { scope, path: 'encoder/project' });
  }

  call(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const n = x.shape[0];
      const features = this.conv2.call(this.conv1.call(tf.reshape(x, [n, ...this.imageShape]) as tf.Tensor4D));
      const [, h, w, c] = features.shape;
      return this.project.call(tf.reshape(features, [n * h * w, c]) as tf.Tensor2D);
    });
  }
}

/** Quantised rows [n·positions, D] → logits [n, pixels]. */
export class VqDecoder {
  private readonly expand: Dense;
  private readonly convT1: ConvTranspose2d;
  private readonly convT2: ConvTranspose2d;
  private readonly grid: [number, number];
  private readonly pixels: number;

  constructor(imageShape: ImageShape, codeDim: number, rng: Rng, scope: VariableScope) {
    const [image, first, second] = sides({ imageShape });
    const [c1, c2] = CONV_SMALL.channels;
    this.grid = second;
    this.pixels = imageShape.width * imageShape.height * imageShape.channels;
    const pad = (from: [number, number], to: [number, number]) => {
      const [ph, pw] = [outputPadding(from[0], to[0]), outputPadding(from[1], to[1])];
      if (ph !== pw) throw new Error(`the VQ-VAE decoder cannot end at ${image[0]}×${image[1]}: its sides need different output paddings`);
      return ph;
    };
    this.expand = new Dense(codeDim, c2, 'relu', rng, { scope, path: 'decoder/expand' });
    this.convT1 = new ConvTranspose2d({ ...WINDOW, inChannels: c2, outChannels: c1, activation: 'relu', outputPadding: pad(second, first) }, rng, { scope, path: 'decoder/convT1' });
    this.convT2 = new ConvTranspose2d({ ...WINDOW, inChannels: c1, outChannels: imageShape.channels, activation: 'linear', outputPadding: pad(first, image) }, rng, {
      scope,
      path: 'decoder/convT2',
    });
  }

  call(zq: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [h, w] = this.grid;
      const n = zq.shape[0] / (h * w);
      const features = tf.reshape(this.expand.call(zq), [n, h, w, CONV_SMALL.channels[1]]) as tf.Tensor4D;
      return tf.reshape(this.convT2.call(this.convT1.call(features)), [n, this.pixels]) as tf.Tensor2D;
    });
  }
}
