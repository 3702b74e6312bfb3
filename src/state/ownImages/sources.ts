/**
 * Where your own images come from: picked files, a picked or dropped folder (its files with their
 * paths, for the labels), or a zip (its entries). Each is an ImageSource, read only when needed.
 */
import { listZip, readZipEntry } from '../../core/io/zipReader';

export interface ImageSource {
  /** The path the labels are read from ("pets/cats/1.png"). */
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

/** A file the reader could not even list (a damaged zip), with why. */
export interface Unreadable {
  path: string;
  reason: string;
}

export function isZipName(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

/** The entries of a zip as sources under the zip's own name (its folders give labels). */
export function zipSources(bytes: Uint8Array, zipName: string): ImageSource[] {
  const base = zipName.replace(/\.zip$/i, '');
  return listZip(bytes)
    .filter((e) => !e.name.startsWith('__MACOSX/') && !e.name.split('/').some((part) => part.startsWith('.')))
    .map((entry) => ({ path: `${base}/${entry.name}`, size: entry.size, read: () => readZipEntry(bytes, entry) }));
}

/** The file itself, or a zip's entries. */
export async function sourcesOfFile(file: File, path = file.webkitRelativePath || file.name): Promise<{ sources: ImageSource[]; unreadable: Unreadable[] }> {
  if (isZipName(file.name)) {
    try {
      return { sources: zipSources(new Uint8Array(await file.arrayBuffer()), path), unreadable: [] };
    } catch (error) {
      return { sources: [], unreadable: [{ path, reason: `the zip cannot be read: ${error instanceof Error ? error.message : String(error)}` }] };
    }
  }
  return { sources: [{ path, size: file.size, read: async () => new Uint8Array(await file.arrayBuffer()) }], unreadable: [] };
}

/** The files of an <input type="file" multiple> or webkitdirectory picker. */
export async function sourcesOfFiles(files: Iterable<File>): Promise<{ sources: ImageSource[]; unreadable: Unreadable[] }> {
  const out = { sources: [] as ImageSource[], unreadable: [] as Unreadable[] };
  for (const file of files) {
    const r = await sourcesOfFile(file);
    out.sources.push(...r.sources);
    out.unreadable.push(...r.unreadable);
  }
  return out;
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  // readEntries hands out a batch at a time until it returns none
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: { sources: ImageSource[]; unreadable: Unreadable[] }, limit: number): Promise<void> {
  if (out.sources.length >= limit) return;
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.name.startsWith('.')) return;
  if (entry.isFile) {
    try {
      const r = await sourcesOfFile(await fileOf(entry as FileSystemFileEntry), path);
      out.sources.push(...r.sources);
      out.unreadable.push(...r.unreadable);
    } catch (error) {
      out.unreadable.push({ path, reason: `it cannot be read (${error instanceof Error ? error.message : String(error)})` });
    }
    return;
  }
  if (entry.isDirectory) for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, out, limit);
}

/** What was dropped: files and folders (walked, with their paths) and zips. */
export async function sourcesOfDrop(transfer: DataTransfer, limit: number): Promise<{ sources: ImageSource[]; unreadable: Unreadable[] }> {
  const entries = Array.from(transfer.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null))
    .filter((e): e is FileSystemEntry => Boolean(e));
  if (entries.length === 0) return sourcesOfFiles(Array.from(transfer.files));
  const out = { sources: [] as ImageSource[], unreadable: [] as Unreadable[] };
  for (const entry of entries) await walk(entry, out, limit);
  return out;
}
