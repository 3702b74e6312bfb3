/**
 * The training worker's events folded into the store (through the reducers), for the client that
 * is current only: reports on a model that is being replaced are dropped, a divergence becomes a
 * message with its one-click remedy, copies of the weights are kept for a restart, and a fatal
 * error, a crash or a silence is handed to the controller, which replaces the worker.
 */
import type { RestorePoint, WorkerEventOf } from '../worker/protocol';
import type { TrainingClient } from '../worker/client';
import type { AppState, Notice, NoticeActionKind } from './appState';
import type { Decoders } from './decoders';
import { onBackend, onDataFailure, onDataProgress, onDataReady, isDataFailure } from './reducers/data';
import { onClassifier, onCodes, onDisentanglement, onLatents, onPrior } from './reducers/latents';
import { onConfigured, onDiverged, onEvaluation, onMetrics, onRestored, onStatus } from './reducers/training';
import type { Store } from './store';
import type { RestoredRun } from './storage/pageState';
import type { Timeline } from './timeline';
import type { Watchdog } from './supervisor';
import type { ViewState } from './viewState';

export interface WorkerEventsHost {
  readonly store: Store<AppState>;
  readonly timeline: Timeline;
  readonly decoders: Decoders;
  /** The fast-changing view (an autoregressive decode's progress goes there). */
  readonly view: Store<ViewState>;
  /** The client is still the one the page talks to. */
  isCurrent(client: TrainingClient): boolean;
  /** A configure was sent and its 'configured' has not come yet. */
  awaitingModel(): boolean;
  /** The 'configured' of the last configure came. */
  modelArrived(): void;
  notify(level: Notice['level'], text: string, action?: NoticeActionKind): void;
  /** A metrics report reached the store (the probe and grid follow the weights). */
  afterMetrics(): void;
  /** New latents reached the store (the model's tools follow them). */
  afterLatents(): void;
  /** A discrete latent's code report reached the store (its code tools follow it). */
  afterCodes(): void;
  /** An adversarial family's discriminator outputs (state/quality/). */
  onDiscriminator(e: WorkerEventOf<'discriminatorOutputs'>): void;
  /** The page's part of the model file just loaded (a new generation of the model), or null. */
  takeLoadedRun(): RestoredRun | null;
  /** Take on a loaded file's settings, chart and view. */
  adoptRun(run: RestoredRun): void;
  /** The newest copy of the current model's weights (null: none for this model yet). */
  keepWeights(point: RestorePoint | null): void;
  /** The worker cannot go on: replace it. */
  workerDied(reason: string): void;
}

export function listenToWorker(client: TrainingClient, watchdog: Watchdog, host: WorkerEventsHost): void {
  const current = () => host.isCurrent(client);
  const set = (update: (s: AppState) => AppState) => {
    if (current()) host.store.set(update);
  };
  // reports on the model, which an old model's late reports must not reach
  const reporting = () => current() && !host.awaitingModel();
  const { store, timeline } = host;

  client.onActivity((e) => watchdog.heard(e.type === 'heartbeat' ? e : undefined));
  client.onCrash((reason) => {
    if (current()) host.workerDied(reason);
  });
  client.on('backend', (e) => set((s) => onBackend(s, e)));
  client.on('dataProgress', (e) => set((s) => onDataProgress(s, e)));
  client.on('dataReady', (e) => set((s) => onDataReady(s, e)));
  client.on('configured', (e) => {
    if (!current()) return;
    host.modelArrived();
    // a copy of an earlier model's weights does not fit this one; a restarted one starts from its own
    if (e.cause === 'configure' || e.cause === 'reset' || e.cause === 'loaded') host.keepWeights(null);
    // a loaded file: its model, settings and chart replace the page's
    const run = e.cause === 'loaded' ? host.takeLoadedRun() : null;
    if (run) timeline.restore(run.chartOffset);
    else timeline.onConfigured(e.cause, store.get().training.step);
    store.set((s) => onConfigured(s, e, timeline.at(e.step)));
    if (run) host.adoptRun(run);
  });
  client.on('status', (e) => set((s) => onStatus(s, e)));
  client.on('decodeProgress', ({ done, total }) => current() && host.view.set((v) => ({ ...v, decodeProgress: done < total ? { done, total } : null })));
  client.on('metrics', (e) => {
    if (!reporting()) return;
    store.set((s) => onMetrics(s, e, timeline.at(e.step)));
    host.afterMetrics();
  });
  client.on('evaluation', (e) => {
    if (reporting()) store.set((s) => onEvaluation(s, e, timeline.at(e.step)));
  });
  client.on('latents', (e) => {
    if (!reporting()) return;
    store.set((s) => onLatents(s, e));
    host.decoders.refreshGrid();
    host.decoders.refreshProbe();
    host.decoders.refreshTraversal();
    host.afterLatents();
  });
  client.on('codes', (e) => {
    if (!reporting()) return;
    store.set((s) => onCodes(s, e));
    host.afterCodes();
  });
  client.on('discriminatorOutputs', (e) => {
    if (reporting()) host.onDiscriminator(e);
  });
  client.on('prior', (e) => {
    if (reporting()) store.set((s) => onPrior(s, e));
  });
  client.on('classifier', (e) => {
    if (reporting()) store.set((s) => onClassifier(s, e, timeline.at(e.step)));
  });
  client.on('disentanglement', (e) => {
    if (reporting()) store.set((s) => onDisentanglement(s, e, timeline.at(e.step)));
  });
  client.on('weights', (e) => {
    if (reporting()) host.keepWeights({ step: e.step, epoch: e.epoch, weights: e.weights });
  });
  client.on('diverged', (e) => {
    if (!current()) return;
    store.set((s) => onDiverged(s, e, timeline.at(e.restoredStep)));
    host.notify('error', e.message, 'restoreAndHalveLearningRate');
  });
  client.on('restored', (e) => {
    if (!current()) return;
    store.set((s) => onRestored(s, timeline.at(e.step)));
    host.notify('info', `Restored the weights of step ${e.step.toLocaleString('en-US')}; the learning rate is ${store.get().settings.learningRate}. Press Train to go on.`);
  });
  client.on('error', (e) => {
    if (!current()) return;
    if (e.command === 'configure') host.modelArrived();
    if (e.fatal) host.workerDied(e.message);
    else if (isDataFailure(store.get(), e)) store.set((s) => onDataFailure(s, e));
    else host.notify('error', e.message);
  });
}
