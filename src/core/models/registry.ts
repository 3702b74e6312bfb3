/**
 * The builders of the model families declared in catalog.ts, by the same ids: the one place that
 * turns a ModelConfig into tensors. Worker-side only (it loads tfjs).
 */
import type { FamilyId } from './catalog';
import type { ModelConfig } from './config';
import type { FamilyModel } from './family';
import { GaussianVae } from './gaussianVae';
import { VaeGan } from './vaeGan';
import { VqVae } from './vq/vqVae';
import { SemiSupervisedVae } from './semiSupervised';
import type { Rng } from '../types';

export type FamilyBuilder = (config: ModelConfig, rng: Rng) => FamilyModel;

export const FAMILY_BUILDERS: Record<FamilyId, FamilyBuilder> = {
  vae: (config, rng) => new GaussianVae(config, rng),
  vqvae: (config, rng) => new VqVae(config, rng),
  vaegan: (config, rng) => new VaeGan(config, rng),
  cvae: (config, rng) => new GaussianVae(config, rng, true),
  m2: (config, rng) => new SemiSupervisedVae(config, rng),
};

export function buildModel(config: ModelConfig, rng: Rng): FamilyModel {
  return FAMILY_BUILDERS[config.family](config, rng);
}
