/**
 * Lessons in one click: each preset is a URL hash (so a lesson can be shared as a link) and two
 * sentences on what to watch. Applying one replaces every setting with the defaults plus the
 * preset's own.
 */

/** The page's lab tabs (below the core loop): a lesson may open one. */
export type LabTab = 'lab' | 'compare';
export interface Preset {
  id: string;
  label: string;
  /** Two sentences: what the preset sets up and what to watch. */
  summary: string;
  /** The settings, as a URL hash without "#" (keys of the settings schema). */
  hash: string;
  /** The lab tab the lesson happens in, if any (the page opens it). */
  tab?: LabTab;
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
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
