/** A slice of a Store, re-rendering the component when the slice changes. */
import { useSyncExternalStore } from 'react';
import type { Store } from '../../state/store';

export function useStore<S, T>(store: Store<S>, selector: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}
