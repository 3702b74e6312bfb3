/**
 * One training step of the model in training, and what is measured and shared around the steps:
 * each step's time (the heartbeat tells the page how long a step may take), the step profile
 * (profileSteps: where a step's time goes, the bench's --profile) and the copies of the decoder's
 * weights for the page's decode worker (shareDecoder; decoderShare.ts), posted every ~100 ms while
 * training and whenever training stops. The session (session.ts) owns one and calls it.
 */
import { DecoderShare } from './decoderShare';
import type { LiveModel } from './liveModel';
import type { WorkerCommand, WorkerEvent } from './protocol';
import { disposeBatch, type ResidentData } from './residentData';
import { nextTrainingBatch } from './semiSupervision';
import { profileSteps } from './stepProfile';
import { StepTimes } from './stepTimes';

export type StepCommand = Extract<WorkerCommand, { type: 'profileSteps' | 'shareDecoder' }>;

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
  private readonly share: DecoderShare;

  constructor(private readonly deps: StepDeps) {
    this.share = new DecoderShare(deps);
  }

  /** Train `model` one step on its next batch (with its labelled half, for the semi-supervised families). */
  train(model: LiveModel): void {
    const started = this.deps.now();
    const batch = nextTrainingBatch(model, this.deps.data());
    try {
      model.trainer.trainStep(batch);
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

  /** profileSteps (paused only) and shareDecoder; `model` is the model in training, or null. */
  async answer(command: StepCommand, model: LiveModel | null, running: boolean): Promise<void> {
    if (command.type === 'shareDecoder') {
      this.share.enabled = command.enabled;
      if (model) await this.share.post(model.trainer);
      return;
    }
    if (!model) throw new Error('no model yet: send configure first');
    if (running) throw new Error('pause training before profiling steps');
    const profile = await profileSteps(() => this.train(model), command.steps, this.deps.now);
    this.deps.post({ type: 'stepProfile', requestId: command.requestId, ...profile });
  }

  /** After a step: a copy of the decoder while training, every ~100 ms (a pause posts through `status`). */
  async afterStep(model: LiveModel): Promise<void> {
    if (this.share.due()) await this.share.post(model.trainer);
  }

  /**
   * The session posted its status: paused, the copy shows the weights the training stopped at (a
   * step may still finish after this; afterStep posts again when it does).
   */
  status(running: boolean, model: LiveModel | null): void {
    if (!running && model) void this.share.post(model.trainer);
  }
}
