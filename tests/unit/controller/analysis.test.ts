/**
 * The tools of a trained model, scheduled by the controller: nothing is asked of the worker until
 * their tab is open; then the interpolation, reconstructions and drawing follow the weights,
 * scatter picks and dragged ends set the path's ends, the sets are scored once by themselves and
 * the IWAE bound on demand (both cancellable), a held-out class reaches the worker, a preset sets
 * up its tools, and results for an old model are dropped.
 */
import { describe, expect, it } from 'vitest';
import { useControllerHarness, type Harness } from '../helpers/controllerHarness';
import { latentsEvent, type CommandOf } from '../helpers/fakeWorker';
import { AUTO_SCORE_AFTER_STEPS, OUTLIER_SET_SIZE } from '../../../src/state/analysis/tools';
import type { WorkerEventOf } from '../../../src/worker/protocol';

const harness = useControllerHarness();
const PIXELS = 28 * 28;
const POINTS = 12;

/** Ready, with a latents report of POINTS test points (point k's pixels all equal k). */
function withLatents(h: Harness, latentDim = 2): Harness {
  const images = Uint8Array.from({ length: POINTS * PIXELS }, (_, i) => Math.floor(i / PIXELS));
  h.worker.emit(latentsEvent(10, latentDim, POINTS, { images }));
  return h;
}

function interpolated(command: CommandOf<'interpolate'>, latentDim = 2): WorkerEventOf<'interpolated'> {
  return {
    type: 'interpolated',
    requestId: command.requestId,
    step: 10,
    ends: new Float32Array(2 * latentDim).fill(1),
    latents: new Float32Array(command.steps * latentDim).fill(0.5),
    images: new Float32Array(command.steps * PIXELS).fill(0.25),
  };
}

/** Answer every interpolate request not answered yet (and those their answers let through). */
async function answerInterpolations(h: Harness, latentDim: number, answered: Set<number>): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const open = h.worker.ofType('interpolate').filter((c) => !answered.has(c.requestId));
    if (open.length === 0) return;
    for (const c of open) {
      answered.add(c.requestId);
      h.worker.emit(interpolated(c, latentDim));
    }
    await h.flush();
  }
}

function inspected(command: CommandOf<'inspect'>): WorkerEventOf<'inspected'> {
  const { count, samples } = command;
  return {
    type: 'inspected',
    requestId: command.requestId,
    step: 10,
    count,
    samples,
    mu: new Float32Array(2 * count),
    logVar: new Float32Array(2 * count),
    reconstructions: new Float32Array(count * PIXELS),
    sampleImages: new Float32Array(count * samples * PIXELS),
    terms: { reconstruction: new Float32Array(count).fill(90), kl: new Float32Array(count).fill(10) },
    negativeElbo: new Float32Array(count).fill(100),
  };
}

