/**
 * The benchmark page: trains the app's own worker with the app's own protocol, no UI, and
 * publishes per-epoch figures on window.__bench for scripts/bench.mjs to read.
 */
import { TrainingClient } from '../worker/client';
import type { BackendChoice, BackendInfo } from '../worker/protocol';
import type { LossValues } from '../core/types';

export interface EpochFigures {
  epoch: number;
  step: number;
  seconds: number;
  stepsPerSecond: number;
  test: LossValues;
}

export interface BenchResult {
  done: boolean;
  error: string | null;
  backend: BackendInfo | null;
  settings: { latent: number; epochs: number; batch: number; lr: number };
  pageToFirstStepMs: number | null;
  stepsPerSecondWindows: number[];
  epochs: EpochFigures[];
}

declare global {
  interface Window {
    __bench: BenchResult;
  }
}

const params = new URLSearchParams(location.search);
const latent = Number(params.get('latent') ?? 20);
const epochs = Number(params.get('epochs') ?? 1);
const batch = Number(params.get('batch') ?? 128);
const lr = Number(params.get('lr') ?? 1e-3);
const backend = (params.get('backend') ?? 'auto') as BackendChoice;
const log = document.getElementById('log') as HTMLElement;
const say = (line: string) => (log.textContent += `${line}\n`);

const result: BenchResult = {
  done: false,
  error: null,
  backend: null,
  settings: { latent, epochs, batch, lr },
  pageToFirstStepMs: null,
  stepsPerSecondWindows: [],
  epochs: [],
};
window.__bench = result;

const client = new TrainingClient(new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' }));
let trainCount = 60000;
let lastEpochAt = 0;
let lastEpochStep = 0;
const stepsPerEpoch = () => Math.ceil(trainCount / batch);

client.on('error', ({ message }) => {
  result.error = message;
  say(`error: ${message}`);
});
client.on('backend', ({ info }) => {
  result.backend = info;
  say(`backend ${info.name} ×${info.threads}: ${info.reason}`);
});
client.on('dataReady', ({ summary }) => {
  trainCount = summary.trainCount;
  client.send({ type: 'setReporting', change: { evaluateEvery: stepsPerEpoch(), latentsEvery: 1_000_000, metricsEvery: 50 } });
});
client.on('configured', () => {
  lastEpochAt = performance.now();
  client.send({ type: 'start' });
});
client.on('metrics', ({ step, stepsPerSecond }) => {
  if (result.pageToFirstStepMs === null) result.pageToFirstStepMs = performance.now();
  if (stepsPerSecond > 0 && step > 100) result.stepsPerSecondWindows.push(stepsPerSecond);
});
client.on('evaluation', ({ step, test }) => {
  const now = performance.now();
  const figures: EpochFigures = {
    epoch: Math.round(step / stepsPerEpoch()),
    step,
    seconds: (now - lastEpochAt) / 1000,
    stepsPerSecond: (step - lastEpochStep) / ((now - lastEpochAt) / 1000),
    test,
  };
  lastEpochAt = now;
  lastEpochStep = step;
  result.epochs.push(figures);
  say(`epoch ${figures.epoch}: test −ELBO ${test.negativeElbo.toFixed(2)} (recon ${test.reconstruction.toFixed(2)}, KL ${test.kl.toFixed(2)}), ${figures.stepsPerSecond.toFixed(1)} steps/s`);
  if (result.epochs.length >= epochs) {
    client.send({ type: 'pause' });
    result.done = true;
  }
});

client.send({ type: 'setReporting', change: { evaluateEvery: 469, latentsEvery: 1_000_000, metricsEvery: 50, latentPoints: 1 } });
client.send({ type: 'init', backend, assetBaseUrl: new URL('.', document.baseURI).href });
client.send({
  type: 'configure',
  datasetId: 'mnist',
  model: { inputDim: 784, hiddenDim: 400, latentDim: latent, likelihood: 'bernoulli', seed: Number(params.get('seed') ?? 1) },
  training: { beta: 1, learningRate: lr, batchSize: batch },
});
