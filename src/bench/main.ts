/**
 * The benchmark page: trains the app's own worker with the app's own protocol, no UI, and
 * publishes per-epoch figures on window.__bench for scripts/bench.mjs to read.
 */
import './bench.css';
import { TrainingClient } from '../worker/client';
import type { BackendChoice, BackendInfo } from '../worker/protocol';
import { termValue, type LossValues } from '../core/objective/terms';
import { FAMILY_IDS } from '../core/models/catalog';
import { modelConfigOf, settingsFromUrl, SETTINGS, trainingOf, type Settings } from '../state/settings';

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
  /** MIG, active units and the I(x; z) estimate over training (the β-VAE lab's and the decoder mode's figures). */
  disentanglement: { step: number; mig: number | null; activeUnits: number; mutualInformation: number | null }[];
  /** The worker's live tensors every 500 steps, with the seconds since the page opened. */
  tensorCounts: { step: number; seconds: number; numTensors: number; numBytes: number }[];
  /** Every model family of the registry (what `npm run bench -- --soak` runs one after the other). */
  families: string[];
  /** performance.measureUserAgentSpecificMemory() (page + workers) every minute of a soak. */
  memorySamples: { seconds: number; bytes: number }[];
  lastTrain: { step: number; negativeElbo: number; reconstruction: number; kl: number } | null;
  stepsPerSecondWindows: number[];
  /** The largest tfjs tensor memory reported (weights, optimiser moments, the resident data, what a step keeps). */
  peakTensorBytes: number;
  epochs: EpochFigures[];
  /** The sample-quality score after training (with ?score=N), or null. */
  score: { count: number; frechetDistance: number; confidence: number; testConfidence: number; sharpnessRatio: number; classifierAccuracy: number; classShares: number[]; seconds: number; step: number } | null;
  /** The classifier's test accuracy over training (M2; M1 for the VAE with --labelled). */
  classifier: { step: number; method: string; accuracy: number; labelled: number; testCount: number }[];
  /** Where a training step's time goes, after training (with ?profile=N steps), or null. */
  profile: {
    steps: number;
    wallMsPerStep: number;
    kernels: { name: string; group: string; msPerStep: number; callsPerStep: number }[];
    byShape: { name: string; shapes: string; msPerStep: number; callsPerStep: number }[];
  } | null;
  /** The importance-weighted bound after training (with ?iwae=K), or null. */
  iwae: { k: number; n: number; ks: number[]; bounds: number[]; negativeElbo: number; seconds: number; step: number } | null;
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
const datasetId = params.get('dataset') === 'shapes' ? 'shapes' : 'mnist';
/** Stop after this many steps instead of after `epochs` epochs (0: use epochs). */
const stopAtStep = Number(params.get('steps') ?? 0);
/** Hidden width of the MLP (the scaling table varies it). */
const hidden = Number(params.get('hidden') ?? 400);
/** Speed windows count from this step on (the first steps warm up: kernels, caches). */
const warmSteps = Number(params.get('warm') ?? 100);
/** Seconds to keep training for a memory soak (0: off). */
const soakSeconds = Number(params.get('soak') ?? 0);
/** K importance samples for the IWAE bound after training (0: none), on the first iwaeN test images. */
const iwaeK = Number(params.get('iwae') ?? 0);
const iwaeN = Number(params.get('iwaeN') ?? 1000);
/** Test images and prior samples for the sample-quality score after training (0: none). */
const scoreN = Number(params.get('score') ?? 0);
/** Training steps to time plainly and per kernel after training (0: none). */
const profileN = Number(params.get('profile') ?? 0);
const startedAt = performance.now();
/** A soak's tensor count is sampled this often (at the next metrics report), ms. */
const TENSOR_SAMPLE_MS = 20_000;
let lastTensorSampleAt = -Infinity;
type MemoryApi = { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
/** A measurement resolves only at a later garbage collection (often a minute on): one at a time, else two resolve with the same figure. */
let measuring = false;
async function sampleMemory(): Promise<void> {
  const api = performance as unknown as MemoryApi;
  if (measuring || !crossOriginIsolated || !api.measureUserAgentSpecificMemory) return;
  measuring = true;
  try {
    const { bytes } = await api.measureUserAgentSpecificMemory();
    result.memorySamples.push({ seconds: Math.round((performance.now() - startedAt) / 1000), bytes });
  } finally {
    measuring = false;
  }
}
if (soakSeconds > 0) setInterval(() => void sampleMemory(), 60_000);

/** Disentanglement figures need the scatter's sample of test points encoded now and then. */
const labMode = datasetId === 'shapes' || stopAtStep > 0;
/** A classifier read-out (M2, or M1 on the VAE) is measured on the whole test set now and then. */
const classifierMode = params.get('model') === 'm2' || params.has('labelled');
/**
 * ?usage: the Latent usage figures (active units, I(x; z)) at every epoch's end, on the page's own
 * 2000 scatter points, from the worker's own disentanglement event (the decoder mode of the bench).
 */
const usageMode = params.has('usage');
const latentsEvery = classifierMode ? Number(params.get('classifyEvery') ?? 500) : labMode ? 500 : 1_000_000;
const latentPoints = classifierMode ? 10_000 : labMode || usageMode ? 2000 : 1;
const log = document.getElementById('log') as HTMLElement;
const say = (line: string) => (log.textContent += `${line}\n`);

const result: BenchResult = {
  done: false,
  error: null,
  backend: null,
  settings: { latent, epochs, batch, lr },
  pageToFirstStepMs: null,
  disentanglement: [],
  tensorCounts: [],
  families: [...FAMILY_IDS],
  memorySamples: [],
  lastTrain: null,
  stepsPerSecondWindows: [],
  peakTensorBytes: 0,
  epochs: [],
  classifier: [],
  iwae: null,
  profile: null,
  score: null,
};
window.__bench = result;

/**
 * The app's settings with the bench's parameters (the model is built and trained exactly as the
 * page builds and trains it): `settings` is a hash of the page's settings (its URL keys, e.g.
 * "sched=capacity&cmax=25"), then the bench's own parameters on top.
 */
function benchSettings(): Settings {
  const parsed = settingsFromUrl(params.get('settings') ?? '');
  for (const message of parsed.messages) say(`settings: ${message.text}`);
  const s = parsed.settings;
  const model = SETTINGS.model.check(params.get('model') ?? s.model);
  const network = SETTINGS.network.check(params.get('net') ?? s.network);
  // any other setting by its URL key (the family's: VAE-GAN's advgamma, kd, margin, disc, sim…; VQ-VAE's codes, codedim, restart…)
  const byUrl: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS)) {
    const raw = params.get(spec.urlKey);
    const checked = raw === null || ['model', 'net', 'z', 'seed', 'data', 'lik'].includes(spec.urlKey) ? null : spec.check(raw);
    if (checked?.ok) byUrl[key] = checked.value;
  }
  return {
    ...s,
    ...byUrl,
    dataset: datasetId,
    latentDim: latent,
    hiddenDim: params.has('hidden') ? hidden : s.hiddenDim,
    likelihood: choice('likelihood', s.likelihood),
    seed: Number(params.get('seed') ?? 1),
    model: model.ok ? model.value : s.model,
    network: network.ok ? network.value : s.network,
    prior: choice('prior', s.prior),
    components: Number(params.get('components') ?? s.components),
    labelled: choice('labelled', s.labelled),
    beta: params.has('beta') ? Number(params.get('beta')) : s.beta,
    learningRate: lr,
    batchSize: batch,
  };
}

