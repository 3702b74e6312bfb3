/**
 * The decode worker's messages. It holds a copy of the decoder of the model in training (weights
 * relayed by the page from the training worker every ~100 ms) and decodes latents on its own
 * thread, so a dragged probe never waits behind a training step.
 */
import type { NamedWeight } from '../../core/io/weights';
import type { ModelConfig } from '../../core/models/config';

export type DecodeCommand =
  /** A copy of the decoder's weights (the training worker's decoderWeights event, relayed). */
  | { type: 'weights'; model: ModelConfig; modelSerial: number; seq: number; step: number; weights: NamedWeight[] }
  /** Decode latents [count, latentDim] with the copy of model `modelSerial` (labels: the class of each, for families that use them). */
  | { type: 'decode'; requestId: number; latents: Float32Array; count: number; modelSerial: number; labels?: Int32Array }
  /** The model in training is being replaced: drop the copy (decodes go to the training worker until the next). */
  | { type: 'forget' };

export type DecodeEvent =
  | { type: 'decoded'; requestId: number; images: Float32Array; modelSerial: number; step: number }
  /** The copy cannot answer (none yet, or of another model): the page asks the training worker instead. */
  | { type: 'declined'; requestId: number; reason: string }
  | { type: 'error'; message: string; requestId?: number };
