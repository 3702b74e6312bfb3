/**
 * The decode worker's logic, free of the worker global (tested in Node): keep the newest copy of
 * the decoder, rebuild it when the model changes, decode on request. Every tensor is freed: the
 * copy's model when it is replaced or forgotten, each decode's tensors in a tidy.
 */
import * as tf from '../../core/tf';
import { decoderCopyRefusal, importDecoderWeights } from '../../core/models/decoderWeights';
import type { FamilyModel } from '../../core/models/family';
import { buildModel } from '../../core/models/registry';
import { Rng } from '../../data/rng';
import { checkDecodeClasses } from '../decodeClasses';
import type { DecodeCommand, DecodeEvent } from './protocol';

interface HeldCopy {
  modelSerial: number;
  seq: number;
  step: number;
  /** The configuration the model was built for (a different one, a rebuild). */
  configKey: string;
  model: FamilyModel;
}

export class DecodeSession {
  private held: HeldCopy | null = null;
  /** Why the last copy offered was not taken (a model whose decoder is not copied), or null. */
  private refused: string | null = null;

  constructor(private readonly post: (event: DecodeEvent, transfer?: Transferable[]) => void) {}

  /** The copy held now (tests): which model, which hand-off, which training step. */
  get copy(): { modelSerial: number; seq: number; step: number } | null {
    const h = this.held;
    return h ? { modelSerial: h.modelSerial, seq: h.seq, step: h.step } : null;
  }

  async receive(command: DecodeCommand): Promise<void> {
    try {
      switch (command.type) {
        case 'weights':
          return this.take(command);
        case 'forget':
          return this.forget();
        case 'decode':
          return await this.decode(command);
      }
    } catch (error) {
      const requestId = command.type === 'decode' ? command.requestId : undefined;
      this.post({ type: 'error', message: error instanceof Error ? error.message : String(error), requestId });
    }
  }

  dispose(): void {
    this.forget();
  }

  private take(command: Extract<DecodeCommand, { type: 'weights' }>): void {
    const held = this.held;
    // postMessage keeps order, but a copy is only ever replaced by a later one of the same model
    if (held && held.modelSerial === command.modelSerial && command.seq <= held.seq) return;
    // the training worker sends none of these; should one come, the training worker decodes for it
    const refusal = decoderCopyRefusal(command.model);
    if (refusal) {
      this.forget();
      this.refused = refusal;
      return;
    }
    this.refused = null;
    const configKey = JSON.stringify(command.model);
    let model = held && held.modelSerial === command.modelSerial && held.configKey === configKey ? held.model : null;
    if (!model) {
      this.forget();
      model = buildModel(command.model, new Rng(command.model.seed));
    }
    try {
      importDecoderWeights(model, command.weights);
    } catch (error) {
      if (model !== held?.model) model.dispose();
      throw error;
    }
    this.held = { modelSerial: command.modelSerial, seq: command.seq, step: command.step, configKey, model };
  }

  private forget(): void {
    this.held?.model.dispose();
    this.held = null;
  }

  private async decode(command: Extract<DecodeCommand, { type: 'decode' }>): Promise<void> {
    const held = this.held;
    const { requestId, latents, count } = command;
    if (!held) return this.post({ type: 'declined', requestId, reason: this.refused ?? 'no copy of the decoder yet' });
    if (held.modelSerial !== command.modelSerial) return this.post({ type: 'declined', requestId, reason: `the copy is of model ${held.modelSerial}, not ${command.modelSerial}` });
    const latent = held.model.latent;
    if (latent.kind !== 'gaussian') return this.post({ type: 'declined', requestId, reason: 'a discrete latent decodes code grids' });
    const { latentDim } = latent;
    if (!Number.isInteger(count) || count < 1 || latents.length !== count * latentDim) {
      throw new Error(`expected ${count} × ${latentDim} latent values, got ${latents.length}`);
    }
    const labels = command.labels;
    // the same check as the training worker's: a conditional family needs one known class per latent
    checkDecodeClasses(held.model.config, labels, count);
    const means = tf.tidy(() => latent.decode(tf.tensor2d(latents, [count, latentDim]), labels ? tf.tensor1d(labels, 'int32') : null));
    const images = Float32Array.from((await means.data()) as Float32Array);
    means.dispose();
    this.post({ type: 'decoded', requestId, images, modelSerial: held.modelSerial, step: held.step }, [images.buffer]);
  }
}
