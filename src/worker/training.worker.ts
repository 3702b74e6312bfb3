/// <reference lib="webworker" />
/**
 * The training worker: tfjs, the model and the optimiser live here, never on the main thread.
 * All logic is in TrainingSession; this file only wires it to the worker's message port and
 * sends the heartbeat.
 */
import { loadDataset, loadTestSplit } from '../data/registry';
import { initBackend } from './backend';
import { HEARTBEAT_EVERY_MS, type WorkerEvent } from './protocol';
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
// A sign of life for the page's watchdog (state/supervisor.ts): a step that hangs silences it.
// An uncaught error is not handled here: it reaches the page's Worker object, which replaces us.
setInterval(() => scope.postMessage({ type: 'heartbeat', stepMs: session.slowestStepMs, compilesShaders: session.compilesShaders } satisfies WorkerEvent), HEARTBEAT_EVERY_MS);
