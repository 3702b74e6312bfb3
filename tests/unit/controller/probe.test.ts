/**
 * What the controller decodes for the latent-space panels: the probe (one decode at a time, only
 * the latest position afterwards), the decoder grid (a quantile grid in 2-D, prior samples
 * otherwise), the traversals (rows ordered by KL), and that decodes for an older model never
 * reach the view.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useControllerHarness } from '../helpers/controllerHarness';
import { FAKE_PIXELS, latentsEvent } from '../helpers/fakeWorker';
import { GRID_SIZE_2D, PRIOR_SAMPLES, TRAVERSAL_MAX_ROWS, TRAVERSAL_VALUES } from '../../../src/state/controller';
import { quantileGrid } from '../../../src/core/analysis/quantiles';

const harness = useControllerHarness();
const GRID_2D = GRID_SIZE_2D * GRID_SIZE_2D;
const ROW = TRAVERSAL_VALUES.length;

const values = (a: Float32Array) => Array.from(a);

/** A model with data and a latents report, every decode it asked for answered. */
async function withLatents(settings = {}) {
  const h = harness(settings).ready();
  h.worker.emit(latentsEvent(0, h.state().settings.latentDim));
  await h.replyAll();
  h.worker.clearSent();
  return h;
}

describe('Controller probe', () => {
  afterEach(() => {
    delete (globalThis as { __vaeMetrics?: unknown }).__vaeMetrics;
  });

  it('moves the probe without decoding before a model exists', () => {
    const h = harness();
    h.controller.moveProbe([1, -2]);
    expect(h.view().probe).toEqual([1, -2]);
    expect(h.worker.ofType('decode')).toEqual([]);
  });

  it('ignores a position of the wrong size or with a non-finite coordinate', () => {
    const h = harness().ready();
    h.controller.moveProbe([1]);
    h.controller.moveProbe([1, 2, 3]);
    h.controller.moveProbe([1, Number.NaN]);
    h.controller.moveProbe([Infinity, 0]);
    expect(h.view().probe).toEqual([0, 0]);
    expect(h.worker.ofType('decode')).toEqual([]);
  });

  it('decodes the position and shows the image, with the latency the user sees', async () => {
    const sink: number[] = [];
    (globalThis as { __vaeMetrics?: unknown }).__vaeMetrics = { probeLatencies: sink };
    const h = harness().ready();
    h.controller.moveProbe([0.5, -1]);
    expect(h.view().probe).toEqual([0.5, -1]);
    const [decode] = h.worker.ofType('decode');
    expect(decode).toMatchObject({ type: 'decode', count: 1 });
    expect(values(decode.latents)).toEqual([0.5, -1]);
    expect(h.worker.ofType('decode')).toHaveLength(1);

    await h.advance(30);
    const images = h.worker.replyDecode(decode, 0.25);
    await h.flush();
    expect(values(h.view().probeImage!)).toEqual(values(images));
    expect(h.view().probeLatencyMs).toBe(30);
    expect(sink).toEqual([30]);
  });

  it('sends one decode at a time and, after it, only the latest of the positions asked for meanwhile', async () => {
    const h = harness().ready();
    h.controller.moveProbe([0.1, 0.1]);
    h.controller.moveProbe([0.2, 0.2]);
    h.controller.moveProbe([0.3, 0.3]);
    h.controller.moveProbe([0.4, 0.4]);
    expect(h.view().probe).toEqual([0.4, 0.4]);
    const first = h.worker.ofType('decode');
    expect(first.map((d) => values(d.latents))).toEqual([[0.1, 0.1].map(Math.fround)]);

    h.worker.replyDecode(first[0], 1);
    await h.flush();
    const all = h.worker.ofType('decode');
    expect(all.map((d) => values(d.latents))).toEqual([[0.1, 0.1], [0.4, 0.4]].map((z) => z.map(Math.fround)));
    expect(h.view().probeImage![0]).toBe(1);

    h.worker.replyDecode(all[1], 4);
    await h.flush();
    expect(values(h.view().probeImage!)).toEqual(new Array(FAKE_PIXELS).fill(4));
    expect(h.worker.ofType('decode')).toHaveLength(2);
  });

  it('says when decoding the probe failed and decodes the next move', async () => {
    const h = harness().ready();
    h.controller.moveProbe([1, 1]);
    h.worker.replyError(h.worker.pending('decode')[0], 'decode: out of memory');
    await h.flush();
    expect(h.state().notices.map((n) => [n.level, n.text])).toEqual([['error', 'Decoding the probe failed: decode: out of memory']]);
    expect(h.view().probeImage).toBeNull();

    h.controller.moveProbe([2, 2]);
    expect(h.worker.pending('decode')).toHaveLength(1);
  });

  it('drops the image of a decode made for the model before a change, and its error too', async () => {
    const h = harness().ready();
    h.controller.moveProbe([1, 1]);
    const stale = h.worker.pending('decode')[0];
    h.controller.changeSetting('hiddenDim', 64); // step 0: a new model at once
    h.worker.replyDecode(stale, 9);
    await h.flush();
    expect(h.view().probeImage).toBeNull();

    h.controller.moveProbe([2, 2]);
    const next = h.worker.pending('decode')[0];
    h.controller.changeSetting('hiddenDim', 32);
    h.worker.replyError(next, 'decode: no model yet');
    await h.flush();
    expect(h.view().probeImage).toBeNull();
    expect(h.state().notices).toEqual([]);
  });

  it('never sends a position queued for the old model; the new model’s position goes next', async () => {
    const h = harness().ready();
    h.controller.moveProbe([1, 1]);
    const inFlight = h.worker.pending('decode')[0];
    h.controller.moveProbe([2, 2]); // queued behind it
    h.controller.changeSetting('latentDim', 3); // step 0: a new model at once
    expect(h.view().probe).toEqual([0, 0, 0]);
    h.worker.replyDecode(inFlight);
    await h.flush();
    expect(h.worker.ofType('decode')).toHaveLength(1);

    h.configured();
    h.controller.moveProbe([1, 2, 3]);
    const sent = h.worker.ofType('decode');
    expect(sent).toHaveLength(2);
    expect(values(sent[1].latents)).toEqual([1, 2, 3]);
    h.worker.replyDecode(sent[1], 5);
    await h.flush();
    expect(h.view().probeImage![0]).toBe(5);
  });

  it('sends the newest position asked for the new model after the old model’s decode returns', async () => {
    const h = harness().ready();
    h.controller.moveProbe([1, 1]);
    const inFlight = h.worker.pending('decode')[0];
    h.controller.changeSetting('latentDim', 3);
    h.controller.moveProbe([3, 2, 1]); // the old model is still in the store until 'configured'
    h.worker.replyDecode(inFlight);
    await h.flush();
    const sent = h.worker.ofType('decode');
    expect(sent.map((d) => values(d.latents))).toEqual([
      [1, 1],
      [3, 2, 1],
    ]);
  });

  it('puts the probe on a test point’s posterior mean', async () => {
    const h = await withLatents();
    const mu = h.state().latents!.mu;
    h.controller.probeToPoint(1);
    expect(h.view().probe).toEqual(values(mu.subarray(2, 4)));
    expect(values(h.worker.last('decode')!.latents)).toEqual(values(mu.subarray(2, 4)));

    h.worker.clearSent();
    h.controller.probeToPoint(3);
    h.controller.probeToPoint(-1);
    expect(h.view().probe).toEqual(values(mu.subarray(2, 4)));
    expect(h.worker.sent).toEqual([]);
  });

  it('refreshes the probe’s image as training reports, but not while the user is moving it', async () => {
    const h = harness().ready();
    h.trainTo(20);
    const refresh = h.worker.pending('decode');
    expect(refresh).toHaveLength(1);
    expect(values(refresh[0].latents)).toEqual([0, 0]);
    await h.replyAll();
    expect(h.view().probeImage).not.toBeNull();

    h.controller.moveProbe([1, 1]);
    await h.replyAll();
    const afterMove = h.decodes(1).length;
    h.trainTo(40);
    expect(h.decodes(1)).toHaveLength(afterMove);

    await h.advance(2000);
    await h.replyAll();
    h.trainTo(60);
    const last = h.decodes(1).at(-1)!;
    expect(h.decodes(1)).toHaveLength(afterMove + 1);
    expect(values(last.latents)).toEqual([1, 1]);
  });
});

