/**
 * The training loop: runs steps while running, yields to the event loop after every step so a
 * pause, a decode or a β change is handled within one step, and never lets two loops train at
 * once (a stale loop, from before a pause → start, stops at its next check).
 */
export interface LoopHooks {
  /** One training step of the current model (only weight groups `groups`, when given). */
  step(groups?: readonly string[] | null): void;
  /** Reports due after a step; false when training must stop (a divergence was handled). */
  afterStep(force: boolean): Promise<boolean>;
  /** A step or report threw while running. */
  onFailure(error: unknown): Promise<void>;
  /** Running started or stopped (post a status). */
  onRunningChange(): void;
  /** A run or a single step is about to start (time its steps from here). */
  beforeRun(): void;
  /** A macrotask: let queued messages run. */
  yieldToEventLoop(): Promise<void>;
  /** The model the loop was started for is still the current one. */
  isCurrent(token: object): boolean;
  /** A token naming the current model. */
  currentToken(): object | null;
}

export class TrainingLoop {
  running = false;
  /** Training loops alive right now; more than one would train the model twice as fast. */
  activeLoops = 0;
  /** The first step after Train reports at once, so the page moves without waiting K steps. */
  firstStepOfRun = false;
  private loop: Promise<void> | null = null;
  /** Bumped per started loop; a loop whose generation is stale stops at its next check. */
  private generation = 0;

  constructor(private readonly hooks: LoopHooks) {}

  async start(): Promise<void> {
    if (this.running) return;
    // a paused loop may still be finishing an evaluation: never let two loops train at once
    await this.loop;
    const token = this.hooks.currentToken();
    if (this.running || !token) return;
    this.running = true;
    this.firstStepOfRun = true;
    this.hooks.beforeRun();
    this.hooks.onRunningChange();
    this.loop = this.run(++this.generation, token);
  }

  pause(): void {
    if (!this.running) return;
    this.running = false;
    this.hooks.onRunningChange();
  }

  /** Stop and wait until the loop has finished its step. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = null;
  }

  /** One step while paused (a step while training would be invisible); `groups`: one player's. */
  async stepOnce(groups: readonly string[] | null = null): Promise<void> {
    if (this.running) return;
    await this.loop;
    this.hooks.beforeRun();
    this.hooks.step(groups);
    await this.hooks.afterStep(true);
    this.hooks.onRunningChange();
  }

  /** Take the first-step-of-run flag (the caller reports at once when it was set). */
  takeFirstStep(): boolean {
    const first = this.firstStepOfRun;
    this.firstStepOfRun = false;
    return first;
  }

  private async run(generation: number, token: object): Promise<void> {
    this.activeLoops += 1;
    try {
      while (this.running && this.hooks.isCurrent(token) && this.generation === generation) {
        this.hooks.step();
        if (!(await this.hooks.afterStep(false))) break;
        await this.hooks.yieldToEventLoop();
      }
    } catch (error) {
      this.running = false;
      if (this.hooks.isCurrent(token)) await this.hooks.onFailure(error);
    } finally {
      this.activeLoops -= 1;
    }
  }
}
