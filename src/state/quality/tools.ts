/**
 * The page's side of sample quality and of an adversarial family's discriminator: "Score samples"
 * (a background job in the worker, with progress and cancel; its result kept until the model
 * changes), the discriminator's reports kept for the histograms over training, the warnings both
 * give (the discriminator wins outright; the samples collapse onto a few modes), and the plain-VAE
 * baseline trained beside a VAE-GAN.
 */
import type { Job, TrainingClient, WorkerPort } from '../../worker/client';
import type { WorkerEventOf } from '../../worker/protocol';
import type { AppState } from '../appState';
import { Store } from '../store';
import { BaselineRunner } from './baseline';
import { BASELINE_SAMPLES, baselineLatents, collapseWarning, DISCRIMINATOR_HISTORY, discriminatorWarning, idleBaseline, initialQuality, SCORE_COUNT, type QualityState } from './state';

export interface QualityHost {
  client(): TrainingClient;
  generation(): number;
  store: Store<AppState>;
  notify(level: 'warning' | 'error', text: string): void;
  createWorker(): WorkerPort;
  assetBaseUrl: string;
}

export class SampleQualityTools {
  readonly store = new Store<QualityState>(initialQuality());
  private scoring: Job<unknown> | null = null;
  private warnedDiscriminator = false;
  private readonly baseline: BaselineRunner;

  constructor(private readonly host: QualityHost) {
    this.baseline = new BaselineRunner(host.createWorker, host.assetBaseUrl, (change) => this.store.set((s) => ({ ...s, baseline: change(s.baseline) })));
  }

  /** A new model (or reset): what was measured of the old one no longer holds. */
  onNewModel(): void {
    if (this.scoring) this.host.client().cancelJob(this.scoring.requestId);
    this.scoring = null;
    this.warnedDiscriminator = false;
    this.baseline.cancel();
    this.store.set(() => initialQuality());
  }

  onDiscriminator(e: WorkerEventOf<'discriminatorOutputs'>): void {
    const { type: _type, ...report } = e;
    this.store.set((s) => {
      const history = [...s.discriminator.history.filter((r) => r.step < report.step), report].slice(-DISCRIMINATOR_HISTORY);
      return { ...s, discriminator: { latest: report, history } };
    });
    const warning = discriminatorWarning(report);
    if (warning && !this.warnedDiscriminator) {
      this.warnedDiscriminator = true;
      this.host.notify('warning', warning);
    } else if (!warning) this.warnedDiscriminator = false;
  }

  /** "Score samples": the Fréchet distance, confidence and sharpness of the model's prior samples. */
  scoreSamples(): void {
    if (this.scoring || !this.host.store.get().model) return;
    const generation = this.host.generation();
    const fresh = () => generation === this.host.generation();
    this.store.set((s) => ({ ...s, score: { ...s.score, status: 'running', progress: null, error: null } }));
    const job = this.host.client().scoreSamples(SCORE_COUNT, (p) => {
      if (fresh()) this.store.set((s) => ({ ...s, score: { ...s.score, progress: { done: p.done, total: p.total, stage: p.stage } } }));
    });
    this.scoring = job;
    job.result
      .then(
        (event) => {
          if (!fresh()) return;
          const { type: _type, requestId: _id, ...result } = event;
          this.store.set((s) => ({ ...s, score: { status: 'done', progress: null, result, error: null } }));
          const warning = collapseWarning(result, this.host.store.get().data.summary?.classNames ?? []);
          if (warning) this.host.notify('warning', warning);
        },
        (error: unknown) => {
          if (fresh()) this.store.set((s) => ({ ...s, score: { ...s.score, status: 'failed', progress: null, error: error instanceof Error ? error.message : String(error) } }));
        },
      )
      .finally(() => {
        if (this.scoring === job) this.scoring = null;
      });
  }

  cancelScore(): void {
    if (this.scoring) this.host.client().cancelJob(this.scoring.requestId);
  }

  /** Train a plain VAE with the same settings for the model's steps so far, and decode the same prior draws with both. */
  async runBaseline(): Promise<void> {
    const app = this.host.store.get();
    if (!app.model || this.baseline.running) return;
    const generation = this.host.generation();
    const steps = Math.max(1, app.training.step);
    const latents = baselineLatents(BASELINE_SAMPLES, app.settings.latentDim);
    let modelImages: Float32Array;
    try {
      modelImages = await this.host.client().decode(latents.slice(), BASELINE_SAMPLES);
    } catch (error) {
      // the model was replaced or its worker stopped meanwhile (the page's button does not wait on this: no unhandled rejection)
      if (generation === this.host.generation()) {
        const message = `Decoding this model’s samples failed: ${error instanceof Error ? error.message : String(error)}`;
        this.store.set((s) => ({ ...s, baseline: { ...idleBaseline(), status: 'failed', message } }));
      }
      return;
    }
    if (generation !== this.host.generation()) return;
    const run = this.baseline.run(app.settings, steps);
    this.store.set((s) => ({ ...s, baseline: { ...s.baseline, modelImages } }));
    await run;
  }

  cancelBaseline(): void {
    this.baseline.cancel();
    this.store.set((s) => ({ ...s, baseline: s.baseline.status === 'running' ? idleBaseline() : s.baseline }));
  }

  dispose(): void {
    this.baseline.cancel();
  }
}
