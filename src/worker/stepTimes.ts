/** The durations of the last few training steps: the heartbeat tells the page how long a step may take. */

/** Steps whose duration the estimate covers. */
const STEPS_TIMED = 50;

export class StepTimes {
  private readonly times: number[] = [];

  add(ms: number): void {
    this.times.push(ms);
    if (this.times.length > STEPS_TIMED) this.times.shift();
  }

  /** Another model or batch size: its steps take their own time. */
  clear(): void {
    this.times.length = 0;
  }

  /** The slowest of the recent steps, ms; null before the first. */
  get slowest(): number | null {
    return this.times.length ? Math.max(...this.times) : null;
  }
}
