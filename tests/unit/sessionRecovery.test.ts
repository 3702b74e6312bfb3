/**
 * The worker's recovery in the real session (cpu backend, 8×8 patterns): an explosion that stays
 * finite and weights beyond bounds pause and restore the last *sane* checkpoint; the restore
 * command; copies of the weights posted every few hundred steps, and a new session rebuilt from
 * one (what a restarted worker gets); out of memory is fatal.
 */
// the umbrella tfjs first (helpers/tf): it registers the chained ops the model code relies on in Node
import { useCpuBackend } from './helpers/tf';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NamedWeight } from '../../src/core/io/weights';
import type { TrainingMetrics } from '../../src/core/training/trainer';
import { BACKUP_EVERY, CHECKPOINT_EVERY } from '../../src/worker/recovery';
import { Harness, liveModelOf, model, training } from './helpers/sessionHarness';

let h: Harness;
let other: Harness | null = null;
beforeAll(useCpuBackend);
afterEach(async () => {
  await h?.session.dispose();
  await other?.session.dispose();
  other = null;
});

/** Scale every loss number a trainer reports by `factor(step)` (the step the report ends at). */
function scaleMetrics(harness: Harness, factor: (step: number) => number): void {
  const trainer = liveModelOf(harness.session).trainer;
  const read = trainer.readMetrics.bind(trainer);
  trainer.readMetrics = async (): Promise<TrainingMetrics | null> => {
    const m = await read();
    if (!m) return m;
    const f = factor(trainer.step);
    const terms = Object.fromEntries(Object.entries(m.terms).map(([k, v]) => [k, v * f]));
    return { ...m, terms, negativeElbo: m.negativeElbo * f, objective: m.objective * f };
  };
}

/** Step one at a time (each step reports), `n` times or until a divergence. */
async function steps(harness: Harness, n: number): Promise<void> {
  for (let i = 0; i < n && harness.of('diverged').length === 0; i++) await harness.session.receive({ type: 'step' });
}

async function weightsOf(harness: Harness): Promise<NamedWeight[]> {
  return liveModelOf(harness.session).trainer.exportWeights();
}

