/**
 * Posterior collapse and its rescue, measured side by side: the autoregressive decoder trained
 * twice in a worker of its own with the same seed, data and number of steps, once at constant
 * β = 1 (it collapses: the decoder needs no z) and once with cyclical KL annealing and free bits
 * (Fu et al. 2019; Kingma et al. 2016). Each run ends as a snapshot card with its KL, active
 * units, latent space and samples from the prior.
 */
import { TrainingClient, type WorkerPort } from '../worker/client';
import type { WorkerEventOf } from '../worker/protocol';
import type { Snapshot } from './appState';
import { latentSnapshotOf } from './latentSnapshot';
import { modelConfigOf, trainingOf, type Settings } from './settings';
import { Rng } from '../data/rng';

/** Free bits λ of the rescue run, nats per dimension. */
export const RESCUE_FREE_BITS = 0.5;
/** Samples from the prior on each card. */
export const RESCUE_SAMPLES = 8;

export interface RescueState {
  status: 'idle' | 'running' | 'done' | 'failed';
  message: string | null;
}

export function idleRescue(): RescueState {
  return { status: 'idle', message: null };
}

/** The two runs: the settings in force with the decoder made autoregressive, collapsed and rescued. */
export function rescueRuns(settings: Settings, steps: number): { title: string; settings: Settings }[] {
  const base: Settings = { ...settings, model: 'vae', decoder: 'made', beta: 1, objective: 'vae', contextDropout: 0 };
  return [
    { title: 'β = 1, constant (collapse)', settings: { ...base, klSchedule: 'constant', freeBits: 0 } },
    { title: `cyclical β + free bits λ = ${RESCUE_FREE_BITS}`, settings: { ...base, klSchedule: 'cyclical', cycleSteps: steps, freeBits: RESCUE_FREE_BITS } },
  ];
}

export class RescueRunner {
  private client: TrainingClient | null = null;
  private cancelled = false;

  constructor(
    private readonly createWorker: () => WorkerPort,
    private readonly assetBaseUrl: string,
    private readonly update: (change: (state: RescueState) => RescueState) => void,
    private readonly addSnapshot: (card: Omit<Snapshot, 'id'>) => void,
  ) {}

  get running(): boolean {
    return this.client !== null;
  }

  async run(settings: Settings, steps: number): Promise<void> {
    if (this.client) return;
    this.cancelled = false;
    const client = new TrainingClient(this.createWorker());
    this.client = client;
    this.update(() => ({ status: 'running', message: 'Starting a second worker…' }));
    try {
      client.send({ type: 'init', backend: settings.backend, assetBaseUrl: this.assetBaseUrl });
      client.send({ type: 'setReporting', change: { metricsEvery: 50, latentsEvery: steps, evaluateEvery: 1_000_000 } });
      for (const run of rescueRuns(settings, steps)) {
        if (this.cancelled) break;
        this.update(() => ({ status: 'running', message: `Training ${run.title} for ${steps} steps…` }));
        this.addSnapshot(await this.trainOne(client, run.title, run.settings, steps));
      }
      this.update(() => ({ status: this.cancelled ? 'idle' : 'done', message: this.cancelled ? 'Cancelled.' : null }));
    } catch (error) {
      this.update(() => ({ status: this.cancelled ? 'idle' : 'failed', message: this.cancelled ? 'Cancelled.' : error instanceof Error ? error.message : String(error) }));
    } finally {
      client.terminate();
      this.client = null;
    }
  }

  cancel(): void {
    this.cancelled = true;
    this.client?.terminate();
  }

  private async trainOne(client: TrainingClient, title: string, settings: Settings, steps: number): Promise<Omit<Snapshot, 'id'>> {
    let metrics: WorkerEventOf<'metrics'> | null = null;
    let usage: WorkerEventOf<'disentanglement'> | null = null;
    let terms: Snapshot['terms'] = [];
    const latents = await new Promise<WorkerEventOf<'latents'>>((resolve, reject) => {
      const off = [
        client.on('configured', (e) => {
          terms = e.terms;
          client.send({ type: 'start' });
        }),
        client.on('metrics', (e) => (metrics = e)),
        client.on('disentanglement', (e) => (usage = e)),
        client.on('latents', (e) => {
          if (e.step < steps) return;
          client.send({ type: 'pause' });
          off.forEach((o) => o());
          resolve(e);
        }),
        client.on('diverged', ({ message }) => reject(new Error(message))),
        client.on('error', ({ message }) => reject(new Error(message))),
      ];
      client.send({ type: 'configure', datasetId: settings.dataset, model: modelConfigOf(settings), training: trainingOf(settings) });
    });
    const rng = new Rng(settings.seed);
    const z = Float32Array.from({ length: RESCUE_SAMPLES * settings.latentDim }, () => rng.normal());
    const images = await client.decode(z, RESCUE_SAMPLES);
    const train = (metrics as WorkerEventOf<'metrics'> | null)?.train ?? null;
    const report = usage as WorkerEventOf<'disentanglement'> | null;
    return {
      title,
      step: latents.step,
      settings,
      latents: latentSnapshotOf(latents),
      terms,
      values: train ? { terms: train.terms, negativeElbo: train.negativeElbo, objective: train.objective, klPerDim: train.klPerDim } : null,
      mig: report?.mig ?? null,
      activeUnits: report?.activeUnits ?? null,
      mutualInformation: report?.mutualInformation ?? null,
      traversal: null,
      samples: { images, count: RESCUE_SAMPLES },
    };
  }
}
