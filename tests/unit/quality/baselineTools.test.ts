/**
 * The page's side of the plain-VAE baseline: "Train a plain VAE beside it" first decodes the
 * model's own samples; when that decode fails (the model was replaced, its worker stopped), the
 * panel says so and nothing is left as an unhandled rejection (the button does not wait on it).
 */
import { describe, expect, it } from 'vitest';
import { initialState, type AppState } from '../../../src/state/appState';
import { SampleQualityTools } from '../../../src/state/quality/tools';
import { defaultSettings } from '../../../src/state/settings';
import { Store } from '../../../src/state/store';
import { TrainingClient, type WorkerPort } from '../../../src/worker/client';
import type { WorkerEvent } from '../../../src/worker/protocol';

class FakeWorker implements WorkerPort {
  sent: { type: string; requestId?: number }[] = [];
  private listeners: ((e: MessageEvent) => void)[] = [];
  postMessage(message: unknown): void {
    this.sent.push(message as FakeWorker['sent'][number]);
  }
  addEventListener(type: string, listener: (e: never) => void): void {
    if (type === 'message') this.listeners.push(listener as (e: MessageEvent) => void);
  }
  terminate(): void {}
  emit(event: WorkerEvent): void {
    for (const l of this.listeners) l({ data: event } as MessageEvent);
  }
}

describe('the plain-VAE baseline', () => {
  it('says when the model’s own samples cannot be decoded, and starts no second worker', async () => {
    const worker = new FakeWorker();
    const client = new TrainingClient(worker);
    const base = initialState({ ...defaultSettings(), model: 'vaegan' });
    const store = new Store<AppState>({ ...base, model: {} as AppState['model'], training: { ...base.training, step: 40 } });
    let workersMade = 0;
    const tools = new SampleQualityTools({
      client: () => client,
      generation: () => 1,
      store,
      notify: () => {},
      createWorker: () => {
        workersMade += 1;
        return new FakeWorker();
      },
      assetBaseUrl: '/',
    });
    const run = tools.runBaseline();
    const decode = worker.sent.find((c) => c.type === 'decode');
    expect(decode?.requestId).toBeDefined();
    worker.emit({ type: 'error', message: 'no model yet: send configure first', requestId: decode?.requestId });
    await expect(run).resolves.toBeUndefined();
    expect(tools.store.get().baseline).toMatchObject({ status: 'failed', message: 'Decoding this model’s samples failed: no model yet: send configure first' });
    expect(workersMade).toBe(0);
  });
});
