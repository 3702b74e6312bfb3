/**
 * The scheduling behind the tools of a trained model: which requests go to the worker and when.
 * Interpolation (its own tool, ./interpolation.ts), the drawing and the reconstructions are latest-only requests, refreshed while
 * training every few reports (the reconstructions only while their tab is open); scoring the sets
 * and the importance-weighted bound are background jobs with progress and cancel, started by the
 * user (the scores also once by themselves when the tab is first seen after some training).
 * Results for an older model are dropped. No tensors: images travel as typed arrays.
 */
import { corruptImages, type CorruptionKind } from '../../data/corruption';
import { OUTLIER_SET_IDS } from '../../data/outliers';
import { LatestOnly, type Job, type TrainingClient } from '../../worker/client';
import { Store } from '../store';
import type { AnalysisHost } from './host';
import { InterpolationTool } from './interpolation';
import { BOUND_KS, initialAnalysis, type AnalysisState, type JobProgressState } from './state';

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

type InspectRequest = { images: Float32Array; count: number; samples: number; seed: number; generation: number };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class AnalysisTools {
  readonly store = new Store<AnalysisState>(initialAnalysis());
  /** The Interpolation region's ends, path and decodes. */
  readonly interpolation: InterpolationTool;
  private readonly drawing: LatestOnly<InspectRequest, Awaited<ReturnType<TrainingClient['inspect']>> | null>;
  private readonly reconstructions: LatestOnly<InspectRequest, Awaited<ReturnType<TrainingClient['inspect']>> | null>;
  private scoring: Job<unknown> | null = null;
  private bounding: Job<unknown> | null = null;
  private reportsSinceRefresh = 0;
  private disposed = false;

  constructor(private readonly host: AnalysisHost) {
    const fresh = (generation: number) => !this.disposed && generation === host.generation();
    this.interpolation = new InterpolationTool(host, this.store, fresh, () => !this.disposed);
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
    this.interpolation.onNewModel();
    this.set((s) => ({
      ...s,
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
    this.interpolation.onLatents();
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
    this.interpolation.refresh();
    this.refreshDrawing();
    this.refreshReconstructions();
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

  private ifCurrent(f: () => void): void {
    if (!this.disposed) f();
  }

  private ifFresh(generation: number, f: () => void): void {
    if (!this.disposed && generation === this.host.generation()) f();
  }
}

function progressOf(p: { done: number; total: number; stage: string }): JobProgressState {
  return { done: p.done, total: p.total, stage: p.stage };
}

function failure(error: unknown): { status: 'failed' | 'cancelled'; progress: null; error: string | null } {
  const message = messageOf(error);
  return /: cancelled$/.test(message) ? { status: 'cancelled', progress: null, error: null } : { status: 'failed', progress: null, error: message };
}
