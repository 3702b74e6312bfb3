/**
 * What the page does with a discrete latent (VQ-VAE), beside the store: the chosen test image's
 * code grid and its reconstruction, the user's edits of that grid (a cell set to another code, the
 * image decoded again: the discrete analogue of dragging the probe), and the priors over code
 * grids, fitted in the worker now and then while training, with samples from each. Requests for an
 * older model are dropped; no tensors, only typed arrays.
 */
import { Rng } from '../../data/rng';
import { LatestOnly, type Job, type TrainingClient } from '../../worker/client';
import type { WorkerEventOf } from '../../worker/protocol';
import type { AppState } from '../appState';
import { Store } from '../store';

/** Fit the priors once the model has trained this many steps, and again every REFIT_EVERY steps. */
export const FIRST_FIT_STEP = 400;
export const REFIT_EVERY = 3000;
/** Training images whose code grids the priors are fitted on, and the autoregressive prior's Adam steps per fit. */
export const FIT_IMAGES = 10_000;
export const FIT_STEPS = 500;
/** Samples shown per prior (a 6 × 6 mosaic). */
export const PRIOR_SAMPLE_COUNT = 36;

export type SampledPrior = 'independent' | 'autoregressive';
export const SAMPLED_PRIORS: readonly SampledPrior[] = ['independent', 'autoregressive'];

export interface PriorSamples {
  codes: Int32Array;
  images: Float32Array;
  step: number;
}

export interface CodeToolsState {
  /** The chosen test point: an index into the codes report's points. */
  point: number;
  /** Its code grid as the encoder gives it now, and as the user edited it (null: unedited). */
  encoded: Int32Array | null;
  edited: Int32Array | null;
  /** The grid cell being edited (row-major index), or null. */
  selectedCell: number | null;
  /** Decodings of the encoded grid and of the edited one (null when unedited), and their step. */
  reconstruction: Float32Array | null;
  editedImage: Float32Array | null;
  decodedAt: number | null;
  fit: {
    status: 'idle' | 'fitting' | 'ready' | 'failed';
    done: number;
    total: number;
    stage: string;
    result: WorkerEventOf<'codePriorsFitted'> | null;
    error: string | null;
  };
  samples: Record<SampledPrior, PriorSamples | null>;
}

export function initialCodeTools(): CodeToolsState {
  return {
    point: 0,
    encoded: null,
    edited: null,
    selectedCell: null,
    reconstruction: null,
    editedImage: null,
    decodedAt: null,
    fit: { status: 'idle', done: 0, total: 0, stage: '', result: null, error: null },
    samples: { independent: null, autoregressive: null },
  };
}

export interface CodeToolsHost {
  client(): TrainingClient;
  generation(): number;
  store: Store<AppState>;
  onError(text: string): void;
}

