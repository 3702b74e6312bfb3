/**
 * Is the training worker alive? It says so every HEARTBEAT_EVERY_MS, with the time its slowest
 * recent step took; a longer silence than a step can explain (a hung step, a worker the browser
 * killed without a word) counts as its death, like an uncaught error or a fatal report. The
 * watchdog arms at the first heartbeat, so a worker still loading its code is not judged. A dead worker is replaced, but not forever: after
 * RESTARTS_ALLOWED restarts within RESTART_WINDOW_MS the page gives up and says so.
 */
import { COMPILING_TIMEOUT_FLOOR_MS, COMPILING_UNTIMED_TIMEOUT_MS, HEARTBEAT_EVERY_MS, HEARTBEAT_TIMEOUT_MS, STEP_TIMEOUT_FACTOR, UNTIMED_TIMEOUT_MS } from '../worker/protocol';

export const RESTARTS_ALLOWED = 3;
export const RESTART_WINDOW_MS = 120_000;

/** Timers and a clock (the page's; fake ones in tests). */
export interface Clock {
  now(): number;
  setInterval(f: () => void, ms: number): ReturnType<typeof setInterval>;
  clearInterval(handle: ReturnType<typeof setInterval>): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setInterval: (f, ms) => setInterval(f, ms),
  clearInterval: (handle) => clearInterval(handle),
};

/** How long a worker whose slowest recent step took `stepMs` may stay silent (longer on a backend that compiles shaders). */
export function silenceAllowedMs(stepMs: number | null, compilesShaders = false): number {
  if (stepMs === null) return compilesShaders ? COMPILING_UNTIMED_TIMEOUT_MS : UNTIMED_TIMEOUT_MS;
  return Math.max(compilesShaders ? COMPILING_TIMEOUT_FLOOR_MS : HEARTBEAT_TIMEOUT_MS, STEP_TIMEOUT_FACTOR * stepMs);
}

/** Calls `onSilent` once when a worker that has sent a heartbeat stays silent for too long. */
export class Watchdog {
  private lastHeard = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private fired = false;
  private timeoutMs = UNTIMED_TIMEOUT_MS;

  constructor(
    private readonly onSilent: (silentMs: number) => void,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /** Any message from the worker; a heartbeat (with its step time) also arms the watchdog. */
  heard(heartbeat?: { stepMs: number | null; compilesShaders?: boolean }): void {
    this.lastHeard = this.clock.now();
    if (!heartbeat) return;
    this.timeoutMs = silenceAllowedMs(heartbeat.stepMs, heartbeat.compilesShaders === true);
    if (this.timer === null && !this.fired) this.timer = this.clock.setInterval(() => this.check(), HEARTBEAT_EVERY_MS);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const silent = this.clock.now() - this.lastHeard;
    if (silent < this.timeoutMs) return;
    this.fired = true;
    this.stop();
    this.onSilent(silent);
  }
}

/** How many restarts are left: RESTARTS_ALLOWED within any RESTART_WINDOW_MS. */
export class RestartBudget {
  private restarts: number[] = [];

  constructor(private readonly clock: Pick<Clock, 'now'> = SYSTEM_CLOCK) {}

  /** Record a restart if one is allowed now; false when the budget is spent. */
  take(): boolean {
    const now = this.clock.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= RESTARTS_ALLOWED) return false;
    this.restarts.push(now);
    return true;
  }
}