describe('the tools of a trained model', () => {
  it('ask nothing of the worker until their tab is open, then interpolate between two test images', async () => {
    const h = withLatents(harness().ready());
    h.worker.clearSent();
    h.trainTo(100);
    expect(h.worker.types().filter((t) => t !== 'decode')).toEqual([]);
    h.controller.openLabTab('use');
    const [command] = h.worker.ofType('interpolate');
    expect(command).toMatchObject({ steps: 10, path: 'linear' }); // two dimensions: the straight line
    const ends = command.ends as [{ image: Float32Array }, { image: Float32Array }];
    expect(ends.map((e) => e.image.length)).toEqual([PIXELS, PIXELS]);
    const { interpolation } = h.controller.analysis.state;
    expect(interpolation.ends?.map((e) => e.kind === 'point' && e.label)).not.toContain(false);
    // two different classes when none is asked for
    const labels = interpolation.ends?.map((e) => (e.kind === 'point' ? e.label : -1));
    expect(labels?.[0]).not.toBe(labels?.[1]);
    h.worker.emit(interpolated(command));
    await h.flush();
    const result = h.controller.analysis.state.interpolation.result;
    expect(result?.images.length).toBe(10 * PIXELS);
    // the pixel blend of the two images: point k's pixels are k/255
    const [a, b] = (interpolation.ends ?? []).map((e) => (e.kind === 'point' ? e.pointIndex : 0));
    expect(result?.blends[0]).toBeCloseTo(a / 255, 6);
    expect(result?.blends[9 * PIXELS]).toBeCloseTo(b / 255, 6);
    // and the reconstructions of one test image per class, with posterior samples
    const [reconstruct] = h.worker.ofType('inspect');
    expect(reconstruct).toMatchObject({ count: 10, samples: 3 });
  });

  it('takes the ends from the chosen classes, from a scatter pick, and from a dragged end', async () => {
    const h = withLatents(harness({ latentDim: 5 }).ready(), 5);
    h.controller.openLabTab('use');
    h.controller.analysis.interpolation.setClasses(7, 1);
    const ends = h.controller.analysis.state.interpolation.ends;
    expect(ends?.map((e) => (e.kind === 'point' ? e.label : null))).toEqual([7, 1]);
    const answered = new Set<number>();
    await answerInterpolations(h, 5, answered);
    expect(h.worker.last('interpolate')?.path).toBe('spherical');
    // a pick on the scatter sets the end being picked, not the probe
    h.controller.analysis.interpolation.startPicking(1);
    const probe = h.view().probe;
    h.controller.probeToPoint(4);
    expect(h.view().probe).toEqual(probe);
    const picked = h.controller.analysis.state.interpolation;
    expect(picked.picking).toBeNull();
    expect(picked.ends?.[1]).toMatchObject({ kind: 'point', pointIndex: 4 });
    // without a pick waiting, the probe moves as before
    h.controller.probeToPoint(4);
    expect(h.view().probe).not.toEqual(probe);
    // a dragged end: the path moves at once, its decodings are asked for
    await answerInterpolations(h, 5, answered);
    h.controller.analysis.interpolation.moveEnd(0, [3, 0, 0, 0, 0]);
    const moved = h.controller.analysis.state.interpolation;
    expect(moved.ends?.[0]).toEqual({ kind: 'latent', z: [3, 0, 0, 0, 0] });
    expect(Array.from(moved.result?.latents.subarray(0, 5) ?? [])).toEqual([3, 0, 0, 0, 0]);
    await h.flush();
    const last = h.worker.last('interpolate') as CommandOf<'interpolate'>;
    expect(Array.from((last.ends[0] as { z: Float32Array }).z)).toEqual([3, 0, 0, 0, 0]);
  });

  it('score the sets once by themselves after some training, with progress, and take a threshold', async () => {
    const h = withLatents(harness().ready());
    h.controller.openLabTab('use');
    h.trainTo(AUTO_SCORE_AFTER_STEPS - 20);
    expect(h.worker.ofType('scoreSets')).toEqual([]);
    h.trainTo(AUTO_SCORE_AFTER_STEPS);
    const [command] = h.worker.ofType('scoreSets');
    expect(command).toMatchObject({ sets: ['other-data', 'noise', 'inverted', 'held-out'], perSet: OUTLIER_SET_SIZE });
    expect(h.controller.analysis.state.anomaly.status).toBe('running');
    h.worker.emit({ type: 'jobProgress', job: command.requestId, kind: 'scoreSets', done: 500, total: 2000, stage: 'scoring' });
    expect(h.controller.analysis.state.anomaly.progress).toEqual({ done: 500, total: 2000, stage: 'scoring' });
    const set = (id: 'test' | 'noise', v: number) => ({ id, label: id, count: 2, terms: { reconstruction: Float32Array.of(v, v), kl: Float32Array.of(1, 1) }, negativeElbo: Float32Array.of(v + 1, v + 1) });
    const images = { indices: Int32Array.of(0), negativeElbo: Float32Array.of(1), images: new Uint8Array(PIXELS) };
    h.worker.emit({ type: 'setScores', requestId: command.requestId, step: 300, sets: [set('test', 90), set('noise', 900)], skipped: [], mostTypical: images, leastTypical: images });
    await h.flush();
    const anomaly = h.controller.analysis.state.anomaly;
    expect(anomaly.status).toBe('done');
    expect(anomaly.result?.sets.map((s) => s.id)).toEqual(['test', 'noise']);
    h.controller.analysis.setThreshold(120);
    expect(h.controller.analysis.state.anomaly.threshold).toBe(120);
    // not again by itself
    h.trainTo(AUTO_SCORE_AFTER_STEPS + 200);
    expect(h.worker.ofType('scoreSets')).toHaveLength(1);
  });

  it('estimate the IWAE bound on demand and cancel it', async () => {
    const h = withLatents(harness().ready());
    h.controller.openLabTab('use');
    h.controller.analysis.setBoundCount(500);
    h.controller.analysis.estimateBound();
    h.controller.analysis.estimateBound(); // one at a time
    const jobs = h.worker.ofType('estimateBound');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ count: 500, ks: [1, 10, 100, 1000], samples: 1000 });
    h.controller.analysis.cancelBound();
    expect(h.worker.last('cancelJob')).toEqual({ type: 'cancelJob', requestId: jobs[0].requestId });
    h.worker.emit({ type: 'error', message: 'estimateBound: cancelled', command: 'estimateBound', requestId: jobs[0].requestId });
    await h.flush();
    expect(h.controller.analysis.state.bound.status).toBe('cancelled');
    h.controller.analysis.estimateBound();
    const again = h.worker.last('estimateBound') as CommandOf<'estimateBound'>;
    h.worker.emit({ type: 'boundEstimate', requestId: again.requestId, step: 10, count: 500, samples: 1000, ks: [1, 10, 100, 1000], bounds: [-110, -107, -106, -105.5], negativeElbo: 110.2, seconds: 4 });
    await h.flush();
    expect(h.controller.analysis.state.bound).toMatchObject({ status: 'done', result: { bounds: [-110, -107, -106, -105.5] } });
  });

  it('encode a drawing as it changes and drop what belongs to an old model', async () => {
    const h = withLatents(harness().ready());
    h.controller.openLabTab('use');
    h.controller.analysis.setDrawing(new Float32Array(PIXELS).fill(0.5));
    const drawing = h.worker.ofType('inspect').find((c) => c.count === 1) as CommandOf<'inspect'>;
    expect(drawing).toMatchObject({ count: 1, samples: 0 });
    h.controller.analysis.estimateBound();
    const bound = h.worker.last('estimateBound') as CommandOf<'estimateBound'>;
    // a new model before the answers come
    h.controller.changeSetting('latentDim', 5);
    expect(h.controller.analysis.state.bound.status).toBe('idle');
    h.worker.emit(inspected(drawing));
    h.worker.emit({ type: 'boundEstimate', requestId: bound.requestId, step: 10, count: 100, samples: 1000, ks: [1, 10, 100, 1000], bounds: [-1, -1, -1, -1], negativeElbo: 1, seconds: 1 });
    await h.flush();
    const state = h.controller.analysis.state;
    expect(state.drawing.result).toBeNull();
    expect(state.bound.result).toBeNull();
    expect(state.drawing.input).not.toBeNull(); // the drawing itself stays, for the new model
    expect(state.interpolation.ends).toBeNull();
    // a reset also gives fresh weights: the old answers are dropped, no error shown
    h.configured();
    h.controller.analysis.estimateBound();
    const beforeReset = h.worker.last('estimateBound') as CommandOf<'estimateBound'>;
    h.controller.reset();
    h.worker.emit({ type: 'error', message: 'estimateBound: the model was replaced', command: 'estimateBound', requestId: beforeReset.requestId });
    await h.flush();
    expect(h.controller.analysis.state.bound).toMatchObject({ status: 'idle', error: null });
    // clearing the drawing clears its result and its marks
    h.controller.analysis.setDrawing(null);
    expect(h.controller.analysis.state.drawing).toEqual({ input: null, source: null, result: null, message: null });
  });

  it('send a held-out class with the model, and a preset sets up its tools and tab', () => {
    const h = harness({ holdOutClass: 5 }).ready();
    expect(h.lastConfigure().holdOutClass).toBe(5);
    h.controller.changeSetting('holdOutClass', -1);
    expect('holdOutClass' in h.lastConfigure()).toBe(false);
    h.controller.applyPreset('interpolate-7-1');
    expect(h.view().labTab).toBe('use');
    expect(h.controller.analysis.state.interpolation).toMatchObject({ fromClass: 7, toClass: 1 });
    h.controller.applyPreset('anomaly-detection');
    h.controller.confirmPendingChange();
    expect(h.lastConfigure()).toMatchObject({ holdOutClass: 5, model: { latentDim: 10 } });
  });
});
