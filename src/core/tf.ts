/**
 * The one door to tfjs for the model core, the kernels and the worker: tfjs-core with the
 * gradients of its ops registered, and nothing else of the umbrella package (no layers,
 * converter or data: the worker's bundle stays small). Backends are registered where they are
 * chosen (src/worker/backend.ts).
 *
 * Chained ops (`t.square()`, `t.all()`) are not registered here (they would pull in every op,
 * +166 KB): write `tf.square(t)`. The unit tests load the umbrella package, which does register
 * them, so only the browser tests would notice a chained call.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from '@tensorflow/tfjs-core';
