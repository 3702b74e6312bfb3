#!/usr/bin/env node
/**
 * node scripts/bench-conv.mjs [--where node,browser] [--batch 128] [--steps 30] [--reps 20] [--reference [--rounds 3]]
 *
 * Micro-benchmark of the conv layers and of the conv-small VAE's training step on wasm: ms per
 * forward and forward + backward of each conv layer with our kernels (im2col / col2im + our
 * GEMM) and with tfjs-wasm's own kernels where it has them, steps/s of a full training step
 * (batch 128, Adam), and a step's kernel time by kernel and shape. Prints the CPU (lscpu).
 *   node:    tfjs-wasm's single-threaded build in Node, our GEMM on one thread (plain SIMD);
 *   browser: headless Chromium (/usr/bin/chromium or CHROMIUM_PATH), in a worker of a
 *            cross-origin isolated page, as the app trains: relaxed SIMD, our GEMM on two threads.
 * --reference also runs ../shared/reference/run.sh --arch conv for one epoch in the same sitting
 * and prints the ratio of steps/s; --rounds N alternates N times between the browser's training
 * steps (400 of them) and a PyTorch epoch and prints every pair and the medians, because on a
 * shared machine either can lose half its speed from one minute to the next. Builds the kernels
 * first (scripts/build-kernels.mjs).
 * No timing is asserted anywhere: this prints, it does not judge.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    where: { type: 'string', default: 'node,browser' },
    batch: { type: 'string', default: '128' },
    steps: { type: 'string', default: '30' },
    reps: { type: 'string', default: '20' },
    reference: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
  },
});
const options = { batch: Number(args.batch), steps: Number(args.steps), reps: Number(args.reps), stepOnly: false };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

function cpuName() {
  try {
    const out = execFileSync('lscpu', { encoding: 'utf8' });
    const field = (name) => out.match(new RegExp(`^${name}:\\s*(.+)$`, 'm'))?.[1].trim();
    return `${field('Model name') ?? 'unknown CPU'}, ${field('CPU\\(s\\)') ?? '?'} vCPUs`;
  } catch {
    return 'unknown CPU (no lscpu)';
  }
}

const ms = (v) => (typeof v === 'number' ? v.toFixed(2).padStart(8) : String(v ?? '').padStart(8));

function print(where, result) {
  console.log(`\n== ${where}: conv-small at batch ${result.batch} ==`);
  console.log(`layer                          ours fwd  ours f+b  ours bwd | stock fwd stock dx  (ms)`);
  result.ours.forEach((o, i) => {
    const s = result.stock[i];
    console.log(`${o.layer.padEnd(30)} ${ms(o.forwardMs)}  ${ms(o.forwardBackwardMs)}  ${ms(o.backwardMs)} | ${ms(s.forwardMs)} ${ms(s.inputGradMs ?? '—')}`);
  });
  console.log('stock filter gradient: missing on tfjs-wasm (no Conv2DBackpropFilter), so stock cannot train these layers at all');
  const { step } = result;
  console.log(`training step: ${step.stepMs.toFixed(2)} ms median = ${step.stepsPerSecond.toFixed(1)} steps/s (tensors grew by ${step.tensorsGrew})`);
  console.log(`one profiled step: ${step.profile.kernels} kernels, ${step.profile.kernelMs.toFixed(2)} ms in them (the rest of a step is JavaScript: tfjs's dispatch, tape, our layers); by kernel ('unnamed scope': a custom gradient's forward pass, around kernels listed too):`);
  for (const k of step.profile.byName.slice(0, 30)) console.log(`  ${ms(k.ms)}  ${k.kernel}`);
  console.log('by kernel and input shapes:');
  for (const k of step.profile.byShape.slice(0, 40)) console.log(`  ${ms(k.ms)}  ${String(k.calls).padStart(2)}×  ${k.kernel}`);
}

async function withVite(configure) {
  const { createServer } = await import('vite');
  return createServer({ configFile: false, root: ROOT, logLevel: 'error', appType: 'custom', ...configure });
}

async function runInNode(options) {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  await tf.ready();
  const server = await withVite({ server: { middlewareMode: true } });
  try {
    const kernels = await server.ssrLoadModule('/src/kernels/tfjsKernels.ts');
    const load = async (variant) => new Uint8Array(readFileSync(path.join(ROOT, 'src/kernels/build', `${variant}.wasm`)));
    const install = async () => (await kernels.installWasmMatMul(await kernels.compileGemm(false, load))).description;
    const description = await install();
    const { runSuite } = await server.ssrLoadModule('/scripts/bench-conv-suite.mjs');
    const result = await runSuite({ ...options, uninstall: kernels.uninstallWasmMatMul, reinstall: install });
    kernels.uninstallWasmMatMul();
    return { where: `Node ${process.version}, tfjs-wasm single-threaded, matMul: ${description}`, result };
  } finally {
    await server.close();
  }
}

/** The page and its worker, served by Vite from memory: the worker runs the suite like the app's trains. */
function benchPages(options) {
  const page = `<!doctype html><meta charset="utf-8"><title>bench-conv</title><script type="module">
    const worker = new Worker('/@bench-conv/worker.mjs', { type: 'module' });
    worker.onmessage = (e) => { window.__benchConv = e.data; };
    worker.onerror = (e) => { window.__benchConv = { error: e.message || 'worker failed to load' }; };
    worker.postMessage(${JSON.stringify(options)});
  </script>`;
  const worker = `
    import * as tf from '@tensorflow/tfjs';
    import { initBackend } from '/src/worker/backend.ts';
    import { uninstallWasmMatMul } from '/src/kernels/tfjsKernels.ts';
    import { installGemmKernels, prepareGemm } from '/src/kernels/browser.ts';
    import { runSuite } from '/scripts/bench-conv-suite.mjs';
    self.onmessage = async (e) => {
      try {
        const info = await initBackend('wasm', '/tfjs-wasm/');
        if (info.name !== 'wasm') throw new Error('wasm did not start: ' + info.reason);
        const gemm = await prepareGemm();
        const reinstall = async () => { await installGemmKernels(gemm); };
        const result = await runSuite({ ...e.data, uninstall: uninstallWasmMatMul, reinstall });
        self.postMessage({ where: 'Chromium ' + navigator.userAgent.match(/Chrome\\/[\\d.]+/)?.[0] + ', ' + info.reason + ', ' + info.threads + ' threads', result });
      } catch (err) {
        self.postMessage({ error: String(err && err.stack || err) });
      }
    };`;
  return {
    name: 'bench-conv-pages',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/bench-conv.html')) {
          for (const [k, v] of Object.entries(ISOLATION)) res.setHeader(k, v);
          res.setHeader('Content-Type', 'text/html');
          res.end(page);
          return;
        }
        next();
      });
    },
    resolveId: (id) => (id === '/@bench-conv/worker.mjs' ? '\0bench-conv-worker.mjs' : null),
    load: (id) => (id === '\0bench-conv-worker.mjs' ? worker : null),
  };
}

