/** What the worker is told to build and how to train it, from the settings in force. */
import { FAMILIES, networkOf } from '../../core/models/catalog';
import type { FamilyOptions, ModelConfig } from '../../core/models/config';
import type { KlSchedule } from '../../core/objective/schedules';
import type { SettingEffect, SettingSpecs } from '../../core/settings/spec';
import type { TrainingConfig } from '../../core/training/config';
import { DATASETS, type DatasetInfo } from '../../data/catalog';
import { networkInForce, settingApplies, type Settings } from './schema';

/** The KL schedule the settings describe, as the trainer takes it. */
export function klScheduleOf(s: Settings): KlSchedule {
  switch (s.klSchedule) {
    case 'constant':
      return { kind: 'constant' };
    case 'linear':
      return { kind: 'linear', warmupSteps: s.warmupSteps };
    case 'cyclical':
      return { kind: 'cyclical', cycles: s.cycles, ramp: s.cycleRamp, totalSteps: Math.max(s.cycleSteps, s.cycles) };
    case 'capacity':
      return { kind: 'capacity', capacityMax: s.capacityMax, capacitySteps: s.capacitySteps, gamma: s.gamma };
  }
}

/** The current family's own settings of one effect, by key. */
function familyOptions(s: Settings, effect: SettingEffect): FamilyOptions {
  const specs: SettingSpecs = FAMILIES[s.model].settings;
  const values = s as unknown as Record<string, FamilyOptions[string]>;
  return Object.fromEntries(Object.entries(specs).filter(([, spec]) => spec.effect === effect).map(([key]) => [key, values[key]]));
}

/** The own settings of the network in force, by key (all of them: a network's settings are all 'model'). */
function networkOptions(s: Settings): FamilyOptions {
  const values = s as unknown as Record<string, FamilyOptions[string]>;
  return Object.fromEntries(Object.keys(networkOf(networkInForce(s)).settings).map((key) => [key, values[key]]));
}

/** The model the settings describe, for the data set's image shape and classes (your own images have theirs). */
export function modelConfigOf(s: Settings, data: Pick<DatasetInfo, 'shape' | 'classCount'> = DATASETS[s.dataset]): ModelConfig {
  return {
    family: s.model,
    // a network the family does not offer (an old link) falls back to its first
    network: networkInForce(s),
    networkOptions: networkOptions(s),
    imageShape: { ...data.shape },
    classCount: data.classCount,
    hiddenDim: s.hiddenDim,
    latentDim: s.latentDim,
    likelihood: s.likelihood,
    seed: s.seed,
    options: familyOptions(s, 'model'),
  };
}

/** The class held out of training, or undefined (none, or a class the data set does not have). */
export function holdOutClassOf(s: Settings): number | undefined {
  const c = s.holdOutClass;
  return c >= 0 && c < DATASETS[s.dataset].classCount ? c : undefined;
}

export function trainingOf(s: Settings): TrainingConfig {
  // a setting that does not apply must not act unseen: free bits under a mixture prior; the
  // Training objective and the KL schedule of a model without a Gaussian latent (the VQ-VAE's
  // link may still carry obj=infovae or sched=cyclical)
  const objective = settingApplies('objective', s) ? s.objective : 'vae';
  return {
    beta: s.beta,
    learningRate: s.learningRate,
    batchSize: s.batchSize,
    klSchedule: settingApplies('klSchedule', s) ? klScheduleOf(s) : { kind: 'constant' },
    freeBits: settingApplies('freeBits', s) ? s.freeBits : 0,
    // InfoVAE is the VAE's kind with the MMD in place of the KL: the core reads it from the options
    objective: objective === 'infovae' ? 'vae' : objective,
    options: objective === 'infovae' ? { ...familyOptions(s, 'live'), vaeObjective: 'infovae' } : familyOptions(s, 'live'),
  };
}
