/**
 * The loss chart's history: metrics and evaluations append on a time axis that runs on across
 * resets (a reset is a marker), a new model starts a new chart, a recovery keeps the run, and a
 * divergence trims what came after the restored step.
 */
import { describe, expect, it } from 'vitest';
import { useControllerHarness } from '../helpers/controllerHarness';
import { configuredEvent, divergedEvent, latentsEvent, lossValues, metricsEvent } from '../helpers/fakeWorker';
import type { WorkerEventOf } from '../../../src/worker/protocol';

const harness = useControllerHarness();

function evaluation(step: number, negativeElbo = 110): WorkerEventOf<'evaluation'> {
  return { type: 'evaluation', step, test: lossValues({ reconstruction: negativeElbo - 6, kl: 6, negativeElbo }) };
}

function disentanglement(step: number, mig: number | null = 0.2): WorkerEventOf<'disentanglement'> {
  return { type: 'disentanglement', step, unitVariances: [1, 0.01], activeUnits: 1, mig, migPerFactor: null };
}

const steps = (points: { step: number }[]) => points.map((p) => p.step);

describe('Controller history: metrics and evaluations', () => {
  it('appends each metrics report to the training history and keeps the latest', () => {
    const h = harness().ready();
    h.worker.emit(metricsEvent(20, { reconstruction: 150, kl: 4, negativeElbo: 154, klWeight: 0.5 }, { epoch: 0, epochProgress: 0.04, stepsPerSecond: 80 }));
    h.worker.emit(metricsEvent(40, { reconstruction: 140, kl: 5, negativeElbo: 145, klWeight: 0.75 }));
    const s = h.state();
    expect(s.history.train).toEqual([
      { step: 20, values: { reconstruction: 150, kl: 4, negativeElbo: 154 }, beta: 0.5 },
      { step: 40, values: { reconstruction: 140, kl: 5, negativeElbo: 145 }, beta: 0.75 },
    ]);
    expect(s.training).toMatchObject({ step: 40, latest: expect.objectContaining({ terms: { reconstruction: 140, kl: 5 }, klWeight: 0.75 }) });
    expect(s.training.stepsPerSecond).toBe(50);
  });

  it('records the capacity target when the schedule has one', () => {
    const h = harness().ready();
    h.worker.emit(metricsEvent(20, { capacity: 2.5, klWeight: 1000 }));
    expect(h.state().history.train).toEqual([expect.objectContaining({ step: 20, beta: 1000, capacity: 2.5 })]);
  });

  it('keeps the last known speed when a report has none', () => {
    const h = harness().ready();
    h.worker.emit(metricsEvent(20, {}, { stepsPerSecond: 70 }));
    h.worker.emit(metricsEvent(40, {}, { stepsPerSecond: 0 }));
    expect(h.state().training.stepsPerSecond).toBe(70);
  });

  it('appends test evaluations to the test history with the β in force', () => {
    const h = harness({ beta: 4 }).ready();
    h.worker.emit(evaluation(100, 120));
    expect(h.state().history.test).toEqual([{ step: 100, values: { reconstruction: 114, kl: 6, negativeElbo: 120 }, beta: 4 }]);
    expect(h.state().training.latestTest).toMatchObject({ step: 100, negativeElbo: 120 });
  });

  it('appends disentanglement reports to their own history', () => {
    const h = harness().ready();
    const report = disentanglement(200, 0.3);
    h.worker.emit(report);
    expect(h.state().disentanglement).toEqual({ latest: report, history: [{ step: 200, mig: 0.3, activeUnits: 1 }] });
  });
});

