/**
 * The scheduling behind the tools of a trained model: which requests go to the worker and when.
 * Interpolation, the drawing and the reconstructions are latest-only requests, refreshed while
 * training every few reports (the reconstructions only while their tab is open); scoring the sets
 * and the importance-weighted bound are background jobs with progress and cancel, started by the
 * user (the scores also once by themselves when the tab is first seen after some training).
 * Results for an older model are dropped. No tensors: images travel as typed arrays.
 */
import { interpolationPath, pixelBlends } from '../../core/analysis/interpolation';
import { corruptImages, type CorruptionKind } from '../../data/corruption';
import { OUTLIER_SET_IDS } from '../../data/outliers';
import { Rng } from '../../data/rng';
import { LatestOnly, type Job, type TrainingClient } from '../../worker/client';
import type { InterpolationEnd } from '../../worker/protocol';
import type { AppState } from '../appState';
import { Store } from '../store';
import { BOUND_KS, initialAnalysis, type AnalysisState, type InterpolationEndState, type InterpolationState, type JobProgressState } from './state';

/** Refresh the live tools every this many metric reports (~20 steps each) while training. */
const REFRESH_EVERY = 5;
/** Score the sets by themselves once the tab is open and the model has trained this many steps. */
export const AUTO_SCORE_AFTER_STEPS = 300;
/** Images per out-of-distribution set. */
export const OUTLIER_SET_SIZE = 2000;
/** Reconstructions shown, and posterior samples under each. */
export const RECONSTRUCTION_COUNT = 10;
export const RECONSTRUCTION_SAMPLES = 3;
const RECONSTRUCTION_SEED = 5;
const CORRUPTION_SEED = 11;
const DRAWING_SEED = 1;

export interface AnalysisHost {
  client(): TrainingClient;
  /** Bumped whenever a new model is asked for. */
  generation(): number;
  store: Store<AppState>;
  /** The tools' tab is on screen (the reconstructions refresh only then). */
  visible(): boolean;
  onError(text: string): void;
}

