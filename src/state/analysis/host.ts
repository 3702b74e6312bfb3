/** What the tools of a trained model need from the controller: the worker, the model's generation, the app's state. */
import type { TrainingClient } from '../../worker/client';
import type { AppState } from '../appState';
import type { Store } from '../store';

export interface AnalysisHost {
  client(): TrainingClient;
  /** Bumped whenever a new model is asked for. */
  generation(): number;
  store: Store<AppState>;
  /** The tools' tab is on screen (the live tools refresh only then). */
  visible(): boolean;
  onError(text: string): void;
}
