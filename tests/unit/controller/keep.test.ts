/**
 * Keep and share on the page's side (state/storage/keeper.ts through the Controller and a fake
 * worker): "Save model" to this browser's list (name, date, data set, step, −ELBO; rename,
 * delete), "Load model" from the list or a file (the file's settings, chart and time axis come
 * back; a bad file never reaches the worker), a refusal by the worker, "Export for PyTorch",
 * the autosave every minute while training and at a pause, and "Resume your last run?".
 */
import { describe, expect, it, vi } from 'vitest';
import { writeModelFile } from '../../../src/core/io/modelFile';
import { resolveTrainingConfig } from '../../../src/core/training/config';
import { modelConfigOf, settingsFromUrl, trainingOf } from '../../../src/state/settings';
import { AUTOSAVE_ID, MemoryLibrary } from '../../../src/state/storage/library';
import type { SavedPageState } from '../../../src/state/storage/pageState';
import { useControllerHarness, type Harness } from '../helpers/controllerHarness';
import { configuredEvent, statusEvent, type CommandOf } from '../helpers/fakeWorker';

const harness = useControllerHarness();

/** A model file as the worker writes one, for the settings of a URL hash and a page state. */
function modelFile(hash: string, step: number, page: Partial<SavedPageState> = {}, name = 'a saved run'): Uint8Array {
  const { settings } = settingsFromUrl(hash);
  const full: SavedPageState = { settings: hash, history: { train: [{ step, values: { reconstruction: 90, kl: 6, negativeElbo: 96 }, beta: 1 }], test: [], markers: [] }, chartOffset: 0, summary: { trainNegativeElbo: 96, testNegativeElbo: 99.5 }, ...page };
  return writeModelFile(
    {
      app: 'VAE Playground',
      name,
      savedAt: new Date(2026, 11, 2, 10, 0).toISOString(),
      model: modelConfigOf(settings) as unknown as Parameters<typeof writeModelFile>[0]['model'],
      training: { ...resolveTrainingConfig(trainingOf(settings)) },
      data: { id: settings.dataset, name: 'MNIST digits', trainCount: 60000, shape: { width: 28, height: 28, channels: 1 }, classNames: [] },
      progress: { step, epoch: step / 469, epochProgress: 0.5 },
      trainer: { step, noise: null, optimizers: [{ group: 'model', step }] },
      batcher: null,
      weights: [{ name: 'weights/w', shape: [1], dtype: 'float32' }],
      page: full as unknown as Record<string, unknown>,
    },
    new Uint8Array(4),
  );
}

/** Answer the newest exportModel as the worker does: a file of the page's own settings and state. */
function replyExport(h: Harness, step: number): CommandOf<'exportModel'> {
  const command = h.worker.last('exportModel');
  if (!command) throw new Error('no exportModel was sent');
  const page = command.page as unknown as SavedPageState;
  h.worker.emit({ type: 'modelExported', requestId: command.requestId, file: modelFile(page.settings, step, page, command.name), step });
  return command;
}

/** Answer an importModel as the worker does when the file loads: configured, status, modelLoaded. */
function replyImport(h: Harness, step: number, hash: string): void {
  const command = h.worker.last('importModel');
  if (!command) throw new Error('no importModel was sent');
  const { settings } = settingsFromUrl(hash);
  h.worker.emit(configuredEvent({ type: 'configure', datasetId: settings.dataset, model: modelConfigOf(settings), training: trainingOf(settings) }, 'loaded'));
  h.worker.emit(statusEvent(false, step));
  h.worker.emit({ type: 'modelLoaded', requestId: command.requestId, step });
}

