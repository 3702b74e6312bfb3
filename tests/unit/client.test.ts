import { describe, expect, it } from 'vitest';
import { LatestOnly, TrainingClient, type WorkerPort } from '../../src/worker/client';
import type { WorkerEvent } from '../../src/worker/protocol';

class FakeWorker implements WorkerPort {
  sent: unknown[] = [];
  private listeners: ((e: MessageEvent) => void)[] = [];
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  addEventListener(type: string, listener: (e: never) => void): void {
    if (type === 'message') this.listeners.push(listener as (e: MessageEvent) => void);
  }
  terminate(): void {}
  emit(event: WorkerEvent): void {
    for (const l of this.listeners) l({ data: event } as MessageEvent);
  }
}

describe('TrainingClient', () => {
  it('resolves a decode by its request id and routes other events to listeners', async () => {
    const worker = new FakeWorker();
    const client = new TrainingClient(worker);
    const statuses: number[] = [];
    client.on('status', (e) => statuses.push(e.step));
    const pending = client.decode(new Float32Array([0, 1]), 1);
    const sent = worker.sent[0] as { type: string; requestId: number };
    expect(sent.type).toBe('decode');
    worker.emit({ type: 'status', running: false, step: 3, epoch: 0, epochProgress: 0 });
    worker.emit({ type: 'decoded', requestId: sent.requestId, count: 1, images: new Float32Array([0.5]) });
    expect(Array.from(await pending)).toEqual([0.5]);
    expect(statuses).toEqual([3]);
  });

  it('rejects a request answered with an error', async () => {
    const worker = new FakeWorker();
    const client = new TrainingClient(worker);
    const pending = client.evaluate();
    const { requestId } = worker.sent[0] as { requestId: number };
    worker.emit({ type: 'error', message: 'no model yet', requestId });
    await expect(pending).rejects.toThrow('no model yet');
  });
});

describe('LatestOnly', () => {
  it('runs one job at a time and keeps only the newest request', async () => {
    const started: number[] = [];
    const results: number[] = [];
    let release: (() => void) | null = null;
    const latest = new LatestOnly<number, number>(
      (n) => {
        started.push(n);
        return new Promise((resolve) => (release = () => resolve(n * 10)));
      },
      (r) => results.push(r),
    );
    latest.request(1);
    latest.request(2);
    latest.request(3);
    expect(started).toEqual([1]);
    release!();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([1, 3]);
    release!();
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toEqual([10, 30]);
  });
});
