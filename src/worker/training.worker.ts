/// <reference lib="webworker" />
/**
 * The training worker: tfjs, the model and the optimiser live here, never on the main thread.
 * All logic is in TrainingSession; this file only wires it to the worker's message port.
 */
import { loadDataset, loadTestSplit } from '../data/registry';
import { initBackend } from './backend';
import type { WorkerEvent } from './protocol';
import { TrainingSession } from './session';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** A zero-delay macrotask (setTimeout is clamped to ≥ 4 ms once nested). */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

const session = new TrainingSession({
  post: (event: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer),
  initBackend,
  loadDataset,
  loadTestSplit,
  yieldToEventLoop,
  now: () => performance.now(),
});

scope.onmessage = (event: MessageEvent<unknown>) => {
  void session.receive(event.data);
};
scope.onerror = (event) => {
  scope.postMessage({ type: 'error', message: `worker error: ${String(event)}` } satisfies WorkerEvent);
};
