/**
 * The Interpolation tool's scheduling: which two ends (test images of the chosen classes, a
 * picked scatter point, a dragged latent point), the path between them (linear, or spherical
 * above two dimensions) and its latest-only decode request to the worker, refreshed while
 * training. Its state is the `interpolation` slice of the analysis store. No tensors.
 */
import { interpolationPath, pixelBlends } from '../../core/analysis/interpolation';
import { Rng } from '../../data/rng';
import { LatestOnly, type TrainingClient } from '../../worker/client';
import type { InterpolationEnd } from '../../worker/protocol';
import type { Store } from '../store';
import type { AnalysisHost } from './host';
import type { AnalysisState, InterpolationEndState, InterpolationState } from './state';

type Ends = [InterpolationEndState, InterpolationEndState];
type Request = { ends: Ends; path: InterpolationState['path']; steps: number; generation: number };

export class InterpolationTool {
  private readonly requests: LatestOnly<Request, Awaited<ReturnType<TrainingClient['interpolate']>> | null>;
  private pairSeed = 1;

  /** `fresh(generation)`: the tools are alive and that request's model is still the current one. */
  constructor(
    private readonly host: AnalysisHost,
    private readonly store: Store<AnalysisState>,
    fresh: (generation: number) => boolean,
    alive: () => boolean,
  ) {
    this.requests = new LatestOnly(
      (r) => (fresh(r.generation) ? host.client().interpolate([toEnd(r.ends[0]), toEnd(r.ends[1])], r.steps, r.path) : Promise.resolve(null)),
      (event, r) => {
        if (!event || !fresh(r.generation)) return;
        const pixels = event.images.length / r.steps;
        const endImage = (end: InterpolationEndState, row: number) => (end.kind === 'point' ? end.image : event.images.subarray(row * pixels, (row + 1) * pixels));
        const blends = pixelBlends(endImage(r.ends[0], 0), endImage(r.ends[1], r.steps - 1), r.steps);
        const { step, ends, latents, images } = event;
        this.set((s) => ({ ...s, result: { step, ends, latents, images, blends }, error: null }));
      },
      (error) => {
        if (alive()) this.set((s) => ({ ...s, error: `Interpolation failed: ${error.message}` }));
      },
    );
  }

  private get state(): InterpolationState {
    return this.store.get().interpolation;
  }

  /** A new model: its ends are chosen again from its first posteriors. */
  onNewModel(): void {
    this.set((s) => ({ ...s, ends: null, picking: null, result: null, error: null }));
  }

  /** New posteriors of the scatter's points: the ends are chosen the first time. */
  onLatents(): void {
    if (!this.state.ends) this.chooseEnds();
  }

  /** A shift-click / double-click on a scatter point: the end being picked, if one is. True when used. */
  pickPoint(pointIndex: number): boolean {
    const end = this.state.picking;
    if (end === null) return false;
    const chosen = this.pointEnd(pointIndex);
    if (!chosen) return false;
    this.set((s) => {
      const ends = s.ends ? ([...s.ends] as Ends) : ([chosen, chosen] as Ends);
      ends[end] = chosen;
      return { ...s, ends, picking: null };
    });
    this.refresh();
    return true;
  }

  setPath(path: InterpolationState['path']): void {
    this.set((s) => ({ ...s, path }));
    this.refresh();
  }

  /** Interpolate from an image of class `from` to one of class `to` (null: any class). */
  setClasses(from: number | null, to: number | null): void {
    this.set((s) => ({ ...s, fromClass: from, toClass: to }));
    this.chooseEnds();
  }

  /** Another pair of test images (of the chosen classes). */
  randomEnds(): void {
    this.chooseEnds();
  }

  /** The next shift-click or double-click on a scatter point sets end 0 or 1 (null: stop waiting). */
  startPicking(end: 0 | 1 | null): void {
    this.set((s) => ({ ...s, picking: s.picking === end ? null : end }));
  }

  /**
   * An end dragged on the scatter: it becomes that latent point. The path moves at once (computed
   * here); its decodings follow from the worker.
   */
  moveEnd(end: 0 | 1, z: number[]): void {
    if (!z.every(Number.isFinite)) return;
    const path = this.effectivePath();
    this.set((s) => {
      if (!s.ends) return s;
      const ends = [...s.ends] as Ends;
      ends[end] = { kind: 'latent', z };
      const result = s.result;
      if (!result || result.ends.length !== 2 * z.length) return { ...s, ends };
      const d = z.length;
      const both = Float32Array.from(result.ends);
      both.set(z, end * d);
      const latents = interpolationPath(both.subarray(0, d), both.subarray(d), s.steps, path);
      return { ...s, ends, result: { ...result, ends: both, latents } };
    });
    this.refresh();
  }

  /** Decode the path for the weights as they are now (only while the tools' tab is on screen). */
  refresh(): void {
    const { ends, steps } = this.state;
    if (!ends || !this.host.store.get().model || !this.host.visible()) return;
    this.requests.request({ ends, path: this.effectivePath(), steps, generation: this.host.generation() });
  }

  /** Spherical only where it differs from the line: more than two dimensions. */
  private effectivePath(): InterpolationState['path'] {
    return this.host.store.get().settings.latentDim > 2 ? this.state.path : 'linear';
  }

  private chooseEnds(): void {
    const { latents, previewImages } = this.host.store.get();
    if (!latents || !previewImages || latents.count === 0) return;
    const { fromClass, toClass } = this.state;
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
    this.set((s) => ({ ...s, ends: ends as Ends, picking: null }));
    this.refresh();
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

  private set(update: (s: InterpolationState) => InterpolationState): void {
    this.store.set((s) => ({ ...s, interpolation: update(s.interpolation) }));
  }
}

function toEnd(end: InterpolationEndState): InterpolationEnd {
  return end.kind === 'point' ? { image: end.image.slice() } : { z: Float32Array.from(end.z) };
}
