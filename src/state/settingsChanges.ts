/**
 * How a setting changes: a proposed value is checked (refused, clamped, cautioned), a live one
 * applies at the next step (with a marker on the loss chart), one that needs a new model asks
 * first when a trained model would be lost, and a preset sets up its lesson the same way. The
 * URL follows every change. The worker is told through the host; no tensors here.
 */
import type { Checked } from '../core/settings/spec';
import type { TrainingConfig } from '../core/training/config';
import type { AppState, Notice } from './appState';
import type { HistoryMarker } from './history';
import {
  cautionOf,
  checkSetting,
  displaySetting,
  formatSetting,
  needsNewModel,
  presetById,
  SETTINGS,
  settingsFromUrl,
  settingsToUrl,
  trainingOf,
  type SettingKey,
  type Settings,
} from './settings';
import { formatShort } from './snapshots';
import type { Store } from './store';
import type { Timeline } from './timeline';
import { initialView, type ViewState } from './viewState';

export interface SettingsHost {
  store: Store<AppState>;
  view: Store<ViewState>;
  timeline: Timeline;
  notify(level: Notice['level'], text: string): void;
  /** The settings' URL form after each change (history.replaceState in the page). */
  writeUrl?(hash: string): void;
  /** Live training settings for the worker, from the next step. */
  sendTraining(change: Partial<TrainingConfig>): void;
  openLabTab(tab: ViewState['labTab']): void;
  /** A preset's interpolation between two classes (the "Use the model" tab). */
  interpolateClasses(from: number | null, to: number | null): void;
  /** The settings now in force need a new model (a new worker when the backend changed). */
  rebuild(backendChanged: boolean): void;
}

export class SettingsChanges {
  constructor(private readonly host: SettingsHost) {}

  private get settings(): Settings {
    return this.host.store.get().settings;
  }

  /**
   * Propose a new value for a setting. Live settings apply at the next step; settings that need
   * a new model ask first when a trained model would be lost. Returns the check's outcome so the
   * input can show why a value was clamped or refused.
   */
  change<K extends SettingKey>(key: K, raw: unknown): Checked<Settings[K]> {
    const checked = checkSetting(key, raw);
    if (!checked.ok) {
      this.host.notify('warning', `${checked.message}. Kept ${formatSetting(key, this.settings[key])}.`);
      return checked;
    }
    if (checked.message) this.host.notify('info', `${checked.message}.`);
    if (checked.value === this.settings[key]) return checked;
    const caution = cautionOf(key, checked.value);
    if (caution) this.host.notify('warning', `${caution}.`);
    const next = { ...this.settings, [key]: checked.value } as Settings;
    if (SETTINGS[key].effect === 'live') {
      this.applyLive(key, next);
      return checked;
    }
    this.propose({ [key]: checked.value } as Partial<Settings>, `Changing ${SETTINGS[key].label} to ${displaySetting(key, checked.value)}`);
    return checked;
  }

  /** Set up a lesson: the defaults plus the preset's settings (asks first if a trained model would go). */
  applyPreset(id: string): void {
    const preset = presetById(id);
    if (!preset) return;
    this.host.view.set((v) => ({ ...v, preset: id }));
    const { settings } = settingsFromUrl(preset.hash);
    // the backend is the user's machine's choice, not the lesson's
    const change: Partial<Settings> = { ...settings, backend: this.settings.backend };
    if (preset.tab) this.host.openLabTab(preset.tab);
    const interpolate = preset.tools?.interpolate;
    if (interpolate) this.host.interpolateClasses(interpolate.from, interpolate.to);
    const differs = (Object.keys(change) as SettingKey[]).some((k) => change[k] !== this.settings[k]);
    if (!differs) return;
    const modelChange = (Object.keys(change) as SettingKey[]).some((k) => needsNewModel(k) && change[k] !== this.settings[k]);
    if (!modelChange) {
      for (const key of Object.keys(change) as SettingKey[]) if (change[key] !== this.settings[key]) this.applyLive(key, { ...this.settings, [key]: change[key] } as Settings);
      return;
    }
    this.propose(change, `The preset “${preset.label}”`);
  }

  confirmPending(): void {
    const pending = this.host.store.get().pendingChange;
    if (!pending) return;
    this.host.store.set((s) => ({ ...s, pendingChange: null }));
    // merge into the settings as they are now: live edits made while the question was open stay
    this.applyModelChange({ ...this.settings, ...pending.change });
  }

  cancelPending(): void {
    this.host.store.set((s) => ({ ...s, pendingChange: null }));
  }

  /** A change that needs a new model: at once before training, else after the user confirms. */
  propose(change: Partial<Settings>, what: string): void {
    const { training } = this.host.store.get();
    if (training.step > 0) {
      this.host.store.set((s) => ({
        ...s,
        pendingChange: { change, description: `${what} needs a new model: the one trained for ${training.step.toLocaleString()} steps will be discarded.` },
      }));
      return;
    }
    this.applyModelChange({ ...this.settings, ...change });
  }

  /** The settings in force become `next`, and the URL says so. */
  set(next: Settings): void {
    this.host.store.set((s) => ({ ...s, settings: next }));
    this.host.writeUrl?.(settingsToUrl(next));
  }

  private applyLive(key: SettingKey, next: Settings): void {
    this.set(next);
    const step = this.host.timeline.at(this.host.store.get().training.step);
    if (key === 'beta') this.addMarker({ step, kind: 'beta', label: `β=${formatShort(next.beta)}` });
    if (key === 'learningRate') this.addMarker({ step, kind: 'learningRate', label: `lr=${next.learningRate}` });
    if (key === 'comparisonSteps') {
      this.host.store.set((s) => (s.comparison.status === 'running' ? s : { ...s, comparison: { ...s.comparison, stepsPerModel: next.comparisonSteps } }));
      return;
    }
    if (key === 'klSchedule' || key === 'freeBits') this.addMarker({ step, kind: 'beta', label: key === 'freeBits' ? `λ=${next.freeBits}` : next.klSchedule });
    this.host.sendTraining(trainingOf(next));
  }

  /** New settings that need a new model: the old model's figures and views go, then the host rebuilds. */
  private applyModelChange(next: Settings): void {
    const backendChanged = next.backend !== this.settings.backend;
    const sameData = next.dataset === this.settings.dataset;
    this.set(next);
    // the picked class survives a new model on the same data (another data set may not have it)
    this.host.view.set((v) => ({ ...initialView(next.latentDim, v.labTab, sameData ? v.decodeClass : 0), preset: v.preset }));
    this.host.store.set((s) => ({
      ...s,
      latents: null,
      codes: null,
      prior: null,
      classifier: { latest: null, history: [] },
      pointFactors: sameData ? s.pointFactors : null,
      previewImages: sameData ? s.previewImages : null,
      history: { train: [], test: [], markers: [] },
      training: { ...s.training, latest: null, latestTest: null },
    }));
    this.host.rebuild(backendChanged);
  }

  private addMarker(marker: HistoryMarker): void {
    this.host.store.set((s) => ({ ...s, history: { ...s.history, markers: [...s.history.markers, marker].slice(-200) } }));
  }
}