/** A choice setting from the page's query, or its default. */
function choice<K extends 'prior' | 'labelled' | 'likelihood'>(key: K, fallback: Settings[K]): Settings[K] {
  const raw = params.get(key);
  if (raw === null) return fallback;
  const checked = SETTINGS[key].check(raw);
  return (checked.ok ? checked.value : fallback) as Settings[K];
}

/** Train through the app's own worker and protocol, publishing what happens on window.__bench. */
function startBench(): void {
  const client = new TrainingClient(new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' }));
  let trainCount = 60000;
  let lastEpochAt = 0;
  let lastEpochStep = 0;
  const stepsPerEpoch = () => Math.ceil(trainCount / batch);

  client.on('error', ({ message }) => {
    result.error = message;
    say(`error: ${message}`);
  });
  client.onCrash((reason) => {
    result.error = `the worker stopped: ${reason}`;
    say(`error: ${result.error}`);
  });
  client.on('backend', ({ info }) => {
    result.backend = info;
    say(`backend ${info.name} ×${info.threads}: ${info.reason}`);
  });
  client.on('dataReady', ({ summary }) => {
    trainCount = summary.trainCount;
    client.send({ type: 'setReporting', change: { evaluateEvery: stepsPerEpoch(), latentsEvery: usageMode ? stepsPerEpoch() : latentsEvery, metricsEvery: 50 } });
  });
  client.on('configured', () => {
    lastEpochAt = performance.now();
    client.send({ type: 'start' });
  });
  client.on('metrics', ({ step, stepsPerSecond, memory, train }) => {
    if (result.pageToFirstStepMs === null) result.pageToFirstStepMs = performance.now();
    if (stepsPerSecond > 0 && step > warmSteps) result.stepsPerSecondWindows.push(stepsPerSecond);
    result.peakTensorBytes = Math.max(result.peakTensorBytes, memory.numBytes);
    result.lastTrain = { step, negativeElbo: train.negativeElbo, reconstruction: termValue(train, 'reconstruction'), kl: termValue(train, 'kl') };
    // a soak samples by time (a slow family, M2, makes few steps a minute), other runs every 500 steps
    const now = performance.now();
    const due = soakSeconds > 0 ? now - lastTensorSampleAt >= TENSOR_SAMPLE_MS : step % 500 === 0;
    if (due || (stopAtStep > 0 && step >= stopAtStep)) {
      lastTensorSampleAt = now;
      result.tensorCounts.push({ step, seconds: Math.round((now - startedAt) / 1000), ...memory });
    }
    const soakOver = soakSeconds > 0 && performance.now() - startedAt > soakSeconds * 1000;
    if ((stopAtStep > 0 && step >= stopAtStep) || soakOver) {
      client.send({ type: 'pause' });
      client.send({ type: 'evaluate', requestId: 1 });
    }
  });
  client.on('disentanglement', ({ step, mig, activeUnits, mutualInformation }) => {
    result.disentanglement.push({ step, mig, activeUnits, mutualInformation: mutualInformation ?? null });
    say(`step ${step}: active units ${activeUnits}${mig === null ? '' : `, MIG ${mig.toFixed(3)}`}${mutualInformation === undefined ? '' : `, I(x; z) ≈ ${mutualInformation.toFixed(2)}`}`);
  });
  client.on('classifier', ({ step, method, accuracy, labelled, testCount }) => {
    result.classifier.push({ step, method, accuracy, labelled, testCount });
    say(`step ${step}: ${method.toUpperCase()} test accuracy ${(100 * accuracy).toFixed(1)}% with ${labelled} labels (${testCount} test images)`);
  });
  client.on('evaluation', ({ step, test, requestId }) => {
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
    say(`epoch ${figures.epoch}: test −ELBO ${test.negativeElbo.toFixed(2)} (${Object.entries(test.terms).map(([id, v]) => `${id} ${v.toFixed(2)}`).join(', ')}), ${figures.stepsPerSecond.toFixed(1)} steps/s`);
    if (requestId === 1 || (stopAtStep === 0 && soakSeconds === 0 && result.epochs.length >= epochs)) {
      client.send({ type: 'pause' });
      void afterTraining();
    }
  });
  async function afterTraining(): Promise<void> {
    if (scoreN > 0) await scoreSamples();
    if (profileN > 0) await profileSteps();
    if (iwaeK > 0) await estimateBound();
    else result.done = true;
  }

  /** After training (paused): time profileN steps plainly, then each kernel of profileN more. */
  function profileSteps(): Promise<void> {
    say(`profiling ${profileN} steps…`);
    return new Promise((resolve) => {
      client.on('stepProfile', ({ steps, wallMsPerStep, kernels, byShape }) => {
        result.profile = { steps, wallMsPerStep, kernels, byShape };
        resolve();
      });
      client.send({ type: 'profileSteps', requestId: 3, steps: profileN });
    });
  }

  /** After training (paused): "Score samples", as the page computes it. */
  async function scoreSamples(): Promise<void> {
    say(`Score samples: ${scoreN} test images against ${scoreN} prior samples…`);
    const job = client.scoreSamples(scoreN, (p) => {
      if (Math.round((100 * p.done) / p.total) % 25 === 0) say(`  ${p.stage} ${Math.round((100 * p.done) / p.total)}%`);
    });
    try {
      const { type: _t, requestId: _r, ...score } = await job.result;
      result.score = score;
      say(`Fréchet distance ${score.frechetDistance.toFixed(2)}, confidence ${score.confidence.toFixed(3)}, sharpness ratio ${score.sharpnessRatio.toFixed(3)} (classifier ${(100 * score.classifierAccuracy).toFixed(2)}%)`);
    } catch (error) {
      result.error = `score: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** The k of the curve: 1, 10, 100, … up to K, each dividing K, and K itself. */
  function boundKs(k: number): number[] {
    const ks = [1, 10, 100, 1000, 10000].filter((x) => x < k && k % x === 0);
    return [...ks, k];
  }

  /** After training (paused): the importance-weighted bound, as the page's "Log-likelihood (IWAE)" computes it. */
  async function estimateBound(): Promise<void> {
    say(`IWAE: k = ${iwaeK} on the first ${iwaeN} test images…`);
    const job = client.estimateBound(iwaeN, boundKs(iwaeK), iwaeK, (p) => {
      if (p.done === p.total || Math.round((100 * p.done) / p.total) % 10 === 0) say(`  ${Math.round((100 * p.done) / p.total)}% (${p.stage})`);
    });
    try {
      const r = await job.result;
      result.iwae = { k: iwaeK, n: r.count, ks: r.ks, bounds: r.bounds, negativeElbo: r.negativeElbo, seconds: r.seconds, step: r.step };
      say(`IWAE: ${r.ks.map((k, i) => `k=${k} ${r.bounds[i].toFixed(2)}`).join(', ')} (−ELBO ${r.negativeElbo.toFixed(2)}), ${r.seconds.toFixed(1)} s`);
    } catch (error) {
      result.error = `IWAE: ${error instanceof Error ? error.message : String(error)}`;
    }
    result.done = true;
  }

  client.send({ type: 'setReporting', change: { evaluateEvery: 469, latentsEvery, metricsEvery: 50, latentPoints } });
  client.send({ type: 'init', backend, assetBaseUrl: new URL('.', document.baseURI).href });
  const settings = benchSettings();
  client.send({ type: 'configure', datasetId, model: modelConfigOf(settings), training: trainingOf(settings) });
}

// ?families: only say which families there are (the soak asks before running each)
if (params.has('families')) result.done = true;
else startBench();
