/**
 * The page's handle on the decode worker (src/worker/decode): it relays the training worker's
 * copies of the decoder's weights to it and decodes through it, so a dragged probe shows its
 * image without waiting for the training step in progress.
 *
 * When may the copy answer? Only for the model in training: from a configure (or a load) until
 * that model's 'configured' reply the training worker may still post copies of the old model,
 * and those are dropped; after the reply the first copy of the new model makes it usable again.
 * Until then (and whenever the decode worker declines) decode() resolves null and the caller
 * asks the training worker, as before. A decode worker that fails (its script refused, a crash)
 * is not started again: the training worker decodes everything from then on (onBroken says so).
 */
import type { WorkerPort } from '../worker/client';
import type { DecodeCommand, DecodeEvent } from '../worker/decode/protocol';
import type { WorkerEventOf } from '../worker/protocol';

export interface MirrorDecode {
  images: Float32Array;
  /** The training step whose weights decoded it. */
  step: number;
}

type Pending = (result: MirrorDecode | null) => void;

export class DecodeMirror {
  /** A configure or load was sent and its 'configured' reply has not come: copies are the old model's. */
  private awaitingModel = false;
  /** The copy the decode worker holds (the last relayed), or null. */
  private held: { modelSerial: number; seq: number; step: number } | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  /** Copies relayed and dropped (tests, and the bench's curiosity). */
  readonly counts = { relayed: 0, dropped: 0 };

  private port: WorkerPort | null = null;
  /** The decode worker failed: no copy is relayed or asked any more. */
  private failed = false;

  /**
   * The decode worker is started with the first copy (its code then loads beside training, not
   * before the first step); `onBroken` is called once if it fails.
   */
  constructor(
    private readonly createPort: () => WorkerPort,
    private readonly onBroken: () => void = () => undefined,
  ) {}

  /** The copy can answer for the model in training right now. */
  get usable(): boolean {
    return !this.failed && !this.awaitingModel && this.held !== null;
  }

  /** The decode worker failed; the training worker decodes everything. */
  get broken(): boolean {
    return this.failed;
  }

  /** The step of the copy held, or null. */
  get heldStep(): number | null {
    return this.held?.step ?? null;
  }

  /** A new model was asked for: forget the copy until that model's weights come. */
  expectNewModel(): void {
    this.awaitingModel = true;
    this.forget();
  }

  /** The training worker has its new model (its 'configured' event; copies after it are of that model). */
  onConfigured(): void {
    this.awaitingModel = false;
    this.forget();
  }

  /** The asked-for model was refused: the old one trains on, and its next copy is good again. */
  onConfigureRefused(): void {
    this.awaitingModel = false;
  }

  /** A copy from the training worker: relayed unless it is of an old model or older than the one held. */
  onWeights(event: WorkerEventOf<'decoderWeights'>): void {
    const held = this.held;
    if (this.failed) return;
    if (this.awaitingModel || (held && held.modelSerial === event.modelSerial && event.seq <= held.seq)) {
      this.counts.dropped += 1;
      return;
    }
    this.held = { modelSerial: event.modelSerial, seq: event.seq, step: event.step };
    this.counts.relayed += 1;
    const { model, modelSerial, seq, step, weights } = event;
    this.send({ type: 'weights', model, modelSerial, seq, step, weights }, weights.map((w) => w.values.buffer as ArrayBuffer));
  }

  /**
   * Decode with the copy (`labels`: the class of each latent, for the conditional families); null
   * when it cannot answer for the model in training (ask the training worker).
   */
  decode(latents: Float32Array, count: number, labels?: Int32Array): Promise<MirrorDecode | null> {
    const held = this.held;
    if (!this.usable || !held) return Promise.resolve(null);
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      // a copy, not a transfer: a declined request still has its latents for the training worker
      this.send({ type: 'decode', requestId, latents: latents.slice(), count, modelSerial: held.modelSerial, ...(labels ? { labels: labels.slice() } : {}) });
    });
  }

  terminate(): void {
    this.port?.terminate();
    this.port = null;
    this.held = null;
    this.failAll();
  }

  private forget(): void {
    if (this.held) this.send({ type: 'forget' });
    this.held = null;
  }

  private send(command: DecodeCommand, transfer: Transferable[] = []): void {
    if (this.failed) return;
    if (!this.port) {
      if (command.type !== 'weights') return; // nothing to forget or ask before the first copy
      const port = this.createPort();
      port.addEventListener('message', (event: MessageEvent) => this.dispatch(event.data as DecodeEvent));
      port.addEventListener('error', () => this.fail());
      this.port = port;
    }
    this.port.postMessage(command, transfer);
  }

  private dispatch(event: DecodeEvent): void {
    const requestId = 'requestId' in event ? event.requestId : undefined;
    const resolve = requestId === undefined ? undefined : this.pending.get(requestId);
    if (requestId === undefined || !resolve) return;
    this.pending.delete(requestId);
    // an error or a refusal of the copy is not the user's problem: the training worker answers instead
    resolve(event.type === 'decoded' ? { images: event.images, step: event.step } : null);
  }

  /** The decode worker failed: stop it, answer what it was asked with null, and ask it nothing more. */
  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.terminate();
    this.onBroken();
  }

  private failAll(): void {
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}
