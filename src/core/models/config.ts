/**
 * Everything needed to build a model: plain data, so it crosses the worker boundary and can be
 * saved with the weights. What a family adds of its own goes in `options`, checked against the
 * family's declared settings (catalog.ts).
 */
import type { ImageShape } from '../../data/dataset';
import type { LikelihoodId } from '../objective/catalog';
import type { SettingValue } from '../settings/spec';
import type { FamilyId, NetworkId } from './catalog';

export type FamilyOptions = Readonly<Record<string, SettingValue>>;

export interface ModelConfig {
  family: FamilyId;
  network: NetworkId;
  /** The data set's image shape; networks are built for it (MNIST 28×28×1). */
  imageShape: ImageShape;
  /** Classes in the data set (the conditional families' one-hot width). */
  classCount: number;
  /** Width of the MLP's hidden layers (400 in Kingma & Welling / pytorch/examples); the other networks ignore it. */
  hiddenDim: number;
  /**
   * The network's own settings (catalog.ts NETWORKS), by key, checked against its declaration;
   * absent or missing keys: the declared defaults (the conv net's channels 16 / 32).
   */
  networkOptions?: FamilyOptions;
  /** Latent dimensions of a Gaussian latent, 1…64. */
  latentDim: number;
  likelihood: LikelihoodId;
  /** Seed for weight initialisation and the reparameterisation noise. */
  seed: number;
  /** The family's own model settings (catalog.ts), by key. */
  options: FamilyOptions;
}

/** Pixels per image of a model's input. */
export function inputSize(config: Pick<ModelConfig, 'imageShape'>): number {
  const { width, height, channels } = config.imageShape;
  return width * height * channels;
}
