import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kernelGroup, profileSteps } from '../../src/worker/stepProfile';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

describe('profileSteps', () => {
  it('counts each kernel of a step once per step, outside custom-gradient scopes, and leaves no tensor behind', async () => {
    const a = tf.randomNormal([16, 8]);
    const b = tf.randomNormal([8, 4]);
    // a custom gradient wraps its kernels in a scope: they are counted, the scope is not
    const wrapped = tf.customGrad((x) => ({ value: tf.relu(x as tf.Tensor), gradFunc: (dy: tf.Tensor) => dy }));
    const step = () => tf.tidy(() => void tf.sum(wrapped(tf.add(tf.matMul(a, b), 1))).dataSync());
    // tf.profile itself lists the scope beside the kernels inside it
    const raw = await tf.profile(step);
    expect(raw.kernels.map((k) => k.name)).toContain('unnamed scope');
    const before = tf.memory().numTensors;
    let clock = 0;
    const profile = await profileSteps(step, 5, () => (clock += 2));
    expect(tf.memory().numTensors).toBe(before);
    expect(profile.steps).toBe(5);
    // the clock advanced 2 ms per reading: two readings around 5 plain steps
    expect(profile.wallMsPerStep).toBeCloseTo(2 / 5);
    const names = profile.kernels.map((k) => k.name);
    expect(names).toEqual(expect.arrayContaining(['BatchMatMul', 'Add', 'Relu', 'Sum']));
    expect(names).not.toContain('unnamed scope');
    for (const k of profile.kernels) expect(k.callsPerStep).toBe(1);
    expect(profile.kernels.find((k) => k.name === 'BatchMatMul')?.group).toBe('products');
    // the same kernels again by their input shapes
    expect(profile.byShape.find((k) => k.name === 'BatchMatMul')).toMatchObject({ shapes: '[16×8] [8×4]', callsPerStep: 1 });
    expect(profile.byShape.map((k) => k.name).sort()).toEqual(names.slice().sort());
    tf.dispose([a, b]);
  });

  it('groups kernels by what they do', () => {
    expect(kernelGroup('_FusedMatMul')).toBe('products');
    expect(kernelGroup('VaeIm2Col')).toBe('patches');
    expect(kernelGroup('VaeReluBiasGrad')).toBe('patches');
    expect(kernelGroup('VaeAdamUpdate')).toBe('optimiser');
    expect(kernelGroup('VaeBernoulliNllRows')).toBe('loss');
    expect(kernelGroup('Exp')).toBe('elementwise and reductions');
  });
});