describe('Controller decoder grid', () => {
  it('decodes a 15×15 grid of Gaussian quantiles for a 2-D latent space when latents arrive', async () => {
    const h = harness().ready();
    h.trainTo(40);
    await h.replyAll();
    h.worker.emit(latentsEvent(40, 2));
    const grids = h.pendingDecodes(GRID_2D);
    expect(grids).toHaveLength(1);
    const expected = values(quantileGrid(GRID_SIZE_2D).latents);
    expect(values(grids[0].latents)).toEqual(expected);
    expect(values(h.view().gridLatents!)).toEqual(expected);

    const images = h.worker.replyDecode(grids[0], 0.5);
    await h.flush();
    expect(h.view().grid).toEqual({ images, count: GRID_2D, step: 40 });
  });

  it('decodes 64 seeded samples of the prior for more dimensions, and new ones on Resample', async () => {
    const h = harness({ latentDim: 5 }).ready();
    h.worker.emit(latentsEvent(0, 5));
    const [grid] = h.pendingDecodes(PRIOR_SAMPLES);
    expect(grid.latents).toHaveLength(PRIOR_SAMPLES * 5);
    const z = values(grid.latents);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.25);
    expect(variance).toBeGreaterThan(0.6);
    expect(variance).toBeLessThan(1.5);
    expect(values(h.view().gridLatents!)).toEqual(z);
    await h.replyAll();
    expect(h.view().grid!.count).toBe(PRIOR_SAMPLES);

    // the same seed gives the same samples
    const twin = harness({ latentDim: 5 }).ready();
    twin.worker.emit(latentsEvent(0, 5));
    expect(values(twin.pendingDecodes(PRIOR_SAMPLES)[0].latents)).toEqual(z);

    h.controller.resamplePrior();
    const resampled = h.pendingDecodes(PRIOR_SAMPLES);
    expect(resampled).toHaveLength(1);
    expect(resampled[0].latents).toHaveLength(PRIOR_SAMPLES * 5);
    expect(values(resampled[0].latents)).not.toEqual(z);
    expect(values(h.view().gridLatents!)).toEqual(values(resampled[0].latents));
    const images = h.worker.replyDecode(resampled[0], 2);
    await h.flush();
    expect(h.view().grid!.images).toEqual(images);
  });

  it('keeps the grid’s latents over later reports, re-decoding them while training', async () => {
    const h = await withLatents({ latentDim: 10 });
    const latents = values(h.view().gridLatents!);
    h.worker.emit(latentsEvent(100, 10));
    for (let step = 120; step <= 400; step += 20) {
      h.trainTo(step);
      await h.replyAll();
    }
    const grids = h.decodes(PRIOR_SAMPLES);
    expect(grids.length).toBeGreaterThan(1);
    for (const g of grids) expect(values(g.latents)).toEqual(latents);
    expect(values(h.view().gridLatents!)).toEqual(latents);
  });

  it('drops a grid decoded for the model before a change', async () => {
    const h = harness().ready();
    h.worker.emit(latentsEvent(0, 2));
    const [grid] = h.pendingDecodes(GRID_2D);
    h.controller.changeSetting('seed', 5);
    h.worker.replyDecode(grid);
    await h.flush();
    expect(h.view().grid).toBeNull();
  });

  it('says when decoding the grid or the traversals failed', async () => {
    const h = harness().ready();
    h.worker.emit(latentsEvent(0, 2));
    h.worker.replyError(h.pendingDecodes(GRID_2D)[0], 'grid failure');
    h.worker.replyError(h.pendingDecodes(2 * ROW)[0], 'traversal failure');
    await h.flush();
    expect(h.state().notices.map((n) => n.text).sort()).toEqual(['Decoding the grid failed: grid failure', 'Decoding the traversals failed: traversal failure']);
    expect(h.state().notices.every((n) => n.level === 'error')).toBe(true);
  });
});

