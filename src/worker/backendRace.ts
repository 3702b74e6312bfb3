/**
 * Choosing the backend by measurement: where a hardware GPU is present, WebGL and wasm each run
 * the same few timed steps (after an untimed warm-up: WebGL compiles its shaders on the first) and
 * the faster one trains, with the ratio as the reason ("webgl: 3.1× wasm in a 40-step race").
 * Where WebGL would run on a software renderer, or not at all, there is no race, and the reason
 * says why. The clock and the entrants are passed in, so the logic is tested with a fake clock.
 */
import type { BackendName } from './protocol';

export const RACE_STEPS = 40;

export interface RaceClock {
  now(): number;
}

/** One backend in the race: make it current, then run one step of the work being timed. */
export interface RaceEntrant {
  name: BackendName;
  /** Switch tfjs to this backend; false when it cannot start. */
  enter(): Promise<boolean>;
  /** One step; resolves once its result has been read back (the GPU's work is done). */
  step(): Promise<void>;
}

export interface RaceResult {
  winner: BackendName;
  /** Milliseconds per timed step of each entrant that started. */
  msPerStep: Partial<Record<BackendName, number>>;
  reason: string;
}

/** Why there is no race here (null: a hardware GPU, race). */
export function raceSkipReason(renderer: string | null, isSoftware: (renderer: string) => boolean): string | null {
  if (renderer === null) return 'no backend race: this browser offers no WebGL2';
  if (isSoftware(renderer)) return `no backend race: WebGL runs on a software renderer here (${renderer}), slower than WebAssembly on the same CPU`;
  return null;
}

/** The faster of the timed entrants, and the reason in words. */
export function raceDecision(msPerStep: Partial<Record<BackendName, number>>, steps: number): { winner: BackendName; reason: string } | null {
  const timed = (Object.entries(msPerStep) as [BackendName, number][]).filter(([, ms]) => Number.isFinite(ms) && ms > 0).sort((a, b) => a[1] - b[1]);
  if (!timed.length) return null;
  const [winner, best] = timed[0];
  if (timed.length === 1) return { winner, reason: `${winner}: the only backend that started in a ${steps}-step race` };
  const [runnerUp, second] = timed[1];
  return { winner, reason: `${winner}: ${(second / best).toFixed(1)}× ${runnerUp} in a ${steps}-step race (${best.toFixed(1)} vs ${second.toFixed(1)} ms per step)` };
}

/**
 * Run the race: each entrant enters, takes one untimed warm-up step, then `steps` timed steps.
 * An entrant that fails to enter or throws is out. Null when none finished. The winner is not
 * entered again here: the caller switches to it (and the entrants' own work must not hold weights).
 */
export async function raceBackends(entrants: readonly RaceEntrant[], clock: RaceClock, steps = RACE_STEPS): Promise<RaceResult | null> {
  const msPerStep: Partial<Record<BackendName, number>> = {};
  for (const entrant of entrants) {
    try {
      if (!(await entrant.enter())) continue;
      await entrant.step();
      const start = clock.now();
      for (let i = 0; i < steps; i++) await entrant.step();
      msPerStep[entrant.name] = (clock.now() - start) / steps;
    } catch {
      // out of the race
    }
  }
  const decision = raceDecision(msPerStep, steps);
  return decision ? { ...decision, msPerStep } : null;
}