describe('Controller history across resets and new models', () => {
  it('keeps the run on a reset, marks it, and offsets the steps after it', () => {
    const h = harness().ready();
    h.trainTo(50);
    h.trainTo(100);
    h.worker.emit(evaluation(100));
    h.worker.emit(disentanglement(100));
    h.controller.reset();
    h.configured('reset');

    const s = h.state();
    expect(steps(s.history.train)).toEqual([50, 100]);
    expect(steps(s.history.test)).toEqual([100]);
    expect(s.history.markers).toEqual([{ step: 100, kind: 'reset', label: 'reset' }]);
    expect(s.training).toMatchObject({ step: 0, latest: null, latestTest: null });
    expect(steps(s.disentanglement.history)).toEqual([100]);

    h.trainTo(20);
    h.worker.emit(evaluation(20));
    h.worker.emit(disentanglement(20));
    expect(steps(h.state().history.train)).toEqual([50, 100, 120]);
    expect(steps(h.state().history.test)).toEqual([100, 120]);
    expect(steps(h.state().disentanglement.history)).toEqual([100, 120]);
    expect(h.state().training.step).toBe(20);
  });

  it('adds up the offsets of several resets', () => {
    const h = harness().ready();
    h.trainTo(100);
    h.configured('reset');
    h.trainTo(50);
    h.configured('reset');
    h.trainTo(10);
    expect(steps(h.state().history.train)).toEqual([100, 150, 160]);
    expect(h.state().history.markers.map((m) => [m.kind, m.step])).toEqual([
      ['reset', 100],
      ['reset', 150],
    ]);
  });

  it('puts live-setting markers on the same time axis after a reset', () => {
    const h = harness().ready();
    h.trainTo(100);
    h.configured('reset');
    h.trainTo(40);
    h.controller.changeSetting('beta', 2);
    expect(h.state().history.markers.at(-1)).toEqual({ step: 140, kind: 'beta', label: 'β=2' });
  });

  it('starts a new chart for a new model, its steps from 0 again', () => {
    const h = harness().ready();
    h.trainTo(100);
    h.configured('reset');
    h.trainTo(60);
    h.worker.emit(disentanglement(60));
    h.configured('configure');
    const s = h.state();
    expect(s.history).toEqual({ train: [], test: [], markers: [] });
    expect(s.disentanglement).toEqual({ latest: null, history: [] });
    expect(s.training.step).toBe(0);
    h.trainTo(20);
    expect(steps(h.state().history.train)).toEqual([20]);
  });

  it('keeps the run when the model was recovered onto another backend', () => {
    const h = harness().ready();
    h.trainTo(100);
    h.trainTo(200);
    h.worker.emit({ type: 'status', running: false, step: 200, epoch: 0, epochProgress: 0.4 });
    const configure = h.lastConfigure();
    h.worker.emit({ ...configuredEvent(configure, 'recovered', 999) });
    const s = h.state();
    expect(s.model).toEqual({ config: configure.model, parameterCount: 999, terms: expect.arrayContaining([expect.objectContaining({ id: 'kl' })]) });
    expect(steps(s.history.train)).toEqual([100, 200]);
    expect(s.history.markers).toEqual([]);
    expect(s.training.step).toBe(200);
    expect(s.training.latest).not.toBeNull();
    h.trainTo(220);
    expect(steps(h.state().history.train)).toEqual([100, 200, 220]);
  });
});

describe('Controller history on divergence', () => {
  it('drops what came after the restored step, marks it and says why', () => {
    const h = harness().ready();
    for (const step of [20, 40, 60, 80, 100]) h.trainTo(step);
    h.worker.emit(evaluation(50));
    h.worker.emit(evaluation(100));
    h.worker.emit(disentanglement(40));
    h.worker.emit(disentanglement(80));
    h.worker.emit(divergedEvent(100, 60, 'The loss became NaN at step 100; went back to step 60.'));

    const s = h.state();
    expect(steps(s.history.train)).toEqual([20, 40, 60]);
    expect(steps(s.history.test)).toEqual([50]);
    expect(steps(s.disentanglement.history)).toEqual([40]);
    expect(s.history.markers).toEqual([{ step: 60, kind: 'diverged', label: 'NaN at 100: restored' }]);
    expect(s.notices.map((n) => [n.level, n.text])).toEqual([['error', 'The loss became NaN at step 100; went back to step 60.']]);
  });

  it('trims on the run’s time axis after a reset', () => {
    const h = harness().ready();
    h.trainTo(100);
    h.configured('reset');
    for (const step of [20, 40, 60]) h.trainTo(step);
    h.worker.emit(divergedEvent(60, 20, 'NaN'));
    expect(steps(h.state().history.train)).toEqual([100, 120]);
    expect(h.state().history.markers.at(-1)).toEqual({ step: 120, kind: 'diverged', label: 'NaN at 60: restored' });
  });
});

describe('reports from a model that is being replaced', () => {
  it('are ignored between a configure and its reply, so the cleared chart and scatter stay clear', () => {
    const h = harness().ready();
    h.trainTo(200);
    h.controller.changeSetting('latentDim', 5);
    h.controller.confirmPendingChange();
    // the worker had these on its way before it read the configure
    h.worker.emit(metricsEvent(220, { negativeElbo: 150 }));
    h.worker.emit(latentsEvent(220, 2));
    h.worker.emit({ type: 'evaluation', step: 220, test: lossValues() });
    expect(h.state().history).toEqual({ train: [], test: [], markers: [] });
    expect(h.state().latents).toBeNull();
    h.configured('configure');
    h.worker.emit(metricsEvent(20, { negativeElbo: 140 }));
    expect(h.state().history.train.map((p) => p.step)).toEqual([20]);
  });
});