type GridRequest = { encoded: Int32Array; edited: Int32Array | null; generation: number; step: number };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class CodeTools {
  readonly store = new Store<CodeToolsState>(initialCodeTools());
  private readonly grid: LatestOnly<GridRequest, Float32Array | null>;
  private fitting: Job<unknown> | null = null;
  private sampleSeed = 1;
  private pickSeed = 3;
  private disposed = false;

  constructor(private readonly host: CodeToolsHost) {
    this.grid = new LatestOnly(
      async ({ encoded, edited, generation }) => {
        const both = new Int32Array(encoded.length * (edited ? 2 : 1));
        both.set(encoded);
        if (edited) both.set(edited, encoded.length);
        return this.fresh(generation) ? this.host.client().decodeCodes(both, edited ? 2 : 1) : null;
      },
      (images, { edited, generation, step }) => {
        if (!images || !this.fresh(generation)) return;
        const half = edited ? images.length / 2 : images.length;
        this.store.set((s) => ({ ...s, reconstruction: images.slice(0, half), editedImage: edited ? images.slice(half) : null, decodedAt: step }));
      },
      (error) => this.fail(`Decoding the code grid failed: ${error.message}`),
    );
  }

  // ---- events ----

  /** A new model: nothing fitted or decoded for the old one applies. */
  onNewModel(): void {
    if (this.fitting) this.host.client().cancelJob(this.fitting.requestId);
    this.fitting = null;
    this.store.set((s) => ({ ...initialCodeTools(), point: s.point }));
  }

  /** A codes report arrived: the chosen image's grid follows the encoder; the priors are refitted now and then. */
  onCodes(): void {
    const report = this.host.store.get().codes;
    if (!report) return;
    const point = this.store.get().point < report.count ? this.store.get().point : 0;
    const encoded = this.gridOf(point);
    if (!encoded) return;
    this.store.set((s) => ({ ...s, point, encoded }));
    this.decode();
    const { fit } = this.store.get();
    const due = fit.result === null ? report.step >= FIRST_FIT_STEP : report.step - fit.result.step >= REFIT_EVERY;
    if (fit.status !== 'fitting' && due && this.host.store.get().training.running) this.fitPriors();
  }

  // ---- intentions ----

  /** Show another test image (a seeded random one, or point `index`). */
  choose(index?: number): void {
    const report = this.host.store.get().codes;
    if (!report || report.count === 0) return;
    let point = index ?? Math.floor(new Rng(this.pickSeed++).next() * report.count);
    if (index === undefined && report.count > 1 && point === this.store.get().point) point = (point + 1) % report.count;
    const encoded = this.gridOf(point);
    if (!encoded) return;
    this.store.set((s) => ({ ...s, point, encoded, edited: null, selectedCell: null, editedImage: null }));
    this.decode();
  }

  /** Choose a test image of a class (the next one of that class after the current). */
  chooseClass(label: number): void {
    const report = this.host.store.get().codes;
    if (!report) return;
    const start = this.store.get().point;
    for (let k = 1; k <= report.count; k++) {
      const i = (start + k) % report.count;
      if (report.labels[i] === label) return this.choose(i);
    }
  }

  selectCell(cell: number | null): void {
    const { encoded } = this.store.get();
    if (cell !== null && (!encoded || cell < 0 || cell >= encoded.length)) return;
    this.store.set((s) => ({ ...s, selectedCell: cell }));
  }

  /** Put code `code` in grid cell `cell` and decode the edited grid. */
  setCode(cell: number, code: number): void {
    const { encoded, edited } = this.store.get();
    const report = this.host.store.get().codes;
    if (!encoded || !report || cell < 0 || cell >= encoded.length || !Number.isInteger(code) || code < 0 || code >= report.codebookSize) return;
    const next = Int32Array.from(edited ?? encoded);
    next[cell] = code;
    const same = next.every((c, i) => c === encoded[i]);
    this.store.set((s) => ({ ...s, edited: same ? null : next, editedImage: same ? null : s.editedImage }));
    this.decode();
  }

  resetEdits(): void {
    this.store.set((s) => ({ ...s, edited: null, editedImage: null }));
    this.decode();
  }

  /** Encode training images, fit both priors, then draw from them. */
  fitPriors(): void {
    if (this.fitting || !this.host.store.get().model) return;
    const generation = this.host.generation();
    const job = this.host.client().fitCodePriors(FIT_IMAGES, FIT_STEPS, (p) => {
      if (this.fresh(generation)) this.store.set((s) => ({ ...s, fit: { ...s.fit, done: p.done, total: p.total, stage: p.stage } }));
    });
    this.fitting = job;
    this.store.set((s) => ({ ...s, fit: { ...s.fit, status: 'fitting', done: 0, total: 0, stage: 'starting', error: null } }));
    job.result.then(
      (result) => {
        if (this.fitting === job) this.fitting = null;
        if (!this.fresh(generation)) return;
        this.store.set((s) => ({ ...s, fit: { ...s.fit, status: 'ready', result, error: null } }));
        this.resample();
      },
      (error) => {
        if (this.fitting === job) this.fitting = null;
        if (!this.fresh(generation)) return;
        this.store.set((s) => ({ ...s, fit: { ...s.fit, status: 'failed', error: messageOf(error) } }));
      },
    );
  }

  /** New samples from each fitted prior. */
  resample(): void {
    if (!this.store.get().fit.result) return;
    const seed = this.sampleSeed++;
    const generation = this.host.generation();
    for (const prior of SAMPLED_PRIORS) {
      this.host
        .client()
        .sampleCodes(prior, PRIOR_SAMPLE_COUNT, seed)
        .then(
          (e) => {
            if (this.fresh(generation)) this.store.set((s) => ({ ...s, samples: { ...s.samples, [prior]: { codes: e.codes, images: e.images, step: e.step } } }));
          },
          (error) => this.fresh(generation) && this.fail(`Sampling from the ${prior} prior failed: ${messageOf(error)}`),
        );
    }
  }

  dispose(): void {
    this.disposed = true;
  }

  // ---- plumbing ----

  private gridOf(point: number): Int32Array | null {
    const report = this.host.store.get().codes;
    if (!report || point < 0 || point >= report.count) return null;
    const positions = report.grid[0] * report.grid[1];
    return Int32Array.from(report.codes.subarray(point * positions, (point + 1) * positions));
  }

  private decode(): void {
    const { encoded, edited } = this.store.get();
    if (!encoded) return;
    this.grid.request({ encoded: encoded.slice(), edited: edited ? edited.slice() : null, generation: this.host.generation(), step: this.host.store.get().training.step });
  }

  private fresh(generation: number): boolean {
    return !this.disposed && generation === this.host.generation();
  }

  private fail(text: string): void {
    if (!this.disposed) this.host.onError(text);
  }
}
