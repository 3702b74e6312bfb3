/**
 * The models saved in this browser: a list of entries (name, date, data set, step, −ELBO) and the
 * bytes of each model file, behind one small interface. IndexedDB holds them in the page
 * (indexedDbLibrary.ts); tests use the in-memory one below. One entry, AUTOSAVE_ID, is the
 * current run's autosave, kept apart from the list.
 */
import { FAMILIES, isFamilyId } from '../../core/models/catalog';
import type { ModelFileHeader } from '../../core/io/modelFile';

export const AUTOSAVE_ID = 'autosave';

export interface SavedModelInfo {
  id: string;
  name: string;
  /** ISO 8601. */
  savedAt: string;
  family: string;
  datasetId: string;
  datasetName: string;
  step: number;
  latentDim: number;
  /** The last test −ELBO if one was measured, else the last training −ELBO (nats), or null. */
  negativeElbo: number | null;
  negativeElboOn: 'test' | 'training' | null;
  bytes: number;
}

export interface ModelLibrary {
  /** The saved models, newest first (without the autosave). */
  list(): Promise<SavedModelInfo[]>;
  get(id: string): Promise<SavedModelInfo | null>;
  read(id: string): Promise<Uint8Array | null>;
  /** Add or replace an entry and its file. */
  save(info: SavedModelInfo, file: Uint8Array): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  remove(id: string): Promise<void>;
}

/** The list entry of a model file (what its header says), under `id`. */
export function infoOf(id: string, header: ModelFileHeader, bytes: number): SavedModelInfo {
  const summary = (header.page.summary ?? {}) as { testNegativeElbo?: unknown; trainNegativeElbo?: unknown };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const test = num(summary.testNegativeElbo);
  const train = num(summary.trainNegativeElbo);
  const family = header.model.family;
  return {
    id,
    name: header.name,
    savedAt: header.savedAt,
    family: isFamilyId(family) ? FAMILIES[family].label : family,
    datasetId: header.data.id,
    datasetName: header.data.name,
    step: header.progress.step,
    latentDim: header.model.latentDim,
    negativeElbo: test ?? train,
    negativeElboOn: test !== null ? 'test' : train !== null ? 'training' : null,
    bytes,
  };
}

/** A fresh id for a saved model. */
export function newModelId(now = Date.now()): string {
  return `m${now.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}

export function byNewest(a: SavedModelInfo, b: SavedModelInfo): number {
  return b.savedAt.localeCompare(a.savedAt);
}

/** The library in memory (tests; a browser without IndexedDB). */
export class MemoryLibrary implements ModelLibrary {
  private readonly entries = new Map<string, { info: SavedModelInfo; file: Uint8Array }>();

  async list(): Promise<SavedModelInfo[]> {
    return [...this.entries.values()].map((e) => ({ ...e.info })).filter((i) => i.id !== AUTOSAVE_ID).sort(byNewest);
  }

  async get(id: string): Promise<SavedModelInfo | null> {
    const e = this.entries.get(id);
    return e ? { ...e.info } : null;
  }

  async read(id: string): Promise<Uint8Array | null> {
    return this.entries.get(id)?.file.slice() ?? null;
  }

  async save(info: SavedModelInfo, file: Uint8Array): Promise<void> {
    this.entries.set(info.id, { info: { ...info }, file: file.slice() });
  }

  async rename(id: string, name: string): Promise<void> {
    const e = this.entries.get(id);
    if (e) e.info = { ...e.info, name };
  }

  async remove(id: string): Promise<void> {
    this.entries.delete(id);
  }
}
