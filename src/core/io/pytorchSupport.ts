/** Which models the PyTorch export can express: pure (no tfjs), so the page can say so before asking. */
import type { ModelConfig } from '../models/config';

/**
 * Why a model cannot be exported for PyTorch, or null. M2's objective (a labelled subset cycled
 * beside every unlabelled batch, each unlabelled image decoded under every class, the classifier's
 * α term) has no script here: its weights and moments would map (torchLayout.ts), its training
 * would not. The VQ-VAE's codebook and straight-through objective have no script either, nor
 * VAE-GAN's discriminator and players' losses. The script defines the factorised decoders with the
 * Bernoulli and fixed-σ Gaussian likelihoods only.
 */
export function pytorchExportProblem(config: Pick<ModelConfig, 'family'> & Partial<Pick<ModelConfig, 'likelihood' | 'options'>>): string | null {
  if (config.family === 'm2') {
    return 'M2 cannot be exported for PyTorch yet: its semi-supervised objective (labelled and unlabelled batches, the class summed out, the classifier’s term) has no script. Download model file keeps the whole run.';
  }
  if (config.family === 'vqvae') {
    // its networks are the reference's `--arch vq`, but the script does not write them: say so rather than ship a different model
    return 'Export for PyTorch does not cover the VQ-VAE yet (its model file, Download model file, saves and loads it here)';
  }
  if (config.family === 'vaegan') {
    return 'VAE-GAN cannot be exported for PyTorch yet: its discriminator and the players’ losses have no script. Download model file keeps the whole run, the discriminator’s weights included.';
  }
  if (config.options?.decoder === 'made') return 'the export for PyTorch covers the factorised decoder only, not the autoregressive (MADE) one';
  if (config.likelihood !== undefined && config.likelihood !== 'bernoulli' && config.likelihood !== 'gaussian') return 'the export for PyTorch covers the Bernoulli and the fixed-σ Gaussian likelihoods only';
  return null;
}
