/**
 * The app's controller: owns the training worker's client, turns its events into store updates
 * and the UI's intentions (train, step, reset, change a setting, move the probe) into commands.
 * No tensors here: the worker has them all.
 */
import { TrainingClient, LatestOnly, type WorkerPort } from '../worker/client';
import type { WorkerEventOf } from '../worker/protocol';
import { quantileGrid } from '../ui/lib/quantiles';
import { Rng } from '../data/rng';
import { appendPoint, type HistoryMarker } from './history';
import { checkSetting, klScheduleOf, needsNewModel, SETTINGS, settingsToUrl, type Checked, type SettingKey, type Settings } from './settings';
import type { TrainingConfig } from '../core/types';
import { DATASETS } from '../data/catalog';
import { ComparisonRunner } from './comparison';
import { initialState, Store, type AppState, type Notice, type Snapshot, type Traversal } from './store';

export const GRID_SIZE_2D = 15;
export const PRIOR_SAMPLES = 64;
/** How often the probe's image is refreshed while training, in metric reports (~20 steps each). */
const PROBE_REFRESH_EVERY = 1;
/** How often the decoder grid is refreshed while training, in metric reports. */
const GRID_REFRESH_EVERY = 5;

export interface DecodedImages {
  images: Float32Array;
  count: number;
  step: number;
}

export interface ControllerOptions {
  createWorker(): WorkerPort;
  /** The app's base URL: data and wasm binaries are fetched relative to it. */
  assetBaseUrl: string;
  initialSettings: Settings;
  initialMessages?: string[];
  /** Called with the settings' URL form after each change (history.replaceState in the page). */
  writeUrl?(hash: string): void;
}

export interface ViewState {
  probe: number[];
  probeImage: Float32Array | null;
  probeLatencyMs: number | null;
  grid: DecodedImages | null;
  gridLatents: Float32Array | null;
  traversal: Traversal | null;
}

/** The values each latent dimension sweeps in the traversals. */
export const TRAVERSAL_VALUES = [-3, -2.25, -1.5, -0.75, 0, 0.75, 1.5, 2.25, 3];
/** At most this many rows (dimensions, by KL) are traversed. */
export const TRAVERSAL_MAX_ROWS = 10;

export class Controller {
  readonly store: Store<AppState>;
  readonly view: Store<ViewState>;
  private client: TrainingClient;
  private noticeId = 1;
  private metricsSinceProbe = 0;
  private metricsSinceGrid = 0;
  private priorSeed = 1;
  /**
   * The loss chart's time axis runs on across resets (so a reset is a mark on it, with the run
   * before it still visible): history steps are this offset plus the model's step.
   */
  private timelineOffset = 0;
  /** Bumped whenever a new model is asked for: decodes for an older one are dropped. */
  private generation = 0;
  private lastUserProbeMove = -Infinity;
  private readonly probeDecoder: LatestOnly<{ z: number[]; startedAt: number; byUser: boolean; generation: number }, Float32Array | null>;
  private readonly gridDecoder: LatestOnly<{ latents: Float32Array; latentDim: number; generation: number }, { step: number; images: Float32Array | null }>;
  private readonly traversalDecoder: LatestOnly<{ traversal: Omit<Traversal, 'images'>; generation: number }, Float32Array | null>;
  private traversalTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotId = 1;
  private readonly comparison: ComparisonRunner;

