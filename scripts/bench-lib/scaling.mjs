/**
 * The scaling table: how steps/s, GFLOP/s and memory grow with the batch, the hidden width and the
 * latent size (one swept at a time around 128 / 400 / 20), ours in the browser beside PyTorch's on
 * the same CPU where torch is at hand (scripts/bench-lib/torch_scaling.py: a timing on random pixels).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { machineNote } from './machine.mjs';
import { REFERENCE_PYTHON } from './reference.mjs';

export const SCALING_CONFIGS = [
  ...[32, 64, 128, 256, 512, 1024].map((batch) => ({ batch, hidden: 400, latent: 20 })),
  ...[100, 200, 800, 1600].map((hidden) => ({ batch: 128, hidden, latent: 20 })),
  ...[2, 8, 64].map((latent) => ({ batch: 128, hidden: 400, latent })),
];

/** Matmul FLOPs of one training step, counted like the reference: 3 × forward (2·batch·in·out). */
export function flopsPerStep(latent, batch, hidden = 400, input = 784) {
  const macs = input * hidden + hidden * 2 * latent + latent * hidden + hidden * input;
  return 3 * 2 * batch * macs;
}

/** PyTorch's steps/s per configuration, or { error } saying why not. */
export function torchScaling(configs) {
  if (!existsSync(REFERENCE_PYTHON)) return { error: `${REFERENCE_PYTHON} not found` };
  // the OpenBLAS that ../shared/reference/run.sh borrows (Debian's torch links the slow reference BLAS)
  const openblas = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'vae-reference-openblas/usr/lib/x86_64-linux-gnu/openblas-pthread');
  const env = existsSync(openblas) ? { ...process.env, LD_LIBRARY_PATH: openblas, OPENBLAS_NUM_THREADS: '1' } : process.env;
  const script = path.join(import.meta.dirname, 'torch_scaling.py');
  const r = spawnSync(REFERENCE_PYTHON, [script, JSON.stringify(configs.map((c) => [c.batch, c.hidden, c.latent])), '2'], { env, encoding: 'utf8', timeout: 20 * 60_000 });
  if (r.error || r.signal) return { error: `torch_scaling.py did not finish: ${r.error?.message ?? `killed by ${r.signal}`} (a loaded machine: try again when it is quieter)` };
  if (r.status !== 0) return { error: `torch_scaling.py exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-1)[0] ?? ''}` };
  const rows = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { rows, blas: existsSync(openblas) ? 'OpenBLAS' : 'Debian torch’s default BLAS (run ../shared/reference/run.sh once to fetch OpenBLAS)' };
}

/** Run every configuration in the browser (runBrowser from bench.mjs), then PyTorch, and print one table. */
export async function runScaling(url, runBrowser, { steps = 150, warm = 50, pytorch = true } = {}) {
  const rows = [];
  for (const c of SCALING_CONFIGS) {
    const r = await runBrowser(url, 'auto', { batch: String(c.batch), hidden: String(c.hidden), latent: String(c.latent), steps: String(steps), warm: String(warm), epochs: '1000' }, { quiet: true });
    const windows = r.stepsPerSecondWindows ?? [];
    const sps = windows.length ? [...windows].sort((a, b) => a - b)[Math.floor(windows.length / 2)] : NaN;
    rows.push({ ...c, stepsPerSecond: sps, tensorBytes: r.peakTensorBytes ?? null, error: r.error ?? null, machine: machineNote() });
    console.log(`  batch ${c.batch}, hidden ${c.hidden}, latent ${c.latent}: ${sps.toFixed(1)} steps/s${r.error ? ` (${r.error})` : ''}; ${machineNote()}`);
  }
  const torch = pytorch ? torchScaling(SCALING_CONFIGS) : { error: 'left out (--no-pytorch)' };
  const torchRow = (c) => torch.rows?.find((t) => t.batch === c.batch && t.hidden === c.hidden && t.latent === c.latent);
  console.log(`\nScaling (MLP VAE 784-h-z, Adam, ours: the app's worker in headless Chromium; PyTorch: ${torch.rows ? `${torch.blas}, 2 threads` : torch.error}); ${machineNote()}`);
  console.log('tensors MB: every tfjs tensor in the worker (weights, Adam moments, what a step keeps; on wasm the training set stays in its own arrays)');
  console.log('batch  hidden  latent   steps/s   GFLOP/s   tensors MB   images/s   pytorch steps/s   GFLOP/s   ours ÷ pytorch');
  for (const row of rows) {
    const flops = flopsPerStep(row.latent, row.batch, row.hidden);
    const t = torchRow(row);
    const mb = row.tensorBytes ? (row.tensorBytes / 1e6).toFixed(1) : '–';
    const ours = `${row.stepsPerSecond.toFixed(1).padStart(9)} ${((row.stepsPerSecond * flops) / 1e9).toFixed(1).padStart(9)} ${mb.padStart(12)} ${(row.stepsPerSecond * row.batch).toFixed(0).padStart(10)}`;
    const theirs = t ? `${t.steps_per_s.toFixed(1).padStart(17)} ${((t.steps_per_s * flops) / 1e9).toFixed(1).padStart(9)} ${(row.stepsPerSecond / t.steps_per_s).toFixed(2).padStart(15)}` : `${'–'.padStart(17)}`;
    console.log(`${String(row.batch).padStart(5)} ${String(row.hidden).padStart(7)} ${String(row.latent).padStart(7)} ${ours} ${theirs}`);
  }
  return { rows, torch };
}
