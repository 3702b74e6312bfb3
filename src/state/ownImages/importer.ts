/**
 * Your own images, from dropped files to a set ready to train on: each file is checked (size, a
 * PNG or a JPEG, not huge), decoded and fitted into the chosen square, labelled by its folder;
 * what cannot be used is listed with the reason; a count per class and a preview come before
 * training. Its own store holds what the images panel shows. The decoder is injected (the
 * browser's in the page, a fake in unit tests).
 */
import { labelsFromPaths } from '../../data/own/labels';
import { OWN_IMAGE_LIMITS, type OwnImages } from '../../data/own/ownDataset';
import { sniffImage } from '../../data/own/sniff';
import { Store } from '../store';
import type { ImageDecoder } from './decode';
import type { ImageSource, Unreadable } from './sources';

export type OwnSide = (typeof OWN_IMAGE_LIMITS.sides)[number];

/** Images shown in the preview. */
export const PREVIEW_COUNT = 48;
/** Files decoded at once. */
const CONCURRENCY = 4;

export interface ImageSetSummary {
  name: string;
  side: OwnSide;
  count: number;
  classNames: string[];
  perClass: number[];
  /** The first PREVIEW_COUNT images, grey levels 0…255, row-major; and their class indices. */
  preview: Uint8Array;
  previewLabels: Uint8Array;
  /** Files that are not used, with why. */
  skipped: Unreadable[];
  /** Usable images beyond the limit, left out. */
  leftOut: number;
  /** Images whose light background was made dark. */
  inverted: number;
}

export interface OwnImagesState {
  stage: 'empty' | 'reading' | 'ready';
  /** Files looked at so far, of `total` (while reading). */
  done: number;
  total: number;
  side: OwnSide;
  summary: ImageSetSummary | null;
  /** Whether the worker trains on this set (sent with useImages). */
  inUse: boolean;
}

const MB = 1024 * 1024;

function setName(paths: readonly string[]): string {
  const roots = new Set(paths.map((p) => (p.includes('/') ? p.split('/')[0] : '')));
  const root = roots.size === 1 ? [...roots][0] : '';
  return root ? `your images (${root})` : 'your images';
}

export class OwnImagesImporter {
  readonly store = new Store<OwnImagesState>({ stage: 'empty', done: 0, total: 0, side: 28, summary: null, inUse: false });
  private sources: ImageSource[] = [];
  private unreadable: Unreadable[] = [];
  private pixels: Uint8Array | null = null;
  private labels: Uint8Array | null = null;
  private generation = 0;

  constructor(private readonly decode: ImageDecoder) {}

  /** A new set of images (it replaces the one before). Resolves when it is read. */
  async add(found: { sources: ImageSource[]; unreadable: Unreadable[] }): Promise<ImageSetSummary | null> {
    this.sources = found.sources;
    this.unreadable = found.unreadable;
    return this.process();
  }

  /** Fit the same images into another size. */
  async setSide(side: OwnSide): Promise<ImageSetSummary | null> {
    if (side === this.store.get().side) return this.store.get().summary;
    this.store.set((s) => ({ ...s, side }));
    return this.sources.length ? this.process() : null;
  }

  clear(): void {
    this.generation += 1;
    this.sources = [];
    this.unreadable = [];
    this.pixels = null;
    this.labels = null;
    this.store.set((s) => ({ ...s, stage: 'empty', done: 0, total: 0, summary: null, inUse: false }));
  }

  /** The set as the worker takes it (a copy), or null when there is none that can train. */
  payload(): OwnImages | null {
    const summary = this.store.get().summary;
    if (!summary || !this.pixels || !this.labels || summary.count < OWN_IMAGE_LIMITS.minImages) return null;
    return { name: summary.name, side: summary.side, classNames: [...summary.classNames], pixels: this.pixels.slice(), labels: this.labels.slice(), count: summary.count };
  }

  markInUse(inUse: boolean): void {
    this.store.set((s) => ({ ...s, inUse }));
  }