  constructor(private readonly options: ControllerOptions) {
    this.store = new Store(initialState(options.initialSettings));
    this.store.set((s) => ({ ...s, comparison: { ...s.comparison, stepsPerModel: options.initialSettings.comparisonSteps } }));
    this.view = new Store<ViewState>({ probe: new Array(options.initialSettings.latentDim).fill(0), probeImage: null, probeLatencyMs: null, grid: null, gridLatents: null, traversal: null });
    for (const text of options.initialMessages ?? []) this.notify('warning', text);
    this.client = this.connect();
    this.probeDecoder = new LatestOnly(
      ({ z, generation }) => this.decodeCurrent(generation, Float32Array.from(z), 1),
      (image, { startedAt, byUser, generation }) => {
        if (!image || generation !== this.generation) return;
        this.view.set((v) => ({ ...v, probeImage: image }));
        // latency as the user sees it: from the move to the frame that shows its image
        if (byUser) afterNextFrame(() => this.recordProbeLatency(performance.now() - startedAt));
      },
      (error) => this.notify('error', `Decoding the probe failed: ${error.message}`),
    );
    this.gridDecoder = new LatestOnly(
      async ({ latents, latentDim, generation }) => ({
        step: this.store.get().training.step,
        images: await this.decodeCurrent(generation, latents.slice(), latents.length / latentDim),
      }),
      ({ images, step }, { latents, latentDim, generation }) => {
        if (!images || generation !== this.generation) return;
        this.view.set((v) => ({ ...v, grid: { images, count: latents.length / latentDim, step } }));
      },
      (error) => this.notify('error', `Decoding the grid failed: ${error.message}`),
    );
    this.comparison = new ComparisonRunner(options.createWorker, options.assetBaseUrl, (change) =>
      this.store.set((s) => ({ ...s, comparison: change(s.comparison) })),
    );
    this.traversalDecoder = new LatestOnly(
      ({ traversal, generation }) => this.decodeCurrent(generation, traversalLatents(traversal), traversal.dims.length * traversal.values.length),
      (images, { traversal, generation }) => {
        if (!images || generation !== this.generation) return;
        this.view.set((v) => ({ ...v, traversal: { ...traversal, images } }));
      },
      (error) => this.notify('error', `Decoding the traversals failed: ${error.message}`),
    );
  }

  /**
   * Decode for the model of a given generation; null when the model has changed since the request
   * was made (its latents may not even fit the new model), and such a request's failure is no news.
   */
  private async decodeCurrent(generation: number, latents: Float32Array, count: number): Promise<Float32Array | null> {
    if (generation !== this.generation) return null;
    try {
      return await this.client.decode(latents, count);
    } catch (error) {
      if (generation !== this.generation) return null;
      throw error;
    }
  }

  get settings(): Settings {
    return this.store.get().settings;
  }

  // ---- intentions from the UI --------------------------------------------------------------

  toggleTraining(): void {
    const { training, model } = this.store.get();
    if (!model) return;
    this.client.send({ type: training.running ? 'pause' : 'start' });
  }

  step(): void {
    if (this.store.get().model) this.client.send({ type: 'step' });
  }

  reset(): void {
    if (!this.store.get().model) return;
    this.client.send({ type: 'reset' });
  }

  /**
   * Propose a new value for a setting. Live settings apply at the next step; settings that need
   * a new model ask first when a trained model would be lost. Returns the check's outcome so the
   * input can show why a value was clamped or refused.
   */
  changeSetting<K extends SettingKey>(key: K, raw: unknown): Checked<Settings[K]> {
    const checked = checkSetting(key, raw);
    if (!checked.ok) {
      this.notify('warning', `${checked.message}. Kept ${SETTINGS[key].format(this.settings[key] as never)}.`);
      return checked;
    }
    if (checked.message) this.notify('info', `${checked.message}.`);
    if (checked.value === this.settings[key]) return checked;
    const next = { ...this.settings, [key]: checked.value } as Settings;
    if (!needsNewModel(key) && SETTINGS[key].effect === 'live') {
      this.applyLive(key, next);
      return checked;
    }
    const { training } = this.store.get();
    if (training.step > 0) {
      const label = SETTINGS[key].label;
      this.store.set((s) => ({
        ...s,
        pendingChange: {
          change: { [key]: checked.value },
          description: `Changing ${label} to ${SETTINGS[key].format(checked.value as never)} needs a new model: the one trained for ${training.step.toLocaleString()} steps will be discarded.`,
        },
      }));
      return checked;
    }
    this.applyModelChange(next);
    return checked;
  }

