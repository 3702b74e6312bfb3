/**
 * Lessons in one click: each preset is a URL hash (so a lesson can be shared as a link) and two
 * sentences on what to watch. Applying one replaces every setting with the defaults plus the
 * preset's own.
 */

/** The page's lab tabs (below the core loop): a lesson may open one. */
export type LabTab = 'lab' | 'compare' | 'use' | 'classes' | 'sharpness';

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
    id: 'elbo-two-terms',
    label: 'The ELBO’s two terms',
    summary:
      'The classic VAE on MNIST with a 2-D latent space, so every code can be seen. Press Train and watch the loss curves and the Model diagram: the reconstruction term falls steeply while the KL term rises from zero as the codes start to say something about the images.',
    hash: 'z=2',
  },
  {
    id: 'reparameterisation',
    label: 'The reparameterisation trick in numbers',
    summary:
      'A VAE with 2 latent dimensions. Step a few times, then read the Worked example: z = μ + σ ε with the numbers of one test image, and the gradients with respect to μ and log σ² next to ∂z/∂μ = 1 and ∂z/∂log σ² = ½ σ ε. Press Draw another ε: z moves, μ stays.',
    hash: 'z=2',
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
    id: 'beta-tcvae',
    label: 'Disentangling with β-TCVAE',
    summary:
      'The same Shapes with the convolutional network, 10 latent dimensions and β-TCVAE at β = 6: only the total correlation, the dependence between the latent dimensions, is weighted by β, so the code keeps what it knows of the image. Watch the loss chart split the KL into index-code MI, total correlation and dimension-wise KL: the total correlation falls towards 0 while the MIG rises.',
    hash: 'data=shapes&net=conv&z=10&beta=6&obj=tcvae',
    tab: 'lab',
  },
  {
    id: 'collapse-annealing',
    label: 'Posterior collapse and KL annealing',
    summary:
      'The autoregressive decoder (MADE) with 20 latent dimensions at β = 1: it can draw digits from its own earlier pixels, so it needs z less and less. After a few epochs the KL, I(x; z) and the active units in Latent usage start to fall (measured here: 20 of 20 units active for 6 epochs, 9 after 10, 7 after 20, the KL from 9.5 to 3.4 nats). Press Collapse vs rescue in Snapshots: 4,700 steps each (ten epochs, several minutes) at constant β = 1 and with cyclical β plus free bits λ = 0.5 nats, same seed, side by side with their KL, active units and samples.',
    hash: 'z=20&dec=made&cmp=4700',
    tab: 'lab',
  },
  {
    id: 'conditional-generation',
    label: 'Conditional generation',
    summary:
      'A conditional VAE on MNIST with a 2-D latent space: the class is given to the encoder and the decoder, so z only holds the style. Pick a Class and drag the probe: the same slant and stroke come out as any digit; the strip shows one z as all ten.',
    hash: 'model=cvae&z=2',
  },
  {
    id: 'semi-supervised-100',
    label: 'Semi-supervised with 100 labels',
    summary:
      'M2 of Kingma et al. (2014) with only 100 labelled digits (ten of each); the other 59,900 count as unlabelled, their class inferred by q(y|x) and summed out. Watch the classifier’s test accuracy climb (the paper: 88.0%), then switch Model to VAE for M1, a k-NN on the unsupervised latent space with the same 100 labels.',
    hash: 'model=m2&labelled=100&z=10',
    tab: 'classes',
  },
  {
    id: 'ten-modes',
    label: 'A prior with ten modes',
    summary:
      'A 2-D VAE whose prior is a learned mixture of ten Gaussians instead of N(0, I). Watch the components’ ellipses move onto the classes in the latent space; the KL term is now the one-sample estimate log q(z|x) − log p(z). Pick a component to sample the decoder grid from it.',
    hash: 'prior=mog&components=10&z=2',
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
    id: 'vq-vae',
    label: 'Discrete latents (VQ-VAE)',
    summary:
      'A VQ-VAE on MNIST: each image becomes a 7×7 grid of choices among 64 learned codes. Watch the perplexity and the codes in use (turn on Restart dead codes and see it jump), click a cell of the code grid to swap its code, and compare samples from the per-position frequencies with those of the autoregressive prior.',
    hash: 'model=vqvae&net=conv',
  },
  {
    id: 'sharper-samples',
    label: 'Sharper samples (VAE-GAN)',
    summary:
      'A VAE-GAN (Larsen et al. 2015) with 20 latent dimensions: a discriminator learns to tell real digits from reconstructions and prior samples, and the decoder learns to fool it. Train for a few thousand steps, watch the Discriminator panel, then press Score samples and Train a plain VAE beside it. With γ = 6 and Larsen’s balancing margin, at 2,000 steps the VAE-GAN’s samples measured sharper and a third lower in Fréchet distance than the VAE’s (90 against 133), for about 2 nats of −ELBO.',
    hash: 'model=vaegan&z=20&advgamma=6&margin=0.35',
    tab: 'sharpness',
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
