#!/usr/bin/env node
/**
 * npm run bench -- [--net mlp|conv] [--latent 20] [--epochs 10] [--backends wasm,webgl] [--iwae 1000 --iwae-n 1000]
 *                  [--reference [--rounds N]] [--settings 'sched=capacity&cmax=25'] [--no-build] [--no-ui]
 *                  [--soak MIN [--families vae,…|all]] [--lab]   (--soak or --lab alone: only that)
 *                  [--model vae|cvae|m2] [--prior standard|mog|vamp] [--components 10] [--labelled 100]
 *                  [--decoder [--configs collapse,cyclical,…]] [--profile N]
 *
 * --model cvae and --prior mog train the conditional VAE and the mixture prior; with --reference
 * the PyTorch run is then --arch cvae or --arch mog (same components). --model m2 trains the
 * semi-supervised M2 with --labelled labels and prints its classifier's test accuracy over the
 * steps (--labelled with the VAE prints M1's k-NN read-out); PyTorch has no M2 to compare with.
 *
 * Builds the app, serves it with COOP/COEP (vite preview), trains in headless Chromium through
 * the app's own worker (bench.html) and prints steps/s and test −ELBO per epoch. --net picks the
 * network ('conv': conv-small). With --reference it also runs ../shared/reference/run.sh (PyTorch
 * on this CPU, `--arch conv` for the conv net) in the same sitting and prints our speed over
 * PyTorch's and the −ELBO difference at each epoch; --rounds N alternates the two N times (ours,
 * PyTorch, ours, PyTorch, …: on a shared machine either can lose half its speed from one minute
 * to the next) and prints every pair, the medians and the load average. --iwae K adds the
 * importance-weighted bound with K samples on the first --iwae-n test images after training, for
 * the first backend and (with --reference) for PyTorch, and prints both. --settings is a hash of
 * the page's settings (its URL keys) applied to every run (the lab's too), before the flags above.
 * Results go to bench-results/<time>.json as well.
 * --decoder trains the VAE with the autoregressive MADE decoder (dec=made) on MNIST for --epochs
 * epochs (z = --latent), once per configuration: β = 1 with no remedy (it collapses), cyclical
 * annealing (4 cycles over the run), free bits λ = 0.5, context dropout 0.5, InfoVAE, and the
 * factorised decoder at β = 1, each with the same seed and budget (--configs picks some by id).
 * It prints one table: test reconstruction, KL and −ELBO, and the active units and the I(x; z)
 * estimate of the page's Latent usage panel (the worker's own disentanglement event, on its 2000
 * scatter points). Only these runs: no speed run, no page (--settings still applies to all).
 * --profile N (alone: only this) trains 300 steps on wasm (after the other runs), then times N steps plainly and N
 * more per kernel and prints where a step's time goes (scripts/bench-profile.mjs): products,
 * im2col / col2im, optimiser, loss, the other elementwise kernels, and outside the kernels.
 * --scaling adds the scaling table (batch 32…1024, hidden 100…1600, latent 2…64; PyTorch beside it unless --no-pytorch).
 * --ui runs the page twice: with the decoder's copy in its own worker, and without it (?decodeCopy=0).
 * With --reference, a reference that cannot run (no run.sh, no python3/torch) says so in one line at once.
 * --export-check runs only the PyTorch export check (scripts/check-pytorch-export.mjs; needs torch).
 * --model vaegan runs only the VAE-GAN comparison (scripts/bench-vaegan.mjs): a plain VAE and a
 * VAE-GAN with the same seed and budget, their sample-quality scores and −ELBO.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { PROFILE_OPTIONS, printProfile, profileQuery } from './bench-profile.mjs';
import { printVqComparison, VQ_OPTIONS, vqModelName, vqQuery, vqReferenceArgs } from './bench-vq.mjs';
import { machineNote } from './bench-lib/machine.mjs';
import { referenceFailure, referenceProblem, torchNote } from './bench-lib/reference.mjs';
import { runScaling } from './bench-lib/scaling.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const modelAt = process.argv.indexOf('--model');
if (modelAt > 0 && process.argv[modelAt + 1] === 'vaegan') {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench-vaegan.mjs'), ...process.argv.slice(2).filter((_, i) => i !== modelAt - 2 && i !== modelAt - 1)], { cwd: ROOT, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
const { values: args } = parseArgs({
  options: {
    net: { type: 'string', default: 'mlp' },
    latent: { type: 'string', default: '20' },
    epochs: { type: 'string', default: '10' },
    backends: { type: 'string', default: 'wasm,webgl,cpu' },
    'slow-steps': { type: 'string', default: '150' },
    batch: { type: 'string', default: '128' },
    seed: { type: 'string', default: '1' },
    reference: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    settings: { type: 'string', default: '' },
    'no-build': { type: 'boolean', default: false },
    ui: { type: 'boolean', default: true },
    'no-ui': { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '60' },
    lab: { type: 'boolean', default: false },
    betas: { type: 'string', default: '1,4' },
    'lab-steps': { type: 'string', default: '4000' },
    'lab-latent': { type: 'string', default: '10' },
    soak: { type: 'string', default: '0' },
    families: { type: 'string', default: 'all' },
    model: { type: 'string', default: 'vae' },
    prior: { type: 'string', default: 'standard' },
    components: { type: 'string', default: '10' },
    labelled: { type: 'string' },
    'classify-every': { type: 'string', default: '500' },
    iwae: { type: 'string', default: '0' },
    'iwae-n': { type: 'string', default: '1000' },
    ...VQ_OPTIONS,
    ...PROFILE_OPTIONS,
    'export-check': { type: 'boolean', default: false },
    decoder: { type: 'boolean', default: false },
    configs: { type: 'string', default: 'all' },
    scaling: { type: 'boolean', default: false },
    'no-pytorch': { type: 'boolean', default: false },
  },
});
const vq = args.model === 'vqvae';
if (args['export-check']) {
  const check = spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-pytorch-export.mjs'), '--latent', args.latent, '--seed', args.seed], { cwd: ROOT, stdio: 'inherit' });
  process.exit(check.status ?? 1);
}
if (args['no-ui']) args.ui = false;
if (!['mlp', 'conv'].includes(args.net)) throw new Error(`--net must be mlp or conv, got ${args.net}`);
const ROUNDS = Math.max(1, Number(args.rounds) || 1);
const NET_LABEL = args.net === 'conv' ? `conv-small (Conv 16, 32; Dense 128; z = ${args.latent})` : `MLP 784-400-${args.latent}`;
/** --lab alone trains on Shapes only: the MNIST runs (and the page) come with an explicit --epochs. */
const LAB_ONLY = args.lab && !process.argv.includes('--epochs');
/** --soak alone runs only the soak (the epoch runs and the page phase would add half an hour). */
const SOAK_ONLY = Number(args.soak) > 0 && !process.argv.includes('--epochs') && !process.argv.includes('--backends');
/** --profile alone runs only the profile. */
const PROFILE_ONLY = Number(args.profile) > 0 && !process.argv.includes('--epochs');
if (LAB_ONLY || SOAK_ONLY || PROFILE_ONLY || args.decoder) args.ui = false;
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** The CPU, as lscpu names it: figures from different CPUs do not compare. */
function cpuName() {
  try {
    const out = execFileSync('lscpu', { encoding: 'utf8' });
    const field = (name) => out.match(new RegExp(`^${name}:\\s*(.+)$`, 'm'))?.[1].trim();
    return `${field('Model name') ?? 'unknown CPU'}, ${field('CPU\\(s\\)') ?? '?'} vCPUs`;
  } catch {
    return 'unknown CPU (no lscpu)';
  }
}

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function runBrowser(url, backend, extra = {}, { quiet = false } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e}`));
    const family = { model: args.model, prior: args.prior, components: args.components, classifyEvery: args['classify-every'], ...(args.labelled ? { labelled: args.labelled } : {}), ...(vq ? vqQuery(args) : {}) };
    const q = new URLSearchParams({ latent: args.latent, epochs: args.epochs, batch: args.batch, seed: args.seed, backend, net: args.net, settings: args.settings, ...family, ...extra });
    await page.goto(`${url}bench.html?${q}`);
    const deadline = Date.now() + Number(args['timeout-min']) * 60_000;
    let reported = 0;
    let classified = 0;
    for (;;) {
      const r = await page.evaluate(() => window.__bench);
      for (const e of quiet ? [] : r.epochs.slice(reported)) {
        console.log(`  [${backend}] epoch ${e.epoch}: test −ELBO ${e.test.negativeElbo.toFixed(2)}  (${e.stepsPerSecond.toFixed(1)} steps/s, ${e.seconds.toFixed(1)} s)`);
      }
      reported = r.epochs.length;
      // the VAE reads out M1 with every latent report; the bench asks for it with M2 or --labelled
      const classifying = args.model === 'm2' || args.labelled !== undefined;
      for (const c of classifying ? (r.classifier ?? []).slice(classified) : []) {
        console.log(`  [${backend}] step ${c.step}: ${c.method.toUpperCase()} test accuracy ${(100 * c.accuracy).toFixed(1)}% with ${c.labelled} labels, on ${c.testCount} test images`);
      }
      classified = r.classifier?.length ?? 0;
      if (r.iwae && !r.iwaeShown) {
        const b = r.iwae;
        console.log(`  [${backend}] IWAE on the first ${b.n} test images: ${b.ks.map((k, i) => `k=${k} ${b.bounds[i].toFixed(2)}`).join(', ')} nats; −log p(x) ≤ ${(-b.bounds.at(-1)).toFixed(2)} (test −ELBO of the same images ${b.negativeElbo.toFixed(2)}), ${b.seconds.toFixed(0)} s`);
        await page.evaluate(() => (window.__bench.iwaeShown = true));
      }
      if (r.done || r.error) {
        r.workerHeapNote = 'tensor counts come from the worker (tf.memory()); heap is the page\'s';
        r.pageHeapBytes = await page.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize : null));
        return r;
      }
      if (Date.now() > deadline) return { ...r, error: 'timed out' };
      await new Promise((res) => setTimeout(res, 1000));
    }
  } finally {
    await browser.close();
  }
}

/** The registry's model families, as the bench page lists them. */
async function listFamilies(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}bench.html?families`);
    await page.waitForFunction(() => window.__bench?.done);
    return await page.evaluate(() => window.__bench.families);
  } finally {
    await browser.close();
  }
}

