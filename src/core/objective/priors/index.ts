/** The priors by id (objective/catalog.ts PRIORS), built for a model's latent and scope. */
import type { VariableScope } from '../../layers/scope';
import type { Rng } from '../../types';
import type { PriorId } from '../catalog';
import { MixturePrior } from './mixture';
import type { LatentPrior } from './prior';
import { StandardNormalPrior } from './standardNormal';
import { VampPrior, type PosteriorOf } from './vamp';

export type { LatentPrior, PriorComponents, PriorKl } from './prior';
export { diagonalGaussianLogDensity, diagonalGaussianLogDensityOfNoise, mixtureLogDensity, componentLogDensities, responsibilities } from './gaussian';
export { StandardNormalPrior } from './standardNormal';

/** N(0, I): it has no variables, so one instance serves every model. */
export const STANDARD_NORMAL_PRIOR: LatentPrior = new StandardNormalPrior();

export interface PriorPlace {
  latentDim: number;
  pixels: number;
  /** Components of the mixtures (K). */
  components: number;
  rng: Rng;
  scope: VariableScope;
  /** The encoder, for the VampPrior. */
  posteriorOf: PosteriorOf;
}

export function buildPrior(id: PriorId, place: PriorPlace): LatentPrior {
  switch (id) {
    case 'standard':
      return new StandardNormalPrior();
    case 'mog':
      return new MixturePrior(place.components, place.latentDim, place.rng, place.scope);
    case 'vamp':
      return new VampPrior(place.components, place.pixels, place.rng, place.scope, place.posteriorOf);
  }
}
