/**
 * Keeping and sharing models, on the page's side: "Save model" (to this browser's list),
 * downloading a model file, "Load model" (from a file or the list), "Export for PyTorch", the
 * autosave of the run in training (every minute while training and when it pauses) and the
 * "Resume your last run?" offer after a reload. The worker writes and reads the files; this
 * module names them, keeps them (a ModelLibrary: IndexedDB in the page), checks a file before
 * the worker sees it and hands the page's part of a loaded file to the controller. Its own
 * small store holds what the keep-and-share bar shows.
 */
import { readModelFile, MODEL_FILE_EXTENSION } from '../../core/io/modelFile';
import { FAMILIES } from '../../core/models/catalog';
import { DATASETS } from '../../data/catalog';
import type { TrainingClient } from '../../worker/client';
import type { AppState, Notice, NoticeGroupKey } from '../appState';
import { Store } from '../store';
import { AUTOSAVE_ID, infoOf, newModelId, type ModelLibrary, type SavedModelInfo } from './library';
import { pageStateOf, restoredRunOf, type RestoredRun } from './pageState';

/** How often the run in training is saved for "Resume your last run?", ms. */
export const AUTOSAVE_EVERY_MS = 60_000;

export type KeepTask = 'saving' | 'downloading' | 'loading' | 'exporting';

export interface KeepState {
  /** Whether this browser can keep models (IndexedDB opened). */
  available: boolean;
  saved: SavedModelInfo[];
  /** What is being done right now (the buttons wait for it). */
  busy: KeepTask | null;
  /** The autosaved run offered back after a reload, until resumed or declined. */
  resume: SavedModelInfo | null;
  /** When the current run was last autosaved (ISO), or null. */
  lastAutosave: string | null;
}

export interface KeeperHost {
  client(): TrainingClient;
  store: Store<AppState>;
  /** The loss chart's step of the current model's step 0. */
  chartOffset(): number;
  /** The run of a file the worker is about to load (null: it will not after all). */
  expectRun(run: RestoredRun | null): void;
  notify(level: Notice['level'], text: string, group?: NoticeGroupKey): void;
  library: ModelLibrary | null;
  /** Offer bytes as a download (the page's DOM); absent in tests that do not need it. */
  download?(file: Uint8Array, name: string, type: string): void;
  now(): number;
  autosaveEveryMs?: number;
}

/** A file name from a model's name: "VAE on MNIST, step 1,200" → "vae-on-mnist-step-1200". */
export function fileStem(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'model'
  );
}

/** "VAE on MNIST": the family and the data set of the run. */
export function runTitle(s: AppState): string {
  const family = FAMILIES[s.settings.model].label;
  const data = s.data.summary?.name ?? DATASETS[s.settings.dataset].shortName;
  return `${family} on ${data}`;
}

