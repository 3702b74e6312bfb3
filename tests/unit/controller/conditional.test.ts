/**
 * The conditional families' decodes: the Class picker reaches the worker with every decode (the
 * probe, the grid, the traversals), the strip decodes one z as every class, a learned prior's
 * report turns the grid into samples from it, and the unconditional VAE sends no classes.
 */
import { describe, expect, it } from 'vitest';
import { useControllerHarness } from '../helpers/controllerHarness';
import { latentsEvent, modelConfig } from '../helpers/fakeWorker';
import { PRIOR_SAMPLES } from '../../../src/state/controller';

const harness = useControllerHarness();

async function conditional() {
  const h = harness({ model: 'cvae' });
  h.worker.emit({ type: 'backend', info: { name: 'wasm', reason: 'test', threads: 1, crossOriginIsolated: false } });
  h.ready();
  h.worker.emit(latentsEvent(0, 2));
  await h.replyAll();
  h.worker.clearSent();
  return h;
}

describe('Controller with a conditional model', () => {
  it('sends the picked class with the probe’s, the grid’s and the traversals’ decodes', async () => {
    const h = await conditional();
    h.controller.chooseClass(7);
    expect(h.view().decodeClass).toBe(7);
    await h.replyAll();
    const probe = h.decodes(1)[0];
    expect(Array.from(probe.labels ?? [])).toEqual([7]);
    const grid = h.decodes(225)[0];
    expect(grid.labels?.length).toBe(225);
    expect(new Set(grid.labels)).toEqual(new Set([7]));
    const traversal = h.worker.ofType('decode').find((c) => c.count === 2 * 9);
    expect(traversal && new Set(traversal.labels)).toEqual(new Set([7]));
    // a class the data set does not have is ignored
    h.worker.clearSent();
    h.controller.chooseClass(10);
    expect(h.view().decodeClass).toBe(7);
    expect(h.worker.ofType('decode')).toEqual([]);
  });

  it('decodes the probe’s z as every class for the strip', async () => {
    const h = await conditional();
    h.controller.moveProbe([0.5, -1]);
    await h.replyAll();
    const strip = h.decodes(10)[0];
    expect(Array.from(strip.labels ?? [])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(strip.latents)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.5 : -1)));
    expect(h.view().classStrip?.count).toBe(10);
  });

  it('sends no classes for the unconditional VAE, and samples the grid from a learned prior', async () => {
    const h = harness({ prior: 'mog' });
    h.ready();
    h.worker.emit(latentsEvent(0, 2));
    await h.replyAll();
    expect(h.worker.ofType('decode').every((c) => c.labels === undefined)).toBe(true);
    h.worker.clearSent();
    const weights = Float32Array.from([0, 1]);
    h.worker.emit({ type: 'prior', step: 0, kind: 'mog', count: 2, latentDim: 2, weights, means: Float32Array.from([50, 50, -3, 4]), logVars: new Float32Array(4).fill(-20), pseudoInputs: null });
    h.worker.emit(latentsEvent(20, 2));
    await h.replyAll();
    const grid = h.decodes(PRIOR_SAMPLES)[0];
    // every sample from the one component with weight: at (−3, 4), σ ≈ 0
    for (let i = 0; i < PRIOR_SAMPLES; i++) {
      expect(grid.latents[2 * i]).toBeCloseTo(-3, 3);
      expect(grid.latents[2 * i + 1]).toBeCloseTo(4, 3);
    }
    // one component chosen: samples from it alone
    h.worker.clearSent();
    h.controller.chooseGridComponent(0);
    await h.replyAll();
    expect(h.decodes(PRIOR_SAMPLES)[0].latents[0]).toBeCloseTo(50, 3);
    expect(modelConfig().options).toEqual({ prior: 'standard', components: 10, decoder: 'factorised' });
  });
});
