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

describe('TrainingClient: background jobs', () => {
  it('hands a job’s progress to its listener, resolves with its result and cancels by id', async () => {
    const worker = new FakeWorker();
    const client = new TrainingClient(worker);
    const progress: number[] = [];
    const job = client.estimateBound(100, [1, 10], 10, (p) => progress.push(p.done));
    expect(worker.sent[0]).toEqual({ type: 'estimateBound', requestId: job.requestId, count: 100, ks: [1, 10], samples: 10 });
    worker.emit({ type: 'jobProgress', job: job.requestId, kind: 'estimateBound', done: 500, total: 1000, stage: 'sampling' });
    const result = { type: 'boundEstimate', requestId: job.requestId, step: 4, count: 100, samples: 10, ks: [1, 10], bounds: [-101, -99], negativeElbo: 101, seconds: 1 } satisfies WorkerEvent;
    worker.emit(result);
    expect(await job.result).toEqual(result);
    expect(progress).toEqual([500]);
    const other = client.scoreSets(['noise'], 10);
    client.cancelJob(other.requestId);
    expect(worker.sent.at(-1)).toEqual({ type: 'cancelJob', requestId: other.requestId });
    worker.emit({ type: 'error', message: 'scoreSets: cancelled', command: 'scoreSets', requestId: other.requestId });
    await expect(other.result).rejects.toThrow('scoreSets: cancelled');
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
