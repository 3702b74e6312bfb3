/**
 * The worker's answer to a decode: the decoder's images for the given latents. An autoregressive
 * decoder draws its pixels one after another, so the worker says how far it is after each slice
 * ('decodeProgress') and lets other messages in between.
 */
import type { Trainer } from '../core/training/trainer';
import { checkDecodeClasses } from './decodeClasses';
import type { WorkerCommand, WorkerEvent } from './protocol';

export interface DecodingDeps {
  post(event: WorkerEvent, transfer?: Transferable[]): void;
  yieldToEventLoop(): Promise<void>;
}

export async function decodeLatents(trainer: Trainer, command: Extract<WorkerCommand, { type: 'decode' }>, deps: DecodingDeps): Promise<void> {
  const { requestId, latents, count } = command;
  const latentDim = trainer.modelConfig.latentDim;
  if (latents.length !== count * latentDim) throw new Error(`expected ${count} × ${latentDim} latent values, got ${latents.length}`);
  checkDecodeClasses(trainer.modelConfig, command.labels, count);
  const latent = trainer.model.latent;
  const sequential = latent.kind === 'gaussian' && latent.startDecoding !== undefined;
  const betweenSlices = sequential
    ? async (done: number, total: number) => {
        deps.post({ type: 'decodeProgress', decode: requestId, done, total });
        await deps.yieldToEventLoop();
      }
    : undefined;
  const images = await trainer.decode(latents, count, command.labels, betweenSlices);
  deps.post({ type: 'decoded', requestId, count, images }, [images.buffer]);
}
