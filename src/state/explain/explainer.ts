/**
 * The scheduling behind the model diagram and the worked example: one test image of the user's
 * choice goes to the worker's explain command, with ε from a seed the page keeps; the result
 * feeds both panels. Refreshed every REFRESH_STEPS steps while training (same ε: the numbers
 * move with the weights only) and when training pauses, at once when the image or the seed changes. Results for an older
 * model are dropped. No tensors: typed arrays only.
 */
import type { ExplainExtras, WorkedExample } from '../../core/explain/workedExample';
import { FAMILIES } from '../../core/models/catalog';
import { LatestOnly, type TrainingClient } from '../../worker/client';
import type { AppState } from '../appState';
import type { Settings } from '../settings';
import { Store } from '../store';

/** Steps between refreshes while training. */
export const REFRESH_STEPS = 200;
/** The candidate images offered: the first scatter point of each class, up to this many. */
export const CANDIDATE_COUNT = 10;

export interface ExplainResult {
  step: number;
  /** The image, intensities in [0, 1]. */
  image: Float32Array;
  example: WorkedExample;
  /** The diagram's other live values (a VAE-GAN's adversarial terms, its prior sample), when it has some. */
  extras?: ExplainExtras;
}

export interface ExplainState {
  /** The scatter point (test image) explained, or null before the first latents. */
  pointIndex: number | null;
  /** The seed ε is drawn from ("Draw another ε" bumps it). */
  seed: number;
  result: ExplainResult | null;
  error: string | null;
}

export interface ExplainHost {
  client(): TrainingClient;
  generation(): number;
  store: Store<AppState>;
}

type Request = { pointIndex: number; seed: number; generation: number };

/** The first scatter point of each class (in class order), at most `count`: the images offered. */
export function candidatePoints(labels: Uint8Array, count = CANDIDATE_COUNT): number[] {
  const firstOf = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) if (!firstOf.has(labels[i])) firstOf.set(labels[i], i);
  const picked = [...firstOf.entries()].sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  for (let i = 0; picked.length < Math.min(count, labels.length) && i < labels.length; i++) if (!picked.includes(i)) picked.push(i);
  return picked.slice(0, count);
}

/**
 * A test image flows through the diagram and the worked example: a family that declares the
 * worked example (a Gaussian latent), under the standard normal prior, whose closed-form KL the
 * example computes (a learned mixture's KL is a one-sample estimate, not worked here).
 */
export function explainsLive(settings: Pick<Settings, 'model' | 'prior'>): boolean {
  const family = FAMILIES[settings.model];
  return (family.panels as readonly string[]).includes('workedExample') && (!('prior' in family.settings) || settings.prior === 'standard');
}

export class Explainer {
  readonly store = new Store<ExplainState>({ pointIndex: null, seed: 1, result: null, error: null });
  private readonly requests: LatestOnly<Request, Awaited<ReturnType<TrainingClient['explain']>> | null>;
  private lastStep = -Infinity;
  private disposed = false;
  private wasRunning = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly host: ExplainHost) {
    const fresh = (generation: number) => !this.disposed && generation === host.generation();
    this.requests = new LatestOnly(
      (r) => {
        const input = this.inputOf(r.pointIndex);
        return fresh(r.generation) && input ? host.client().explain(input.image, input.label, r.seed) : Promise.resolve(null);
      },
      (event, r) => {
        if (!event || !fresh(r.generation) || r.pointIndex !== this.store.get().pointIndex) return;
        this.store.set((s) => ({ ...s, result: { step: event.step, image: event.image, example: event.example, ...(event.extras ? { extras: event.extras } : {}) }, error: null }));
      },
      (error) => {
        if (!this.disposed) this.store.set((s) => ({ ...s, error: `The worked example failed: ${error.message}` }));
      },
    );
    // when training pauses, the example shows the weights as they are now
    this.unsubscribe = host.store.subscribe(() => {
      const running = host.store.get().training.running;
      if (this.wasRunning && !running && host.store.get().training.step !== this.lastStep) this.refresh();
      this.wasRunning = running;
    });
  }

  /** The model shows a worked example (explainsLive). */
  applies(): boolean {
    return explainsLive(this.host.store.get().settings);
  }

  // ---- what the controller tells it ----------------------------------------------------------

  onNewModel(): void {
    this.lastStep = -Infinity;
    this.store.set((s) => ({ ...s, result: null, error: null }));
  }

  /** New posteriors of the scatter's points: the first image is chosen, the example follows the weights. */
  onLatents(): void {
    const { latents, previewImages } = this.host.store.get();
    if (!latents || !previewImages) return;
    const chosen = this.store.get().pointIndex;
    if (chosen === null || chosen >= latents.count) this.store.set((s) => ({ ...s, pointIndex: candidatePoints(latents.labels)[0] ?? 0, result: null }));
    this.refresh();
  }

  /** A metrics report while training: refresh every REFRESH_STEPS steps. */
  onMetrics(): void {
    if (this.host.store.get().training.step - this.lastStep >= REFRESH_STEPS) this.refresh();
  }

  // ---- what the user does ------------------------------------------------------------------

  choose(pointIndex: number): void {
    const latents = this.host.store.get().latents;
    if (!latents || pointIndex < 0 || pointIndex >= latents.count) return;
    this.store.set((s) => ({ ...s, pointIndex, result: s.pointIndex === pointIndex ? s.result : null }));
    this.refresh();
  }

  drawAnotherEpsilon(): void {
    this.store.set((s) => ({ ...s, seed: (s.seed % 2_000_000_000) + 1 }));
    this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
  }

  private refresh(): void {
    const { pointIndex, seed } = this.store.get();
    if (pointIndex === null || !this.host.store.get().model || !this.applies()) return;
    this.lastStep = this.host.store.get().training.step;
    this.requests.request({ pointIndex, seed, generation: this.host.generation() });
  }

  private inputOf(pointIndex: number): { image: Float32Array; label: number | null } | null {
    const { latents, previewImages, settings } = this.host.store.get();
    if (!latents || !previewImages || pointIndex >= latents.count) return null;
    const pixels = previewImages.length / latents.count;
    const image = Float32Array.from(previewImages.subarray(pointIndex * pixels, (pointIndex + 1) * pixels), (v) => v / 255);
    return { image, label: FAMILIES[settings.model].usesLabels ? latents.labels[pointIndex] : null };
  }
}
