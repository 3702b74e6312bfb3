/** The first visit's invitation and tour: three steps, dismissed for good, re-opened on request. */
import { describe, expect, it } from 'vitest';
import { Tour, TOUR_STEPS, TOUR_STORAGE_KEY, type TourStorage } from '../../src/state/explain/tour';

class MemoryStorage implements TourStorage {
  items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe('the tour', () => {
  it('invites on the first visit and walks Train → drag the probe → raise β', () => {
    const tour = new Tour(new MemoryStorage());
    expect(tour.store.get().phase).toBe('invite');
    expect(TOUR_STEPS.map((s) => s.title)).toEqual(['Train', 'Drag the probe', 'Raise β']);
    tour.start();
    tour.next();
    expect(tour.store.get()).toEqual({ phase: 'touring', step: 1 });
    tour.back();
    expect(tour.store.get().step).toBe(0);
  });

  it('stays dismissed on the next visit, and comes back when asked', () => {
    const storage = new MemoryStorage();
    new Tour(storage).dismiss();
    expect(storage.getItem(TOUR_STORAGE_KEY)).toBe('dismissed');
    const again = new Tour(storage);
    expect(again.store.get().phase).toBe('hidden');
    again.start();
    expect(again.store.get().phase).toBe('touring');
  });

  it('finishing the last step counts as dismissing', () => {
    const storage = new MemoryStorage();
    const tour = new Tour(storage);
    tour.start();
    for (let i = 0; i < TOUR_STEPS.length; i++) tour.next();
    expect(tour.store.get().phase).toBe('hidden');
    expect(new Tour(storage).store.get().phase).toBe('hidden');
  });

  it('works without storage (private mode, storage that throws)', () => {
    const throwing: TourStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const tour = new Tour(throwing);
    expect(tour.store.get().phase).toBe('invite');
    tour.dismiss();
    expect(tour.store.get().phase).toBe('hidden');
    expect(new Tour(null).store.get().phase).toBe('invite');
  });
});
