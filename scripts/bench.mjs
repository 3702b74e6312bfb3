#!/usr/bin/env node
/**
 * npm run bench -- [--latent 20] [--epochs 10] [--backends wasm,webgl] [--reference] [--no-build]
 *
 * Builds the app, serves it with COOP/COEP (vite preview), trains in headless Chromium through
 * the app's own worker (bench.html) and prints steps/s and test −ELBO per epoch. With
 * --reference it also runs ../shared/reference/run.sh (PyTorch on this CPU) in the same sitting
 * and prints our speed over PyTorch's and the −ELBO difference at the same epoch.
 * Results go to bench-results/<time>.json as well.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    latent: { type: 'string', default: '20' },
    epochs: { type: 'string', default: '10' },
    backends: { type: 'string', default: 'wasm' },
    batch: { type: 'string', default: '128' },
    reference: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'timeout-min': { type: 'string', default: '60' },
  },
});
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function runBrowser(url, backend) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e}`));
    const q = new URLSearchParams({ latent: args.latent, epochs: args.epochs, batch: args.batch, backend });
    await page.goto(`${url}bench.html?${q}`);
    const deadline = Date.now() + Number(args['timeout-min']) * 60_000;
    let reported = 0;
    for (;;) {
      const r = await page.evaluate(() => window.__bench);
      for (const e of r.epochs.slice(reported)) {
        console.log(`  [${backend}] epoch ${e.epoch}: test −ELBO ${e.test.negativeElbo.toFixed(2)}  (${e.stepsPerSecond.toFixed(1)} steps/s, ${e.seconds.toFixed(1)} s)`);
      }
      reported = r.epochs.length;
      if (r.done || r.error) return r;
      if (Date.now() > deadline) return { ...r, error: 'timed out' };
      await new Promise((res) => setTimeout(res, 1000));
    }
  } finally {
    await browser.close();
  }
}

function runReference() {
  const script = path.resolve(ROOT, '../shared/reference/run.sh');
  if (!existsSync(script)) return Promise.resolve({ error: `${script} not found` });
  return new Promise((resolve) => {
    const epochs = [];
    const child = spawn('bash', [script, '--latent', args.latent, '--epochs', args.epochs], { cwd: ROOT });
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
    child.stderr.on('data', (c) => process.stderr.write(c));
    child.on('close', (code) => resolve(code === 0 ? { epochs } : { epochs, error: `run.sh exited ${code}` }));
  });
}

if (!args['no-build']) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
const server = await preview({ root: ROOT, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
const { port } = server.httpServer.address();
const url = `http://127.0.0.1:${port}/`;
const results = { date: new Date().toISOString(), args, backends: {}, reference: null };
try {
  for (const backend of args.backends.split(',')) {
    console.log(`\n== ${backend}: MLP 784-400-${args.latent}, batch ${args.batch}, ${args.epochs} epochs`);
    const r = await runBrowser(url, backend);
    results.backends[backend] = { ...r, medianStepsPerSecond: median(r.stepsPerSecondWindows) };
    if (r.error) console.log(`  error: ${r.error}`);
  }
} finally {
  await server.close();
}
if (args.reference) {
  console.log('\n== PyTorch reference (../shared/reference/run.sh)');
  results.reference = await runReference();
}

console.log('\nbackend     steps/s   s/epoch   test −ELBO (last epoch)   vs PyTorch');
const ref = results.reference?.epochs?.at(-1);
const refSteps = ref ? ref.steps_per_s ?? ref.steps_per_sec ?? ref['steps/s'] : undefined;
const refElbo = ref ? ref.test_neg_elbo ?? ref.test_elbo ?? ref.test_loss : undefined;
for (const [name, r] of Object.entries(results.backends)) {
  const last = r.epochs?.at(-1);
  const sps = r.medianStepsPerSecond;
  const ratio = refSteps ? `${(sps / refSteps).toFixed(2)}× speed` : '';
  const diff = refElbo && last ? `, ΔELBO ${(last.test.negativeElbo - refElbo).toFixed(2)}` : '';
  console.log(`${name.padEnd(10)} ${sps.toFixed(1).padStart(8)} ${(60000 / args.batch / sps).toFixed(1).padStart(9)}   ${last ? last.test.negativeElbo.toFixed(2) : '–'} (epoch ${last?.epoch ?? '–'})   ${ratio}${diff}`);
}
if (ref) console.log(`pytorch    ${String(refSteps).padStart(8)}            ${refElbo} (epoch ${ref.epoch})`);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `${results.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\nwritten ${path.relative(ROOT, out)}`);
