/**
 * The loss chart's time axis. It runs on across resets, so a reset is a mark on it with the run
 * before it still visible: history steps are an offset plus the model's own step. A new model
 * starts the axis at 0 again.
 */
import type { ConfiguredCause } from '../worker/protocol';

export class Timeline {
  private offset = 0;

  /** The chart's step for a step of the current model. */
  at(modelStep: number): number {
    return this.offset + modelStep;
  }

  /** A model was (re)built after `modelStepBefore` steps of the previous one. */
  onConfigured(cause: ConfiguredCause, modelStepBefore: number): void {
    if (cause === 'reset') this.offset += modelStepBefore;
    else if (cause === 'configure') this.offset = 0;
    // 'recovered', 'restarted': the same run goes on; 'loaded': restore() sets the file's offset
  }

  /** A loaded run's offset (the chart goes on where the saved page's was). */
  restore(offset: number): void {
    this.offset = offset;
  }
}