/** "VAE on MNIST, step 1,200": the name a saved model gets unless the user gives one. */
export function defaultModelName(s: AppState): string {
  return `${runTitle(s)}, step ${s.training.step.toLocaleString('en-US')}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Keeper {
  readonly store: Store<KeepState>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: () => void;
  private wasRunning = false;
  /** The step last autosaved (nothing new to save at the same step). */
  private autosavedStep = -1;
  private disposed = false;
  private autosaving = false;

  constructor(private readonly host: KeeperHost) {
    this.store = new Store<KeepState>({ available: host.library !== null, saved: [], busy: null, resume: null, lastAutosave: null });
    this.unsubscribe = host.store.subscribe(() => this.onAppState());
  }

  /** Read the list and look for a run to offer back; call once at start. */
  async init(): Promise<void> {
    const library = this.host.library;
    if (!library) return;
    try {
      await this.refresh();
      const last = await library.get(AUTOSAVE_ID);
      if (last && !this.disposed) this.store.set((k) => ({ ...k, resume: last }));
    } catch (error) {
      this.store.set((k) => ({ ...k, available: false }));
      this.host.notify('warning', `This browser cannot keep models (${errorText(error)}); downloads still work.`);
    }
  }

  private get canExport(): boolean {
    const s = this.host.store.get();
    return s.model !== null && s.data.stage === 'ready' && this.store.get().busy === null;
  }

  /** "Save model": the model in training, into this browser's list. */
  async saveToBrowser(name = defaultModelName(this.host.store.get())): Promise<SavedModelInfo | null> {
    const library = this.host.library;
    if (!library || !this.canExport) return null;
    return this.task('saving', async () => {
      const file = await this.exportFile(name);
      const info = this.infoFor(newModelId(this.host.now()), file);
      await library.save(info, file);
      await this.refresh();
      this.host.notify('info', `Saved “${info.name}” in this browser.`);
      return info;
    }, 'Saving the model failed');
  }

  /** Download the model in training as a .vaemodel file. */
  async downloadModel(name = defaultModelName(this.host.store.get())): Promise<void> {
    if (!this.canExport || !this.host.download) return;
    await this.task('downloading', async () => {
      const file = await this.exportFile(name);
      this.host.download?.(file, `${fileStem(name)}${MODEL_FILE_EXTENSION}`, 'application/octet-stream');
    }, 'Writing the model file failed');
  }

  /** "Export for PyTorch": a zip of model.safetensors, vae_model.py and a readme. */
  async exportPytorch(): Promise<void> {
    if (!this.canExport || !this.host.download) return;
    const name = defaultModelName(this.host.store.get());
    await this.task('exporting', async () => {
      const zip = await this.host.client().exportPytorch(new Date(this.host.now()).toISOString());
      this.host.download?.(zip, `${fileStem(name)}-pytorch.zip`, 'application/zip');
    }, 'The PyTorch export failed');
  }

  /** "Load model" from a file's bytes; resolves true when the model in training is the file's. */
  async loadFile(bytes: Uint8Array, fileName: string): Promise<boolean> {
    if (this.store.get().busy !== null) return false;
    const read = readModelFile(bytes);
    if (!read.ok) {
      this.host.notify('error', `Could not load “${fileName}”: ${read.message}`);
      return false;
    }
    const restored = restoredRunOf(read.header);
    if (!restored.ok) {
      this.host.notify('error', `Could not load “${fileName}”: ${restored.message}`);
      return false;
    }
    const loaded = await this.task('loading', async () => {
      this.host.expectRun(restored.run);
      try {
        return await this.host.client().importModel(bytes.slice());
      } catch (error) {
        this.host.expectRun(null);
        throw error;
      }
    }, `Could not load “${fileName}”`);
    if (loaded === null) return false;
    this.autosavedStep = loaded;
    for (const m of restored.run.messages) this.host.notify('warning', m.text, m.group);
    this.host.notify('info', `Loaded “${read.header.name}”: step ${loaded.toLocaleString('en-US')}. Press Train to go on.`);
    return true;
  }

  /** Load an entry of this browser's list. */
  async loadSaved(id: string): Promise<boolean> {
    const file = await this.host.library?.read(id);
    const info = this.store.get().saved.find((s) => s.id === id) ?? (await this.host.library?.get(id));
    if (!file) {
      this.host.notify('error', 'That saved model is gone from this browser’s storage.');
      await this.refresh();
      return false;
    }
    return this.loadFile(file, info?.name ?? 'saved model');
  }

  /** Download an entry of the list as a file. */
  async downloadSaved(id: string): Promise<void> {
    const file = await this.host.library?.read(id);
    const info = this.store.get().saved.find((s) => s.id === id);
    if (file && info) this.host.download?.(file, `${fileStem(info.name)}${MODEL_FILE_EXTENSION}`, 'application/octet-stream');
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim().slice(0, 200);
    if (!trimmed || !this.host.library) return;
    await this.host.library.rename(id, trimmed);
    await this.refresh();
  }

  async remove(id: string): Promise<void> {
    if (!this.host.library) return;
    await this.host.library.remove(id);
    await this.refresh();
  }

  /** "Resume your last run?" → yes. */
  async resume(): Promise<boolean> {
    const offer = this.store.get().resume;
    if (!offer) return false;
    const file = await this.host.library?.read(AUTOSAVE_ID);
    this.store.set((k) => ({ ...k, resume: null }));
    if (!file) return false;
    return this.loadFile(file, offer.name);
  }

  /**
   * "Resume your last run?" → not now: the run is kept in the list (the next autosave would
   * otherwise overwrite it unseen).
   */
  async declineResume(): Promise<void> {
    const offer = this.store.get().resume;
    if (!offer) return;
    this.store.set((k) => ({ ...k, resume: null }));
    const library = this.host.library;
    const file = await library?.read(AUTOSAVE_ID);
    if (!library || !file) return;
    await library.save({ ...offer, id: newModelId(this.host.now()), name: `${offer.name} (autosaved)` }, file);
    await library.remove(AUTOSAVE_ID);
    await this.refresh();
  }

  /** Save the run in training for "Resume your last run?" (nothing when nothing changed). */
  async autosave(): Promise<void> {
    const library = this.host.library;
    const s = this.host.store.get();
    if (!library || this.autosaving || !this.canExport || s.training.step === 0 || s.training.step === this.autosavedStep) return;
    this.autosaving = true;
    try {
      // the offered run is not overwritten unseen
      if (this.store.get().resume) await this.declineResume();
      const file = await this.exportFile(`${defaultModelName(s)}`);
      const info = this.infoFor(AUTOSAVE_ID, file);
      await library.save(info, file);
      this.autosavedStep = info.step;
      this.store.set((k) => ({ ...k, lastAutosave: info.savedAt }));
    } catch (error) {
      // a model replaced meanwhile, storage full: the next autosave tries again
      if (!this.disposed) this.host.notify('warning', `Autosave failed: ${errorText(error)}`);
    } finally {
      this.autosaving = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    this.stopTimer();
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private async refresh(): Promise<void> {
    const library = this.host.library;
    if (!library) return;
    const saved = await library.list();
    if (!this.disposed) this.store.set((k) => ({ ...k, saved }));
  }

  private exportFile(name: string): Promise<Uint8Array> {
    const s = this.host.store.get();
    const page = pageStateOf(s, this.host.chartOffset()) as unknown as Record<string, unknown>;
    return this.host.client().exportModel(name, new Date(this.host.now()).toISOString(), page);
  }

  private infoFor(id: string, file: Uint8Array): SavedModelInfo {
    const read = readModelFile(file);
    if (!read.ok) throw new Error(read.message);
    return infoOf(id, read.header, file.length);
  }

  /** Run a task with the bar's buttons waiting; a failure becomes an error notice and null. */
  private async task<T>(what: KeepTask, job: () => Promise<T>, failure: string): Promise<T | null> {
    this.store.set((k) => ({ ...k, busy: what }));
    try {
      return await job();
    } catch (error) {
      if (!this.disposed) this.host.notify('error', `${failure}: ${errorText(error)}`);
      return null;
    } finally {
      if (!this.disposed) this.store.set((k) => ({ ...k, busy: null }));
    }
  }

  /** Autosave every minute while training, and once when training pauses. */
  private onAppState(): void {
    const running = this.host.store.get().training.running;
    if (running === this.wasRunning) return;
    this.wasRunning = running;
    if (running) {
      // Train with the offer still open: the offered run goes to the list, not under the autosave
      if (this.store.get().resume) void this.declineResume();
      this.stopTimer();
      this.timer = setInterval(() => void this.autosave(), this.host.autosaveEveryMs ?? AUTOSAVE_EVERY_MS);
    } else {
      this.stopTimer();
      void this.autosave();
    }
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
