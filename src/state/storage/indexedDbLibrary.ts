/**
 * The saved models in IndexedDB: database "vae-playground", a store of list entries ("models",
 * by id) and one of model files ("files", by the same id), written together in one transaction
 * so an entry never lacks its file.
 */
import { AUTOSAVE_ID, byNewest, type ModelLibrary, type SavedModelInfo } from './library';

const DB_NAME = 'vae-playground';
const DB_VERSION = 1;
const MODELS = 'models';
const FILES = 'files';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class IndexedDbLibrary implements ModelLibrary {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory = indexedDB) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = this.factory.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'id' });
        if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB cannot be opened'));
      request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this page'));
    });
    return this.db;
  }

  async list(): Promise<SavedModelInfo[]> {
    const db = await this.open();
    const all = await promised(db.transaction(MODELS, 'readonly').objectStore(MODELS).getAll() as IDBRequest<SavedModelInfo[]>);
    return all.filter((i) => i.id !== AUTOSAVE_ID).sort(byNewest);
  }

  async get(id: string): Promise<SavedModelInfo | null> {
    const db = await this.open();
    return ((await promised(db.transaction(MODELS, 'readonly').objectStore(MODELS).get(id))) as SavedModelInfo | undefined) ?? null;
  }

  async read(id: string): Promise<Uint8Array | null> {
    const db = await this.open();
    const value = (await promised(db.transaction(FILES, 'readonly').objectStore(FILES).get(id))) as ArrayBuffer | undefined;
    return value ? new Uint8Array(value) : null;
  }

  async save(info: SavedModelInfo, file: Uint8Array): Promise<void> {
    const db = await this.open();
    const tx = db.transaction([MODELS, FILES], 'readwrite');
    tx.objectStore(MODELS).put(info);
    tx.objectStore(FILES).put(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength), info.id);
    await done(tx);
  }

  async rename(id: string, name: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(MODELS, 'readwrite');
    const store = tx.objectStore(MODELS);
    const info = (await promised(store.get(id))) as SavedModelInfo | undefined;
    if (info) store.put({ ...info, name });
    await done(tx);
  }

  async remove(id: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction([MODELS, FILES], 'readwrite');
    tx.objectStore(MODELS).delete(id);
    tx.objectStore(FILES).delete(id);
    await done(tx);
  }
}
