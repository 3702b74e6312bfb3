/**
 * Lessons in one click: each preset is a URL hash (so a lesson can be shared as a link) and two
 * sentences on what to watch. Applying one replaces every setting with the defaults plus the
 * preset's own.
 */

/** The page's lab tabs (below the core loop): a lesson may open one. */
export type LabTab = 'lab' | 'compare' | 'use' | 'sharpness';

/** What a lesson sets up in the tools of a trained model (beyond the settings). */
export interface PresetTools {
  /** Interpolate between a test image of one class and one of another (class indices). */
  interpolate?: { from: number; to: number };
}

export interface Preset {
  id: string;
  label: string;
  /** Two sentences: what the preset sets up and what to watch. */
  summary: string;
  /** The settings, as a URL hash without "#" (keys of the settings schema). */
  hash: string;
  /** The lab tab the lesson happens in, if any (the page opens it). */
  tab?: LabTab;
  tools?: PresetTools;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'ae-vs-vae',
    label: 'AE vs VAE',
    summary:
      'A 2-D latent space on MNIST, and the comparison of a plain autoencoder, a KL-only model and a VAE trained for the same steps. Press Compare: the autoencoder scatters its codes with holes between the classes, the KL-only model piles everything onto the prior, the VAE fills the prior with classes side by side.',
    hash: 'z=2',
    tab: 'compare',
  },
  {
    id: 'beta-vae',
    label: 'β-VAE and disentanglement',
    summary:
      'Shapes with known factors (shape, scale, orientation, x, y), 10 latent dimensions and β = 4. Train and watch the traversals and the MIG: a few dimensions take one factor each while the others switch off (their KL goes to 0).',
    hash: 'data=shapes&z=10&beta=4',
    tab: 'lab',
  },
  {
    id: 'collapse-annealing',
    label: 'Posterior collapse and KL annealing',
    summary:
      'Twenty latent dimensions at β = 2 under a cyclical KL schedule with free bits λ = 0.25 nats. Watch the KL per dimension and the active units: at constant β most units collapse onto the prior; the cycles and the free bits keep more of them carrying information (take a snapshot, then try Constant β).',
    hash: 'z=20&beta=2&sched=cyclical&fb=0.25',
    tab: 'lab',
  },
  {
    id: 'interpolate-7-1',
    label: 'Interpolate a 7 into a 1',
    summary:
      'MNIST with 10 latent dimensions; Interpolation walks from a test 7 to a test 1 through the decoder, and the path is drawn on the latent space. Train for a minute and compare the strip with the pixel blend under it: every step of the latent path is a digit, the blend is two faint digits on top of each other.',
    hash: 'z=10',
    tab: 'use',
    tools: { interpolate: { from: 7, to: 1 } },
  },
  {
    id: 'anomaly-detection',
    label: 'Anomaly detection',
    summary:
      'MNIST without the digit 5, with 10 latent dimensions: after training, Anomaly detection scores the test set and images the model has never seen by their −ELBO. Fashion-MNIST, noise and inverted digits are far off (AUC near 1); the held-out 5s only partly, and the ROC curves show by which term.',
    hash: 'z=10&holdout=5',
    tab: 'use',
  },
  {
    id: 'elbo-tightness',
    label: 'How tight is the ELBO?',
    summary:
      'The classic VAE with 20 latent dimensions, as in the PyTorch reference. Train for a few epochs, then press Estimate in Log-likelihood (IWAE): the importance-weighted bound rises from the ELBO at k = 1 towards log p(x), and the gap is how far q(z|x) is from the true posterior.',
    hash: 'z=20',
    tab: 'use',
  },
  {
    id: 'sharper-samples',
    label: 'Sharper samples (VAE-GAN)',
    summary:
      'A VAE-GAN (Larsen et al. 2015) with 20 latent dimensions: a discriminator learns to tell real digits from reconstructions and prior samples, and the decoder learns to fool it. Train for a few thousand steps, watch the Discriminator panel, then press Score samples and Train a plain VAE beside it: the VAE-GAN’s samples are sharper and score a lower Fréchet distance, at a higher −ELBO.',
    hash: 'model=vaegan&z=20',
    tab: 'sharpness',
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
