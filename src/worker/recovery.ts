/**
 * When training goes wrong, the model is not lost. A NaN or infinite loss pauses training and
 * restores the last good checkpoint; on WebGL the weights are also copied off the GPU now and
 * then, because a lost context takes every tensor with it, and training moves to WebAssembly
 * with the last copy.
 */
import { headlineNumbers } from '../core/objective/terms';
import type { TrainingMetrics } from '../core/training/trainer';
import type { LiveModel, Restart } from './liveModel';

/** How often the last good weights are saved, in steps (a copy of weights and Adam moments). */
export const CHECKPOINT_EVERY = 100;
/** How often, on WebGL, the weights are copied off the GPU, in steps. */
export const BACKUP_EVERY = CHECKPOINT_EVERY * 5;

export interface Divergence {
  /** The step at which it was seen. */
  step: number;
  /** The message for the page, once the step the weights go back to is known. */
  describe(restoredStep: number): string;
}

/** The divergence in a report's metrics, or null when every number is finite. */
export function findDivergence(metrics: TrainingMetrics, model: LiveModel): Divergence | null {
  const values = headlineNumbers(metrics);
  if (values.every(Number.isFinite)) return null;
  const step = model.trainer.step;
  const { learningRate } = model.trainer.config;
  const what = values.some(Number.isNaN) ? 'NaN' : 'infinite';
  return {
    step,
    describe: (restoredStep) =>
      `The loss became ${what} near step ${step}` +
      ` (learning rate ${learningRate}${learningRate > 0.01 ? ', probably too high' : ''}).` +
      ` Training is paused and the weights of step ${restoredStep} are restored.`,
  };
}

/** Save a checkpoint when the step is due and the weights are finite. */
export async function checkpointIfDue(model: LiveModel): Promise<boolean> {
  const step = model.trainer.step;
  if (step % CHECKPOINT_EVERY !== 0 || !(await model.trainer.weightsAreFinite())) return false;
  model.trainer.saveCheckpoint();
  return true;
}

/** Copies of weights off the device (WebGL only), the last of which a recovery starts from. */
export class WeightBackup {
  private last: Restart | null = null;

  get latest(): Restart | null {
    return this.last;
  }

  clear(): void {
    this.last = null;
  }

  async take(model: LiveModel): Promise<void> {
    this.last = { step: model.trainer.step, weights: await model.trainer.exportWeights() };
  }
}
