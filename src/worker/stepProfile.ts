/**
 * Where the time of a training step goes (the bench's --profile): the same steps timed plainly
 * (wall time per step) and then under tf.profile (each kernel's own time), so wall − Σ kernels is
 * what a step spends outside the kernels (tfjs's dispatch and tape, our JS). Kernels are grouped
 * by what they do, and listed again by their input shapes (which products are slow).
 */
import * as tf from '../core/tf';
import type { WorkerEventOf } from './protocol';

export type StepProfile = Omit<WorkerEventOf<'stepProfile'>, 'type' | 'requestId'>;

export type KernelGroup = 'products' | 'patches' | 'optimiser' | 'loss' | 'elementwise and reductions';

/** The group a kernel belongs to, by its name. */
export function kernelGroup(name: string): KernelGroup {
  if (/matmul|gemm|conv2d/i.test(name)) return 'products';
  if (/im2col|col2im|biasgrad/i.test(name)) return 'patches';
  if (/adam/i.test(name)) return 'optimiser';
  if (/bernoulli|nll|logistic/i.test(name)) return 'loss';
  return 'elementwise and reductions';
}

/** Time `steps` calls of `step` plainly, then each kernel of `steps` more under tf.profile. */
export async function profileSteps(step: () => void, steps: number, now: () => number): Promise<StepProfile> {
  const start = now();
  for (let i = 0; i < steps; i++) step();
  const wallMsPerStep = (now() - start) / steps;
  const byName = new Map<string, { ms: number; calls: number }>();
  const byShape = new Map<string, { name: string; shapes: string; ms: number; calls: number }>();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(() => {
      step();
    });
    for (const kernel of info.kernels) {
      // a custom-gradient function (our layers') is profiled as a scope around the kernels it
      // runs, which are profiled themselves: counting it would count them twice
      if (kernel.name === 'unnamed scope' || kernel.name === '') continue;
      const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
      const entry = byName.get(kernel.name) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls += 1;
      byName.set(kernel.name, entry);
      const shapes = kernel.inputShapes.map((shape) => `[${shape.join('×')}]`).join(' ');
      const key = `${kernel.name} ${shapes}`;
      const shaped = byShape.get(key) ?? { name: kernel.name, shapes, ms: 0, calls: 0 };
      shaped.ms += ms;
      shaped.calls += 1;
      byShape.set(key, shaped);
    }
  }
  const kernels = [...byName]
    .map(([name, e]) => ({ name, group: kernelGroup(name), msPerStep: e.ms / steps, callsPerStep: e.calls / steps }))
    .sort((a, b) => b.msPerStep - a.msPerStep);
  const shaped = [...byShape.values()]
    .map(({ name, shapes, ms, calls }) => ({ name, shapes, msPerStep: ms / steps, callsPerStep: calls / steps }))
    .sort((a, b) => b.msPerStep - a.msPerStep);
  return { steps, wallMsPerStep, kernels, byShape: shaped };
}