describe('TrainingSession recovery', () => {
  it('catches a finite explosion and restores the last sane checkpoint, not a later doubtful one', async () => {
    h = new Harness();
    await h.ready();
    await steps(h, CHECKPOINT_EVERY);
    const atCheckpoint = await weightsOf(h);
    // from step 151 the loss reads 8× (doubtful: no checkpoint at 200), from 205 1000× (exploded)
    scaleMetrics(h, (step) => (step >= 205 ? 1000 : step > 150 ? 8 : 1));
    await steps(h, 200);
    const diverged = h.last('diverged');
    expect(diverged).toMatchObject({ step: 205, restoredStep: 100, kind: 'exploded', learningRate: training.learningRate });
    expect(diverged.message).toMatch(/^The loss exploded near step 205: the −ELBO reached [\d,]+ nats, [\d,]+× its recent median/);
    expect(h.of('diverged')).toHaveLength(1);
    expect(liveModelOf(h.session).trainer.step).toBe(100);
    expect(await weightsOf(h)).toEqual(atCheckpoint);
    // the exploded report never reached the page
    expect(h.of('metrics').every((m) => m.train.negativeElbo < 1000)).toBe(true);
    expect(h.last('status')).toMatchObject({ running: false, step: 100 });
  });

  it('treats weights beyond ±1000 as a divergence when a checkpoint is due', async () => {
    h = new Harness();
    await h.ready();
    const trainer = liveModelOf(h.session).trainer;
    const stats = trainer.weightStats.bind(trainer);
    trainer.weightStats = async () => (trainer.step >= 200 ? { finite: true, maxAbs: 5000 } : stats());
    await steps(h, 2 * CHECKPOINT_EVERY);
    expect(h.last('diverged')).toMatchObject({ step: 200, restoredStep: 100, kind: 'weights' });
    expect(h.last('diverged').message).toMatch(/the largest is 5,000, beyond ±1,000/);
  });

  it('restores the last checkpoint on request, and pauses a run to do it', async () => {
    h = new Harness();
    await h.ready();
    await steps(h, CHECKPOINT_EVERY);
    const atCheckpoint = await weightsOf(h);
    await steps(h, 30);
    await h.session.receive({ type: 'restore' });
    expect(h.last('restored').step).toBe(CHECKPOINT_EVERY);
    expect(h.last('status')).toMatchObject({ running: false, step: CHECKPOINT_EVERY });
    expect(await weightsOf(h)).toEqual(atCheckpoint);

    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('metrics').some((m) => m.step > CHECKPOINT_EVERY + 20));
    await h.session.receive({ type: 'restore' });
    expect(h.of('restored')).toHaveLength(2);
    expect(h.last('restored').step % CHECKPOINT_EVERY).toBe(0);
    expect(h.last('status')).toMatchObject({ running: false, step: h.last('restored').step });
    const settled = liveModelOf(h.session).trainer.step;
    await new Promise((r) => setTimeout(r, 50));
    expect(liveModelOf(h.session).trainer.step).toBe(settled);
    expect(h.of('error')).toEqual([]);
  });

  it('posts a copy of the weights every few hundred steps, and a new session goes on from it', async () => {
    h = new Harness();
    await h.ready();
    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('weights').length > 0, 60_000);
    await h.session.receive({ type: 'pause' });
    const copy = h.of('weights')[0];
    expect(copy.step).toBe(BACKUP_EVERY);
    expect(copy.epoch).toBe(Math.floor(BACKUP_EVERY / (256 / training.batchSize)));
    const named = liveModelOf(h.session).trainer.model.named;
    expect(copy.weights.map((w) => w.path)).toEqual(named.map((n) => n.path));
    expect(copy.weights.every((w) => w.values.every(Number.isFinite))).toBe(true);

    // a restarted worker: configured from the copy, at its step, with its weights
    other = new Harness();
    await other.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    await other.session.receive({ type: 'configure', datasetId: 'mnist', model, training, restore: { step: copy.step, epoch: copy.epoch, weights: copy.weights } });
    expect(other.of('error')).toEqual([]);
    expect(other.last('configured')).toMatchObject({ cause: 'restarted', step: BACKUP_EVERY });
    expect(other.last('status')).toMatchObject({ step: BACKUP_EVERY, epoch: copy.epoch });
    expect(await weightsOf(other)).toEqual(copy.weights);
    await other.session.receive({ type: 'step' });
    expect(other.last('status').step).toBe(BACKUP_EVERY + 1);
  });

  it('refuses a restore point that does not fit the model, and says which weight', async () => {
    h = new Harness();
    await h.session.receive({ type: 'init', backend: 'cpu', assetBaseUrl: 'http://localhost/' });
    const weights: NamedWeight[] = [{ path: 'vae/encoder/hidden/weight', shape: [3, 3], values: new Float32Array(9) }];
    await h.session.receive({ type: 'configure', datasetId: 'mnist', model, training, restore: { step: 10, epoch: 0, weights } });
    expect(h.last('error')).toMatchObject({ command: 'configure', message: expect.stringMatching(/the saved weights do not fit this model/) });
    await h.session.receive({ type: 'configure', datasetId: 'mnist', model, training, restore: { step: 10, epoch: 0, weights: [{ path: 'x', shape: [2], values: [1, 2] }] } });
    expect(h.last('error').message).toMatch(/restored weight x must hold a Float32Array/);
  });

  it('calls running out of memory fatal (the page replaces the worker), other failures not', async () => {
    h = new Harness();
    await h.ready();
    const trainer = liveModelOf(h.session).trainer;
    trainer.trainStep = () => {
      throw new RangeError('Array buffer allocation failed');
    };
    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('error').length > 0);
    expect(h.last('error')).toMatchObject({ message: 'training stopped: Array buffer allocation failed', fatal: true });
    trainer.trainStep = () => {
      throw new Error('a kernel is missing');
    };
    await h.session.receive({ type: 'start' });
    await h.until(() => h.of('error').length > 1);
    expect(h.last('error').message).toBe('training stopped: a kernel is missing');
    expect(h.last('error').fatal).toBeUndefined();
  });

  it('times its steps for the heartbeat, and forgets the times of another model', async () => {
    h = new Harness();
    await h.ready();
    expect(h.session.slowestStepMs).toBeNull();
    await steps(h, 5);
    const slowest = h.session.slowestStepMs;
    expect(slowest).not.toBeNull();
    expect(slowest as number).toBeGreaterThanOrEqual(0);
    await h.session.receive({ type: 'reset' });
    expect(h.session.slowestStepMs).toBeNull();
  });
});
