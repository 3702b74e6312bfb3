/**
 * The identity in the forward pass and zero in the backward pass: tfjs has no stop-gradient op
 * (tfjs#967). VAE-GAN decodes a sample z through it so that the adversarial term trains the
 * decoder without reaching the encoder.
 */
import * as tf from '../tf';

const stop = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
