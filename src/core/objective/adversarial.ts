/**
 * The adversarial terms of VAE-GAN (Larsen et al. 2015, "Autoencoding beyond pixels using a
 * learned similarity metric"), from the discriminator's logits l (D(x) = σ(l)):
 *
 *   discriminator, real:  −log D(x)                                  (label 1)
 *   discriminator, fake:  −½ [log(1 − D(x̃)) + log(1 − D(x_p))]      (label 0)
 *   generator:            −½ [log D(x̃) + log D(x_p)]                 (non-saturating)
 *
 * x real images, x̃ = Dec(z), z ~ q(z|x), their reconstructions, x_p = Dec(z_p), z_p ~ p(z),
 * samples from the prior. Larsen's L_GAN = log D(x) + log(1 − D(x̃)) + log(1 − D(x_p)) weighs each
 * kind of fake like the real images; here the two fakes share the weight of the real ones, so a
 * discriminator that cannot tell has both of its losses at ln 2. The generator minimises
 * −log D(·) rather than log(1 − D(·)) (Goodfellow et al.'s non-saturating loss), which keeps a
 * gradient while the discriminator wins.
 *
 * With the stable forms −log σ(l) = softplus(−l) and −log(1 − σ(l)) = softplus(l).
 */
import * as tf from '../tf';

/** softplus(l) = log(1 + eˡ) = max(l, 0) + log(1 + e^(−|l|)), stable for any logit. */
export function softplus(l: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.relu(l), tf.log1p(tf.exp(tf.neg(tf.abs(l))))));
}

/** −log D(x) = softplus(−l), per example. */
export function realNll(logits: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => softplus(tf.neg(logits)) as tf.Tensor1D);
}

/** −log(1 − D(x)) = softplus(l), per example. */
export function fakeNll(logits: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => softplus(logits) as tf.Tensor1D);
}

export interface AdversarialTerms {
  /** −log D(x) per example [n]. */
  discriminatorReal: tf.Tensor1D;
  /** −½[log(1 − D(x̃)) + log(1 − D(x_p))] per example [n]. */
  discriminatorFake: tf.Tensor1D;
  /** −½[log D(x̃) + log D(x_p)] per example [n]. */
  generator: tf.Tensor1D;
}

/**
 * The three terms per example from D's logits on real images, on reconstructions and on prior
 * samples (row i of each belongs to example i). `generatorReconstruction` are the logits the
 * generator's term uses for x̃ (the same values, from a reconstruction whose gradient stops
 * before the encoder); by default the reconstructions'.
 */
export function adversarialTerms(real: tf.Tensor1D, reconstruction: tf.Tensor1D, prior: tf.Tensor1D, generatorReconstruction = reconstruction): AdversarialTerms {
  return tf.tidy(() => ({
    discriminatorReal: realNll(real),
    discriminatorFake: tf.mul(tf.add(fakeNll(reconstruction), fakeNll(prior)), 0.5) as tf.Tensor1D,
    generator: tf.mul(tf.add(realNll(generatorReconstruction), realNll(prior)), 0.5) as tf.Tensor1D,
  }));
}

/**
 * The discriminator's losses when it cannot tell real from fake (D = ½ everywhere): ln 2. Larsen's
 * code calls it the equilibrium (0.68 there).
 */
export const EQUILIBRIUM = Math.LN2;

/** Which players to update this step. */
export interface BalanceDecision {
  discriminator: boolean;
  generator: boolean;
}

/**
 * Larsen's balancing, from the discriminator's two losses (real, fake) in nats and a margin m
 * (0: off). A discriminator that is too good (either loss below ln 2 − m) skips its update; one
 * that is too poor (either loss above ln 2 + m) lets it catch up: the generator skips its update.
 * Both conditions at once (it nails one kind and misses the other): both players update.
 */
export function balance(real: number, fake: number, margin: number): BalanceDecision {
  if (!(margin > 0)) return { discriminator: true, generator: true };
  const tooGood = real < EQUILIBRIUM - margin || fake < EQUILIBRIUM - margin;
  const tooPoor = real > EQUILIBRIUM + margin || fake > EQUILIBRIUM + margin;
  if (tooGood && tooPoor) return { discriminator: true, generator: true };
  return { discriminator: !tooGood, generator: !tooPoor };
}
