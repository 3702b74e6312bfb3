/**
 * The plain-VAE baseline of a VAE-GAN: a second worker trains a plain VAE with the same data,
 * seed, networks and settings for as many steps as the VAE-GAN has taken, decodes the same prior
 * draws and scores its samples, so the page shows both side by side at the same budget.
 */
import { TrainingClient, type WorkerPort } from '../../worker/client';
import { modelConfigOf, trainingOf, type Settings } from '../settings';
import { BASELINE_SAMPLES, baselineLatents, idleBaseline, SCORE_COUNT, type BaselineState } from './state';

export class BaselineRunner {
  private client: TrainingClient | null = null;

  constructor(
    private readonly createWorker: () => WorkerPort,
    private readonly assetBaseUrl: string,
    private readonly update: (change: (state: BaselineState) => BaselineState) => void,
  ) {}

  get running(): boolean {
    return this.client !== null;
  }

  /** Train the baseline for `steps` steps; resolves when it is scored (or failed, or cancelled). */
  async run(settings: Settings, steps: number): Promise<void> {
    if (this.client) return;
    const client = new TrainingClient(this.createWorker());
    this.client = client;
    this.update(() => ({ ...idleBaseline(), status: 'running', steps, message: 'Starting a second worker…' }));
    try {
      client.send({ type: 'init', backend: settings.backend, assetBaseUrl: this.assetBaseUrl });
      client.send({ type: 'setReporting', change: { metricsEvery: 50, latentsEvery: 1_000_000, evaluateEvery: 1_000_000 } });
      await this.train(client, settings, steps);
      const latents = baselineLatents(BASELINE_SAMPLES, settings.latentDim);
      const baselineImages = await client.decode(latents, BASELINE_SAMPLES);
      this.update((s) => ({ ...s, baselineImages, message: 'Evaluating and scoring its samples…' }));
      const test = await client.evaluate();
      const { type: _t, requestId: _r, ...score } = await client.scoreSamples(SCORE_COUNT, (p) => this.update((s) => ({ ...s, message: `Scoring its samples: ${p.stage} (${Math.round((100 * p.done) / Math.max(1, p.total))}%)` }))).result;
      this.update((s) => ({ ...s, status: 'done', message: null, score, negativeElbo: test.negativeElbo }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.update((s) => ({ ...s, status: this.client === client ? 'failed' : 'idle', message: this.client === client ? message : 'Cancelled.' }));
    } finally {
      client.terminate();
      if (this.client === client) this.client = null;
    }
  }

  cancel(): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    client.terminate();
    this.update((s) => ({ ...s, status: 'idle', message: 'Cancelled.' }));
  }

  private train(client: TrainingClient, settings: Settings, steps: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const off: (() => void)[] = [];
      const done = (f: () => void) => {
        off.forEach((o) => o());
        f();
      };
      off.push(
        client.on('configured', () => client.send({ type: 'start' })),
        client.on('metrics', ({ step }) => {
          this.update((s) => ({ ...s, step, message: `Training the plain VAE: step ${step} of ${steps}…` }));
          if (step >= steps) {
            client.send({ type: 'pause' });
            done(resolve);
          }
        }),
        client.on('diverged', ({ message }) => done(() => reject(new Error(message)))),
        client.on('error', ({ message }) => done(() => reject(new Error(message)))),
      );
      // the same data, seed, networks and optimiser as the main run; the plain VAE's objective
      client.send({ type: 'configure', datasetId: settings.dataset, model: modelConfigOf({ ...settings, model: 'vae' }), training: trainingOf({ ...settings, model: 'vae' }) });
    });
  }
}
