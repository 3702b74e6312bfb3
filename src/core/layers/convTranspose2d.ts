/**
 * A 2-D transposed convolution y = act(convᵀ(x, K) + b), NHWC, with PyTorch's semantics
 * (ConvTranspose2d: square kernel, stride, symmetric padding p, output padding op < s; output
 * side (in − 1)·s − 2p + k + op: k = 4, s = 2, p = 1 maps 7 → 14 → 28) and a hand-written
 * gradient, so it trains on every backend. It is the adjoint of the convolution with the same
 * window from the output's shape to the input's (the patch geometry: image = output, grid = input):
 *  - with our kernels (wasm): a product on our GEMM and col2im, bias and ReLU fused in col2im:
 *      Q = x·Kᵀ [n·hi·wi, k·k·cOut] with K as [k·k·cOut, cIn],  y = act(col2im(Q) + b);
 *    backward, with g = dy ⊙ act′ and db = Σ g in one pass, P = im2col(g) [n·hi·wi, k·k·cOut]:
 *      dK = Pᵀ·x,  dx = P·K;
 *  - elsewhere (cpu, webgl): tfjs's conv2dTranspose forward; backward conv2d (the input
 *    gradient) and the filter gradient of stockConv.ts with x and dy swapped.
 */
import * as tf from '../tf';
import { preActivationAndBiasGrad } from './activationGrad';
import { checkWindow, convTransposeOutputSide, patchGeometry, type ConvWindow, type Size2d } from './convGeometry';
import type { Activation, LayerPlace } from './layer';
import { withHandWrittenGradient, type LayerFn, type LayerForward } from './gradient';
import { uniformFanIn } from './init';
import { col2im, im2col, patchKernelsActive } from './patchKernels';
import { convFilterGradient } from './stockConv';
import type { Rng } from '../types';

export interface ConvTranspose2dSpec extends ConvWindow {
  inChannels: number;
  outChannels: number;
  activation: Activation;
  /** Extra rows and columns at the bottom and right, 0 ≤ op < stride (default 0). */
  outputPadding?: number;
}

export class ConvTranspose2d {
  /** [k, k, cOut, cIn]: tfjs's conv2dTranspose filter layout; read as [k·k·cOut, cIn] in the products. */
  readonly kernel: tf.Variable<tf.Rank.R4>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  private readonly outputPadding: number;
  private readonly apply: LayerFn<tf.Tensor4D, tf.Tensor4D>;

