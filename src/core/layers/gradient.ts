/**
 * A layer y = f(x; w, b) with a hand-written gradient (tf.customGrad), with or without the
 * gradient for x: a layer fed by data needs none, and its input gradient is among the costliest
 * products of its backward pass. Without it, x is a constant of the recorded function, so tfjs
 * neither asks for nor propagates a gradient to it.
 *
 * The forward pass returns its own backward pass: a layer that picks an implementation per call
 * (our kernels or tfjs's ops, by backend) differentiates the one it ran. The backward pass gets
 * tensors only through `saved` (tfjs keeps those; the forward pass's other tensors are gone by
 * then), plain numbers through its closure.
 */
import * as tf from '../tf';

/** dL/dx (null when not asked for), dL/dw, dL/db. */
export interface LayerGradients {
  dx: tf.Tensor | null;
  dw: tf.Tensor;
  db: tf.Tensor;
}

export type LayerBackward<Y extends tf.Tensor> = (dy: Y, saved: tf.Tensor[], inputGrad: boolean) => LayerGradients;

export interface LayerForward<Y extends tf.Tensor> {
  value: Y;
  saved: tf.Tensor[];
  backward: LayerBackward<Y>;
}

export type LayerFn<X extends tf.Tensor, Y extends tf.Tensor> = (x: X, w: tf.Tensor, b: tf.Tensor) => Y;

export function withHandWrittenGradient<X extends tf.Tensor, Y extends tf.Tensor>(
  forward: (x: X, w: tf.Tensor, b: tf.Tensor) => LayerForward<Y>,
  inputGrad: boolean,
): LayerFn<X, Y> {
  if (inputGrad) {
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, w, b, save] = args as [X, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const { value, saved, backward } = forward(x, w, b);
      save(saved);
      return {
        value,
        gradFunc: (dy: tf.Tensor, s: tf.Tensor[]) => {
          const { dx, dw, db } = backward(dy as Y, s, true);
          if (!dx) throw new Error('the backward pass gave no input gradient');
          return [dx, dw, db];
        },
      };
    });
    return (x, w, b) => f(x, w, b) as Y;
  }
  return (x, w, b) => {
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [wt, bt, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const { value, saved, backward } = forward(x, wt, bt);
      save(saved);
      return {
        value,
        gradFunc: (dy: tf.Tensor, s: tf.Tensor[]) => {
          const { dw, db } = backward(dy as Y, s, false);
          return [dw, db];
        },
      };
    });
    return f(w, b) as Y;
  };
}
