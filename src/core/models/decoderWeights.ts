/**
 * The decoder's share of a model's weights: what a copy of the decoder (the page's decode worker)
 * needs to decode latents exactly as the model does, without the encoder or optimiser state.
 *
 * Only a decoder that maps latent points to images in one pass is copied (the Gaussian latent's
 * families: VAE, CVAE, M2, VAE-GAN, whose discriminator is not copied). A discrete latent (VQ-VAE)
 * decodes code grids, and the autoregressive MADE decoder samples pixel by pixel: both stay with
 * the training worker (decoderCopyRefusal says why).
 */
import { exportNamedWeights, importNamedWeights, type NamedWeight } from '../io/weights';
import type { NamedVariable } from '../layers/scope';
import { FAMILIES } from './catalog';
import type { ModelConfig } from './config';
import type { FamilyModel } from './family';

export const DEFAULT_DECODER_PREFIXES: readonly string[] = ['decoder/'];

/** Null when a copy of this model's decoder can decode for the page; else why not (one sentence). */
export function decoderCopyRefusal(config: Pick<ModelConfig, 'family' | 'options'>): string | null {
  const family = FAMILIES[config.family];
  if (!family) return `no family ${String(config.family)}`;
  if (family.latentKind !== 'gaussian') return `${family.label} has a discrete latent: it decodes code grids, which the training worker does`;
  if (config.options.decoder === 'made') return 'the autoregressive decoder draws pixel by pixel in the training worker';
  return null;
}

/** The variables the latent's decode reads, in the model's order. */
export function decoderVariables(model: Pick<FamilyModel, 'named' | 'latent'>): NamedVariable[] {
  const latent = model.latent;
  if (latent.kind !== 'gaussian') throw new Error('only a Gaussian latent’s decoder is copied');
  if (latent.startDecoding) throw new Error('the autoregressive decoder is not copied');
  const prefixes = latent.decoderPrefixes ?? DEFAULT_DECODER_PREFIXES;
  const chosen = model.named.filter((n) => prefixes.some((p) => n.path.startsWith(p)));
  if (!chosen.length) throw new Error(`the model has no variables under ${prefixes.join(', ')} to copy its decoder from`);
  return chosen;
}

/** Copies of the decoder's weights (plain arrays, ready to transfer). */
export function exportDecoderWeights(model: Pick<FamilyModel, 'named' | 'latent'>): Promise<NamedWeight[]> {
  return exportNamedWeights(decoderVariables(model));
}

/** Load decoder weights into a model of the same architecture; throws, assigning nothing, when they do not fit. */
export function importDecoderWeights(model: Pick<FamilyModel, 'named' | 'latent'>, weights: readonly NamedWeight[]): void {
  importNamedWeights(decoderVariables(model), weights);
}
