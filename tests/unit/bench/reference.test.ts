import { describe, expect, it } from 'vitest';
import { referenceFailure, referenceProblem, torchNote } from '../../../scripts/bench-lib/reference.mjs';

describe('the bench says why the PyTorch reference cannot run', () => {
  it('names the missing run.sh', () => {
    const line = referenceProblem('/nowhere/shared/reference/run.sh', { exists: (p: string) => p !== '/nowhere/shared/reference/run.sh' });
    expect(line).toContain('/nowhere/shared/reference/run.sh not found');
  });

  it('names a missing python3', () => {
    const line = referenceProblem('/x/run.sh', { exists: (p: string) => p === '/x/run.sh' });
    expect(line).toContain('/usr/bin/python3 not found');
  });

  it('is silent when both are there', () => {
    expect(referenceProblem('/x/run.sh', { exists: () => true })).toBeNull();
  });

  it('warns before the run when torch is missing, and blames it after a failed run', () => {
    expect(torchNote({ probe: () => 0 })).toBeNull();
    expect(torchNote({ probe: () => 1 })).toContain('apt-get install python3-torch');
    const failed = referenceFailure(1, 0, 'ModuleNotFoundError: No module named torch\n', { probe: () => 1 });
    expect(failed).toContain('run.sh exited 1 after 0 epochs');
    expect(failed).toContain('has no torch/numpy');
    expect(failed).toContain('No module named torch');
    expect(referenceFailure(0, 3, '', { probe: () => 0 })).toBeNull();
    // exit 0 without a single epoch is a failure too
    expect(referenceFailure(0, 0, '', { probe: () => 0 })).toContain('after 0 epochs');
  });
});
