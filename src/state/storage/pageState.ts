/**
 * The page's part of a model file (the header's `page`): the settings as their URL hash (the
 * one serialisation of settings there is), the loss history with its markers, the chart's time
 * offset and the latest −ELBOs for the list of saved models. Reading it back checks every part
 * and that the settings describe the file's model, so the page never shows settings of another
 * model than the one training.
 */
import type { ModelFileHeader } from '../../core/io/modelFile';
import type { AppState } from '../appState';
import type { Message } from '../notices';
import type { HistoryMarker, HistoryPoint, LossHistory } from '../history';
import { modelConfigOf, settingsFromUrl, settingsToUrl, type Settings } from '../settings';

export interface SavedPageState {
  /** The settings as a URL hash (without "#"): only what differs from the defaults. */
  settings: string;
  history: LossHistory;
  chartOffset: number;
  summary: { trainNegativeElbo: number | null; testNegativeElbo: number | null };
}

/** What a loaded file brings back to the page. */
export interface RestoredRun {
  settings: Settings;
  history: LossHistory;
  chartOffset: number;
  /** Settings the file had that this page clamped or dropped. */
  messages: Message[];
}

const finiteOrNull = (v: number | undefined | null) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function pageStateOf(state: AppState, chartOffset: number): SavedPageState {
  return {
    settings: settingsToUrl(state.settings),
    history: state.history,
    chartOffset,
    summary: { trainNegativeElbo: finiteOrNull(state.training.latest?.negativeElbo), testNegativeElbo: finiteOrNull(state.training.latestTest?.negativeElbo) },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A history point from JSON (NaN and ±∞ travel as null). */
function point(raw: unknown): HistoryPoint | null {
  if (!isRecord(raw) || typeof raw.step !== 'number' || !isRecord(raw.values)) return null;
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw.values)) values[k] = typeof v === 'number' ? v : Number.NaN;
  const p: HistoryPoint = { step: raw.step, values, beta: typeof raw.beta === 'number' ? raw.beta : Number.NaN };
  if (typeof raw.capacity === 'number') p.capacity = raw.capacity;
  return p;
}

const MARKER_KINDS: readonly HistoryMarker['kind'][] = ['beta', 'reset', 'diverged', 'learningRate'];

function marker(raw: unknown): HistoryMarker | null {
  if (!isRecord(raw) || typeof raw.step !== 'number' || typeof raw.label !== 'string' || !MARKER_KINDS.includes(raw.kind as HistoryMarker['kind'])) return null;
  return { step: raw.step, kind: raw.kind as HistoryMarker['kind'], label: raw.label };
}

function series<T>(raw: unknown, read: (x: unknown) => T | null): T[] | null {
  if (!Array.isArray(raw)) return null;
  const out: T[] = [];
  for (const x of raw) {
    const v = read(x);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

/** The run a file brings back, or why the page cannot show it. */
export function restoredRunOf(header: ModelFileHeader): { ok: true; run: RestoredRun } | { ok: false; message: string } {
  const page = header.page;
  if (typeof page.settings !== 'string') return { ok: false, message: 'The file is damaged: it does not hold the page’s settings.' };
  const { settings, messages } = settingsFromUrl(page.settings);
  const h = isRecord(page.history) ? page.history : null;
  const train = h && series(h.train, point);
  const test = h && series(h.test, point);
  const markers = h && series(h.markers, marker);
  if (!train || !test || !markers) return { ok: false, message: 'The file is damaged: its loss history cannot be read.' };
  const chartOffset = typeof page.chartOffset === 'number' && Number.isFinite(page.chartOffset) && page.chartOffset >= 0 ? page.chartOffset : 0;
  // the settings must describe the model in the file (its data set's shape comes from the file)
  const described = { ...modelConfigOf(settings), imageShape: header.model.imageShape, classCount: header.model.classCount };
  const keys = ['family', 'network', 'latentDim', 'hiddenDim', 'likelihood', 'seed', 'imageShape', 'classCount', 'options'] as const;
  const differs = keys.filter((k) => JSON.stringify(described[k]) !== JSON.stringify(header.model[k]));
  if (differs.length || settings.dataset !== header.data.id) {
    return { ok: false, message: `The file’s settings do not describe its model (${[...differs, ...(settings.dataset !== header.data.id ? ['dataset'] : [])].join(', ')} differ).` };
  }
  return { ok: true, run: { settings, history: { train, test, markers }, chartOffset, messages } };
}
