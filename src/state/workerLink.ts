/**
 * The page's link to its training worker: which worker is current, and its lifecycle. A new
 * worker is initialised and configured (connect), a model is asked for (configure, with the
 * images of the data set 'own' and, after a crash, the last copy of the weights), a worker that
 * died or hung is replaced with that copy unless it keeps dying (replace), and a change of backend
 * starts a new one (rebuild). The generation counts the models asked for: a decode or a tool's
 * answer for an older generation is dropped. The controller (controller.ts) wires the worker's
 * events to the page (listen) and owns everything else.
 */
import { TrainingClient, type WorkerPort } from '../worker/client';
import { WEIGHT_COPY_EVERY, type RestorePoint } from '../worker/protocol';
import type { OwnImages } from '../data/own/ownDataset';
import type { AppState } from './appState';
import { holdOutClassOf, modelConfigOf, trainingOf, type Settings } from './settings';
import { RestartBudget, Watchdog, type Clock } from './supervisor';
import type { Store } from './store';

export interface WorkerLinkDeps {
  createWorker(): WorkerPort;
  assetBaseUrl: string;
  clock?: Clock;
  store: Store<AppState>;
  settings(): Settings;
  /** The images the worker has for the data set 'own' (sent again to a new worker), or null. */
  ownImages(): OwnImages | null;
  /** Wire a new worker's events to the page (workerEvents.ts); `watchdog` hears every event. */
  listen(client: TrainingClient, watchdog: Watchdog): void;
  /** A new model is asked for: what was computed for the old one no longer holds. */
  onNewModel(): void;
  notify(level: 'error', text: string): void;
}

export class WorkerLink {
  /** Bumped whenever a new model is asked for: decodes for an older one are dropped. */
  private modelGeneration = 0;
  /**
   * Between a configure and its 'configured' reply the worker may still report on the old model:
   * those reports must not fill the chart and scatter that were just cleared for the new one.
   */
  private waiting = false;
  /** The newest copy of the current model's weights, for a restarted worker. */
  private restorePoint: RestorePoint | null = null;
  private current: TrainingClient | null = null;
  private watchdog: Watchdog | null = null;
  private readonly restarts: RestartBudget;

  constructor(private readonly deps: WorkerLinkDeps) {
    this.restarts = new RestartBudget(deps.clock);
  }

  /** The current worker's client (after start). */
  get client(): TrainingClient {
    if (!this.current) throw new Error('the training worker has not been started');
    return this.current;
  }

  get generation(): number {
    return this.modelGeneration;
  }

  /** Between a configure and its reply the page waits for the new model. */
  get awaitingModel(): boolean {
    return this.waiting;
  }

  /** The first worker. */
  start(): void {
    this.current = this.connect();
  }

  isCurrent(client: TrainingClient): boolean {
    return client === this.current;
  }

  /** Results for the model so far no longer hold (fresh weights, a loaded file). */
  newGeneration(): void {
    this.modelGeneration += 1;
  }

  /** The worker posted a copy of the weights (every WEIGHT_COPY_EVERY steps), or none holds any longer. */
  keepWeights(point: RestorePoint | null): void {
    this.restorePoint = point;
  }

  /** The worker answered the configure: its reports are about the new model. */
  modelArrived(): void {
    this.setAwaitingModel(false);
  }

  /** Ask the worker for a model of the settings in force (`restore`: start from those weights). */
  configure(client: TrainingClient = this.client, restore?: RestorePoint): void {
    const settings = this.deps.settings();
    this.modelGeneration += 1;
    const own = settings.dataset === 'own' ? this.deps.ownImages() : null;
    if (settings.dataset === 'own' && !own) {
      // nothing to train on until images are chosen: the images panel asks for them
      client.send({ type: 'pause' });
      this.deps.store.set((s) => ({ ...s, model: null, data: { ...s.data, stage: 'waiting', summary: null, error: null } }));
      return;
    }
    this.setAwaitingModel(true);
    this.deps.onNewModel();
    if (!restore) this.restorePoint = null;
    const holdOutClass = holdOutClassOf(settings);
    const data = own ? { shape: { width: own.side, height: own.side, channels: 1 }, classCount: own.classNames.length } : undefined;
    client.send({
      type: 'configure',
      datasetId: settings.dataset,
      model: modelConfigOf(settings, data),
      training: trainingOf(settings),
      ...(holdOutClass === undefined ? {} : { holdOutClass }),
      ...(restore ? { restore } : {}),
    });
  }

  /**
   * The worker died (an uncaught error, out of memory, a silence): say so and start a new one with
   * the last copy of the weights, unless it keeps dying.
   */
  replace(reason: string): void {
    const dead = this.client;
    this.watchdog?.stop();
    // the dead worker's unanswered decodes are rejected: for an old generation, they are no news
    this.modelGeneration += 1;
    dead.terminate();
    const clear = (s: AppState): AppState => ({ ...s, backend: null, model: null, training: { ...s.training, running: false, stepsPerSecond: 0 } });
    if (!this.restarts.take()) {
      this.deps.store.set((s) => ({ ...clear(s), workerFailure: reason }));
      this.deps.notify('error', `The training worker stopped again (${reason}). It was restarted several times in the last two minutes; reload the page to try again.`);
      return;
    }
    const point = this.restorePoint;
    const from = point
      ? `with the weights of step ${point.step.toLocaleString('en-US')}, the last copy the page kept`
      : `from fresh weights (the page keeps a copy every ${WEIGHT_COPY_EVERY} steps; there was none yet)`;
    this.deps.notify('error', `The training worker stopped (${reason}). A new one has started ${from}; press Train to go on.`);
    this.deps.store.set(clear);
    this.current = this.connect(point ?? undefined);
  }

  /** Settings that need a new model are in force: a new worker if the backend changed, else a configure. */
  rebuild(backendChanged: boolean): void {
    if (backendChanged) {
      this.client.terminate();
      this.deps.store.set((s) => ({ ...s, backend: null, model: null, data: { ...s.data, stage: 'waiting' } }));
      this.current = this.connect();
    } else {
      this.configure();
    }
  }

  dispose(): void {
    this.watchdog?.stop();
    this.current?.terminate();
  }

  /** A new worker: init, then configure (from `restore`, the weights a dead worker left). */
  private connect(restore?: RestorePoint): TrainingClient {
    const client = new TrainingClient(this.deps.createWorker());
    this.watchdog?.stop();
    const watchdog = new Watchdog((silentMs) => {
      if (client === this.current) this.replace(`it stopped answering for ${Math.round(silentMs / 1000)} s, a step may have hung`);
    }, this.deps.clock);
    this.watchdog = watchdog;
    this.deps.listen(client, watchdog);
    client.send({ type: 'init', backend: this.deps.settings().backend, assetBaseUrl: this.deps.assetBaseUrl });
    const own = this.deps.ownImages();
    if (own) client.send({ type: 'useImages', images: own });
    this.configure(client, restore);
    return client;
  }

  /** Train, Step and Reset wait too while the page waits for a model. */
  private setAwaitingModel(waiting: boolean): void {
    this.waiting = waiting;
    this.deps.store.set((s) => (s.buildingModel === waiting ? s : { ...s, buildingModel: waiting }));
  }
}
