/**
 * A 2-D convolution y = act(conv(x, K) + b), NHWC, with PyTorch's semantics (square kernel,
 * stride, explicit symmetric zero padding: k = 4, s = 2, p = 1 maps 28 → 14 → 7) and a
 * hand-written gradient, so it trains on every backend:
 *  - with our kernels (wasm): im2col and a matrix product on our GEMM, bias and ReLU fused in it:
 *      P = im2col(x) [n·ho·wo, k·k·cIn],  y = act(P·K + b)  with K as [k·k·cIn, cOut];
 *    backward, with g = dy ⊙ act′ and db = Σ g in one pass:
 *      dK = Pᵀ·g,  dx = col2im(g·Kᵀ)
 *    (tfjs-wasm has no Conv2DBackpropFilter: the stock gradient throws there);
 *  - elsewhere (cpu, webgl): tfjs's fused conv2d forward; backward the filter gradient of
 *    stockConv.ts and conv2dTranspose (the input gradient).
 */
import * as tf from '../tf';
import { preActivationAndBiasGrad } from './activationGrad';
import { checkWindow, convOutputSize, patchGeometry, type ConvWindow, type Size2d } from './convGeometry';
import type { Activation, LayerPlace } from './layer';
import { withHandWrittenGradient, type LayerFn, type LayerForward } from './gradient';
import { fusedProduct } from './fusedProduct';
import { uniformFanIn } from './init';
import { col2im, im2col, patchKernelsActive } from './patchKernels';
import { convFilterGradient } from './stockConv';
import type { Rng } from '../types';

export interface Conv2dSpec extends ConvWindow {
  inChannels: number;
  outChannels: number;
  activation: Activation;
}

export class Conv2d {
  /** [k, k, cIn, cOut]: tfjs's conv2d filter layout; read as [k·k·cIn, cOut], the product's matrix. */
  readonly kernel: tf.Variable<tf.Rank.R4>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  private readonly apply: LayerFn<tf.Tensor4D, tf.Tensor4D>;

  /**
   * Initial values as PyTorch's nn.Conv2d: U(−1/√fanIn, 1/√fanIn), fanIn = cIn·k·k, drawn from
   * `rng` in the order of PyTorch's weight (cOut, cIn, k, k), then the bias (cOut).
   * @param inputGrad false for a layer fed by data: its input gradient would be wasted work.
   */
  constructor(
    readonly spec: Conv2dSpec,
    rng: Rng,
    place: LayerPlace,
    inputGrad = true,
  ) {
    checkWindow(spec, `${place.path}`);
    const { inChannels: cIn, outChannels: cOut, kernelSize: k } = spec;
    const fanIn = cIn * k * k;
    const drawn = uniformFanIn(rng, cOut * cIn * k * k, fanIn);
    // PyTorch's (o, i, ky, kx) → ours (ky, kx, i, o)
    const values = new Float32Array(drawn.length);
    for (let o = 0; o < cOut; o++) {
      for (let i = 0; i < cIn; i++) {
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) values[((ky * k + kx) * cIn + i) * cOut + o] = drawn[((o * cIn + i) * k + ky) * k + kx];
        }
      }
    }
    // a variable copies its initial tensor: free the initial ones
    const initialKernel = tf.tensor4d(values, [k, k, cIn, cOut]);
    const initialBias = tf.tensor1d(uniformFanIn(rng, cOut, fanIn));
    this.kernel = place.scope.variable(`${place.path}/kernel`, initialKernel) as tf.Variable<tf.Rank.R4>;
    this.bias = place.scope.variable(`${place.path}/bias`, initialBias) as tf.Variable<tf.Rank.R1>;
    initialKernel.dispose();
    initialBias.dispose();
    this.apply = withHandWrittenGradient((x: tf.Tensor4D, w, b) => this.forward(x, w as tf.Tensor4D, b as tf.Tensor1D), inputGrad);
  }

  get variables(): tf.Variable[] {
    return [this.kernel, this.bias];
  }

  /** [height, width] of the output for an input of [height, width]. */
  outputSize(input: Size2d): [number, number] {
    return convOutputSize(input, this.spec);
  }

  /** x [n, h, w, cIn] → [n, ho, wo, cOut]. */
  call(x: tf.Tensor4D): tf.Tensor4D {
    if (x.shape[3] !== this.spec.inChannels) throw new Error(`conv2d: expected ${this.spec.inChannels} input channels, got ${x.shape[3]}`);
    return this.apply(x, this.kernel, this.bias);
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }

  private forward(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): LayerForward<tf.Tensor4D> {
    return patchKernelsActive() ? this.forwardAsProduct(x, w, b) : this.forwardStock(x, w, b);
  }

  private forwardAsProduct(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): LayerForward<tf.Tensor4D> {
    const { activation, outChannels: cOut } = this.spec;
    const geometry = patchGeometry(x.shape, this.spec);
    const rows = geometry.batch * geometry.gridHeight * geometry.gridWidth;
    const depth = w.shape[0] * w.shape[1] * w.shape[2];
    const patches = im2col(x, geometry);
    const y = tf.reshape(fusedProduct(patches, tf.reshape(w, [depth, cOut]) as tf.Tensor2D, b, activation), [geometry.batch, geometry.gridHeight, geometry.gridWidth, cOut]) as tf.Tensor4D;
    return {
      value: y,
      saved: [patches, w, y],
      backward: (dy, saved, inputGrad) => {
        const [p, ws, ys] = saved as [tf.Tensor2D, tf.Tensor4D, tf.Tensor4D];
        const { g, db } = preActivationAndBiasGrad(dy, ys, activation);
        const g2 = tf.reshape(g, [rows, cOut]) as tf.Tensor2D;
        const dw = tf.reshape(tf.matMul(p, g2, true, false), ws.shape);
        const dx = inputGrad ? col2im(tf.matMul(g2, tf.reshape(ws, [depth, cOut]) as tf.Tensor2D, false, true), null, geometry, 'linear') : null;
        return { dx, dw, db };
      },
    };
  }

  private forwardStock(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): LayerForward<tf.Tensor4D> {
    const { activation, stride, padding } = this.spec;
    const y = tf.fused.conv2d({ x, filter: w, strides: stride, pad: padding, bias: b, activation });
    const inputShape = x.shape;
    return {
      value: y,
      saved: [x, w, y],
      backward: (dy, saved, inputGrad) => {
        const [xs, ws, ys] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const { g, db } = preActivationAndBiasGrad(dy, ys, activation);
        const dw = convFilterGradient(xs, g as tf.Tensor4D, this.spec, ws.shape);
        const dx = inputGrad ? tf.conv2dTranspose(g as tf.Tensor4D, ws, inputShape, stride, padding) : null;
        return { dx, dw, db };
      },
    };
  }
}
