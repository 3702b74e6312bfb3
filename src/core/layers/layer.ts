/** What every layer is told: its activation and where its variables live. */
import type { VariableScope } from './scope';

export type Activation = 'linear' | 'relu';

/** Where a layer lives: its model's variable scope and its own path in it (`encoder/hidden`). */
export interface LayerPlace {
  scope: VariableScope;
  path: string;
}
