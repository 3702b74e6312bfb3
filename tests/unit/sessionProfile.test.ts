import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { liveModelOf, Harness } from './helpers/sessionHarness';
import { useCpuBackend } from './helpers/tf';

let h: Harness;

beforeAll(useCpuBackend);
afterEach(async () => {
  await h?.session.dispose();
});

describe('the session profiles training steps (the bench’s --profile)', () => {
  it('times the steps asked for, paused: real training steps, each kernel counted per step, no tensor left', async () => {
    h = new Harness();
    await h.ready();
    // a first step makes what every step then reuses (the running metrics' sums)
    await h.session.receive({ type: 'step' });
    const model = liveModelOf(h.session);
    const stepBefore = model.trainer.step;
    const tensorsBefore = tf.memory().numTensors;
    await h.session.receive({ type: 'profileSteps', requestId: 4, steps: 3 });
    const profile = h.last('stepProfile');
    expect(profile).toMatchObject({ requestId: 4, steps: 3 });
    expect(profile.wallMsPerStep).toBeGreaterThan(0);
    // 3 timed plainly and 3 under the profiler, all of them training steps
    expect(model.trainer.step).toBe(stepBefore + 6);
    const names = profile.kernels.map((k) => k.name);
    expect(names).toEqual(expect.arrayContaining(['_FusedMatMul']));
    expect(names).not.toContain('unnamed scope');
    // the MLP's four dense layers, forward (fused) each step
    expect(profile.kernels.find((k) => k.name === '_FusedMatMul')?.callsPerStep).toBeGreaterThanOrEqual(4);
    // the profiled steps' metrics wait in the running sums for the next report, as any step's do
    await h.session.receive({ type: 'step' });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('refuses while training runs, with a message, and trains on', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'start' });
    await h.session.receive({ type: 'profileSteps', requestId: 5, steps: 3 });
    expect(h.of('stepProfile')).toHaveLength(0);
    expect(h.events.some((e) => e.type === 'error' && /pause training before profiling steps/.test(e.message))).toBe(true);
    const step = liveModelOf(h.session).trainer.step;
    await h.until(() => liveModelOf(h.session).trainer.step > step + 2);
    await h.session.receive({ type: 'pause' });
  });

  it('refuses a step count out of range', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'profileSteps', requestId: 6, steps: 0 } as never);
    expect(h.events.some((e) => e.type === 'error' && /steps must be an integer in 1…1000/.test(e.message))).toBe(true);
  });
});
