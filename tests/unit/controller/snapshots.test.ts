/**
 * Snapshot cards, notices, and the three-way comparison as the controller drives them.
 */
import { describe, expect, it } from 'vitest';
import { useControllerHarness } from '../helpers/controllerHarness';
import { latentsEvent, statusEvent } from '../helpers/fakeWorker';
import { TRAVERSAL_VALUES } from '../../../src/state/controller';

const harness = useControllerHarness();

/** A trained model with latents, a disentanglement report and decoded traversals. */
async function runWithResults(settings = {}) {
  const h = harness(settings).ready();
  h.trainTo(400, { klPerDim: [1, 4], negativeElbo: 130, reconstruction: 125, kl: 5 });
  h.worker.emit({ type: 'disentanglement', step: 400, unitVariances: [0.9, 0.8], activeUnits: 2, mig: 0.35, migPerFactor: null });
  h.worker.emit(latentsEvent(400, h.state().settings.latentDim));
  await h.replyAll();
  return h;
}

describe('Controller snapshots', () => {
  it('takes no snapshot before there are latents', () => {
    const h = harness().ready();
    h.trainTo(20);
    h.controller.takeSnapshot();
    expect(h.state().snapshots).toEqual([]);
  });

  it('freezes the scatter, traversals, KL bars and scores into a card', async () => {
    const h = await runWithResults({ beta: 4 });
    h.controller.takeSnapshot();
    const s = h.state();
    expect(s.snapshots).toHaveLength(1);
    expect(s.snapshots[0]).toEqual({
      id: expect.any(Number),
      title: 'β = 4, z = 2, MNIST',
      step: 400,
      settings: s.settings,
      latents: s.latents,
      terms: expect.arrayContaining([expect.objectContaining({ id: 'reconstruction' }), expect.objectContaining({ id: 'kl' })]),
      values: { terms: { reconstruction: 125, kl: 5 }, klPerDim: [1, 4], negativeElbo: 130, objective: 105 },
      mig: 0.35,
      activeUnits: 2,
      mutualInformation: null,
      traversal: h.view().traversal,
    });
    expect(s.snapshots[0].traversal).toMatchObject({ dims: [1, 0], values: TRAVERSAL_VALUES, step: 400 });
  });

  it('titles a card with the run’s β, latent size and data set', async () => {
    const h = await runWithResults({ beta: 0.5, latentDim: 10, dataset: 'shapes' });
    h.controller.takeSnapshot();
    expect(h.state().snapshots[0].title).toBe('β = 0.5, z = 10, Shapes');
  });

  it('keeps the card as it was when the run goes on', async () => {
    const h = await runWithResults();
    h.controller.takeSnapshot();
    const card = h.state().snapshots[0];
    h.trainTo(600, { klPerDim: [9, 9] });
    h.worker.emit(latentsEvent(600, 2));
    await h.replyAll();
    expect(h.state().snapshots[0]).toBe(card);
    expect(card.step).toBe(400);
    expect(card.values?.klPerDim).toEqual([1, 4]);
  });

  it('keeps at most 6 cards, dropping the oldest', async () => {
    const h = await runWithResults();
    for (let i = 0; i < 8; i++) {
      h.trainTo(500 + i);
      h.controller.takeSnapshot();
    }
    const cards = h.state().snapshots;
    expect(cards).toHaveLength(6);
    expect(cards.map((c) => c.step)).toEqual([502, 503, 504, 505, 506, 507]);
    expect(new Set(cards.map((c) => c.id)).size).toBe(6);
  });

  it('removes one card by its id', async () => {
    const h = await runWithResults();
    for (let i = 0; i < 3; i++) {
      h.trainTo(500 + i);
      h.controller.takeSnapshot();
    }
    const [a, b, c] = h.state().snapshots;
    h.controller.removeSnapshot(b.id);
    expect(h.state().snapshots).toEqual([a, c]);
    h.controller.removeSnapshot(12345);
    expect(h.state().snapshots).toEqual([a, c]);
  });
});

describe('Controller notices', () => {
  it('dismisses a notice by its id', () => {
    const h = harness({}, { initialMessages: [{ text: 'first' }, { text: 'second' }] });
    const [first, second] = h.state().notices;
    expect(first.id).not.toBe(second.id);
    h.controller.dismissNotice(first.id);
    expect(h.state().notices).toEqual([second]);
  });

  it('merges a repeated message into one notice, the newest', () => {
    const h = harness().ready();
    h.worker.emit({ type: 'error', message: 'the same problem', command: 'step' });
    h.worker.emit({ type: 'error', message: 'another problem', command: 'step' });
    h.worker.emit({ type: 'error', message: 'the same problem', command: 'step' });
    const notices = h.state().notices;
    expect(notices.map((n) => n.text)).toEqual(['another problem', 'the same problem']);
    h.controller.dismissNotice(notices[1].id);
    expect(h.state().notices.map((n) => n.text)).toEqual(['another problem']);
  });

  it('drops no notice, however many come', () => {
    const h = harness().ready();
    for (let i = 1; i <= 30; i++) h.worker.emit({ type: 'error', message: `problem ${i}`, command: 'step' });
    expect(h.state().notices.map((n) => n.text)).toEqual(Array.from({ length: 30 }, (_, i) => `problem ${i + 1}`));
    h.controller.dismissAllNotices();
    expect(h.state().notices).toEqual([]);
  });

  it('keeps the URL reader’s groups, so the page can show them as one line each', () => {
    const h = harness({}, { initialMessages: [{ text: 'a', group: 'url-ignored' }, { text: 'b', group: 'url-ignored' }, { text: 'c' }] });
    expect(h.state().notices.map((n) => [n.text, n.group])).toEqual([
      ['a', 'url-ignored'],
      ['b', 'url-ignored'],
      ['c', undefined],
    ]);
  });
});

describe('Controller comparison', () => {
  it('does not start before the data is ready', () => {
    const h = harness();
    h.controller.runComparison();
    expect(h.workers).toHaveLength(1);
    expect(h.state().comparison.status).toBe('idle');
  });

  it('pauses the main run and trains the comparison in a worker of its own; cancel stops it', async () => {
    const h = harness({ comparisonSteps: 300 }).ready();
    h.worker.emit(statusEvent(true, 100));
    h.worker.clearSent();
    h.controller.runComparison();
    expect(h.worker.sent).toEqual([{ type: 'pause' }]);
    expect(h.workers).toHaveLength(2);
    const second = h.workers[1];
    expect(second.types()).toEqual(['init', 'setReporting', 'configure']);
    expect(second.last('configure')).toMatchObject({ model: { latentDim: 2 }, training: { objective: 'autoencoder' } });
    expect(h.state().comparison).toMatchObject({ status: 'running', stepsPerModel: 300, current: 'autoencoder' });

    // a second click while it runs starts nothing more
    h.controller.runComparison();
    expect(h.workers).toHaveLength(2);

    h.controller.cancelComparison();
    await h.flush();
    expect(second.terminated).toBe(true);
    expect(h.state().comparison.status).toBe('idle');
    expect(h.worker.terminated).toBe(false);
  });

  it('fails with the reason when the comparison’s worker crashes, and leaves the main worker alone', async () => {
    const h = harness().ready();
    h.controller.runComparison();
    const second = h.workers[1];
    second.crash('out of memory');
    await h.flush();
    expect(h.state().comparison).toMatchObject({ status: 'failed', message: "the comparison's worker stopped (an uncaught error: out of memory)" });
    expect(second.terminated).toBe(true);
    expect(h.worker.terminated).toBe(false);
    expect(h.workers).toHaveLength(2);
  });
});
