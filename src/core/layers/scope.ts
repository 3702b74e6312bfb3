/**
 * Where a model's variables get their names. A variable has a stable *path* inside its model
 * (`encoder/hidden/weight`), which is what saving and loading by name uses, and a tfjs name that
 * is the path under a prefix unique to the model instance: tfjs variable names are global to the
 * engine, and two models (a rebuild, a comparison, a test) must not collide.
 */
import * as tf from '../tf';

/** A variable with its stable path inside its model. */
export interface NamedVariable {
  path: string;
  variable: tf.Variable;
}

let instances = 0;

export class VariableScope {
  readonly prefix: string;
  private readonly byPath = new Map<string, tf.Variable>();

  constructor(label = 'model') {
    this.prefix = `${label}${instances++}`;
  }

  /**
   * A new variable at `path` holding a copy of `initial` (the caller still owns `initial`).
   * Throws when the path is taken: two layers under one name would save over each other.
   */
  variable(path: string, initial: tf.Tensor, trainable = true): tf.Variable {
    if (this.byPath.has(path)) throw new Error(`variable path ${path} is used twice in one model`);
    const v = tf.variable(initial, trainable, `${this.prefix}/${path}`);
    this.byPath.set(path, v);
    return v;
  }

  /** Every variable made here, in creation order, with its path. */
  get named(): NamedVariable[] {
    return [...this.byPath].map(([path, variable]) => ({ path, variable }));
  }

  /** The variables whose path starts with `prefix/` (e.g. 'encoder'), in creation order. */
  under(prefix: string): tf.Variable[] {
    return [...this.byPath].filter(([path]) => path.startsWith(`${prefix}/`)).map(([, v]) => v);
  }

  dispose(): void {
    // a layer may have freed its own already
    for (const v of this.byPath.values()) if (!v.isDisposed) v.dispose();
    this.byPath.clear();
  }
}
