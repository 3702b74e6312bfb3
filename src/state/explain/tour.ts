/**
 * The first visit: a one-line invitation and a three-step tour (Train → drag the probe → raise
 * β). Dismissing either is remembered in the browser (localStorage), so it never comes back
 * unless asked for ("Tour" in the header).
 */
import { Store } from '../store';

export const TOUR_STORAGE_KEY = 'vae-playground:tour';

export interface TourStep {
  title: string;
  text: string;
  /** The element the step points at (a CSS selector), highlighted while the step shows. */
  target: string;
}

export const TOUR_STEPS: readonly TourStep[] = [
  { title: 'Train', text: 'Press Train. The loss curves split the loss into its two terms: reconstruction falls fast, the KL rises as the codes start to carry information.', target: '[data-tour="train"]' },
  { title: 'Drag the probe', text: 'Drag the probe across the latent space (or use the arrow keys): the decoder draws what it makes of each point, even between the classes.', target: '.latent-panel' },
  { title: 'Raise β', text: 'Raise β, the weight of the KL term: the codes are pulled towards the prior, the clusters overlap and the reconstructions blur.', target: '[data-tour="beta"]' },
];

export type TourPhase = 'invite' | 'touring' | 'hidden';

export interface TourState {
  phase: TourPhase;
  step: number;
}

/** The part of the Web Storage API the tour needs (a fake in tests). */
export interface TourStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export class Tour {
  readonly store: Store<TourState>;

  constructor(private readonly storage: TourStorage | null) {
    this.store = new Store<TourState>({ phase: this.dismissedBefore() ? 'hidden' : 'invite', step: 0 });
  }

  start(): void {
    this.store.set(() => ({ phase: 'touring', step: 0 }));
  }

  next(): void {
    const { step } = this.store.get();
    if (step + 1 >= TOUR_STEPS.length) this.dismiss();
    else this.store.set((s) => ({ ...s, step: step + 1 }));
  }

  back(): void {
    this.store.set((s) => ({ ...s, step: Math.max(0, s.step - 1) }));
  }

  /** Close the invitation or the tour, for good (until asked for again). */
  dismiss(): void {
    this.store.set((s) => ({ ...s, phase: 'hidden' }));
    try {
      this.storage?.setItem(TOUR_STORAGE_KEY, 'dismissed');
    } catch {
      // storage may be full or forbidden (private mode): the tour stays closed for this visit
    }
  }

  private dismissedBefore(): boolean {
    try {
      return this.storage?.getItem(TOUR_STORAGE_KEY) === 'dismissed';
    } catch {
      return false;
    }
  }
}