describe('Keep and share', () => {
  it('saves to the browser with name, date, data set, step and −ELBO; renames and deletes', async () => {
    const library = new MemoryLibrary();
    const h = harness({}, { library });
    h.ready();
    h.trainTo(300, { negativeElbo: 150 });
    const saving = h.controller.keep.saveToBrowser();
    expect(h.controller.keep.store.get().busy).toBe('saving');
    const command = replyExport(h, 300);
    expect(command.name).toBe('VAE on MNIST digits, step 300');
    expect((command.page as unknown as SavedPageState).history.train.at(-1)?.step).toBe(300);
    const info = await saving;
    await h.flush();
    expect(info).toMatchObject({ name: 'VAE on MNIST digits, step 300', step: 300, datasetName: 'MNIST digits', family: 'VAE', negativeElbo: 150, negativeElboOn: 'training' });
    expect(h.controller.keep.store.get().saved.map((s) => s.name)).toEqual(['VAE on MNIST digits, step 300']);
    expect(h.state().notices.at(-1)?.text).toMatch(/Saved “VAE on MNIST digits, step 300” in this browser/);
    await h.controller.keep.rename(info!.id, '  my digits  ');
    expect(h.controller.keep.store.get().saved[0].name).toBe('my digits');
    await h.controller.keep.remove(info!.id);
    expect(h.controller.keep.store.get().saved).toEqual([]);
  });

  it('loads a saved model: its settings, loss chart and time axis replace the page’s', async () => {
    const library = new MemoryLibrary();
    const h = harness({}, { library });
    h.ready();
    const file = modelFile('z=10&beta=4', 1200, { chartOffset: 500 });
    await library.save({ id: 'm1', name: 'β = 4', savedAt: '2026-12-02T10:00:00.000Z', family: 'VAE', datasetId: 'mnist', datasetName: 'MNIST', step: 1200, latentDim: 10, negativeElbo: 99, negativeElboOn: 'test', bytes: file.length }, file);
    h.worker.clearSent();
    const loading = h.controller.keep.loadSaved('m1');
    await h.flush();
    expect(h.worker.types()).toEqual(['importModel']);
    expect(Array.from(h.worker.last('importModel')!.file)).toEqual(Array.from(file));
    replyImport(h, 1200, 'z=10&beta=4');
    expect(await loading).toBe(true);
    const s = h.state();
    expect(s.settings.latentDim).toBe(10);
    expect(s.settings.beta).toBe(4);
    expect(h.urls.at(-1)).toBe('z=10&beta=4');
    expect(h.view().probe).toHaveLength(10);
    expect(s.training.step).toBe(1200);
    expect(s.history.train.map((p) => p.step)).toEqual([1200]);
    expect(s.notices.at(-1)?.text).toMatch(/Loaded “a saved run”: step 1,200/);
    // the chart's axis goes on from the file's offset: the next report lands at 500 + 1220
    h.trainTo(1220);
    expect(h.state().history.train.at(-1)?.step).toBe(1720);
  });

  it('refuses a bad file before the worker sees it, and reports the worker’s refusal', async () => {
    const h = harness({}, { library: new MemoryLibrary() });
    h.ready();
    h.worker.clearSent();
    expect(await h.controller.keep.loadFile(new TextEncoder().encode('hello'), 'notes.txt')).toBe(false);
    expect(h.state().notices.at(-1)?.text).toBe('Could not load “notes.txt”: This is not a VAE Playground model file.');
    const good = modelFile('', 10);
    expect(await h.controller.keep.loadFile(good.subarray(0, good.length - 2), 'cut.vaemodel')).toBe(false);
    expect(h.state().notices.at(-1)?.text).toMatch(/Could not load “cut\.vaemodel”: The file is cut short/);
    expect(h.worker.sent).toEqual([]);

    const loading = h.controller.keep.loadFile(good, 'good.vaemodel');
    await h.flush();
    const command = h.worker.last('importModel')!;
    h.worker.emit({ type: 'error', message: 'The file does not hold a VAE of its own settings: encoder/head/weight has shape [400, 6]', command: 'importModel', requestId: command.requestId });
    expect(await loading).toBe(false);
    expect(h.state().notices.at(-1)?.text).toMatch(/Could not load “good\.vaemodel”: The file does not hold a VAE/);
    expect(h.controller.keep.store.get().busy).toBeNull();
    // the model in training is still the page's: a reset goes on as before
    h.worker.emit(configuredEvent(h.lastConfigure(), 'reset'));
    expect(h.state().settings.latentDim).toBe(2);
  });

  it('exports for PyTorch and downloads model files with names from the model', async () => {
    const download = vi.fn();
    const h = harness({}, { library: new MemoryLibrary(), download });
    h.ready();
    h.trainTo(40);
    h.worker.emit(statusEvent(false, 40));
    const exporting = h.controller.keep.exportPytorch();
    const command = h.worker.last('exportPytorch')!;
    h.worker.emit({ type: 'pytorchExported', requestId: command.requestId, file: new Uint8Array([1, 2, 3]), step: 40 });
    await exporting;
    expect(download).toHaveBeenCalledWith(new Uint8Array([1, 2, 3]), 'vae-on-mnist-digits-step-40-pytorch.zip', 'application/zip');
    const downloading = h.controller.keep.downloadModel();
    replyExport(h, 40);
    await downloading;
    expect(download.mock.calls.at(-1)?.[1]).toBe('vae-on-mnist-digits-step-40.vaemodel');
  });

  it('autosaves every minute while training and when training pauses, then offers the run back after a reload', async () => {
    const library = new MemoryLibrary();
    const h = harness({}, { library });
    h.ready();
    h.worker.emit(statusEvent(true, 0));
    h.trainTo(100);
    await h.advance(59_000);
    expect(h.worker.ofType('exportModel')).toHaveLength(0);
    await h.advance(1_000);
    expect(h.worker.ofType('exportModel')).toHaveLength(1);
    replyExport(h, 100);
    await h.flush();
    expect((await library.get(AUTOSAVE_ID))?.step).toBe(100);
    expect(await library.list()).toEqual([]); // the autosave is not in the list
    h.trainTo(180);
    h.worker.emit(statusEvent(false, 180));
    await h.flush();
    expect(h.worker.ofType('exportModel')).toHaveLength(2);
    replyExport(h, 180);
    await h.flush();
    expect((await library.get(AUTOSAVE_ID))?.step).toBe(180);
    // paused, nothing new: no more autosaves
    await h.advance(120_000);
    expect(h.worker.ofType('exportModel')).toHaveLength(2);

    // "reload": a new page with the same library offers the run
    const again = harness({}, { library });
    await again.flush();
    expect(again.controller.keep.store.get().resume).toMatchObject({ step: 180 });
    again.ready();
    const resuming = again.controller.keep.resume();
    await again.flush();
    expect(again.controller.keep.store.get().resume).toBeNull();
    replyImport(again, 180, '');
    expect(await resuming).toBe(true);
    expect(again.state().training.step).toBe(180);
  });

  it('keeps a declined run in the list, and moves it there when training starts with the offer open', async () => {
    const library = new MemoryLibrary();
    const file = modelFile('', 77);
    await library.save({ id: AUTOSAVE_ID, name: 'VAE on MNIST digits, step 77', savedAt: '2026-12-01T09:00:00.000Z', family: 'VAE', datasetId: 'mnist', datasetName: 'MNIST digits', step: 77, latentDim: 2, negativeElbo: 99, negativeElboOn: 'test', bytes: file.length }, file);
    const h = harness({}, { library });
    await h.flush();
    expect(h.controller.keep.store.get().resume?.step).toBe(77);
    h.ready();
    h.worker.emit(statusEvent(true, 0));
    await h.flush();
    expect(h.controller.keep.store.get().resume).toBeNull();
    expect((await library.list()).map((i) => [i.name, i.step])).toEqual([['VAE on MNIST digits, step 77 (autosaved)', 77]]);
    expect(await library.get(AUTOSAVE_ID)).toBeNull();
  });
});