async function runInBrowser(options) {
  const { chromium } = await import('playwright-core');
  const server = await withVite({ server: { port: 0, strictPort: false, headers: ISOLATION }, plugins: [benchPages(options)], worker: { format: 'es' } });
  await server.listen();
  const url = server.resolvedUrls?.local[0] ?? `http://localhost:${server.config.server.port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e}`));
    await page.goto(`${url}bench-conv.html`);
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const r = await page.evaluate(() => window.__benchConv);
      if (r?.error) throw new Error(r.error);
      if (r) return r;
      if (Date.now() > deadline) throw new Error('the browser bench did not finish in 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

/** One epoch of the PyTorch reference (conv-small, z = 20), in the same sitting. */
function runReference() {
  return new Promise((resolve, reject) => {
    const script = path.resolve(ROOT, '..', 'shared', 'reference', 'run.sh');
    const child = spawn(script, ['--arch', 'conv', '--latent', '20', '--epochs', '1', '--eval', 'none'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const summary = out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.event === 'summary');
      if (code !== 0 || !summary) reject(new Error(`run.sh exited with ${code}`));
      else resolve(summary.steps_per_s);
    });
  });
}

execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-kernels.mjs')], { stdio: 'inherit' });
console.log(`CPU: ${cpuName()}`);
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const results = [];
for (const where of args.where.split(',')) {
  const run = where === 'node' ? runInNode : where === 'browser' ? runInBrowser : null;
  if (!run) throw new Error(`--where: node or browser, not ${where}`);
  const { where: description, result } = await run(options);
  print(description, result);
  console.log(`(load average ${load()})`);
  results.push({ where, stepsPerSecond: result.step.stepsPerSecond });
}
if (args.reference) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const torch = [];
  const ours = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    if (round > 0 && args.where.includes('browser')) {
      ours.push((await runInBrowser({ ...options, steps: 400, stepOnly: true })).result.step.stepsPerSecond);
    } else if (round === 0) {
      ours.push(results.find((r) => r.where === 'browser')?.stepsPerSecond ?? results[0].stepsPerSecond);
    }
    torch.push(await runReference());
    console.log(`round ${round + 1}: ours ${ours.at(-1).toFixed(1)} steps/s, PyTorch (run.sh --arch conv, 2 threads, one epoch) ${torch.at(-1).toFixed(1)} steps/s: ${(ours.at(-1) / torch.at(-1)).toFixed(2)}× (load average ${load()})`);
  }
  console.log(`median of ${torch.length}: ours ${median(ours).toFixed(1)} steps/s, PyTorch ${median(torch).toFixed(1)} steps/s: ${(median(ours) / median(torch)).toFixed(2)}×`);
}