  confirmPendingChange(): void {
    const pending = this.store.get().pendingChange;
    if (!pending) return;
    this.store.set((s) => ({ ...s, pendingChange: null }));
    // merge into the settings as they are now: live edits made while the question was open stay
    this.applyModelChange({ ...this.settings, ...pending.change });
  }

  cancelPendingChange(): void {
    this.store.set((s) => ({ ...s, pendingChange: null }));
  }

  moveProbe(z: number[], byUser = true): void {
    if (z.length !== this.settings.latentDim || !z.every(Number.isFinite)) return;
    this.view.set((v) => ({ ...v, probe: z }));
    if (!this.store.get().model) return;
    if (byUser) this.lastUserProbeMove = performance.now();
    this.probeDecoder.request({ z, startedAt: performance.now(), byUser, generation: this.generation });
    if (byUser) this.scheduleTraversal();
  }

  /** Put the probe on a test point's posterior mean (the traversals then start from it). */
  probeToPoint(pointIndex: number): void {
    const latents = this.store.get().latents;
    if (!latents || pointIndex < 0 || pointIndex >= latents.count) return;
    const d = latents.latentDim;
    this.moveProbe(Array.from(latents.mu.subarray(pointIndex * d, (pointIndex + 1) * d)));
  }

  /** Freeze the current scatter, traversals, KL bars and scores into a card. */
  takeSnapshot(): void {
    const s = this.store.get();
    if (!s.latents) return;
    const { settings, training, disentanglement } = s;
    const latest = training.latest;
    const snapshot: Snapshot = {
      id: this.snapshotId++,
      title: describeRun(settings),
      step: training.step,
      settings,
      latents: s.latents,
      klPerDim: latest?.klPerDim ?? [],
      negativeElbo: latest?.negativeElbo ?? null,
      reconstruction: latest?.reconstruction ?? null,
      kl: latest?.kl ?? null,
      mig: disentanglement.latest?.mig ?? null,
      activeUnits: disentanglement.latest?.activeUnits ?? null,
      traversal: this.view.get().traversal,
    };
    this.store.set((st) => ({ ...st, snapshots: [...st.snapshots, snapshot].slice(-6) }));
  }

  /** Train a plain autoencoder, a KL-only model and a VAE side by side (the main run pauses). */
  runComparison(): void {
    if (this.comparison.running || this.store.get().data.stage !== 'ready') return;
    if (this.store.get().training.running) this.client.send({ type: 'pause' });
    void this.comparison.run(this.settings, this.inputDim(), this.settings.comparisonSteps);
  }

  cancelComparison(): void {
    this.comparison.cancel();
  }

  removeSnapshot(id: number): void {
    this.store.set((s) => ({ ...s, snapshots: s.snapshots.filter((x) => x.id !== id) }));
  }

  resamplePrior(): void {
    this.priorSeed += 1;
    this.refreshGrid(true);
  }

