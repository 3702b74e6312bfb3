/**
 * The page's decode schedules, each latest-only (a dragged probe asks for a decode per pointer
 * move and only the newest position matters): the probe's image, the decoder grid (a
 * Gaussian-quantile grid in 2-D, samples from the prior otherwise — from the learned mixture, or
 * one of its components, when the prior is one), the latent traversals, and for the conditional
 * families the "same z, every class" strip. The conditional families decode as the class the
 * user picked. Decodes asked for an older model (its latents may not even fit the new one) are
 * dropped. The probe, the traversals and the class strip decode with the decode worker's copy
 * of the decoder when it can answer (it never waits for a training step; the conditional families
 * send it the same classes); the grid, up to 225 images at once, stays with the training worker
 * so that it never holds a probe decode up behind it.
 */
import { sampleMixture } from '../core/analysis/mixtureComponents';
import { quantileGrid } from '../core/analysis/quantiles';
import { FAMILIES } from '../core/models/catalog';
import { DATASETS } from '../data/catalog';
import { Rng } from '../data/rng';
import { LatestOnly, type TrainingClient, type WorkerPort } from '../worker/client';
import type { AppState, Traversal } from './appState';
import { DecodeMirror } from './decodeMirror';
import type { Store } from './store';
import type { ViewState } from './viewState';

export const GRID_SIZE_2D = 15;
export const PRIOR_SAMPLES = 64;
/** The values each latent dimension sweeps in the traversals. */
export const TRAVERSAL_VALUES = [-3, -2.25, -1.5, -0.75, 0, 0.75, 1.5, 2.25, 3];
/** At most this many rows (dimensions, by KL) are traversed. */
export const TRAVERSAL_MAX_ROWS = 10;
/** A probe move by the user holds off the periodic refresh for this long, ms. */
const USER_MOVE_QUIET_MS = 500;
/** The traversals start from the probe once it has rested this long, ms. */
const TRAVERSAL_DELAY_MS = 150;
/** How often the probe's image is refreshed while training, in metric reports (~20 steps each). */
const PROBE_REFRESH_EVERY = 1;
/** How often the decoder grid is refreshed while training, in metric reports. */
const GRID_REFRESH_EVERY = 5;

export interface DecoderHost {
  client(): TrainingClient;
  /** The decode worker, which keeps a copy of the decoder (probe, traversals, class strip); absent: the training worker decodes. */
  createDecodeWorker?(): WorkerPort;
  /** Bumped whenever a new model is asked for. */
  generation(): number;
  store: Store<AppState>;
  view: Store<ViewState>;
  onError(text: string): void;
}

type ProbeRequest = { z: number[]; startedAt: number; byUser: boolean; generation: number };
/** Decoded images and who decoded them: the copy (at the step of its weights) or the training worker (null). */
type Decoded = { images: Float32Array; copyStep: number | null };
type GridRequest = { latents: Float32Array; latentDim: number; generation: number };
type TraversalRequest = { traversal: Omit<Traversal, 'images'>; generation: number };
type StripRequest = { z: number[]; classes: number; generation: number };

export class Decoders {
  private readonly probe: LatestOnly<ProbeRequest, Decoded | null>;
  private readonly grid: LatestOnly<GridRequest, { step: number; images: Float32Array | null }>;
  private readonly traversal: LatestOnly<TraversalRequest, Decoded | null>;
  private readonly strip: LatestOnly<StripRequest, { step: number; images: Float32Array } | null>;
  /** The decode worker's copy of the decoder (state/decodeMirror.ts), or null. */
  private readonly mirror: DecodeMirror | null;
  private traversalTimer: ReturnType<typeof setTimeout> | null = null;
  private lastUserProbeMove = -Infinity;
  private priorSeed = 1;
  private metricsSinceProbe = 0;
  private metricsSinceGrid = 0;
  /** After dispose nothing more is asked of the worker, and late failures are no news. */
  private disposed = false;

