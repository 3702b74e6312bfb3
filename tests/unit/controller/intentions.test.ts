/**
 * The UI's training intentions: Train / Pause, Step and Reset become the worker's commands once
 * there is a model, and do nothing before.
 */
import { describe, expect, it } from 'vitest';
import { useControllerHarness } from '../helpers/controllerHarness';
import { BACKEND_INFO, dataSummary, statusEvent } from '../helpers/fakeWorker';

const harness = useControllerHarness();

describe('Controller intentions', () => {
  it('does nothing before a model exists, even with the data loaded', () => {
    const h = harness();
    h.worker.emit({ type: 'backend', info: BACKEND_INFO });
    h.worker.emit({ type: 'dataReady', summary: dataSummary() });
    h.worker.clearSent();
    h.controller.toggleTraining();
    h.controller.step();
    h.controller.reset();
    expect(h.worker.sent).toEqual([]);
  });

  it('toggles between start and pause following the worker’s running state', () => {
    const h = harness().ready();
    h.worker.clearSent();
    h.controller.toggleTraining();
    expect(h.worker.sent).toEqual([{ type: 'start' }]);

    h.worker.emit(statusEvent(true, 0));
    h.controller.toggleTraining();
    expect(h.worker.sent).toEqual([{ type: 'start' }, { type: 'pause' }]);

    h.worker.emit(statusEvent(false, 20));
    h.controller.toggleTraining();
    expect(h.worker.types()).toEqual(['start', 'pause', 'start']);
  });

  it('sends step and reset', () => {
    const h = harness().ready();
    h.worker.clearSent();
    h.controller.step();
    h.controller.reset();
    expect(h.worker.sent).toEqual([{ type: 'step' }, { type: 'reset' }]);
  });

  it('sends nothing again while a new backend’s worker has no model yet', () => {
    const h = harness().ready();
    h.controller.changeSetting('backend', 'webgl');
    const fresh = h.followNewestWorker();
    expect(fresh.types()).toEqual(['init', 'configure']);
    h.controller.toggleTraining();
    h.controller.step();
    h.controller.reset();
    expect(fresh.types()).toEqual(['init', 'configure']);
    h.configured();
    h.controller.step();
    expect(fresh.types()).toEqual(['init', 'configure', 'step']);
  });
});
