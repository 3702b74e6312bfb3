/** The posterior of every test image with its class names: the latent codes the figures' downloads offer. */
import type { TrainingClient } from '../../worker/client';
import type { AppState } from '../appState';
import type { LatentCodes } from './csv';

/** Asks the worker to encode the test set; null without a model or data (a failure is said through onError). */
export async function testSetCodes(client: TrainingClient, state: AppState, onError: (text: string) => void): Promise<LatentCodes | null> {
  const classNames = state.data.summary?.classNames;
  if (!state.model || !classNames) return null;
  try {
    const e = await client.encodeTestSet();
    return { step: e.step, count: e.count, latentDim: e.latentDim, mu: e.mu, logVar: e.logVar, labels: e.labels, classNames };
  } catch (error) {
    onError(`Encoding the test set failed: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
