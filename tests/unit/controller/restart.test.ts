/**
 * A training worker that dies comes back: an uncaught error, a fatal report (out of memory) or a
 * silence after its heartbeats makes the controller say so, stop it, and start a new one
 * configured from the last copy of the weights it kept (of this model only); a worker that keeps
 * dying is given up on. And the divergence message's one-click remedy.
 */
import { describe, expect, it } from 'vitest';
import type { NamedWeight } from '../../../src/core/io/weights';
import { RESTARTS_ALLOWED, RESTART_WINDOW_MS, silenceAllowedMs } from '../../../src/state/supervisor';
import { COMPILING_TIMEOUT_FLOOR_MS, COMPILING_UNTIMED_TIMEOUT_MS, HEARTBEAT_EVERY_MS, HEARTBEAT_TIMEOUT_MS, STEP_TIMEOUT_FACTOR, UNTIMED_TIMEOUT_MS, WEIGHT_COPY_EVERY, type WorkerEventOf } from '../../../src/worker/protocol';
import { useControllerHarness, type Harness } from '../helpers/controllerHarness';
import { divergedEvent, type FakeWorker } from '../helpers/fakeWorker';

const harness = useControllerHarness();

function weightsEvent(step: number): WorkerEventOf<'weights'> {
  const weights: NamedWeight[] = [
    { path: 'vae/encoder/hidden/weight', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, step]) },
    { path: 'vae/encoder/hidden/bias', shape: [3], values: Float32Array.from([0.5, 0.25, step]) },
  ];
  return { type: 'weights', step, epoch: Math.floor(step / 469), weights };
}

/** The controller replaced its worker: the old one is stopped and a new one was asked to start. */
function expectReplaced(h: Harness, old: FakeWorker): FakeWorker {
  expect(old.terminated).toBe(true);
  expect(h.workers.length).toBeGreaterThan(1);
  const fresh = h.followNewestWorker();
  expect(fresh).not.toBe(old);
  expect(fresh.types()).toEqual(['init', 'configure']);
  return fresh;
}