  /**
   * Initial values as PyTorch's nn.ConvTranspose2d, whose weight is (cIn, cOut, k, k) and whose
   * fan-in is therefore computed as cOut·k·k: U(−1/√fanIn, 1/√fanIn), drawn from `rng` in the
   * order of that weight, then the bias (cOut).
   * @param inputGrad false for a layer fed by data: its input gradient would be wasted work.
   */
  constructor(
    readonly spec: ConvTranspose2dSpec,
    rng: Rng,
    place: LayerPlace,
    inputGrad = true,
  ) {
    checkWindow(spec, place.path);
    this.outputPadding = spec.outputPadding ?? 0;
    if (!Number.isInteger(this.outputPadding) || this.outputPadding < 0 || this.outputPadding >= spec.stride) {
      throw new Error(`${place.path}: output padding ${this.outputPadding} must be in [0, stride ${spec.stride})`);
    }
    const { inChannels: cIn, outChannels: cOut, kernelSize: k } = spec;
    const fanIn = cOut * k * k;
    const drawn = uniformFanIn(rng, cIn * cOut * k * k, fanIn);
    // PyTorch's (i, o, ky, kx) → ours (ky, kx, o, i)
    const values = new Float32Array(drawn.length);
    for (let i = 0; i < cIn; i++) {
      for (let o = 0; o < cOut; o++) {
        for (let ky = 0; ky < k; ky++) {
          for (let kx = 0; kx < k; kx++) values[((ky * k + kx) * cOut + o) * cIn + i] = drawn[((i * cOut + o) * k + ky) * k + kx];
        }
      }
    }
    // a variable copies its initial tensor: free the initial ones
    const initialKernel = tf.tensor4d(values, [k, k, cOut, cIn]);
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
  outputSize([h, w]: Size2d): [number, number] {
    return [convTransposeOutputSide(h, this.spec, this.outputPadding), convTransposeOutputSide(w, this.spec, this.outputPadding)];
  }

  /** x [n, hi, wi, cIn] → [n, ho, wo, cOut]. */
  call(x: tf.Tensor4D): tf.Tensor4D {
    if (x.shape[3] !== this.spec.inChannels) throw new Error(`convTranspose2d: expected ${this.spec.inChannels} input channels, got ${x.shape[3]}`);
    return this.apply(x, this.kernel, this.bias);
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }

  private forward(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D): LayerForward<tf.Tensor4D> {
    const [ho, wo] = this.outputSize([x.shape[1], x.shape[2]]);
    if (ho < 1 || wo < 1) throw new Error(`convTranspose2d: a ${x.shape[1]}×${x.shape[2]} input gives no output`);
    const outputShape: [number, number, number, number] = [x.shape[0], ho, wo, this.spec.outChannels];
    return patchKernelsActive() ? this.forwardAsProduct(x, w, b, outputShape) : this.forwardStock(x, w, b, outputShape);
  }

  private forwardAsProduct(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, outputShape: [number, number, number, number]): LayerForward<tf.Tensor4D> {
    const { activation, inChannels: cIn } = this.spec;
    const geometry = patchGeometry(outputShape, this.spec);
    // the convolution of the output's shape with this window has the input's shape (op < s)
    if (geometry.gridHeight !== x.shape[1] || geometry.gridWidth !== x.shape[2]) throw new Error('convTranspose2d: inconsistent geometry');
    const rows = x.shape[0] * x.shape[1] * x.shape[2];
    const depth = w.shape[0] * w.shape[1] * w.shape[2];
    const x2 = tf.reshape(x, [rows, cIn]) as tf.Tensor2D;
    const q = tf.matMul(x2, tf.reshape(w, [depth, cIn]) as tf.Tensor2D, false, true);
    const y = col2im(q as tf.Tensor2D, b, geometry, activation);
    const inputShape = x.shape;
    return {
      value: y,
      saved: [x2, w, y],
      backward: (dy, saved, inputGrad) => {
        const [xs, ws, ys] = saved as [tf.Tensor2D, tf.Tensor4D, tf.Tensor4D];
        const { g, db } = preActivationAndBiasGrad(dy, ys, activation);
        const p = im2col(g as tf.Tensor4D, geometry);
        const dw = tf.reshape(tf.matMul(p, xs, true, false), ws.shape);
        const dx = inputGrad ? tf.reshape(tf.matMul(p, tf.reshape(ws, [depth, cIn]) as tf.Tensor2D), inputShape) : null;
        return { dx, dw, db };
      },
    };
  }

  private forwardStock(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, outputShape: [number, number, number, number]): LayerForward<tf.Tensor4D> {
    const { activation, stride, padding } = this.spec;
    const pre = tf.add(tf.conv2dTranspose(x, w, outputShape, stride, padding), b) as tf.Tensor4D;
    const y = activation === 'relu' ? tf.relu(pre) : pre;
    return {
      value: y,
      saved: [x, w, y],
      backward: (dy, saved, inputGrad) => {
        const [xs, ws, ys] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const { g, db } = preActivationAndBiasGrad(dy, ys, activation);
        // the transposed convolution's filter gradient is the convolution's, with x and dy swapped
        const dw = convFilterGradient(g as tf.Tensor4D, xs, this.spec, ws.shape);
        const dx = inputGrad ? tf.conv2d(g as tf.Tensor4D, ws, stride, padding) : null;
        return { dx, dw, db };
      },
    };
  }
}