  constructor(private readonly host: DecoderHost) {
    // a decode worker that fails: the training worker stops sending copies and decodes everything
    const create = host.createDecodeWorker;
    this.mirror = create ? new DecodeMirror(() => create(), () => host.client().send({ type: 'shareDecoder', enabled: false })) : null;
    const fresh = (generation: number) => generation === host.generation();
    this.probe = new LatestOnly(
      ({ z, generation }) => this.decodeEither(generation, Float32Array.from(z), 1, this.classLabels(1)),
      (decoded, { startedAt, byUser, generation }) => {
        if (!decoded || !fresh(generation)) return;
        host.view.set((v) => ({ ...v, probeImage: decoded.images, probeCopyStep: decoded.copyStep }));
        // latency as the user sees it: from the move to the frame that shows its image
        if (byUser) afterNextFrame(() => this.recordProbeLatency(performance.now() - startedAt));
      },
      (error) => host.onError(`Decoding the probe failed: ${error.message}`),
    );
    this.grid = new LatestOnly(
      async ({ latents, latentDim, generation }) => ({
        step: host.store.get().training.step,
        images: await this.decode(generation, latents.slice(), latents.length / latentDim, this.classLabels(latents.length / latentDim)),
      }),
      ({ images, step }, { latents, latentDim, generation }) => {
        if (!images || !fresh(generation)) return;
        host.view.set((v) => ({ ...v, grid: { images, count: latents.length / latentDim, step } }));
      },
      (error) => host.onError(`Decoding the grid failed: ${error.message}`),
    );
    this.traversal = new LatestOnly(
      ({ traversal, generation }) => {
        const count = traversal.dims.length * traversal.values.length;
        return this.decodeEither(generation, traversalLatents(traversal), count, this.classLabels(count));
      },
      (decoded, { traversal, generation }) => {
        if (!decoded || !fresh(generation)) return;
        host.view.set((v) => ({ ...v, traversal: { ...traversal, images: decoded.images } }));
      },
      (error) => host.onError(`Decoding the traversals failed: ${error.message}`),
    );
    this.strip = new LatestOnly(
      async ({ z, classes, generation }) => {
        const step = host.store.get().training.step;
        const latents = Float32Array.from({ length: classes * z.length }, (_, i) => z[i % z.length]);
        const decoded = await this.decodeEither(generation, latents, classes, Int32Array.from({ length: classes }, (_, c) => c));
        return decoded && { images: decoded.images, step: decoded.copyStep ?? step };
      },
      (decoded, { classes, generation }) => {
        if (!decoded || !fresh(generation)) return;
        host.view.set((v) => ({ ...v, classStrip: { images: decoded.images, count: classes, step: decoded.step } }));
      },
      (error) => host.onError(`Decoding the class strip failed: ${error.message}`),
    );
  }

  /** The family decodes p(x|z, y): it needs a class with every latent. */
  private get conditional(): boolean {
    return FAMILIES[this.host.store.get().settings.model].usesLabels;
  }

  /** The picked class for each of `count` latents, for a conditional family (none otherwise). */
  private classLabels(count: number): Int32Array | undefined {
    return this.conditional ? new Int32Array(count).fill(this.host.view.get().decodeClass) : undefined;
  }

  // ---- what the controller passes on ----------------------------------------------------------

  /** The probe goes to z (a point of the latent space's size), decoded when there is a model. */
  setProbe(z: number[], byUser: boolean): void {
    if (z.length !== this.host.store.get().settings.latentDim || !z.every(Number.isFinite)) return;
    this.host.view.set((v) => ({ ...v, probe: z }));
    if (this.host.store.get().model) this.moveProbe(z, byUser);
  }

  /** The class the conditional families decode as (the Class picker): the probe, grid and traversals follow. */
  chooseClass(label: number): void {
    const classes = this.host.store.get().data.summary?.classNames.length ?? Infinity;
    if (!Number.isInteger(label) || label < 0 || label >= classes || label === this.host.view.get().decodeClass) return;
    this.host.view.set((v) => ({ ...v, decodeClass: label }));
    if (!this.host.store.get().model) return;
    this.moveProbe(this.host.view.get().probe, false);
    this.refreshGrid();
    this.refreshTraversal();
  }

  /** The mixture component the decoder grid samples from (null: the whole prior). */
  chooseGridComponent(component: number | null): void {
    this.host.view.set((v) => ({ ...v, gridComponent: component }));
    this.refreshGrid(true);
  }

  /** A new training worker: its copies of the decoder go to the decode worker while it is the current one. */
  attachWorker(client: TrainingClient, isCurrent: () => boolean): void {
    const mirror = this.mirror;
    if (!mirror) return;
    client.on('decoderWeights', (e) => {
      if (isCurrent()) mirror.onWeights(e);
    });
    // the worker takes this before its init too: it only switches the copies on
    if (!mirror.broken) client.send({ type: 'shareDecoder', enabled: true });
  }

  /** A new model is asked for: the copy of the old one's decoder answers no more. */
  onNewModel(): void {
    this.mirror?.expectNewModel();
  }

  /** A new model's first report: the probe follows it at once, and its copies are the ones to keep. */
  onModelArrived(): void {
    this.metricsSinceProbe = 0;
    this.mirror?.onConfigured();
  }

