/**
 * The filter gradient of a convolution from tfjs's own ops, for the backends without our
 * kernels: dK[ky, kx, i, o] = Σ_{b, gy, gx} x[b, gy·s − p + ky, gx·s − p + kx, i] · dy[b, gy, gx, o].
 *
 * tfjs's Conv2DBackpropFilter kernel computes exactly that; on webgl we use it. tfjs-cpu's reads
 * every element through TensorBuffer.get (measured 11 s for conv-small's second layer at batch
 * 128) and tfjs-wasm has none, so there the same sum runs as a stride-1 convolution dilated by s,
 * which both have (tfjs-cpu on flat arrays: 0.39 s; tfjs-wasm through XNNPACK, for a wasm backend
 * without our kernels): x zero-padded and seen as [i, h + 2p, w + 2p, b] (channels ↔ batch), dy
 * seen as a filter [gh, gw, b, o]; the first k×k outputs, [i, k, k, o], are dK.
 */
import * as tf from '../tf';
import type { ConvWindow } from './convGeometry';

export function convFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, { kernelSize: k, stride: s, padding: p }: ConvWindow, filterShape: [number, number, number, number]): tf.Tensor4D {
  const backend = tf.getBackend();
  if (backend !== 'cpu' && tf.getKernel(tf.Conv2DBackpropFilter, backend) !== undefined) {
    const attrs = { strides: [s, s], pad: p, dataFormat: 'NHWC', filterShape };
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const padded = tf.transpose(tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]), [3, 1, 2, 0]) as tf.Tensor4D;
    const filter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const full = tf.conv2d(padded, filter, 1, 'valid', 'NHWC', s);
    return tf.transpose(tf.slice(full, [0, 0, 0, 0], [-1, k, k, -1]), [1, 2, 0, 3]) as tf.Tensor4D;
  });
}
