/**
 * One training step of the model in training, and what is measured and shared around the steps:
 * each step's time (the heartbeat tells the page how long a step may take) and the copies of the
 * decoder's weights for the page's decode worker (shareDecoder; decoderShare.ts), posted every
 * ~100 ms while training and whenever training stops. The session (session.ts) owns one and calls
 * it; the step profile (the bench's --profile) is a query (queries.ts, stepProfile.ts).
 */
import { DecoderShare } from './decoderShare';
import type { LiveModel } from './liveModel';
import type { WorkerEvent } from './protocol';
import { disposeBatch, type ResidentData } from './residentData';
import { nextTrainingBatch } from './semiSupervision';
import { StepTimes } from './stepTimes';

export interface StepDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  now(): number;
  /** The resident data the batches come from. */
  data(): ResidentData;
  /** Counted for the steps/s of the next metrics report. */
  countStep(): void;
}

export class StepRunner {
  private readonly times = new StepTimes();
  private readonly copies: DecoderShare;

  constructor(private readonly deps: StepDeps) {
    this.copies = new DecoderShare(deps);
  }

  /**
   * Train `model` one step on its next batch (with its labelled half, for the semi-supervised
   * families); `groups`: only these players' weights (null: all).
   */
  train(model: LiveModel, groups: readonly string[] | null): void {
    const started = this.deps.now();
    const batch = nextTrainingBatch(model, this.deps.data());
    try {
      model.trainer.trainStep(batch, groups);
    } finally {
      disposeBatch(batch);
    }
    this.times.add(this.deps.now() - started);
    this.deps.countStep();
  }

  /** The slowest of the recent steps, ms; null before the first. */
  get slowestMs(): number | null {
    return this.times.slowest;
  }

  /** Another model or batch size: its steps take their own time. */
  clearTimes(): void {
    this.times.clear();
  }

  /** shareDecoder: copies on or off; `model` is the model in training (its copy now), or null. */
  async share(enabled: boolean, model: LiveModel | null): Promise<void> {
    this.copies.enabled = enabled;
    if (model) await this.copies.post(model.trainer);
  }

  /** After a step: a copy of the decoder while training, every ~100 ms (a pause posts through `status`). */
  async afterStep(model: LiveModel): Promise<void> {
    if (this.copies.due()) await this.copies.post(model.trainer);
  }

  /**
   * The session posted its status: paused, the copy shows the weights the training stopped at (a
   * step may still finish after this; afterStep posts again when it does).
   */
  status(running: boolean, model: LiveModel | null): void {
    if (!running && model) void this.copies.post(model.trainer);
  }
}
