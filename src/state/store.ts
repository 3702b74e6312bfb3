/**
 * A minimal external store: one immutable state, replaced by update functions, with listeners.
 * The app keeps its state in one (appState.ts); React panels subscribe through ui/hooks/useStore.
 */
export class Store<S> {
  private listeners = new Set<() => void>();
  constructor(private state: S) {}

  get = (): S => this.state;

  set(update: (state: S) => S): void {
    const next = update(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
