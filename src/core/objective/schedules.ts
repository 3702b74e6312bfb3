/**
 * The β-VAE objective family: how the weight of the KL term (and, for capacity annealing, its
 * target) moves with the training step.
 *
 * Every function here is pure: the step t is the number of optimiser steps already taken (0 for
 * the first step), so the same schedule and step give the same number anywhere (trainer, UI,
 * tests). Remedies for posterior collapse covered here:
 *   - linear KL warm-up / annealing (Bowman et al. 2016; Sønderby et al. 2016),
 *   - cyclical annealing (Fu et al. 2019),
 *   - capacity annealing (Burgess et al. 2018),
 * and, in kl.ts, free bits (Kingma et al. 2016).
 */
import type { KlScheduleKind } from './catalog';

/** How the KL weight (or the KL target) changes over training; one variant per catalog kind. */
export type KlSchedule =
  /** w(t) = β at every step: the plain β-VAE (Higgins et al. 2017). */
  | { kind: 'constant' }
  /** w(t) = β·min(1, t/N): the weight ramps from 0 to β over N = warmupSteps steps. */
  | { kind: 'linear'; warmupSteps: number }
  /**
   * Fu et al. 2019: `cycles` (M) cycles over `totalSteps` (T) steps; in each cycle of length T/M
   * the weight ramps 0 → β over the first `ramp` (R ∈ (0, 1]) fraction, then holds β; after T
   * steps it stays at β.
   */
  | { kind: 'cyclical'; cycles: number; ramp: number; totalSteps: number }
  /**
   * Burgess et al. 2018: objective = recon + γ·|KL − C(t)|, C(t) = Cmax·min(1, t/N) with
   * Cmax = `capacityMax` nats and N = `capacitySteps`. γ (`gamma`) takes the place of β.
   */
  | { kind: 'capacity'; capacityMax: number; capacitySteps: number; gamma: number };

// the catalog and the variants above list the same kinds
type SameKinds = [KlSchedule['kind']] extends [KlScheduleKind] ? ([KlScheduleKind] extends [KlSchedule['kind']] ? true : false) : false;
const sameKinds: SameKinds = true;
void sameKinds;

export type { KlScheduleKind } from './catalog';

/** min(1, a/b) for b > 0, and 1 when b ≤ 0 (a ramp of no length is already complete). */
function rampFraction(a: number, b: number): number {
  return b > 0 ? Math.min(1, Math.max(0, a / b)) : 1;
}

/**
 * The weight multiplying the KL penalty at step t (before the step is taken).
 *   constant:  w(t) = β
 *   linear:    w(t) = β·min(1, t/N)                                  (Bowman et al. 2016)
 *   cyclical:  L = T/M;  w(t) = β·min(1, (t mod L) / (R·L)) for t < T, β for t ≥ T
 *                                                                     (Fu et al. 2019)
 *   capacity:  w(t) = γ (β is not used; the penalty is γ·|KL − C(t)|)  (Burgess et al. 2018)
 */
export function klWeightAt(schedule: KlSchedule, beta: number, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return beta;
    case 'linear':
      return beta * rampFraction(step, schedule.warmupSteps);
    case 'cyclical': {
      if (step >= schedule.totalSteps) return beta;
      const cycleLength = schedule.totalSteps / schedule.cycles;
      return beta * rampFraction(step % cycleLength, schedule.ramp * cycleLength);
    }
    case 'capacity':
      return schedule.gamma;
  }
}

/**
 * The KL target C(t) in nats, or null when the schedule has none.
 *   capacity:  C(t) = Cmax·min(1, t/N)                                 (Burgess et al. 2018)
 */
export function capacityAt(schedule: KlSchedule, step: number): number | null {
  return schedule.kind === 'capacity' ? schedule.capacityMax * rampFraction(step, schedule.capacitySteps) : null;
}
