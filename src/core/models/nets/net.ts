/**
 * What an encoder or decoder network is to a family: a function of a batch (and an optional
 * one-hot condition) whose variables live in the family's scope. A family picks the network by
 * the config's `network` id (nets/index.ts) and adds its own heads and losses around it.
 */
import type * as tf from '../../tf';
import type { ImageShape } from '../../../data/dataset';
import type { SettingValue } from '../../settings/spec';

export interface NetShape {
  /** The images' shape; an image is pixelCount(imageShape) values in (h, w, c) order (data/dataset.ts). */
  imageShape: ImageShape;
  /** Width of the condition joined to both networks' inputs (0: none). */
  conditionSize: number;
  /** The encoder's output width (2 × latent dimensions for μ and log σ²). */
  outputSize: number;
  /** The decoder's input width (latent dimensions). */
  latentSize: number;
  /** MLP hidden width. */
  hiddenDim: number;
  /**
   * The encoder's input needs a gradient (the VampPrior's pseudo-inputs are learned through the
   * encoder); off, the first layer skips that product, since data needs none.
   */
  inputGradient?: boolean;
}

/** A network's own settings (catalog.ts NETWORKS), every declared key present. */
export type NetworkOptions = Readonly<Record<string, SettingValue>>;

/** Image [n, pixels] (+ condition [n, c]) → [n, outputSize]. */
export interface EncoderNet {
  call(x: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D;
}

/** Latent [n, latentSize] (+ condition [n, c]) → logits [n, pixels]. */
export interface DecoderNet {
  call(z: tf.Tensor2D, condition: tf.Tensor2D | null): tf.Tensor2D;
}