describe('Controller traversals', () => {
  it('decodes the traversals around the probe after latents, rows ordered by KL', async () => {
    const h = harness().ready();
    h.trainTo(20, { klPerDim: [0.5, 3] });
    await h.replyAll();
    h.worker.emit(latentsEvent(20, 2));
    const [traversal] = h.pendingDecodes(2 * ROW);
    // row 0 sweeps dimension 1 (the larger KL), row 1 dimension 0; the other coordinate is the probe's
    const expected = [...TRAVERSAL_VALUES.flatMap((v) => [0, v]), ...TRAVERSAL_VALUES.flatMap((v) => [v, 0])];
    expect(values(traversal.latents)).toEqual(expected);

    const images = h.worker.replyDecode(traversal, 0.75);
    await h.flush();
    expect(h.view().traversal).toEqual({ images, dims: [1, 0], values: TRAVERSAL_VALUES, base: [0, 0], step: 20 });
  });

  it('traverses at most 10 dimensions, largest KL first, ties in index order', async () => {
    const h = harness({ latentDim: 20 }).ready();
    const kl = Array.from({ length: 20 }, (_, i) => i % 5);
    h.trainTo(20, { klPerDim: kl });
    await h.replyAll();
    h.worker.emit(latentsEvent(20, 20));
    const [traversal] = h.pendingDecodes(TRAVERSAL_MAX_ROWS * ROW);
    expect(traversal).toBeDefined();
    h.worker.replyDecode(traversal);
    await h.flush();
    expect(h.view().traversal!.dims).toEqual([4, 9, 14, 19, 3, 8, 13, 18, 2, 7]);
    // each row of latents varies in its row's dimension only
    const z = traversal.latents;
    h.view().traversal!.dims.forEach((dim, r) => {
      const row = Array.from({ length: ROW }, (_, c) => z[(r * ROW + c) * 20 + dim]);
      expect(row).toEqual(TRAVERSAL_VALUES);
    });
  });

  it('keeps the dimensions in order before any KL is known', async () => {
    const h = harness({ latentDim: 3 }).ready();
    h.worker.emit(latentsEvent(0, 3));
    const [traversal] = h.pendingDecodes(3 * ROW);
    h.worker.replyDecode(traversal);
    await h.flush();
    expect(h.view().traversal!.dims).toEqual([0, 1, 2]);
  });

  it('traverses from where the user leaves the probe, once it rests', async () => {
    const h = await withLatents();
    h.controller.moveProbe([1, 1]);
    await h.advance(20);
    h.controller.moveProbe([1.5, 1]);
    await h.advance(20);
    h.controller.moveProbe([2, -1]);
    await h.advance(20);
    expect(h.decodes(2 * ROW)).toEqual([]);

    await h.advance(1000);
    await h.replyAll();
    const traversals = h.decodes(2 * ROW);
    expect(traversals).toHaveLength(1);
    expect(h.view().traversal!.base).toEqual([2, -1]);
    expect(values(traversals[0].latents.subarray(0, 2))).toEqual([-3, -1]);
  });

  it('drops traversals decoded for the model before a change', async () => {
    const h = harness().ready();
    h.worker.emit(latentsEvent(0, 2));
    const [traversal] = h.pendingDecodes(2 * ROW);
    h.controller.changeSetting('latentDim', 5);
    h.worker.replyDecode(traversal);
    await h.flush();
    expect(h.view().traversal).toBeNull();
  });
});