  /** While training, the probe and the grid follow the weights every few reports. */
  onMetrics(): void {
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

  // ---- the schedules ---------------------------------------------------------------------------

  /** Decode the probe's z as every class (families that show the class strip). */
  refreshStrip(): void {
    const { settings, data } = this.host.store.get();
    if (!(FAMILIES[settings.model].panels as readonly string[]).includes('classStrip')) return;
    const classes = data.summary?.classNames.length ?? DATASETS[settings.dataset].classCount;
    this.strip.request({ z: this.host.view.get().probe, classes, generation: this.host.generation() });
  }

  /** Decode the probe at z; a user's move also re-traverses once the probe rests. */
  moveProbe(z: number[], byUser: boolean): void {
    if (byUser) this.lastUserProbeMove = performance.now();
    this.probe.request({ z, startedAt: performance.now(), byUser, generation: this.host.generation() });
    this.refreshStrip();
    if (byUser) this.scheduleTraversal();
  }

  /** Redraw the probe's image for the current weights, unless the user is moving it. */
  refreshProbe(): void {
    // while the user drags, their own decodes keep the image fresh; a refresh would only make
    // their next move wait behind it
    if (performance.now() - this.lastUserProbeMove < USER_MOVE_QUIET_MS) return;
    this.moveProbe(this.host.view.get().probe, false);
  }

  /**
   * Decode the prior grid: Gaussian quantiles for 2-D, seeded samples from N(0, I) otherwise; under
   * a learned prior, seeded samples from it (or from the chosen component), drawn again from the
   * same seed as its components move, so the grid changes with the prior and not with the dice.
   */
  refreshGrid(newLatents = false): void {
    const latentDim = this.host.store.get().settings.latentDim;
    const prior = this.host.store.get().prior;
    if (prior && prior.latentDim === latentDim) {
      const component = this.host.view.get().gridComponent;
      const latents = sampleMixture(prior, PRIOR_SAMPLES, new Rng(this.priorSeed), component !== null && component < prior.count ? component : null);
      this.host.view.set((v) => ({ ...v, gridLatents: latents }));
      this.grid.request({ latents, latentDim, generation: this.host.generation() });
      return;
    }
    let latents = this.host.view.get().gridLatents;
    const stale = !latents || latents.length % latentDim !== 0 || (latentDim === 2) !== (latents.length === GRID_SIZE_2D * GRID_SIZE_2D * 2);
    if (newLatents || stale) {
      if (latentDim === 2) {
        latents = quantileGrid(GRID_SIZE_2D).latents;
      } else {
        const rng = new Rng(this.priorSeed);
        latents = Float32Array.from({ length: PRIOR_SAMPLES * latentDim }, () => rng.normal());
      }
      const chosen = latents;
      this.host.view.set((v) => ({ ...v, gridLatents: chosen }));
    }
    if (latents) this.grid.request({ latents, latentDim, generation: this.host.generation() });
  }

  /** New samples from the prior for the grid. */
  resample(): void {
    this.priorSeed += 1;
    this.refreshGrid(true);
  }

  /** Decode the traversals around the probe, rows ordered by KL (largest first). */
  refreshTraversal(): void {
    const { latents, training, model, settings } = this.host.store.get();
    if (!latents || !model) return;
    const latentDim = settings.latentDim;
    const kl = training.latest?.klPerDim;
    const order = Array.from({ length: latentDim }, (_, i) => i);
    if (kl && kl.length === latentDim) order.sort((a, b) => kl[b] - kl[a] || a - b);
    const base = this.host.view.get().probe.slice();
    if (base.length !== latentDim) return;
    this.traversal.request({
      traversal: { dims: order.slice(0, TRAVERSAL_MAX_ROWS), values: TRAVERSAL_VALUES, base, step: training.step },
      generation: this.host.generation(),
    });
  }

  dispose(): void {
    this.disposed = true;
    this.mirror?.terminate();
    if (this.traversalTimer !== null) clearTimeout(this.traversalTimer);
    this.traversalTimer = null;
  }

  /** After the probe rests for a moment, traverse from its new position. */
  private scheduleTraversal(): void {
    if (this.traversalTimer !== null) clearTimeout(this.traversalTimer);
    this.traversalTimer = setTimeout(() => {
      this.traversalTimer = null;
      this.refreshTraversal();
    }, TRAVERSAL_DELAY_MS);
  }

  /** Decode with the copy of the decoder when it can answer, else with the training worker. */
  private async decodeEither(generation: number, latents: Float32Array, count: number, labels?: Int32Array): Promise<Decoded | null> {
    const mirror = this.mirror;
    if (!this.disposed && mirror && generation === this.host.generation()) {
      const copied = await mirror.decode(latents, count, labels);
      if (copied) return { images: copied.images, copyStep: copied.step };
    }
    const images = await this.decode(generation, latents, count, labels);
    return images ? { images, copyStep: null } : null;
  }

  /** Decode for the model of a given generation; null when the model has changed since. */
  private async decode(generation: number, latents: Float32Array, count: number, labels?: Int32Array): Promise<Float32Array | null> {
    if (this.disposed || generation !== this.host.generation()) return null;
    try {
      return await this.host.client().decode(latents, count, labels);
    } catch (error) {
      // a request's failure for a model that is gone (or a page that is closing) is no news
      if (this.disposed || generation !== this.host.generation()) return null;
      throw error;
    }
  }

  private recordProbeLatency(ms: number): void {
    this.host.view.set((v) => ({ ...v, probeLatencyMs: ms }));
    probeLatencySink()?.push(ms);
  }
}

/** Traversal latents: for each row's dimension, each value, the base with that coordinate set. */
export function traversalLatents(t: Omit<Traversal, 'images'>): Float32Array {
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
