/**
 * The running sums a Trainer reports from: each step's metric row added on the device (read back
 * only when asked, every K steps), the schedule's values per step and each weight group's updates
 * made and skipped on the host. One owner for the device sum: it is disposed on read and reset.
 */
import * as tf from '../tf';
import type { LossValues } from '../objective/terms';

/** A weight group's updates over the steps read: made, and skipped by a phase's gate (balancing). */
export interface GroupUpdates {
  applied: number;
  skipped: number;
}

/** Averages of the metrics over the steps since the last read. */
export interface TrainingMetrics extends LossValues {
  steps: number;
  /**
   * The weight the objective put on the KL penalty, averaged over the steps read: β(t) of the
   * schedule, γ under capacity annealing, 0 for the autoencoder objective.
   */
  klWeight: number;
  /** The KL target C(t) in nats averaged over the steps that had one; NaN when none did. */
  capacity: number;
  /**
   * Per weight group, the updates made and skipped (by a phase's gate: balancing) over the steps
   * read: k_D discriminator updates a step show as k_D·steps.
   */
  groupUpdates: Record<string, GroupUpdates>;
}

export class MetricSums {
  private sum: tf.Tensor1D | null = null;
  private steps = 0;
  /** Host-side sums of the per-step schedule values (plain numbers: nothing to read back). */
  private klWeightSum = 0;
  private capacitySum = 0;
  private capacitySteps = 0;
  private groupUpdates: Record<string, GroupUpdates> = {};

  /** The counts of a weight group's updates since the last read (a step's phase adds to them). */
  updatesOf(group: string): GroupUpdates {
    return (this.groupUpdates[group] ??= { applied: 0, skipped: 0 });
  }

  /** One step's metric row (owned from here on: added to the sum and disposed) and its schedule's values. */
  add(row: tf.Tensor1D, klWeight: number, capacity: number | null): void {
    if (this.sum) {
      const sum = tf.add(this.sum, row) as tf.Tensor1D;
      this.sum.dispose();
      row.dispose();
      this.sum = sum;
    } else {
      this.sum = row;
    }
    this.steps += 1;
    this.klWeightSum += klWeight;
    if (capacity !== null) {
      this.capacitySum += capacity;
      this.capacitySteps += 1;
    }
  }

  /** Means over the steps since the last read (null if there were none), the row's means unpacked by `unpack`; resets the sums. */
  async read(unpack: (means: number[]) => LossValues): Promise<TrainingMetrics | null> {
    if (!this.sum || this.steps === 0) return null;
    const sum = this.sum;
    const steps = this.steps;
    const klWeight = this.klWeightSum / steps;
    const capacity = this.capacitySteps > 0 ? this.capacitySum / this.capacitySteps : NaN;
    const groupUpdates = this.groupUpdates;
    this.sum = null; // read below, then disposed: not by reset
    this.reset();
    const values = await sum.data();
    sum.dispose();
    return { ...unpack(Array.from(values, (v) => v / steps)), steps, klWeight, capacity, groupUpdates };
  }

  /** Forget the running sums (the device sum is disposed). */
  reset(): void {
    this.sum?.dispose();
    this.sum = null;
    this.steps = 0;
    this.klWeightSum = 0;
    this.capacitySum = 0;
    this.capacitySteps = 0;
    this.groupUpdates = {};
  }
}
