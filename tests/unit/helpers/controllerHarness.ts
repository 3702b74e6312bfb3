/**
 * The real Controller wired to FakeWorkers, with a fake clock (timers and performance.now), for
 * the controller's unit tests. Tests talk to it as the UI and the worker would: intentions on
 * the controller, events from the fake worker, assertions on the commands the worker received
 * and on the store and view state.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { Controller, type ControllerOptions } from '../../../src/state/controller';
import { defaultSettings, type Settings } from '../../../src/state/settings';
import type { AppState } from '../../../src/state/appState';
import { BACKEND_INFO, configuredEvent, dataSummary, FakeWorker, metricsEvent, statusEvent, type CommandOf, type FlatMetrics } from './fakeWorker';
import type { WorkerEventOf } from '../../../src/worker/protocol';

export const ASSET_BASE_URL = 'https://vae.example/app/';

export class Harness {
  readonly controller: Controller;
  /** Every worker the controller created, oldest first (a backend change starts a new one). */
  readonly workers: FakeWorker[] = [];
  /** The hashes given to the URL writer, oldest first. */
  readonly urls: string[] = [];

  constructor(settings: Partial<Settings> = {}, options: Partial<ControllerOptions> = {}) {
    this.controller = new Controller({
      createWorker: () => {
        const worker = new FakeWorker();
        this.workers.push(worker);
        return worker;
      },
      assetBaseUrl: ASSET_BASE_URL,
      initialSettings: { ...defaultSettings(), ...settings },
      writeUrl: (hash) => this.urls.push(hash),
      ...options,
    });
  }

  /** The main worker: the first one created (runComparison starts others after it). */
  get worker(): FakeWorker {
    return this.workers[this.mainIndex];
  }

  private mainIndex = 0;

  /** After a backend change, the newest worker is the main one. */
  followNewestWorker(): FakeWorker {
    this.mainIndex = this.workers.length - 1;
    return this.worker;
  }

  state(): AppState {
    return this.controller.store.get();
  }

  view() {
    return this.controller.view.get();
  }

  /** Let pending promise chains (a decode's reply reaching the view) run to completion. */
  async flush(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Move the fake clock (timers and performance.now) on, then flush. */
  async advance(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
    await this.flush();
  }

  /** The newest configure command the main worker received. */
  lastConfigure(): CommandOf<'configure'> {
    const command = this.worker.received.filter((c): c is CommandOf<'configure'> => c.type === 'configure').at(-1);
    if (!command) throw new Error('no configure command was sent');
    return command;
  }

  /** Answer the newest configure command as the worker does: 'configured', then a status (at the restored step, if any). */
  configured(cause: WorkerEventOf<'configured'>['cause'] = 'configure', parameterCount = 1234): CommandOf<'configure'> {
    const command = this.lastConfigure();
    this.worker.emit(configuredEvent(command, cause, parameterCount));
    this.worker.emit(statusEvent(false, command.restore?.step ?? 0));
    return command;
  }

  /** The worker's start-up: backend chosen, data loaded, model configured. */
  ready(): this {
    this.worker.emit({ type: 'backend', info: BACKEND_INFO });
    this.worker.emit({ type: 'dataReady', summary: dataSummary() });
    this.configured();
    return this;
  }

  /** A metrics report at `step`, as sent while training. */
  trainTo(step: number, train: Partial<FlatMetrics> = {}): void {
    this.worker.emit(metricsEvent(step, train));
  }

  /** Decode requests of a given batch size: 1 for the probe, 225 / 64 for the grid, rows × 9 for traversals. */
  decodes(count: number, worker = this.worker): CommandOf<'decode'>[] {
    return worker.ofType('decode').filter((c) => c.count === count);
  }

  pendingDecodes(count: number, worker = this.worker): CommandOf<'decode'>[] {
    return worker.pending('decode').filter((c) => c.count === count);
  }

  /** Answer every decode in flight, and those their answers let through, until none is left. */
  async replyAll(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const pending = this.worker.pending('decode');
      if (pending.length === 0) return;
      for (const command of pending) this.worker.replyDecode(command);
      await this.flush();
    }
    throw new Error('decodes keep coming');
  }
}

const live: Harness[] = [];

/**
 * Fake timers and performance.now for every test of the calling file, and a dispose of every
 * controller made with harness() after each test.
 */
export function useControllerHarness(): (settings?: Partial<Settings>, options?: Partial<ControllerOptions>) => Harness {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  });
  afterEach(() => {
    for (const h of live.splice(0)) h.controller.dispose();
    vi.useRealTimers();
  });
  return (settings, options) => {
    const h = new Harness(settings, options);
    live.push(h);
    return h;
  };
}
