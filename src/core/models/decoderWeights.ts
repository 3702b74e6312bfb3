/**
 * The decoder's share of a model's weights: what a copy of the decoder (the page's decode worker)
 * needs to decode latents exactly as the model does, without the encoder or optimiser state.
 */
import { exportNamedWeights, importNamedWeights, type NamedWeight } from '../io/weights';
import type { NamedVariable } from '../layers/scope';
import type { FamilyModel } from './family';

export const DEFAULT_DECODER_PREFIXES: readonly string[] = ['decoder/'];

/** The variables the latent's decode reads, in the model's order. */
export function decoderVariables(model: Pick<FamilyModel, 'named' | 'latent'>): NamedVariable[] {
  const latent = model.latent;
  if (latent.kind !== 'gaussian') throw new Error('only a Gaussian latent’s decoder is copied');
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