  private async process(): Promise<ImageSetSummary | null> {
    const generation = ++this.generation;
    const side = this.store.get().side;
    const sources = this.sources;
    const total = sources.length;
    this.store.set((s) => ({ ...s, stage: 'reading', done: 0, total, inUse: false }));
    const results: ({ pixels: Uint8Array; inverted: boolean } | { reason: string } | null)[] = new Array(total).fill(null);
    let next = 0;
    let done = 0;
    let usable = 0;
    const worker = async () => {
      while (next < total && generation === this.generation) {
        const i = next++;
        // past the limit nothing more is decoded: the rest is only counted
        if (usable >= OWN_IMAGE_LIMITS.maxImages) {
          results[i] = { reason: 'left out' };
        } else {
          results[i] = await this.read(sources[i], side);
          if ('pixels' in (results[i] as object)) usable += 1;
        }
        done += 1;
        if (done % 25 === 0 || done === total) this.store.set((s) => (generation === this.generation ? { ...s, done } : s));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (generation !== this.generation) return null;

    const kept: { path: string; pixels: Uint8Array; inverted: boolean }[] = [];
    const skipped: Unreadable[] = [...this.unreadable];
    let leftOut = 0;
    results.forEach((r, i) => {
      if (!r) return;
      if ('pixels' in r) kept.push({ path: sources[i].path, ...r });
      else if (r.reason === 'left out') leftOut += 1;
      else skipped.push({ path: sources[i].path, reason: r.reason });
    });
    // a few decodes run past the limit at once: those are left out too
    if (kept.length > OWN_IMAGE_LIMITS.maxImages) {
      leftOut += kept.length - OWN_IMAGE_LIMITS.maxImages;
      kept.length = OWN_IMAGE_LIMITS.maxImages;
    }
    let { classNames, labels } = labelsFromPaths(kept.map((k) => k.path));
    if (classNames.length > OWN_IMAGE_LIMITS.maxClasses) {
      skipped.push({ path: '(folders)', reason: `${classNames.length} sub-folders are more than the ${OWN_IMAGE_LIMITS.maxClasses} classes allowed: the images are used without labels` });
      classNames = ['images'];
      labels = labels.map(() => 0);
    }
    const pixelsPer = side * side;
    const pixels = new Uint8Array(kept.length * pixelsPer);
    kept.forEach((k, i) => pixels.set(k.pixels, i * pixelsPer));
    this.pixels = pixels;
    this.labels = Uint8Array.from(labels);
    const shown = Math.min(PREVIEW_COUNT, kept.length);
    const perClass = classNames.map((_, c) => labels.filter((l) => l === c).length);
    const summary: ImageSetSummary = {
      name: setName(kept.map((k) => k.path)),
      side,
      count: kept.length,
      classNames,
      perClass,
      preview: pixels.slice(0, shown * pixelsPer),
      previewLabels: this.labels.slice(0, shown),
      skipped,
      leftOut,
      inverted: kept.filter((k) => k.inverted).length,
    };
    this.store.set((s) => ({ ...s, stage: 'ready', done: total, summary }));
    return summary;
  }

  /** One file as a training image, or why it cannot be one. */
  private async read(source: ImageSource, side: OwnSide): Promise<{ pixels: Uint8Array; inverted: boolean } | { reason: string }> {
    if (source.size > OWN_IMAGE_LIMITS.maxFileBytes) return { reason: `it is ${(source.size / MB).toFixed(0)} MB, more than the ${OWN_IMAGE_LIMITS.maxFileBytes / MB} MB allowed per image` };
    let bytes: Uint8Array;
    try {
      bytes = await source.read();
    } catch (error) {
      return { reason: `it cannot be read (${error instanceof Error ? error.message : String(error)})` };
    }
    const sniffed = sniffImage(bytes);
    if (sniffed.kind === 'other') return { reason: sniffed.what === 'empty' ? 'the file is empty' : `not a PNG or JPEG image (${sniffed.what})` };
    const { width, height } = sniffed;
    if (width < 1 || height < 1) return { reason: `the ${sniffed.kind.toUpperCase()} says it is ${width}×${height} pixels` };
    if (width * height > OWN_IMAGE_LIMITS.maxPixels) {
      return { reason: `${width.toLocaleString('en-US')}×${height.toLocaleString('en-US')} pixels is more than the ${OWN_IMAGE_LIMITS.maxPixels / 1e6} megapixels allowed` };
    }
    try {
      const decoded = await this.decode(bytes, width, height, side);
      return { pixels: Uint8Array.from(decoded.pixels, (v) => Math.round(v * 255)), inverted: decoded.inverted };
    } catch (error) {
      return { reason: `the ${sniffed.kind.toUpperCase()} cannot be decoded (${error instanceof Error ? error.message : String(error)})` };
    }
  }
}
