/**
 * The training worker's side of the decoder copy: every ~100 ms while training (and at once after
 * a new model, a reset, a restore or a pause) it posts the decoder's weights, so the page's decode
 * worker decodes a dragged probe without waiting for a training step in progress. Each post names
 * its model (a serial per trainer) and carries a sequence number, so a late copy never replaces
 * a newer one and a copy of an old model is never used for a new one. A model whose decoder is
 * not copied (a discrete latent, the autoregressive decoder: decoderCopyRefusal) posts nothing, so
 * the page decodes everything with the training worker.
 */
import { decoderCopyRefusal, exportDecoderWeights } from '../core/models/decoderWeights';
import type { Trainer } from '../core/training/trainer';
import type { WorkerEvent, WorkerEventOf } from './protocol';

export const SHARE_EVERY_MS = 100;

export interface ShareDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  now(): number;
}

export class DecoderShare {
  /** Off until the page says it has a decode worker (the bench measures without it, too). */
  enabled = false;
  private lastPostAt = -Infinity;
  private seq = 0;
  private nextSerial = 1;
  private readonly serials = new WeakMap<Trainer, number>();

  constructor(
    private readonly deps: ShareDeps,
    private readonly everyMs = SHARE_EVERY_MS,
  ) {}

  /** A periodic copy is due (enabled, and the last one is at least everyMs old). */
  due(): boolean {
    return this.enabled && this.deps.now() - this.lastPostAt >= this.everyMs;
  }

  /** The serial naming a trainer's model (a new trainer, a new serial). */
  serialOf(trainer: Trainer): number {
    let serial = this.serials.get(trainer);
    if (serial === undefined) {
      serial = this.nextSerial++;
      this.serials.set(trainer, serial);
    }
    return serial;
  }

  /** Post the decoder's weights now (when enabled); a disposed model, or one not copied, posts nothing. */
  async post(trainer: Trainer): Promise<void> {
    if (!this.enabled || decoderCopyRefusal(trainer.modelConfig) !== null) return;
    this.lastPostAt = this.deps.now();
    let weights;
    try {
      weights = await exportDecoderWeights(trainer.model);
    } catch {
      // the model was replaced (disposed) while its copy was read: the new one posts its own
      return;
    }
    const event: WorkerEventOf<'decoderWeights'> = {
      type: 'decoderWeights',
      model: trainer.modelConfig,
      modelSerial: this.serialOf(trainer),
      seq: ++this.seq,
      step: trainer.step,
      weights,
    };
    this.deps.post(event, weights.map((w) => w.values.buffer as ArrayBuffer));
  }
}
