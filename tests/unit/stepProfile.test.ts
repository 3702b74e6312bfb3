/** The step profile: kernels grouped by what they do, each kernel's calls per step counted, no tensor left behind. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelGroup, profileSteps } from '../../src/worker/stepProfile';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

describe('profileSteps', () => {
  it('groups kernels by name', () => {
    expect(kernelGroup('_FusedMatMul')).toBe('matmul');
    expect(kernelGroup('BatchMatMul')).toBe('matmul');
    expect(kernelGroup('VaeAdamUpdate')).toBe('optimiser');
    expect(kernelGroup('VaeBernoulliNllRows')).toBe('loss');
    expect(kernelGroup('Sum')).toBe('elementwise and reductions');
  });

  it('counts each kernel’s launches per step and frees what the steps made', async () => {
    const a = tf.ones([4, 3]);
    const b = tf.ones([3, 2]);
    const before = tf.memory().numTensors;
    let clock = 0;
    const step = () => {
      clock += 2;
      tf.tidy(() => {
        tf.sum(tf.relu(tf.matMul(a, b)));
      });
    };
    const profile = await profileSteps(step, 3, () => clock);
    expect(profile.steps).toBe(3);
    expect(profile.wallMsPerStep).toBe(2);
    const names = profile.kernels.map((k) => k.name).sort();
    expect(names).toEqual(expect.arrayContaining(['BatchMatMul', 'Relu', 'Sum']));
    for (const k of profile.kernels) expect(k.callsPerStep).toBe(1);
    expect(profile.kernels.find((k) => k.name === 'BatchMatMul')?.group).toBe('matmul');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