/** A soak's figures: the worker's tensors and the page + workers' memory by minute, and whether they stay flat. */
function printSoak(family, r) {
  const counts = r.tensorCounts ?? [];
  const byMinute = new Map();
  for (const c of counts) byMinute.set(Math.max(1, Math.ceil(c.seconds / 60)), c);
  const last = counts.at(-1);
  console.log(`  [${family}] ${r.backend ? `${r.backend.name} ×${r.backend.threads}` : 'no backend'}; ${last ? `${last.step.toLocaleString('en-US')} steps` : 'no steps'}${r.error ? `; error: ${r.error}` : ''}`);
  console.log(`  [${family}] tensors (bytes) by minute: ${[...byMinute].map(([m, c]) => `${m}: ${c.numTensors} (${(c.numBytes / 1e6).toFixed(2)} MB)`).join(', ')}`);
  // after the first minute (the first reports, checkpoints and copies) the count must not move
  const settled = counts.filter((c) => c.seconds > 60);
  const distinct = [...new Set(settled.map((c) => c.numTensors))];
  console.log(`  [${family}] distinct tensor counts after the first minute: ${distinct.join(', ') || '–'}${distinct.length === 1 ? ' (flat)' : distinct.length > 1 ? ' (NOT flat)' : ''} over ${settled.length} samples`);
  const mem = r.memorySamples ?? [];
  if (mem.length) {
    const mb = mem.map((m) => m.bytes / 1e6);
    console.log(`  [${family}] page + workers memory (measureUserAgentSpecificMemory): ${mem.map((m) => `${m.seconds} s ${(m.bytes / 1e6).toFixed(0)} MB`).join(', ')}; min ${Math.min(...mb).toFixed(0)}, max ${Math.max(...mb).toFixed(0)} MB`);
  }
}

