/** The learning-rate range (tests/unit/helpers/learningRates.ts) for every family not in learningRate.vae-m2.test.ts, so a new family is covered at once. */
import { FAMILY_IDS } from '../../../src/core/models/catalog';
import { describeLearningRates } from '../helpers/learningRates';

const ELSEWHERE: readonly string[] = ['vae', 'm2'];

describeLearningRates(FAMILY_IDS.filter((id) => !ELSEWHERE.includes(id)));