  dismissNotice(id: number): void {
    this.store.set((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
  }

  dispose(): void {
    this.comparison.cancel();
    this.client.terminate();
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private connect(): TrainingClient {
    const client = new TrainingClient(this.options.createWorker());
    this.listen(client);
    client.send({ type: 'init', backend: this.settings.backend, assetBaseUrl: this.options.assetBaseUrl });
    this.configure(client);
    return client;
  }

  private configure(client: TrainingClient = this.client): void {
    this.generation += 1;
    const s = this.settings;
    client.send({
      type: 'configure',
      datasetId: s.dataset,
      model: { inputDim: this.inputDim(), hiddenDim: s.hiddenDim, latentDim: s.latentDim, likelihood: s.likelihood, seed: s.seed },
      training: trainingOf(s),
    });
  }

  private inputDim(): number {
    const { width, height, channels } = DATASETS[this.settings.dataset].shape;
    return width * height * channels;
  }

  private applyLive(key: SettingKey, next: Settings): void {
    this.setSettings(next);
    const step = this.timelineOffset + this.store.get().training.step;
    if (key === 'beta') this.addMarker({ step, kind: 'beta', label: `β=${formatShort(next.beta)}` });
    if (key === 'learningRate') this.addMarker({ step, kind: 'learningRate', label: `lr=${next.learningRate}` });
    if (key === 'comparisonSteps') {
      this.store.set((s) => (s.comparison.status === 'running' ? s : { ...s, comparison: { ...s.comparison, stepsPerModel: next.comparisonSteps } }));
      return;
    }
    if (key === 'klSchedule' || key === 'freeBits') this.addMarker({ step, kind: 'beta', label: key === 'freeBits' ? `λ=${next.freeBits}` : next.klSchedule });
    this.client.send({ type: 'setTraining', change: trainingOf(next) });
  }

  private applyModelChange(next: Settings): void {
    const backendChanged = next.backend !== this.settings.backend;
    const sameData = next.dataset === this.settings.dataset;
    this.setSettings(next);
    this.view.set((v) => ({ ...v, probe: new Array(next.latentDim).fill(0), probeImage: null, grid: null, gridLatents: null, traversal: null }));
    this.store.set((s) => ({
      ...s,
      latents: null,
      pointFactors: sameData ? s.pointFactors : null,
      previewImages: sameData ? s.previewImages : null,
      history: { train: [], test: [], markers: [] },
      training: { ...s.training, latest: null, latestTest: null },
    }));
    if (backendChanged) {
      this.client.terminate();
      this.store.set((s) => ({ ...s, backend: null, model: null, data: { ...s.data, stage: 'waiting' } }));
      this.client = this.connect();
    } else {
      this.configure();
    }
  }

  private setSettings(next: Settings): void {
    this.store.set((s) => ({ ...s, settings: next }));
    this.options.writeUrl?.(settingsToUrl(next));
  }

  private notify(level: Notice['level'], text: string): void {
    const id = this.noticeId++;
    this.store.set((s) => ({ ...s, notices: [...s.notices.filter((n) => n.text !== text), { id, level, text }].slice(-4) }));
  }

  private addMarker(marker: HistoryMarker): void {
    this.store.set((s) => ({ ...s, history: { ...s.history, markers: [...s.history.markers, marker].slice(-200) } }));
  }

  /** Decode the prior grid: Gaussian quantiles for 2-D, seeded samples from N(0, I) otherwise. */
  private refreshGrid(newLatents = false): void {
    const latentDim = this.settings.latentDim;
    let latents = this.view.get().gridLatents;
    if (!latents || newLatents || latents.length % latentDim !== 0 || (latentDim === 2) !== (latents.length === GRID_SIZE_2D * GRID_SIZE_2D * 2)) {
      if (latentDim === 2) {
        latents = quantileGrid(GRID_SIZE_2D).latents;
      } else {
        const rng = new Rng(this.priorSeed);
        latents = Float32Array.from({ length: PRIOR_SAMPLES * latentDim }, () => rng.normal());
      }
      this.view.set((v) => ({ ...v, gridLatents: latents }));
    }
    if (latents) this.gridDecoder.request({ latents, latentDim, generation: this.generation });
  }

  /** Decode the traversals around the probe, rows ordered by KL (largest first). */
  private refreshTraversal(): void {
    const { latents, training } = this.store.get();
    if (!latents || !this.store.get().model) return;
    const latentDim = this.settings.latentDim;
    const kl = training.latest?.klPerDim;
    const order = Array.from({ length: latentDim }, (_, i) => i);
    if (kl && kl.length === latentDim) order.sort((a, b) => kl[b] - kl[a] || a - b);
    const base = this.view.get().probe.slice();
    if (base.length !== latentDim) return;
    this.traversalDecoder.request({
      traversal: { dims: order.slice(0, TRAVERSAL_MAX_ROWS), values: TRAVERSAL_VALUES, base, step: training.step },
      generation: this.generation,
    });
  }

  /** After the probe rests for a moment, traverse from its new position. */
  private scheduleTraversal(): void {
    if (this.traversalTimer !== null) clearTimeout(this.traversalTimer);
    this.traversalTimer = setTimeout(() => {
      this.traversalTimer = null;
      this.refreshTraversal();
    }, 150);
  }

  private refreshProbe(): void {
    // while the user drags, their own decodes keep the image fresh; a refresh would only make
    // their next move wait behind it
    if (performance.now() - this.lastUserProbeMove < 500) return;
    this.moveProbe(this.view.get().probe, false);
  }

  private recordProbeLatency(ms: number): void {
    this.view.set((v) => ({ ...v, probeLatencyMs: ms }));
    probeLatencySink()?.push(ms);
  }

  private listen(client: TrainingClient): void {
    const set = (update: (s: AppState) => AppState) => {
      if (client === this.client) this.store.set(update);
    };
    client.on('backend', ({ info }) => set((s) => ({ ...s, backend: info })));
    client.on('dataProgress', ({ loadedBytes, totalBytes, stage }) => set((s) => ({ ...s, data: { ...s.data, stage: 'loading', step: stage, loadedBytes, totalBytes } })));
    client.on('dataReady', ({ summary }) => set((s) => ({ ...s, data: { ...s.data, stage: 'ready', summary, error: null } })));
    client.on('configured', (e) => this.onConfigured(client, e));
    client.on('status', ({ running, step, epoch, epochProgress }) =>
      set((s) => ({ ...s, training: { ...s.training, running, step, epoch, epochProgress, stepsPerSecond: running ? s.training.stepsPerSecond : 0 } })),
    );
    client.on('metrics', (e) => this.onMetrics(client, e));
    client.on('evaluation', ({ step, test }) =>
      set((s) => ({
        ...s,
        training: { ...s.training, latestTest: { ...test, step } },
        history: { ...s.history, test: appendPoint(s.history.test, { step: this.timelineOffset + step, reconstruction: test.reconstruction, kl: test.kl, negativeElbo: test.negativeElbo, beta: s.settings.beta }) },
      })),
    );
    client.on('latents', (e) => {
      if (client !== this.client) return;
      this.store.set((s) => ({
        ...s,
        latents: { step: e.step, count: e.count, latentDim: e.latentDim, mu: e.mu, logVar: e.logVar, labels: e.labels, indices: e.indices },
        previewImages: e.images ?? s.previewImages,
        pointFactors: e.images ? (e.factors ?? null) : s.pointFactors,
      }));
      this.refreshGrid();
      this.refreshProbe();
      this.refreshTraversal();
    });
    client.on('disentanglement', (e) =>
      set((s) => ({
        ...s,
        disentanglement: {
          latest: e,
          history: appendBounded(s.disentanglement.history, { step: this.timelineOffset + e.step, mig: e.mig, activeUnits: e.activeUnits }),
        },
      })),
    );
    client.on('diverged', ({ message, step, restoredStep }) => {
      if (client !== this.client) return;
      // the run goes back to restoredStep: drop what came after it, so time only moves forward
      const keepUpTo = this.timelineOffset + restoredStep;
      this.store.set((s) => ({
        ...s,
        history: { ...s.history, train: s.history.train.filter((p) => p.step <= keepUpTo), test: s.history.test.filter((p) => p.step <= keepUpTo) },
        disentanglement: { ...s.disentanglement, history: s.disentanglement.history.filter((p) => p.step <= keepUpTo) },
      }));
      this.addMarker({ step: keepUpTo, kind: 'diverged', label: `NaN at ${step}: restored` });
      this.notify('error', message);
    });
    client.on('error', ({ message, command }) => {
      if (client !== this.client) return;
      if (command === 'configure' && this.store.get().data.stage !== 'ready') {
        this.store.set((s) => ({ ...s, data: { ...s.data, stage: 'failed', error: message } }));
        return; // the data banner says it, with a retry button
      }
      this.notify('error', message);
    });
  }

  private onConfigured(client: TrainingClient, e: WorkerEventOf<'configured'>): void {
    if (client !== this.client) return;
    const model = { config: e.model, parameterCount: e.parameterCount };
    if (e.cause === 'recovered') {
      // the same model, moved to another backend: the chart and the run go on
      this.store.set((s) => ({ ...s, model }));
      return;
    }
    const wasReset = e.cause === 'reset';
    if (wasReset) this.timelineOffset += this.store.get().training.step;
    else this.timelineOffset = 0;
    this.store.set((s) => ({
      ...s,
      model,
      training: { ...s.training, step: 0, epoch: 0, epochProgress: 0, latest: null, latestTest: null, stepsPerSecond: 0 },
      // a reset keeps the run so far on the chart, marked; a new model starts a new chart
      history: wasReset
        ? { ...s.history, markers: [...s.history.markers, { step: this.timelineOffset, kind: 'reset' as const, label: 'reset' }] }
        : { train: [], test: [], markers: [] },
      disentanglement: wasReset ? s.disentanglement : { latest: null, history: [] },
    }));
    this.metricsSinceProbe = 0;
  }

  private onMetrics(client: TrainingClient, e: WorkerEventOf<'metrics'>): void {
    if (client !== this.client) return;
    this.store.set((s) => ({
      ...s,
      training: { ...s.training, step: e.step, epoch: e.epoch, epochProgress: e.epochProgress, stepsPerSecond: e.stepsPerSecond || s.training.stepsPerSecond, latest: e.train },
      history: {
        ...s.history,
        train: appendPoint(s.history.train, {
          step: this.timelineOffset + e.step,
          reconstruction: e.train.reconstruction,
          kl: e.train.kl,
          negativeElbo: e.train.negativeElbo,
          beta: e.train.klWeight,
          ...(Number.isFinite(e.train.capacity) ? { capacity: e.train.capacity } : {}),
        }),
      },
    }));
    this.metricsSinceProbe += 1;
    this.metricsSinceGrid += 1;
    if (this.metricsSinceProbe >= PROBE_REFRESH_EVERY) {
      this.metricsSinceProbe = 0;
      this.refreshProbe();
    }
    if (this.metricsSinceGrid >= GRID_REFRESH_EVERY) {
      this.metricsSinceGrid = 0;
      this.refreshGrid();
    }
  }
}

/** Runs f in the frame after the next one has been prepared (so React's commit is in it). */
function afterNextFrame(f: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => f());
  else f();
}

/** The benchmark (scripts/bench.mjs) collects probe latencies through this optional global. */
function probeLatencySink(): number[] | undefined {
  const metrics = (globalThis as { __vaeMetrics?: { probeLatencies?: number[] } }).__vaeMetrics;
  return metrics?.probeLatencies;
}

/** The worker's training settings from the app's settings. */
function trainingOf(s: Settings): TrainingConfig {
  return { beta: s.beta, learningRate: s.learningRate, batchSize: s.batchSize, klSchedule: klScheduleOf(s), freeBits: s.freeBits, objective: 'vae' };
}

/** Traversal latents: for each row's dimension, each value, the base with that coordinate set. */
function traversalLatents(t: Omit<Traversal, 'images'>): Float32Array {
  const d = t.base.length;
  const out = new Float32Array(t.dims.length * t.values.length * d);
  t.dims.forEach((dim, r) =>
    t.values.forEach((value, c) => {
      const offset = (r * t.values.length + c) * d;
      out.set(t.base, offset);
      out[offset + dim] = value;
    }),
  );
  return out;
}

function appendBounded<T>(series: T[], item: T, max = 2000): T[] {
  const next = [...series, item];
  return next.length > max ? next.filter((_, i) => i % 2 === 1 || i === next.length - 1) : next;
}

/** A short title of a run's settings, for snapshot cards. */
function describeRun(s: Settings): string {
  return `β = ${formatShort(s.beta)}, z = ${s.latentDim}, ${s.dataset === 'shapes' ? 'Shapes' : 'MNIST'}`;
}

function formatShort(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3).replace(/0+$/, '');
}
