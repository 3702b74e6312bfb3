/**
 * Whether the PyTorch reference (../shared/reference/run.sh) can run here, and why not: the bench
 * prints the reason instead of silently leaving the PyTorch column out.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Python run.sh uses (it installs Debian's python3-torch when torch is missing). */
export const REFERENCE_PYTHON = '/usr/bin/python3';

/**
 * Null when the reference can run, else one sentence saying what is missing (`exists` and `probe`,
 * which returns a command's exit status, are fakes in tests).
 */
export function referenceProblem(script, { exists = existsSync } = {}) {
  if (!exists(script)) return `the PyTorch reference cannot run: ${script} not found (it comes with the project's shared/ folder)`;
  if (!exists(REFERENCE_PYTHON)) return `the PyTorch reference cannot run: ${REFERENCE_PYTHON} not found (run.sh needs Debian's python3 with python3-torch)`;
  return null;
}

/** A warning before the run when torch is missing (run.sh then tries to apt-get install it), else null. */
export function torchNote({ probe = runStatus } = {}) {
  if (probe(REFERENCE_PYTHON, ['-c', 'import torch, numpy']) === 0) return null;
  return `${REFERENCE_PYTHON} has no torch/numpy: run.sh will try \`apt-get install python3-torch python3-numpy\` first`;
}

/** A line for a run.sh that exited without any epoch: what most likely went wrong. */
export function referenceFailure(code, epochs, stderrTail, { probe = runStatus } = {}) {
  if (code === 0 && epochs > 0) return null;
  const tail = stderrTail.trim().split('\n').slice(-2).join(' | ');
  const torch = probe(REFERENCE_PYTHON, ['-c', 'import torch, numpy']) === 0;
  const why = torch ? '' : ` — ${REFERENCE_PYTHON} has no torch/numpy and \`apt-get install python3-torch python3-numpy\` did not bring them`;
  return `the PyTorch reference did not run: run.sh exited ${code} after ${epochs} epochs${why}${tail ? ` (stderr: ${tail})` : ''}`;
}

function runStatus(command, args) {
  const r = spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 });
  return r.status ?? 1;
}
