/**
 * The seeds' three-way comparison in one click: a plain autoencoder, a KL-only model and the full
 * VAE trained on the same data for the same number of steps, in a worker of their own, one after
 * the other, each ending with its test points' posterior means for a side-by-side scatter.
 */
import { TrainingClient, type WorkerPort } from '../worker/client';
import { labelOf, OBJECTIVES, type ObjectiveKind } from '../core/objective/catalog';
import { latentSnapshotOf, type LatentSnapshot } from './latentSnapshot';
import { modelConfigOf, type Settings } from './settings';
import type { DatasetInfo } from '../data/catalog';
import type { OwnImages } from '../data/own/ownDataset';

export type ComparisonKind = ObjectiveKind;
export const COMPARISON_KINDS: ComparisonKind[] = ['autoencoder', 'kl-only', 'vae'];
export const COMPARISON_STEPS = 1200;

export interface ComparisonResult {
  kind: ComparisonKind;
  step: number;
  latents: LatentSnapshot | null;
}

export interface ComparisonState {
  status: 'idle' | 'running' | 'done' | 'failed';
  message: string | null;
  stepsPerModel: number;
  results: ComparisonResult[];
  current: ComparisonKind | null;
}

export function idleComparison(): ComparisonState {
  return { status: 'idle', message: null, stepsPerModel: COMPARISON_STEPS, results: COMPARISON_KINDS.map((kind) => ({ kind, step: 0, latents: null })), current: null };
}


export class ComparisonRunner {
  private client: TrainingClient | null = null;
  private cancelled = false;
  private abortCurrent: ((error: Error) => void) | null = null;

  constructor(
    private readonly createWorker: () => WorkerPort,
    private readonly assetBaseUrl: string,
    private readonly update: (change: (state: ComparisonState) => ComparisonState) => void,
  ) {}

  get running(): boolean {
    return this.client !== null;
  }

  /** Train the three models on the current data set with a 2-D latent space, β = 1 (your own images, when given). */
  async run(settings: Settings, stepsPerModel = COMPARISON_STEPS, images: OwnImages | null = null): Promise<void> {
    if (this.client) return;
    this.cancelled = false;
    const client = new TrainingClient(this.createWorker());
    this.client = client;
    this.update(() => ({ ...idleComparison(), status: 'running', stepsPerModel, message: 'Starting a second worker…' }));
    try {
      client.send({ type: 'init', backend: settings.backend, assetBaseUrl: this.assetBaseUrl });
      client.send({ type: 'setReporting', change: { metricsEvery: 50, latentsEvery: stepsPerModel, evaluateEvery: 1_000_000 } });
      if (images) client.send({ type: 'useImages', images });
      const data = images ? { shape: { width: images.side, height: images.side, channels: 1 }, classCount: images.classNames.length } : undefined;
      for (const kind of COMPARISON_KINDS) {
        if (this.cancelled) break;
        const latents = await this.trainOne(client, kind, settings, stepsPerModel, data);
        this.update((s) => ({ ...s, results: s.results.map((r) => (r.kind === kind ? { kind, step: stepsPerModel, latents } : r)) }));
      }
      this.update((s) => ({ ...s, status: this.cancelled ? 'idle' : 'done', current: null, message: this.cancelled ? 'Cancelled.' : null }));
    } catch (error) {
      if (this.cancelled) this.update((s) => ({ ...s, status: 'idle', current: null, message: 'Cancelled.' }));
      else this.update((s) => ({ ...s, status: 'failed', current: null, message: error instanceof Error ? error.message : String(error) }));
    } finally {
      client.terminate();
      this.client = null;
      this.abortCurrent = null;
    }
  }

  cancel(): void {
    if (!this.client) return;
    this.cancelled = true;
    this.abortCurrent?.(new Error('cancelled'));
  }

  private trainOne(client: TrainingClient, kind: ComparisonKind, settings: Settings, steps: number, data?: Pick<DatasetInfo, 'shape' | 'classCount'>): Promise<LatentSnapshot> {
    this.update((s) => ({ ...s, current: kind, message: `Training the ${labelOf(OBJECTIVES, kind)}…` }));
    return new Promise<LatentSnapshot>((resolve, reject) => {
      const off: (() => void)[] = [];
      const done = (f: () => void) => {
        off.forEach((o) => o());
        this.abortCurrent = null;
        f();
      };
      this.abortCurrent = (error) => done(() => reject(error));
      off.push(
        client.on('configured', () => client.send({ type: 'start' })),
        client.on('metrics', ({ step }) => this.update((s) => ({ ...s, results: s.results.map((r) => (r.kind === kind ? { ...r, step } : r)) }))),
        client.on('latents', (e) => {
          if (e.step < steps) return;
          client.send({ type: 'pause' });
          done(() => resolve(latentSnapshotOf(e)));
        }),
        client.on('diverged', ({ message }) => done(() => reject(new Error(message)))),
        client.on('error', ({ message }) => done(() => reject(new Error(message)))),
        client.onCrash((reason) => done(() => reject(new Error(`the comparison's worker stopped (${reason})`)))),
      );
      client.send({
        type: 'configure',
        datasetId: settings.dataset,
        // the same data, seed and architecture as the main run, with 2 latents for the picture
        model: modelConfigOf({ ...settings, model: 'vae', latentDim: 2 }, data),
        training: { beta: 1, learningRate: settings.learningRate, batchSize: settings.batchSize, objective: kind },
      });
    });
  }
}
