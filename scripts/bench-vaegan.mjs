#!/usr/bin/env node
/**
 * npm run bench -- --model vaegan [--steps 2000] [--latent 20] [--net mlp] [--seed 1] [--score 2000] [--gamma 1] [--margin 0.35] [--only vaegan] [--no-build]
 *
 * The plain VAE and the VAE-GAN, trained with the same seed, data order and number of steps in
 * headless Chromium through the app's own worker (bench.html), then scored as the page's "Score
 * samples" does: Fréchet distance between `score` test images and as many prior samples in the
 * features of our classifier (lower is better; not comparable with published FIDs), the
 * classifier's confidence on the samples and their sharpness over the test images'. Prints both,
 * with the test −ELBO each ends with, the speed and the load average. Results go to
 * bench-results/<time>-vaegan.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '2000' },
    latent: { type: 'string', default: '20' },
    net: { type: 'string', default: 'mlp' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '128' },
    score: { type: 'string', default: '2000' },
    gamma: { type: 'string', default: '' },
    kd: { type: 'string', default: '' },
    margin: { type: 'string', default: '' },
    sim: { type: 'string', default: '' },
    backend: { type: 'string', default: 'wasm' },
    // one of the two runs (vae or vaegan), e.g. to try VAE-GAN settings against a VAE measured before
    only: { type: 'string', default: '' },
    'no-build': { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '90' },
  },
});
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';

async function run(url, model) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e}`));
    const q = new URLSearchParams({ latent: args.latent, batch: args.batch, seed: args.seed, backend: args.backend, steps: args.steps, score: args.score, model, net: args.net, epochs: '1000' });
    for (const key of ['gamma', 'kd', 'margin', 'sim']) if (args[key]) q.set(key === 'gamma' ? 'advgamma' : key, args[key]);
    const started = Date.now();
    await page.goto(`${url}bench.html?${q}`);
    const deadline = started + Number(args['timeout-min']) * 60_000;
    let lines = 0;
    for (;;) {
      const log = await page.evaluate(() => document.getElementById('log')?.textContent ?? '');
      const all = log.split('\n').filter(Boolean);
      for (const line of all.slice(lines)) console.log(`  [${model}] ${line}`);
      lines = all.length;
      const r = await page.evaluate(() => window.__bench);
      if (r.done || r.error) return { ...r, seconds: (Date.now() - started) / 1000, loadAfter: load() };
      if (Date.now() > deadline) return { ...r, error: 'timed out' };
      await new Promise((res) => setTimeout(res, 2000));
    }
  } finally {
    await browser.close();
  }
}

if (!args['no-build']) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
const server = await preview({ root: ROOT, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
const { port } = server.httpServer.address();
const url = `http://127.0.0.1:${port}/`;
const results = { date: new Date().toISOString(), args, cpu, runs: {} };
try {
  for (const model of ['vae', 'vaegan'].filter((m) => !args.only || m === args.only)) {
    console.log(`\n== ${model}: ${args.net}, z = ${args.latent}, ${args.steps} steps, seed ${args.seed}, batch ${args.batch}; load average ${load()}`);
    results.runs[model] = { loadBefore: load(), ...(await run(url, model)) };
    const r = results.runs[model];
    if (r.error) console.log(`  error: ${r.error}`);
  }
} finally {
  await server.close();
}

console.log(`\n${cpu}; ${args.steps} steps each, seed ${args.seed}; Fréchet distance in our classifier's features (lower is better; not comparable with published FID)`);
console.log('model     test −ELBO   Fréchet   confidence (test)   sharpness ratio   steps/s   classifier   load average (before → after)');
for (const [model, r] of Object.entries(results.runs)) {
  const s = r.score;
  const elbo = r.epochs?.at(-1)?.test.negativeElbo;
  const sps = r.stepsPerSecondWindows?.length ? [...r.stepsPerSecondWindows].sort((a, b) => a - b)[Math.floor(r.stepsPerSecondWindows.length / 2)] : NaN;
  console.log(
    `${model.padEnd(8)} ${(elbo?.toFixed(2) ?? '–').padStart(11)} ${(s?.frechetDistance.toFixed(2) ?? '–').padStart(9)} ${s ? `${s.confidence.toFixed(3)} (${s.testConfidence.toFixed(3)})`.padStart(19) : '–'.padStart(19)} ${(s?.sharpnessRatio.toFixed(3) ?? '–').padStart(17)} ${sps.toFixed(1).padStart(9)} ${s ? `${(100 * s.classifierAccuracy).toFixed(2)}%`.padStart(12) : '–'.padStart(12)}   ${r.loadBefore} → ${r.loadAfter}`,
  );
}
const [a, b] = [results.runs.vae?.score, results.runs.vaegan?.score];
if (a && b) console.log(`VAE-GAN / VAE: Fréchet ×${(b.frechetDistance / a.frechetDistance).toFixed(2)}, sharpness ×${(b.sharpnessRatio / a.sharpnessRatio).toFixed(2)}; −ELBO ${(results.runs.vaegan.epochs.at(-1).test.negativeElbo - results.runs.vae.epochs.at(-1).test.negativeElbo).toFixed(2)} nats worse`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `${results.date.replace(/[:.]/g, '-')}-vaegan.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\nwritten ${path.relative(ROOT, out)}`);
