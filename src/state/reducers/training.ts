/**
 * Worker events about the model and its training, folded into the app state: a (re)built model,
 * status, metrics and evaluations (appended to the loss history on the timeline's steps), and a
 * divergence (the history after the restored step is dropped, so time only moves forward).
 */
import { pointValues, appendPoint } from '../history';
import type { WorkerEventOf } from '../../worker/protocol';
import type { AppState } from '../appState';

/** `resetAt`: the chart's step of the model's step e.step (where a reset or a restart sits on the chart). */
export function onConfigured(s: AppState, e: WorkerEventOf<'configured'>, resetAt: number): AppState {
  const model = { config: e.model, parameterCount: e.parameterCount, terms: e.terms };
  // the same model, moved to another backend: the chart and the run go on
  if (e.cause === 'recovered') return { ...s, model };
  // a new worker with the weights the page kept: the run goes on from their step
  if (e.cause === 'restarted') {
    return { ...upTo(s, resetAt), model, training: { ...s.training, running: false, step: e.step, stepsPerSecond: 0 } };
  }
  const wasReset = e.cause === 'reset';
  return {
    ...s,
    model,
    training: { ...s.training, step: 0, epoch: 0, epochProgress: 0, latest: null, latestTest: null, stepsPerSecond: 0 },
    // a reset keeps the run so far on the chart, marked; a new model starts a new chart
    history: wasReset ? { ...s.history, markers: [...s.history.markers, { step: resetAt, kind: 'reset' as const, label: 'reset' }] } : { train: [], test: [], markers: [] },
    disentanglement: wasReset ? s.disentanglement : { latest: null, history: [] },
  };
}

export function onStatus(s: AppState, e: WorkerEventOf<'status'>): AppState {
  const { running, step, epoch, epochProgress } = e;
  return { ...s, training: { ...s.training, running, step, epoch, epochProgress, stepsPerSecond: running ? s.training.stepsPerSecond : 0 } };
}

export function onMetrics(s: AppState, e: WorkerEventOf<'metrics'>, chartStep: number): AppState {
  return {
    ...s,
    training: { ...s.training, step: e.step, epoch: e.epoch, epochProgress: e.epochProgress, stepsPerSecond: e.stepsPerSecond || s.training.stepsPerSecond, latest: e.train },
    history: {
      ...s.history,
      train: appendPoint(s.history.train, {
        step: chartStep,
        values: pointValues(e.train),
        beta: e.train.klWeight,
        ...(Number.isFinite(e.train.capacity) ? { capacity: e.train.capacity } : {}),
      }),
    },
  };
}

export function onEvaluation(s: AppState, e: WorkerEventOf<'evaluation'>, chartStep: number): AppState {
  return {
    ...s,
    training: { ...s.training, latestTest: { ...e.test, step: e.step } },
    history: { ...s.history, test: appendPoint(s.history.test, { step: chartStep, values: pointValues(e.test), beta: s.settings.beta }) },
  };
}

/** The run goes back to the restored step (`keepUpTo` on the chart): what came after it goes. */
export function onDiverged(s: AppState, e: WorkerEventOf<'diverged'>, keepUpTo: number): AppState {
  const trimmed = upTo(s, keepUpTo);
  const what = e.kind === 'nonFinite' ? 'NaN' : 'blew up';
  return {
    ...trimmed,
    history: { ...trimmed.history, markers: [...trimmed.history.markers, { step: keepUpTo, kind: 'diverged' as const, label: `${what} at ${e.step}: restored` }].slice(-200) },
  };
}

/** The last checkpoint was restored on request: the chart goes back to it (`keepUpTo`). */
export function onRestored(s: AppState, keepUpTo: number): AppState {
  return upTo(s, keepUpTo);
}

/** The history and the disentanglement series up to a chart step (the markers stay). */
function upTo(s: AppState, keepUpTo: number): AppState {
  return {
    ...s,
    history: { ...s.history, train: s.history.train.filter((p) => p.step <= keepUpTo), test: s.history.test.filter((p) => p.step <= keepUpTo) },
    disentanglement: { ...s.disentanglement, history: s.disentanglement.history.filter((p) => p.step <= keepUpTo) },
  };
}