type InterpolationRequest = { ends: [InterpolationEndState, InterpolationEndState]; path: InterpolationState['path']; steps: number; generation: number };
type InspectRequest = { images: Float32Array; count: number; samples: number; seed: number; generation: number };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class AnalysisTools {
  readonly store = new Store<AnalysisState>(initialAnalysis());
  private readonly interpolation: LatestOnly<InterpolationRequest, Awaited<ReturnType<TrainingClient['interpolate']>> | null>;
  private readonly drawing: LatestOnly<InspectRequest, Awaited<ReturnType<TrainingClient['inspect']>> | null>;
  private readonly reconstructions: LatestOnly<InspectRequest, Awaited<ReturnType<TrainingClient['inspect']>> | null>;
  private scoring: Job<unknown> | null = null;
  private bounding: Job<unknown> | null = null;
  private reportsSinceRefresh = 0;
  private pairSeed = 1;
  private disposed = false;

  constructor(private readonly host: AnalysisHost) {
    const fresh = (generation: number) => !this.disposed && generation === host.generation();
    this.interpolation = new LatestOnly(
      (r) => (fresh(r.generation) ? host.client().interpolate([toEnd(r.ends[0]), toEnd(r.ends[1])], r.steps, r.path) : Promise.resolve(null)),
      (event, r) => {
        if (!event || !fresh(r.generation)) return;
        const pixels = event.images.length / r.steps;
        const endImage = (end: InterpolationEndState, row: number) => (end.kind === 'point' ? end.image : event.images.subarray(row * pixels, (row + 1) * pixels));
        const blends = pixelBlends(endImage(r.ends[0], 0), endImage(r.ends[1], r.steps - 1), r.steps);
        const { step, ends, latents, images } = event;
        this.setInterpolation((s) => ({ ...s, result: { step, ends, latents, images, blends }, error: null }));
      },
      (error) => this.ifCurrent(() => this.setInterpolation((s) => ({ ...s, error: `Interpolation failed: ${error.message}` }))),
    );
    const inspect = (r: InspectRequest) => (fresh(r.generation) ? host.client().inspect(r.images.slice(), r.count, r.samples, r.seed) : Promise.resolve(null));
    this.drawing = new LatestOnly(
      inspect,
      (event, r) => {
        if (!event || !fresh(r.generation)) return;
        const { type: _type, requestId: _id, ...result } = event;
        this.set((s) => (s.drawing.input ? { ...s, drawing: { ...s.drawing, result } } : s));
      },
      (error) => this.ifCurrent(() => this.set((s) => ({ ...s, drawing: { ...s.drawing, message: `Encoding the drawing failed: ${error.message}` } }))),
    );
    this.reconstructions = new LatestOnly(
      inspect,
      (event, r) => {
        if (!event || !fresh(r.generation)) return;
        const { type: _type, requestId: _id, ...result } = event;
        this.set((s) => ({ ...s, reconstructions: { ...s.reconstructions, result } }));
      },
      (error) => this.ifCurrent(() => host.onError(`Reconstructing failed: ${error.message}`)),
    );
  }

  get state(): AnalysisState {
    return this.store.get();
  }

  // ---- what the controller tells the tools ---------------------------------------------------

  /** A new model was asked for: every result belongs to the old one. */
  onNewModel(): void {
    this.scoring = null;
    this.bounding = null;
    this.reportsSinceRefresh = 0;
    this.set((s) => ({
      ...s,
      interpolation: { ...s.interpolation, ends: null, picking: null, result: null, error: null },
      anomaly: { ...s.anomaly, status: 'idle', progress: null, result: null, threshold: null, error: null },
      drawing: { ...s.drawing, result: null },
      bound: { ...s.bound, status: 'idle', progress: null, result: null, error: null },
      reconstructions: { ...s.reconstructions, pointIndices: null, inputs: null, masked: null, result: null },
    }));
  }

  /**
   * New posteriors of the scatter's points: the interpolation's ends and the reconstructions' rows
   * are chosen the first time; the shown tools follow the weights.
   */
  onLatents(): void {
    if (!this.host.store.get().previewImages) return;
    if (!this.state.interpolation.ends) this.chooseEnds();
    if (!this.state.reconstructions.pointIndices) this.chooseReconstructionRows();
    this.refreshAll();
  }

  /** A metrics report while training: the shown tools follow the weights every few reports. */
  onMetrics(): void {
    this.reportsSinceRefresh += 1;
    if (this.reportsSinceRefresh >= REFRESH_EVERY) {
      this.reportsSinceRefresh = 0;
      this.refreshAll();
    }
    this.maybeAutoScore();
  }

  /** The tools' tab came on screen. */
  onShown(): void {
    this.refreshAll();
    this.maybeAutoScore();
  }

  /** The live tools, for the weights as they are now (only while their tab is on screen). */
  private refreshAll(): void {
    this.refreshInterpolation();
    this.refreshDrawing();
    this.refreshReconstructions();
  }

  /** A shift-click / double-click on a scatter point: the end being picked, if one is. True when used. */
  pickPoint(pointIndex: number): boolean {
    const end = this.state.interpolation.picking;
    if (end === null) return false;
    const chosen = this.pointEnd(pointIndex);
    if (!chosen) return false;
    this.setInterpolation((s) => {
      const ends = s.ends ? ([...s.ends] as [InterpolationEndState, InterpolationEndState]) : ([chosen, chosen] as [InterpolationEndState, InterpolationEndState]);
      ends[end] = chosen;
      return { ...s, ends, picking: null };
    });
    this.refreshInterpolation();
    return true;
  }

  // ---- Interpolation -------------------------------------------------------------------------

  setPath(path: InterpolationState['path']): void {
    this.setInterpolation((s) => ({ ...s, path }));
    this.refreshInterpolation();
  }

  /** Interpolate from an image of class `from` to one of class `to` (null: any class). */
  setClasses(from: number | null, to: number | null): void {
    this.setInterpolation((s) => ({ ...s, fromClass: from, toClass: to }));
    this.chooseEnds();
  }

  /** Another pair of test images (of the chosen classes). */
  randomEnds(): void {
    this.chooseEnds();
  }

  /** The next shift-click or double-click on a scatter point sets end 0 or 1 (null: stop waiting). */
  startPicking(end: 0 | 1 | null): void {
    this.setInterpolation((s) => ({ ...s, picking: s.picking === end ? null : end }));
  }

  /**
   * An end dragged on the scatter: it becomes that latent point. The path moves at once (computed
   * here); its decodings follow from the worker.
   */
  moveEnd(end: 0 | 1, z: number[]): void {
    if (!z.every(Number.isFinite)) return;
    const path = this.effectivePath();
    this.setInterpolation((s) => {
      if (!s.ends) return s;
      const ends = [...s.ends] as [InterpolationEndState, InterpolationEndState];
      ends[end] = { kind: 'latent', z };
      const result = s.result;
      if (!result || result.ends.length !== 2 * z.length) return { ...s, ends };
      const d = z.length;
      const both = Float32Array.from(result.ends);
      both.set(z, end * d);
      const latents = interpolationPath(both.subarray(0, d), both.subarray(d), s.steps, path);
      return { ...s, ends, result: { ...result, ends: both, latents } };
    });
    this.refreshInterpolation();
  }

  /** Spherical only where it differs from the line: more than two dimensions. */
  private effectivePath(): InterpolationState['path'] {
    return this.host.store.get().settings.latentDim > 2 ? this.state.interpolation.path : 'linear';
  }

  private chooseEnds(): void {
    const { latents, previewImages } = this.host.store.get();
    if (!latents || !previewImages || latents.count === 0) return;
    const { fromClass, toClass } = this.state.interpolation;
    const rng = new Rng(this.pairSeed++);
    const of = (label: number | null, not: number | null) => {
      const all = Array.from({ length: latents.count }, (_, k) => k);
      const matching = all.filter((k) => (label === null ? latents.labels[k] !== not : latents.labels[k] === label));
      const pool = matching.length ? matching : all;
      return pool[rng.int(pool.length)];
    };
    const a = of(fromClass, null);
    const b = of(toClass, toClass === null ? latents.labels[a] : null);
    const ends = [this.pointEnd(a), this.pointEnd(b)];
    if (!ends[0] || !ends[1]) return;
    this.setInterpolation((s) => ({ ...s, ends: ends as [InterpolationEndState, InterpolationEndState], picking: null }));
    this.refreshInterpolation();
  }

  private pointEnd(pointIndex: number): InterpolationEndState | null {
    const { latents, previewImages, data } = this.host.store.get();
    const shape = data.summary?.shape;
    if (!latents || !previewImages || !shape || pointIndex < 0 || pointIndex >= latents.count) return null;
    const pixels = shape.width * shape.height * shape.channels;
    if (previewImages.length < (pointIndex + 1) * pixels) return null;
    const image = Float32Array.from(previewImages.subarray(pointIndex * pixels, (pointIndex + 1) * pixels), (v) => v / 255);
    return { kind: 'point', pointIndex, testIndex: latents.indices[pointIndex], label: latents.labels[pointIndex], image };
  }

  private refreshInterpolation(): void {
    const { ends, steps } = this.state.interpolation;
    if (!ends || !this.host.store.get().model || !this.host.visible()) return;
    this.interpolation.request({ ends, path: this.effectivePath(), steps, generation: this.host.generation() });
  }

  // ---- Anomaly detection ---------------------------------------------------------------------

  /** Score the test set and every out-of-distribution set (a background job). */
  scoreSets(): void {
    if (this.scoring || !this.host.store.get().model) return;
    const generation = this.host.generation();
    this.set((s) => ({ ...s, anomaly: { ...s.anomaly, status: 'running', progress: null, error: null } }));
    const job = this.host.client().scoreSets([...OUTLIER_SET_IDS], OUTLIER_SET_SIZE, (p) =>
      this.ifFresh(generation, () => this.set((s) => ({ ...s, anomaly: { ...s.anomaly, progress: progressOf(p) } }))),
    );
    this.scoring = job;
    job.result.then(
      (event) =>
        this.ifFresh(generation, () => {
          const { type: _type, requestId: _id, ...result } = event;
          this.set((s) => ({ ...s, anomaly: { ...s.anomaly, status: 'done', progress: null, result } }));
        }),
      (error) => this.ifFresh(generation, () => this.set((s) => ({ ...s, anomaly: { ...s.anomaly, ...failure(error) } }))),
    ).finally(() => {
      if (this.scoring === job) this.scoring = null;
    });
  }

  cancelScoring(): void {
    if (this.scoring) this.host.client().cancelJob(this.scoring.requestId);
  }

  /** Which score the histogram, ROC threshold and false-positive rate use. */
  setScore(score: string): void {
    this.set((s) => ({ ...s, anomaly: { ...s.anomaly, score, threshold: null } }));
  }

  setThreshold(threshold: number): void {
    if (Number.isFinite(threshold)) this.set((s) => ({ ...s, anomaly: { ...s.anomaly, threshold } }));
  }

  private maybeAutoScore(): void {
    const { anomaly } = this.state;
    if (anomaly.status !== 'idle' || anomaly.result || !this.host.visible()) return;
    if (this.host.store.get().training.step >= AUTO_SCORE_AFTER_STEPS) this.scoreSets();
  }

  // ---- Draw a digit --------------------------------------------------------------------------

  /** The user's drawing or picture, normalised like the data set (null: cleared). */
  setDrawing(input: Float32Array | null, source: AnalysisState['drawing']['source'] = { kind: 'drawing' }): void {
    this.set((s) => ({ ...s, drawing: input ? { ...s.drawing, input, source, message: null } : { input: null, source: null, result: null, message: null } }));
    this.refreshDrawing();
  }

  /** A dropped file that could not be used, and why. */
  setDrawingMessage(message: string | null): void {
    this.set((s) => ({ ...s, drawing: { ...s.drawing, message } }));
  }

  private refreshDrawing(): void {
    const input = this.state.drawing.input;
    const shape = this.host.store.get().data.summary?.shape;
    if (!input || !shape) return;
    if (input.length !== shape.width * shape.height * shape.channels) {
      // drawn for another data set's image size
      this.setDrawing(null);
      return;
    }
    if (!this.host.store.get().model || !this.host.visible()) return;
    this.drawing.request({ images: input, count: 1, samples: 0, seed: DRAWING_SEED, generation: this.host.generation() });
  }

  // ---- Log-likelihood (IWAE) -----------------------------------------------------------------

  setBoundCount(count: number): void {
    this.set((s) => ({ ...s, bound: { ...s.bound, count } }));
  }

  /** The importance-weighted bounds for k = 1 … 1000 on the chosen number of test images. */
  estimateBound(): void {
    if (this.bounding || !this.host.store.get().model) return;
    const generation = this.host.generation();
    const { count } = this.state.bound;
    const samples = BOUND_KS[BOUND_KS.length - 1];
    this.set((s) => ({ ...s, bound: { ...s.bound, status: 'running', progress: null, error: null } }));
    const job = this.host.client().estimateBound(count, BOUND_KS, samples, (p) =>
      this.ifFresh(generation, () => this.set((s) => ({ ...s, bound: { ...s.bound, progress: progressOf(p) } }))),
    );
    this.bounding = job;
    job.result.then(
      (event) =>
        this.ifFresh(generation, () => {
          const { type: _type, requestId: _id, ...result } = event;
          this.set((s) => ({ ...s, bound: { ...s.bound, status: 'done', progress: null, result } }));
        }),
      (error) => this.ifFresh(generation, () => this.set((s) => ({ ...s, bound: { ...s.bound, ...failure(error) } }))),
    ).finally(() => {
      if (this.bounding === job) this.bounding = null;
    });
  }

  cancelBound(): void {
    if (this.bounding) this.host.client().cancelJob(this.bounding.requestId);
  }

  // ---- Reconstructions -----------------------------------------------------------------------

  setCorruption(corruption: CorruptionKind): void {
    this.set((s) => ({ ...s, reconstructions: { ...s.reconstructions, corruption } }));
    this.prepareReconstructionInputs();
    this.refreshReconstructions();
  }

  /** One scatter point of each class first (in class order), then more until there are enough. */
  private chooseReconstructionRows(): void {
    const { latents } = this.host.store.get();
    if (!latents) return;
    const chosen: number[] = [];
    const seen = new Set<number>();
    for (let k = 0; k < latents.count && chosen.length < RECONSTRUCTION_COUNT; k++) {
      if (!seen.has(latents.labels[k])) {
        seen.add(latents.labels[k]);
        chosen.push(k);
      }
    }
    for (let k = 0; k < latents.count && chosen.length < RECONSTRUCTION_COUNT; k++) if (!chosen.includes(k)) chosen.push(k);
    const labels = latents.labels;
    chosen.sort((a, b) => labels[a] - labels[b] || a - b);
    this.set((s) => ({ ...s, reconstructions: { ...s.reconstructions, pointIndices: chosen } }));
    this.prepareReconstructionInputs();
  }

  private prepareReconstructionInputs(): void {
    const { previewImages, data } = this.host.store.get();
    const { pointIndices, corruption } = this.state.reconstructions;
    const shape = data.summary?.shape;
    if (!previewImages || !pointIndices || !shape) return;
    const pixels = shape.width * shape.height * shape.channels;
    const clean = new Float32Array(pointIndices.length * pixels);
    pointIndices.forEach((k, i) => {
      for (let p = 0; p < pixels; p++) clean[i * pixels + p] = previewImages[k * pixels + p] / 255;
    });
    const { images, masked } = corruptImages(clean, pointIndices.length, shape, corruption, CORRUPTION_SEED);
    this.set((s) => ({ ...s, reconstructions: { ...s.reconstructions, inputs: images, masked } }));
  }

  private refreshReconstructions(): void {
    const { inputs, pointIndices } = this.state.reconstructions;
    if (!inputs || !pointIndices || !this.host.store.get().model || !this.host.visible()) return;
    this.reconstructions.request({ images: inputs, count: pointIndices.length, samples: RECONSTRUCTION_SAMPLES, seed: RECONSTRUCTION_SEED, generation: this.host.generation() });
  }

  dispose(): void {
    this.disposed = true;
    this.cancelScoring();
    this.cancelBound();
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private set(update: (s: AnalysisState) => AnalysisState): void {
    this.store.set(update);
  }

  private setInterpolation(update: (s: InterpolationState) => InterpolationState): void {
    this.set((s) => ({ ...s, interpolation: update(s.interpolation) }));
  }

  private ifCurrent(f: () => void): void {
    if (!this.disposed) f();
  }

  private ifFresh(generation: number, f: () => void): void {
    if (!this.disposed && generation === this.host.generation()) f();
  }
}

function toEnd(end: InterpolationEndState): InterpolationEnd {
  return end.kind === 'point' ? { image: end.image.slice() } : { z: Float32Array.from(end.z) };
}

function progressOf(p: { done: number; total: number; stage: string }): JobProgressState {
  return { done: p.done, total: p.total, stage: p.stage };
}

function failure(error: unknown): { status: 'failed' | 'cancelled'; progress: null; error: string | null } {
  const message = messageOf(error);
  return /: cancelled$/.test(message) ? { status: 'cancelled', progress: null, error: null } : { status: 'failed', progress: null, error: message };
}