describe('Controller worker restart', () => {
  it('replaces a worker that threw an uncaught error, from fresh weights when no copy was kept yet', () => {
    const h = harness().ready();
    h.trainTo(100);
    const old = h.worker;
    old.crash('boom');
    const fresh = expectReplaced(h, old);
    expect(fresh.last('configure')?.restore).toBeUndefined();
    expect(h.state().notices.map((n) => [n.level, n.text])).toEqual([
      ['error', `The training worker stopped (an uncaught error: boom). A new one has started from fresh weights (the page keeps a copy every ${WEIGHT_COPY_EVERY} steps; there was none yet); press Train to go on.`],
    ]);
    expect(h.state()).toMatchObject({ backend: null, model: null, training: { running: false }, workerFailure: null });
  });

  it('restarts from the last copy of the weights, and the run goes on from its step', () => {
    const h = harness().ready();
    for (const step of [20, 480, 500, 520]) h.trainTo(step);
    const copy = weightsEvent(500);
    h.worker.emit(copy);
    h.trainTo(540);
    const old = h.worker;
    old.crash('boom');
    const fresh = expectReplaced(h, old);
    const configure = fresh.last('configure');
    expect(configure?.restore).toEqual({ step: 500, epoch: 1, weights: copy.weights });
    // the same settings as the model it replaces
    expect(configure?.model).toEqual(old.last('configure')?.model);
    expect(h.state().notices.at(-1)?.text).toMatch(/A new one has started with the weights of step 500, the last copy the page kept; press Train to go on\.$/);

    h.configured('restarted');
    expect(h.state().training.step).toBe(500);
    expect(h.state().history.train.map((p) => p.step)).toEqual([20, 480, 500]);
    expect(h.state().model).not.toBeNull();
    // and the chart goes on from there
    h.trainTo(520);
    expect(h.state().history.train.map((p) => p.step)).toEqual([20, 480, 500, 520]);
  });

  it('never restores a copy of another model: a new model or a reset forgets it', () => {
    const h = harness().ready();
    h.worker.emit(weightsEvent(500));
    h.controller.reset();
    h.configured('reset');
    h.worker.crash('boom');
    let fresh = h.followNewestWorker();
    expect(fresh.last('configure')?.restore).toBeUndefined();

    h.ready();
    fresh.emit(weightsEvent(500));
    h.controller.changeSetting('latentDim', 10); // at step 0: a new model at once
    fresh.crash('boom');
    fresh = h.followNewestWorker();
    expect(fresh.last('configure')).toMatchObject({ model: { latentDim: 10 } });
    expect(fresh.last('configure')?.restore).toBeUndefined();
  });

  it('replaces a worker whose heartbeat stops (a hung step), but not one still loading or beating', async () => {
    const h = harness().ready();
    // no heartbeat yet: a worker still loading its code is left alone
    await h.advance(3 * UNTIMED_TIMEOUT_MS);
    expect(h.workers).toHaveLength(1);
    // beating: fine however long
    for (let i = 0; i < 40; i++) {
      h.worker.emit({ type: 'heartbeat', stepMs: 15 });
      await h.advance(HEARTBEAT_EVERY_MS);
    }
    expect(h.workers).toHaveLength(1);
    // other messages count as signs of life too
    for (let i = 0; i < 3; i++) {
      h.trainTo(20 * (i + 1));
      await h.advance(HEARTBEAT_TIMEOUT_MS / 2);
    }
    expect(h.workers).toHaveLength(1);
    // then nothing
    const old = h.worker;
    await h.advance(HEARTBEAT_TIMEOUT_MS + HEARTBEAT_EVERY_MS);
    expectReplaced(h, old);
    expect(h.state().notices.at(-1)?.text).toMatch(/^The training worker stopped \(it stopped answering for 2\d s, a step may have hung\)\./);
    // the new worker's watchdog waits for its own first heartbeat
    await h.advance(3 * UNTIMED_TIMEOUT_MS);
    expect(h.workers).toHaveLength(2);
  });

  it('gives a slow step the time it needs: four times the slowest recent one, a minute before any was timed', async () => {
    const h = harness().ready();
    // a large model on the plain-JavaScript backend: 10 s per step
    h.worker.emit({ type: 'heartbeat', stepMs: 10_000 });
    await h.advance(STEP_TIMEOUT_FACTOR * 10_000 - 2 * HEARTBEAT_EVERY_MS);
    expect(h.workers).toHaveLength(1);
    await h.advance(3 * HEARTBEAT_EVERY_MS);
    expect(h.workers).toHaveLength(2);
    // a new worker that has not timed a step yet (a first WebGL step compiles shaders) gets a minute
    h.followNewestWorker().emit({ type: 'heartbeat', stepMs: null });
    await h.advance(UNTIMED_TIMEOUT_MS - 2 * HEARTBEAT_EVERY_MS);
    expect(h.workers).toHaveLength(2);
    await h.advance(3 * HEARTBEAT_EVERY_MS);
    expect(h.workers).toHaveLength(3);
    expect(silenceAllowedMs(5)).toBe(HEARTBEAT_TIMEOUT_MS);
  });

  it('waits minutes, not one, for a worker that compiles shaders (WebGL): its first steps are long silences of a healthy worker', async () => {
    const h = harness().ready();
    // a VQ-VAE's first WebGL step on a software renderer under load: well past a minute without a word
    h.worker.emit({ type: 'heartbeat', stepMs: null, compilesShaders: true });
    await h.advance(2 * UNTIMED_TIMEOUT_MS);
    expect(h.workers).toHaveLength(1);
    expect(h.state().notices.some((n) => /stopped answering/.test(n.text))).toBe(false);
    // timed steps of 300 ms: the floor still leaves room for the next new shapes' shaders (a report, an evaluation)
    h.worker.emit({ type: 'heartbeat', stepMs: 300, compilesShaders: true });
    await h.advance(COMPILING_TIMEOUT_FLOOR_MS - 2 * HEARTBEAT_EVERY_MS);
    expect(h.workers).toHaveLength(1);
    // a real hang is still caught
    await h.advance(3 * HEARTBEAT_EVERY_MS);
    expect(h.workers).toHaveLength(2);
    expect(silenceAllowedMs(null, true)).toBe(COMPILING_UNTIMED_TIMEOUT_MS);
    expect(silenceAllowedMs(300, true)).toBe(COMPILING_TIMEOUT_FLOOR_MS);
    expect(silenceAllowedMs(60_000, true)).toBe(STEP_TIMEOUT_FACTOR * 60_000);
    expect(silenceAllowedMs(null)).toBe(UNTIMED_TIMEOUT_MS);
  });

  it('replaces a worker that reports a fatal error (out of memory)', () => {
    const h = harness().ready();
    const old = h.worker;
    old.emit({ type: 'error', message: 'training stopped: Array buffer allocation failed', fatal: true });
    expectReplaced(h, old);
    expect(h.state().notices.at(-1)?.text).toMatch(/^The training worker stopped \(training stopped: Array buffer allocation failed\)\. A new one has started/);
  });

  it('ignores what the dead worker still sends, and its unanswered decodes are no news', async () => {
    const h = harness().ready();
    h.controller.moveProbe([0.5, 0.5]);
    const old = h.worker;
    expect(h.pendingDecodes(1, old)).toHaveLength(1);
    old.crash('boom');
    await h.flush();
    old.emit({ type: 'error', message: 'late error', command: 'step' });
    old.crash('again');
    old.emit({ type: 'status', running: true, step: 999, epoch: 0, epochProgress: 0 });
    expect(h.workers).toHaveLength(2);
    expect(h.state().notices).toHaveLength(1);
    expect(h.state().training.step).toBe(0);
  });

  it(`gives up after ${RESTARTS_ALLOWED} restarts within two minutes, and says so`, async () => {
    const h = harness().ready();
    for (let i = 0; i < RESTARTS_ALLOWED; i++) {
      h.worker.crash(`crash ${i + 1}`);
      h.followNewestWorker();
      await h.advance(1000);
    }
    expect(h.workers).toHaveLength(RESTARTS_ALLOWED + 1);
    const last = h.ready().worker;
    h.controller.moveProbe([0.5, 0.5]); // a decode left unanswered by the dying worker
    expect(h.pendingDecodes(1)).toHaveLength(1);
    last.crash('crash 4');
    await h.flush();
    expect(last.terminated).toBe(true);
    expect(h.workers).toHaveLength(RESTARTS_ALLOWED + 1);
    expect(h.state().workerFailure).toBe('an uncaught error: crash 4');
    expect(h.state().notices.at(-1)?.text).toMatch(/^The training worker stopped again \(an uncaught error: crash 4\)\. It was restarted several times in the last two minutes; reload the page/);
    expect(h.state().notices.filter((n) => /Decoding/.test(n.text))).toEqual([]);
  });

  it('restarts again once the earlier restarts are more than two minutes old', async () => {
    const h = harness().ready();
    for (let i = 0; i < RESTARTS_ALLOWED; i++) {
      h.worker.crash('boom');
      h.followNewestWorker();
    }
    await h.advance(RESTART_WINDOW_MS + 1000);
    h.worker.crash('boom');
    expect(h.workers).toHaveLength(RESTARTS_ALLOWED + 2);
    expect(h.state().workerFailure).toBeNull();
  });
});

