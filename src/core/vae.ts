/**
 * The VAE: an encoder q(z|x), a decoder p(x|z) and the reparameterisation between them.
 * The default pair is the classic MLP of Kingma & Welling (784-400-z-400-784, ReLU).
 */
import * as tf from '@tensorflow/tfjs';
import { Dense } from './dense';
import type { Decoder, Encoder, ModelConfig, Posterior, Rng } from './types';

/** MLP encoder: h = ReLU(x·W₁ + b₁); [μ, log σ²] = h·W₂ + b₂ (one product, then split). */
export class MlpEncoder implements Encoder {
  private readonly hidden: Dense;
  private readonly head: Dense;

  constructor(private readonly config: ModelConfig, rng: Rng) {
    this.hidden = new Dense(config.inputDim, config.hiddenDim, 'relu', rng, 'encoder/hidden', false);
    this.head = new Dense(config.hiddenDim, 2 * config.latentDim, 'linear', rng, 'encoder/head');
  }

  encode(x: tf.Tensor2D): Posterior {
    return tf.tidy(() => {
      const both = this.head.call(this.hidden.call(x));
      const [mu, logVar] = tf.split(both, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { mu, logVar };
    });
  }

  get variables(): tf.Variable[] {
    return [...this.hidden.variables, ...this.head.variables];
  }

  get latentDim(): number {
    return this.config.latentDim;
  }

  dispose(): void {
    this.hidden.dispose();
    this.head.dispose();
  }
}

/** MLP decoder: logits = ReLU(z·W₃ + b₃)·W₄ + b₄. */
export class MlpDecoder implements Decoder {
  private readonly hidden: Dense;
  private readonly output: Dense;

  constructor(config: ModelConfig, rng: Rng) {
    this.hidden = new Dense(config.latentDim, config.hiddenDim, 'relu', rng, 'decoder/hidden');
    this.output = new Dense(config.hiddenDim, config.inputDim, 'linear', rng, 'decoder/output');
  }

  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.output.call(this.hidden.call(z)));
  }

  get variables(): tf.Variable[] {
    return [...this.hidden.variables, ...this.output.variables];
  }

  dispose(): void {
    this.hidden.dispose();
    this.output.dispose();
  }
}

/**
 * Reparameterisation trick: z = μ + σ ⊙ ε with ε ~ N(0, I) drawn outside the graph, so the
 * sample is a differentiable function of μ and log σ² (∂z/∂μ = 1, ∂z/∂log σ² = ½ σ ε).
 */
export function reparameterize(posterior: Posterior, epsilon: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(posterior.mu, tf.mul(tf.exp(tf.mul(posterior.logVar, 0.5)), epsilon)));
}

export class Vae {
  constructor(
    readonly config: ModelConfig,
    readonly encoder: Encoder,
    readonly decoder: Decoder,
  ) {}

  /** The default model of a configuration: the MLP pair. */
  static mlp(config: ModelConfig, rng: Rng): Vae {
    return new Vae(config, new MlpEncoder(config, rng), new MlpDecoder(config, rng));
  }

  get variables(): tf.Variable[] {
    return [...this.encoder.variables, ...this.decoder.variables];
  }

  get parameterCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}