function percentile(xs, q) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/**
 * The real page, as a user drives it: time from opening the page to the first training step,
 * main-thread long tasks while training (PerformanceObserver 'longtask'), probe-move-to-image
 * latency (arrow keys on the probe while training; the app reports each latency to
 * window.__vaeMetrics when that exists), bytes transferred and the main thread's JS heap.
 */
async function runUi(url, { decodeCopy = true } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    let bytes = 0;
    page.on('requestfinished', async (request) => {
      try {
        const sizes = await request.sizes();
        bytes += sizes.responseBodySize + sizes.responseHeadersSize;
      } catch {
        // the page went away
      }
    });
    await page.addInitScript(() => {
      window.__vaeMetrics = { probeLatencies: [], longTasks: [], trainingFrom: null };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__vaeMetrics.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const opened = Date.now();
    await page.goto(`${url}${decodeCopy ? '' : '?decodeCopy=0'}${args.net === 'mlp' ? '' : `#net=${args.net}`}`);
    const train = page.getByRole('button', { name: 'Train' });
    await train.waitFor();
    while (!(await train.isEnabled())) await page.waitForTimeout(20);
    const readyMs = Date.now() - opened;
    await train.click();
    await page.evaluate(() => (window.__vaeMetrics.trainingFrom = performance.now()));
    const stepText = () => page.getByRole('region', { name: 'Training' }).getByRole('status').textContent();
    while (!/Step [1-9]/.test((await stepText()) ?? '')) await page.waitForTimeout(10);
    const firstStepMs = Date.now() - opened;
    // let training settle, then move the probe with the keyboard while it trains
    await page.waitForTimeout(3000);
    const probe = page.getByRole('button', { name: 'Latent probe' });
    await probe.focus();
    const stepOf = async () => Number(/Step ([\d,]+)/.exec((await stepText()) ?? '')?.[1].replace(/,/g, '') ?? NaN);
    const probingFrom = { step: await stepOf(), at: Date.now() };
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press(i % 40 < 20 ? 'ArrowRight' : 'ArrowLeft');
      await page.waitForTimeout(120);
    }
    const stepsPerSecondWhileProbing = ((await stepOf()) - probingFrom.step) / ((Date.now() - probingFrom.at) / 1000);
    const decodedBy = await page.locator('.decoded-latency').textContent().catch(() => null);
    await page.waitForTimeout(2000);
    const m = await page.evaluate(() => ({
      ...window.__vaeMetrics,
      heap: performance.memory ? performance.memory.usedJSHeapSize : null,
    }));
    const during = m.longTasks.filter((t) => t.start >= m.trainingFrom);
    return {
      pageToReadyMs: readyMs,
      pageToFirstStepMs: firstStepMs,
      longTasksWhileTraining: during.length,
      longestTaskMs: during.reduce((a, t) => Math.max(a, t.duration), 0),
      probeSamples: m.probeLatencies.length,
      probeP50Ms: percentile(m.probeLatencies, 0.5),
      probeP95Ms: percentile(m.probeLatencies, 0.95),
      stepsPerSecondWhileProbing,
      decodedBy,
      bytesTransferred: bytes,
      mainHeapBytes: m.heap,
      step: await stepText(),
    };
  } finally {
    await browser.close();
  }
}

const REFERENCE_SCRIPT = path.resolve(ROOT, process.env.REFERENCE_SCRIPT ?? '../shared/reference/run.sh');
/** The reference's architecture for the model benchmarked (null: the reference has none). */
const referenceArch = vq
  ? 'vq'
  : args.net === 'conv'
    ? args.model === 'vae' && args.prior === 'standard' ? 'conv' : null
    : args.model === 'cvae' ? 'cvae' : args.model === 'm2' || args.prior === 'vamp' ? null : args.prior === 'mog' ? 'mog' : 'mlp';
const modelName = vq ? vqModelName(args) : `${{ vae: 'VAE', cvae: 'conditional VAE', m2: 'M2' }[args.model] ?? args.model}${args.prior !== 'standard' ? ` with a ${args.prior} prior (K = ${args.components})` : ''}, ${NET_LABEL}`;

function runReference() {
  if (!referenceArch) return Promise.resolve({ epochs: [], error: `the reference has no ${args.model} with prior ${args.prior} on the ${args.net} network` });
  const script = REFERENCE_SCRIPT;
  const problem = referenceProblem(script);
  if (problem) {
    console.log(`  ${problem}`);
    return Promise.resolve({ epochs: [], error: problem });
  }
  const note = torchNote();
  if (note) console.log(`  ${note}`);
  return new Promise((resolve) => {
    let stderrTail = '';
    const epochs = [];
    const iwae = Number(args.iwae) > 0 ? ['--iwae', args.iwae, '--iwae-n', args['iwae-n']] : [];
    const referenceArgs = vq ? vqReferenceArgs(args) : ['--arch', referenceArch, '--components', args.components, '--latent', args.latent, '--epochs', args.epochs, '--seed', args.seed, ...iwae];
    const child = spawn('bash', [script, ...referenceArgs], { cwd: ROOT });
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        try {
          const e = JSON.parse(line);
          epochs.push(e);
          console.log(`  [pytorch] ${line}`);
        } catch {
          if (line) console.log(`  [pytorch] ${line}`);
        }
      }
    });
    child.stderr.on('data', (c) => {
      process.stderr.write(c);
      stderrTail = (stderrTail + c).slice(-2000);
    });
    child.on('error', (e) => {
      const error = `the PyTorch reference did not run: ${e.message}`;
      console.log(`  ${error}`);
      resolve({ epochs, error });
    });
    child.on('close', (code) => {
      const failure = referenceFailure(code ?? 1, epochs.filter((e) => e.event === 'epoch').length, stderrTail);
      if (failure) console.log(`  ${failure}`);
      resolve(failure ? { epochs, error: failure } : { epochs });
    });
  });
}

