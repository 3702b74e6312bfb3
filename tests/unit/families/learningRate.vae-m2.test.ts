/** The learning-rate range (tests/unit/helpers/learningRates.ts) for the Gaussian VAE and M2; the other families are in learningRate.rest.test.ts. */
import { describeLearningRates } from '../helpers/learningRates';

describeLearningRates(['vae', 'm2']);