describe('Controller: restore and halve the learning rate', () => {
  it('offers the remedy with a divergence; one click restores the last sane weights at half the rate', () => {
    const h = harness({ learningRate: 0.2 }).ready();
    for (const step of [20, 100, 120]) h.trainTo(step);
    h.worker.emit(divergedEvent(140, 100, 'The loss exploded near step 140.', 'exploded', 0.2));
    const notice = h.state().notices.at(-1);
    expect(notice).toMatchObject({ level: 'error', text: 'The loss exploded near step 140.', action: 'restoreAndHalveLearningRate' });
    expect(h.state().history.markers.at(-1)).toEqual({ step: 100, kind: 'diverged', label: 'blew up at 140: restored' });
    h.worker.clearSent();

    h.controller.runNoticeAction(notice!.id);
    expect(h.worker.types()).toEqual(['restore', 'setTraining']);
    expect(h.worker.last('setTraining')?.change.learningRate).toBe(0.1);
    expect(h.state().settings.learningRate).toBe(0.1);
    expect(h.urls.at(-1)).toBe('lr=0.1');
    expect(h.state().notices.some((n) => n.id === notice!.id)).toBe(false);
    expect(h.state().history.markers.at(-1)).toMatchObject({ kind: 'learningRate', label: 'lr=0.1' });

    // the worker restores; the chart goes back to that step and the page says where it is
    h.trainTo(120);
    h.worker.emit({ type: 'restored', step: 100 });
    expect(h.state().history.train.map((p) => p.step)).toEqual([20, 100]);
    expect(h.state().notices.at(-1)).toMatchObject({ level: 'info', text: 'Restored the weights of step 100; the learning rate is 0.1. Press Train to go on.' });
  });

  it('warns when a learning rate above the trainable range is accepted', () => {
    const h = harness().ready();
    h.controller.changeSetting('learningRate', '0.5');
    expect(h.state().settings.learningRate).toBe(0.5);
    expect(h.state().notices.map((n) => n.level)).toEqual(['warning']);
    expect(h.state().notices[0].text).toMatch(/^Learning rate 0\.5 is above 0\.01: the fastest rate at which every model trains here/);
    h.controller.changeSetting('learningRate', '0.005');
    expect(h.state().notices).toHaveLength(1);
  });
});
