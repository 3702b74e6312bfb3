/** Model configurations for the unit tests, in the shape the registry takes. */
import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../../../src/core/models/config';
import type { Trainer } from '../../../src/core/training/trainer';

/** An MLP VAE for flat inputs of `inputDim` pixels (a 1-row "image": the MLP only sees the count). */
export function mlpVae(c: { inputDim: number; hiddenDim: number; latentDim: number; likelihood: ModelConfig['likelihood']; seed: number; classCount?: number }): ModelConfig {
  return {
    family: 'vae',
    network: 'mlp',
    imageShape: { width: c.inputDim, height: 1, channels: 1 },
    classCount: c.classCount ?? 10,
    hiddenDim: c.hiddenDim,
    latentDim: c.latentDim,
    likelihood: c.likelihood,
    seed: c.seed,
    options: {},
  };
}

/** Pixels per example of a config. */
export function pixelsOf(config: ModelConfig): number {
  return config.imageShape.width * config.imageShape.height * config.imageShape.channels;
}

/** The variables of a trainer's model whose path starts with `prefix/` ('encoder', 'decoder'). */
export function variablesUnder(trainer: Trainer, prefix: string): tf.Variable[] {
  return trainer.model.named.filter((n) => n.path.startsWith(`${prefix}/`)).map((n) => n.variable);
}
