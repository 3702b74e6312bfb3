/**
 * Long analysis jobs (scoring sets, the importance-weighted bound) run beside the command queue
 * and the training loop, not in the queue: a job of a minute must not hold up a probe's decode.
 * Between chunks a job passes a checkpoint that reports progress (at most ~1% steps), yields to
 * the event loop (training steps and queued commands run there) and stops it when it was
 * cancelled or its model was replaced. A job ends by answering its request: its result, or an
 * error naming why it stopped.
 */
import type { JobKind, WorkerEvent } from './protocol';

export interface JobDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  yieldToEventLoop(): Promise<void>;
}

export interface JobContext {
  /** Report progress, yield, and throw JobStopped when the job must end. */
  checkpoint(done: number, total: number, stage: string): Promise<void>;
  /** Report progress only (from a callback that cannot yield, e.g. a download's). */
  report(done: number, total: number, stage: string): void;
}

/** Why a job ended early (cancelled, or its model is gone). */
export class JobStopped extends Error {}

interface Running {
  kind: JobKind;
  stopped: string | null;
  lastReported: number;
}

export class BackgroundJobs {
  private readonly running = new Map<number, Running>();

  constructor(private readonly deps: JobDeps) {}

  /** Jobs alive right now (tests). */
  get count(): number {
    return this.running.size;
  }

  /**
   * Start `run` for request `requestId` and return at once. `isCurrent` says whether the model
   * it works on is still the one in use (checked at every checkpoint).
   */
  start(requestId: number, kind: JobKind, isCurrent: () => boolean, run: (context: JobContext) => Promise<void>): void {
    if (this.running.has(requestId)) throw new Error(`a job for request ${requestId} is already running`);
    const job: Running = { kind, stopped: null, lastReported: -1 };
    this.running.set(requestId, job);
    const report = (done: number, total: number, stage: string) => {
      const fraction = total > 0 ? done / total : 1;
      if (Math.abs(fraction - job.lastReported) >= 0.01 || done === total) {
        job.lastReported = fraction;
        this.deps.post({ type: 'jobProgress', job: requestId, kind, done, total, stage });
      }
    };
    const context: JobContext = {
      report,
      checkpoint: async (done, total, stage) => {
        report(done, total, stage);
        await this.deps.yieldToEventLoop();
        if (!job.stopped && !isCurrent()) job.stopped = 'the model was replaced';
        if (job.stopped) throw new JobStopped(job.stopped);
      },
    };
    void (async () => {
      try {
        await run(context);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.deps.post({ type: 'error', message: `${kind}: ${message}`, command: kind, requestId });
      } finally {
        this.running.delete(requestId);
      }
    })();
  }

  /** Stop a job at its next checkpoint; false when there is none of that id. */
  cancel(requestId: number, why = 'cancelled'): boolean {
    const job = this.running.get(requestId);
    if (!job) return false;
    job.stopped ??= why;
    return true;
  }

  /** Stop every job (the model is being replaced or the session disposed). */
  cancelAll(why: string): void {
    for (const id of this.running.keys()) this.cancel(id, why);
  }

  /** Resolves once no job is running (tests, dispose). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await this.deps.yieldToEventLoop();
  }
}