if (args.reference) {
  // say at once, not after the browser runs, when the PyTorch column will be missing
  const problem = referenceProblem(REFERENCE_SCRIPT);
  if (problem) console.log(`note: ${problem}; the PyTorch column will be left out`);
}
// the bench builds into a folder of its own, so a build or a test run meanwhile leaves it alone
/** The bench's own build (BENCH_OUT_DIR: another one, for two benches at once). */
const OUT_DIR = process.env.BENCH_OUT_DIR ?? 'bench-dist';
if (!args['no-build']) {
  execFileSync('npm', ['run', 'typecheck'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('node', ['scripts/prepare-data.mjs'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('node', ['scripts/build-kernels.mjs'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '--outDir', OUT_DIR, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
}
const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir: OUT_DIR }, preview: { port: 0, host: '127.0.0.1' } });
const { port } = server.httpServer.address();
const url = `http://127.0.0.1:${port}/`;
const results = { date: new Date().toISOString(), args, cpu: cpuName(), backends: {}, reference: null, rounds: [] };
console.log(`CPU: ${results.cpu}; load average ${load()}`);

/** One full run of the first backend (the epochs), printed as it goes. */
async function runFirstBackend(backend, round) {
  console.log(`\n== ${backend}: ${modelName}, batch ${args.batch}, ${args.epochs} epochs${ROUNDS > 1 ? ` (round ${round} of ${ROUNDS}, load ${load()})` : ''}`);
  const iwae = Number(args.iwae) > 0 ? { iwae: args.iwae, iwaeN: args['iwae-n'] } : {};
  const r = await runBrowser(url, backend, iwae);
  if (r.backend) console.log(`  backend ${r.backend.name} ×${r.backend.threads}: ${r.backend.reason}`);
  if (r.error) console.log(`  error: ${r.error}`);
  return { ...r, medianStepsPerSecond: median(r.stepsPerSecondWindows) };
}

async function runReferenceRound(round) {
  console.log(`\n== PyTorch reference (../shared/reference/run.sh --arch ${referenceArch})${ROUNDS > 1 ? `, round ${round} of ${ROUNDS}, load ${load()}` : ''}`);
  return runReference();
}

try {
  const backends = LAB_ONLY || SOAK_ONLY || PROFILE_ONLY || args.decoder ? [] : args.backends.split(',').filter(Boolean);
  for (let round = 1; round <= ROUNDS && backends.length; round++) {
    const ours = await runFirstBackend(backends[0], round);
    const loadAfterOurs = load();
    const reference = args.reference ? await runReferenceRound(round) : null;
    results.rounds.push({ round, ours, reference, load: [loadAfterOurs, load()] });
  }
  // the first backend's figures are the median round's (by steps/s); the reference likewise
  const byOurSpeed = [...results.rounds].sort((a, b) => a.ours.medianStepsPerSecond - b.ours.medianStepsPerSecond);
  if (byOurSpeed.length) results.backends[backends[0]] = byOurSpeed[Math.floor(byOurSpeed.length / 2)].ours;
  if (args.reference && results.rounds.length) {
    const bySpeed = [...results.rounds].filter((r) => refSpeed(r.reference)).sort((a, b) => refSpeed(a.reference) - refSpeed(b.reference));
    results.reference = bySpeed.length ? bySpeed[Math.floor(bySpeed.length / 2)].reference : results.rounds[0].reference;
  }
  for (const backend of backends.slice(1)) {
    // slower backends get a speed window of slow-steps steps
    console.log(`\n== ${backend}: ${NET_LABEL}, batch ${args.batch}, ${args['slow-steps']} steps`);
    const r = await runBrowser(url, backend, { steps: args['slow-steps'] });
    if (r.backend) console.log(`  backend ${r.backend.name} ×${r.backend.threads}: ${r.backend.reason}`);
    if (r.lastTrain) console.log(`  stopped at step ${r.lastTrain.step}; test −ELBO ${r.epochs.at(-1)?.test.negativeElbo.toFixed(1) ?? '–'}`);
    results.backends[backend] = { ...r, medianStepsPerSecond: median(r.stepsPerSecondWindows) };
    if (r.error) console.log(`  error: ${r.error}`);
  }
  if (Number(args.profile) > 0) {
    console.log(`\n== where a step goes: ${modelName}, batch ${args.batch}, ${args.profile} steps after 300 (wasm; load ${load()})`);
    const r = await runBrowser(url, 'wasm', profileQuery(args));
    results.profile = r.profile;
    printProfile(r.profile, r.error);
  }
  if (args.scaling) {
    console.log('\n== scaling: batch 32…1024, hidden 100…1600, latent 2…64 (one swept at a time around 128 / 400 / 20)');
    results.scaling = await runScaling(url, runBrowser, { pytorch: !args['no-pytorch'] });
  }
  if (args.lab) {
    results.lab = {};
    for (const beta of args.betas.split(',')) {
      console.log(`\n== β-VAE lab: Shapes, ${args.net}, z = ${args['lab-latent']}, β = ${beta}, ${args['lab-steps']} steps${args.settings ? `, settings ${args.settings}` : ''} (load ${load()})`);
      const started = Date.now();
      const r = await runBrowser(url, 'auto', { dataset: 'shapes', beta, steps: args['lab-steps'], latent: args['lab-latent'] });
      const last = r.disentanglement.at(-1);
      const test = r.epochs.at(-1)?.test;
      const best = r.disentanglement.reduce((a, d) => (d.mig !== null && (a === null || d.mig > a.mig) ? d : a), null);
      results.lab[beta] = { disentanglement: r.disentanglement, test, error: r.error, seconds: (Date.now() - started) / 1000, medianStepsPerSecond: median(r.stepsPerSecondWindows) };
      if (r.error) console.log(`  error: ${r.error}`);
      const terms = test ? Object.entries(test.terms).map(([id, v]) => `${id} ${v.toFixed(1)}`).join(', ') : '';
      console.log(`  β = ${beta}: MIG ${last?.mig?.toFixed(3) ?? '–'}, active units ${last?.activeUnits ?? '–'} / ${args['lab-latent']} at step ${last?.step ?? '–'} (best MIG ${best?.mig?.toFixed(3) ?? '–'} at step ${best?.step ?? '–'}); test −ELBO ${test ? test.negativeElbo.toFixed(1) : '–'} (${terms}); ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  if (args.decoder) results.decoder = await runDecoderTable();
  if (Number(args.soak) > 0) {
    const families = args.families === 'all' ? await listFamilies(url) : args.families.split(',').filter(Boolean);
    results.soak = {};
    console.log(`\n== soak: ${args.soak} min of training per model family on MNIST, z = ${args.latent} (${families.join(', ')})`);
    for (const family of families) {
      const r = await runBrowser(url, 'auto', { soak: String(Number(args.soak) * 60), epochs: '1000000', model: family });
      results.soak[family] = { tensorCounts: r.tensorCounts, memorySamples: r.memorySamples, pageHeapBytes: r.pageHeapBytes, backend: r.backend, error: r.error };
      printSoak(family, r);
    }
  }
  if (args.ui) {
    results.ui = {};
    // the decoder's copy in its own worker, then everything decoded by the training worker
    for (const [label, decodeCopy] of [['with the decoder copy', true], ['without it (?decodeCopy=0)', false]]) {
      console.log(`\n== the page while training (index.html${args.net === 'mlp' ? '' : `#net=${args.net}`}, z = 2), ${label}`);
      const u = await runUi(url, { decodeCopy });
      results.ui[decodeCopy ? 'withCopy' : 'withoutCopy'] = u;
      console.log(`  page open → Train ready ${u.pageToReadyMs} ms, → first step ${u.pageToFirstStepMs} ms`);
      console.log(`  main-thread long tasks (> 50 ms) while training: ${u.longTasksWhileTraining} (longest ${u.longestTaskMs.toFixed(0)} ms)`);
      console.log(`  probe move → image on screen: p50 ${u.probeP50Ms.toFixed(1)} ms, p95 ${u.probeP95Ms.toFixed(1)} ms (${u.probeSamples} moves); ${machineNote()}`);
      console.log(`  training while the probe moves: ${u.stepsPerSecondWhileProbing.toFixed(1)} steps/s; last image "${u.decodedBy?.trim() ?? '–'}"`);
      console.log(`  transferred ${(u.bytesTransferred / 1e6).toFixed(2)} MB; main-thread JS heap ${(u.mainHeapBytes / 1e6).toFixed(1)} MB`);
    }
  }
} finally {
  await server.close();
}

/**
 * The decoder's configurations (issue 13): the page's URL settings of each, on top of --settings.
 * Cyclical annealing gets its 4 cycles within the run's own steps (its default spans 8000 steps).
 */
function decoderConfigs(stepsPerRun) {
  return [
    { id: 'collapse', label: 'MADE, β = 1, no remedy', settings: 'dec=made' },
    { id: 'cyclical', label: 'MADE, cyclical annealing', settings: `dec=made&sched=cyclical&cycles=4&cyclen=${stepsPerRun}` },
    { id: 'freebits', label: 'MADE, free bits λ = 0.5', settings: 'dec=made&fb=0.5' },
    { id: 'cdrop', label: 'MADE, context dropout 0.5', settings: 'dec=made&cdrop=0.5' },
    { id: 'infovae', label: 'MADE, InfoVAE (λ = 1000)', settings: 'dec=made&obj=infovae' },
    { id: 'factorised', label: 'factorised, β = 1', settings: '' },
  ];
}

/** --decoder: each configuration trained alike, then one table of how much z is used and the test bound. */
async function runDecoderTable() {
  const backend = args.backends.split(',').filter(Boolean)[0] ?? 'wasm';
  const stepsPerRun = Number(args.epochs) * Math.ceil(60000 / Number(args.batch));
  const wanted = args.configs === 'all' ? null : args.configs.split(',');
  const configs = decoderConfigs(stepsPerRun).filter((c) => !wanted || wanted.includes(c.id));
  const rows = [];
  for (const c of configs) {
    const settings = [args.settings, c.settings].filter(Boolean).join('&');
    console.log(`\n== decoder: ${c.label} (#${settings || 'defaults'}), MNIST, z = ${args.latent}, ${args.epochs} epochs, ${backend} (load ${load()})`);
    const started = Date.now();
    const r = await runBrowser(url, backend, { usage: '1', settings });
    const usage = r.disentanglement ?? [];
    for (const e of r.epochs ?? []) {
      const u = usage.filter((d) => d.step === e.step).at(-1);
      console.log(`  epoch ${e.epoch}: KL ${e.test.terms.kl.toFixed(2)}, active units ${u?.activeUnits ?? '–'}, I(x; z) ${u?.mutualInformation?.toFixed(2) ?? '–'}`);
    }
    if (r.error) console.log(`  error: ${r.error}`);
    const last = r.epochs?.at(-1);
    const u = last ? usage.filter((d) => d.step === last.step).at(-1) : undefined;
    rows.push({ ...c, settings, seconds: (Date.now() - started) / 1000, step: last?.step, test: last?.test, activeUnits: u?.activeUnits, mutualInformation: u?.mutualInformation, klByEpoch: (r.epochs ?? []).map((e) => e.test.terms.kl), error: r.error });
  }
  console.log(`\nDecoder table: MNIST (Bernoulli unless --settings says), z = ${args.latent}, ${args.epochs} epochs (${stepsPerRun} steps, batch ${args.batch}, seed ${args.seed}), ${backend}; test set; active units: Cov_x(E[z_j|x]) > 0.01 on 2000 test images; I(x; z) ≤ log 1000 = 6.91 nats. CPU ${results.cpu}; load ${load()}`);
  console.log(`${'configuration'.padEnd(30)} ${'recon'.padStart(8)} ${'KL'.padStart(7)} ${'active'.padStart(7)} ${'I(x;z)'.padStart(7)} ${'−ELBO'.padStart(8)} ${'s'.padStart(6)}   KL by epoch`);
  for (const row of rows) {
    const t = row.test;
    const f = (v, d = 2) => (v === undefined || v === null ? '–' : v.toFixed(d));
    console.log(`${row.label.padEnd(30)} ${f(t?.terms.reconstruction).padStart(8)} ${f(t?.terms.kl).padStart(7)} ${`${row.activeUnits ?? '–'}/${args.latent}`.padStart(7)} ${f(row.mutualInformation).padStart(7)} ${f(t?.negativeElbo).padStart(8)} ${row.seconds.toFixed(0).padStart(6)}   ${row.klByEpoch.map((k) => k.toFixed(1)).join(' ')}${row.error ? `  (error: ${row.error})` : ''}`);
  }
  return rows;
}

function refSpeed(reference) {
  return (reference?.epochs ?? []).find((e) => e.event === 'summary')?.steps_per_s;
}

if (vq) printVqComparison(results, args);
if (!vq) {

/** Multiply-adds of a k×k convolution with a row per output pixel: pixels · k² · cIn · cOut. */
function convMacs(pixels, k, cIn, cOut) {
  return pixels * k * k * cIn * cOut;
}

/**
 * FLOPs of one training step, counted like the reference: 3 × forward (2 multiply-adds·batch),
 * products only. MLP: 784-400-2z-… ; conv-small on 28×28: two 4×4 convs (14², 7² pixels), the
 * dense 1568-128-2z and z-128-1568, two transposed convs (the same products as the convs).
 */
function flopsPerStep(net, latent, batch, hidden = 400, input = 784) {
  const macs =
    net === 'conv'
      ? convMacs(196, 4, 1, 16) + convMacs(49, 4, 16, 32) + 1568 * 128 + 128 * 2 * latent + latent * 128 + 128 * 1568 + convMacs(49, 4, 16, 32) + convMacs(196, 4, 1, 16)
      : input * hidden + hidden * 2 * latent + latent * hidden + hidden * input;
  return 3 * 2 * batch * macs;
}
const flops = flopsPerStep(args.net, Number(args.latent), Number(args.batch));
const refEpochs = (results.reference?.epochs ?? []).filter((e) => e.event === 'epoch');
const refSteps = refSpeed(results.reference);
const ranSpeed = Object.keys(results.backends).length > 0;
if (ranSpeed) console.log(`\n${NET_LABEL}, batch ${args.batch}: ${(flops / 1e6).toFixed(0)} MFLOP per step (products, 3 × forward); CPU ${results.cpu}; load average now ${load()}`);
if (results.rounds.length > 1 || (args.reference && results.rounds.length)) {
  console.log('round   ours steps/s   pytorch steps/s   ratio   load (after ours, after pytorch)   test −ELBO by epoch: ours | pytorch');
  for (const r of results.rounds) {
    const ours = r.ours.medianStepsPerSecond;
    const ref = refSpeed(r.reference);
    const oursElbo = (r.ours.epochs ?? []).map((e) => e.test.negativeElbo.toFixed(1)).join(' ');
    const refElbo = (r.reference?.epochs ?? []).filter((e) => e.event === 'epoch').map((e) => e.test_nelbo?.toFixed(1) ?? '–').join(' ');
    console.log(`${String(r.round).padStart(5)} ${ours.toFixed(1).padStart(14)} ${ref ? ref.toFixed(1).padStart(17) : '–'.padStart(17)} ${ref ? (ours / ref).toFixed(2).padStart(7) : '–'.padStart(7)}   ${r.load.join(' | ').padEnd(33)}   ${oursElbo} | ${refElbo}`);
  }
  const oursMedian = median(results.rounds.map((r) => r.ours.medianStepsPerSecond));
  const refs = results.rounds.map((r) => refSpeed(r.reference)).filter(Boolean);
  const ratios = results.rounds.filter((r) => refSpeed(r.reference)).map((r) => r.ours.medianStepsPerSecond / refSpeed(r.reference));
  if (refs.length) console.log(`medians over ${results.rounds.length} round(s): ours ${oursMedian.toFixed(1)} steps/s, PyTorch ${median(refs).toFixed(1)} steps/s, ratio of medians ${(oursMedian / median(refs)).toFixed(2)}×, median of the rounds' ratios ${median(ratios).toFixed(2)}×`);
  results.summary = { oursMedian, referenceMedian: median(refs), ratios };
}
if (ranSpeed) console.log('backend     steps/s   s/epoch   GFLOP/s   tensors  page heap   to 1st step   test −ELBO (by epoch, or at the last step)');
for (const [name, r] of Object.entries(results.backends)) {
  const sps = r.medianStepsPerSecond;
  const elbos = (r.epochs ?? []).map((e) => `${e.test.negativeElbo.toFixed(1)}${e.epoch === 0 ? `@${e.step}` : ''}`).join(' ');
  const tensors = r.tensorCounts?.at(-1)?.numTensors ?? '–';
  const heap = r.pageHeapBytes ? `${(r.pageHeapBytes / 1e6).toFixed(1)} MB` : '–';
  const first = r.pageToFirstStepMs ? `${(r.pageToFirstStepMs / 1000).toFixed(1)} s` : '–';
  console.log(`${name.padEnd(10)} ${sps.toFixed(1).padStart(8)} ${(60000 / Number(args.batch) / sps).toFixed(1).padStart(9)} ${((sps * flops) / 1e9).toFixed(1).padStart(9)} ${String(tensors).padStart(8)} ${heap.padStart(10)} ${first.padStart(13)}   ${elbos}`);
  r.gflops = (sps * flops) / 1e9;
}
if (args.reference && ranSpeed && !refSteps) console.log(`${'pytorch'.padEnd(10)}        –   (${results.reference?.error ?? 'no summary line from run.sh'})`);
if (refSteps) {
  const elbos = refEpochs.map((e) => e.test_nelbo?.toFixed(1) ?? '–').join(' ');
  console.log(`${'pytorch'.padEnd(10)} ${refSteps.toFixed(1).padStart(8)} ${(60000 / Number(args.batch) / refSteps).toFixed(1).padStart(9)} ${((refSteps * flops) / 1e9).toFixed(1).padStart(9)}   ${elbos}`);
  for (const [name, r] of Object.entries(results.backends)) {
    const byEpoch = (r.epochs ?? [])
      .filter((e) => e.epoch > 0)
      .map((e) => [e, refEpochs.find((x) => x.epoch === e.epoch)])
      .filter(([, ref]) => ref?.test_nelbo !== undefined)
      .map(([e, ref]) => `epoch ${e.epoch}: ${e.test.negativeElbo.toFixed(2)} vs ${ref.test_nelbo.toFixed(2)} (Δ ${(e.test.negativeElbo - ref.test_nelbo).toFixed(2)})`);
    console.log(`${name}: ${(r.medianStepsPerSecond / refSteps).toFixed(2)}× PyTorch's steps/s (median rounds)${byEpoch.length ? `; test −ELBO ${byEpoch.join(', ')}` : ''}`);
  }
  // the test bound epoch by epoch, ours against the reference's
  const first = Object.entries(results.backends)[0];
  if (first) {
    console.log(`\nepoch   ${first[0].padStart(8)}   pytorch         Δ`);
    for (const e of first[1].epochs ?? []) {
      const ref = refEpochs.find((x) => x.epoch === e.epoch && x.test_nelbo !== undefined);
      if (ref) console.log(`${String(e.epoch).padStart(5)}   ${e.test.negativeElbo.toFixed(2).padStart(8)}   ${ref.test_nelbo.toFixed(2).padStart(7)}   ${(e.test.negativeElbo - ref.test_nelbo).toFixed(2).padStart(7)}`);
    }
  }
}
}
const refIwae = (results.reference?.epochs ?? []).find((e) => e.event === 'iwae');
if (Number(args.iwae) > 0) {
  const first = Object.entries(results.backends)[0];
  const ours = first?.[1].iwae;
  console.log(`\nIWAE bound, k = ${args.iwae}, first ${args['iwae-n']} test images, after ${args.epochs} epochs at z = ${args.latent} (−log p(x) ≤ …, nats):`);
  if (ours) console.log(`  ${first[0]}: ${(-ours.bounds.at(-1)).toFixed(2)} (test −ELBO of those images ${ours.negativeElbo.toFixed(2)}; bound at k = ${ours.ks.join(', ')}: ${ours.bounds.map((b) => (-b).toFixed(2)).join(', ')})`);
  else console.log(`  ${first?.[0] ?? 'ours'}: – (${first?.[1].error ?? 'not computed'})`);
  if (refIwae) console.log(`  pytorch: ${refIwae.test_nll.toFixed(2)} (${refIwae.seconds} s)`);
  if (ours && refIwae) console.log(`  difference ${(-ours.bounds.at(-1) - refIwae.test_nll).toFixed(2)} nats`);
}
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `${results.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\nwritten ${path.relative(ROOT, out)}`);
