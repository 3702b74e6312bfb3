/**
 * A fully connected layer y = act(x·W + b) whose gradient is written out by hand.
 *
 * Why not tf.layers.dense or a plain tf.matMul: the stock gradient of matMul multiplies with
 * *transposed* operands, and tfjs-backend-wasm sends a transposed matMul down a slow scalar loop
 * instead of XNNPACK (../shared/FACTS.md measured 4.3× for the whole step). Here every backward
 * product is a plain matMul of explicitly transposed tensors — unless our own wasm GEMM
 * (src/kernels) runs the matMuls, which reads a transposed operand at no cost — and the bias and
 * ReLU are fused into the forward product (fusedProduct.ts), their backward into one pass
 * (activationGrad.ts).
 */
import * as tf from '../tf';
import { TRANSPOSE_FREE_MATMUL } from '../../kernels/names';
import { preActivationAndBiasGrad } from './activationGrad';
import { fusedProduct } from './fusedProduct';
import type { Rng } from '../types';
import type { Activation, LayerPlace } from './layer';

export type { Activation, LayerPlace } from './layer';


function transposeIsFree(): boolean {
  return tf.getKernel(TRANSPOSE_FREE_MATMUL, tf.getBackend()) !== undefined;
}

/** a·bᵀ, with an explicit transpose where the backend's transposed matMul is slow. */
export function matMulTransposeB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return transposeIsFree() ? tf.matMul(a, b, false, true) : tf.matMul(a, tf.transpose(b));
}

/** aᵀ·b, likewise. */
export function matMulTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return transposeIsFree() ? tf.matMul(a, b, true, false) : tf.matMul(tf.transpose(a), b);
}

export class Dense {
  readonly weight: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  private readonly apply: (x: tf.Tensor2D) => tf.Tensor2D;

  /**
   * @param inputGrad false for a layer fed by data: its input gradient would be a wasted matMul.
   */
  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    readonly activation: Activation,
    rng: Rng,
    place: LayerPlace,
    inputGrad = true,
  ) {
    // PyTorch's nn.Linear default: weights and biases ~ U(−1/√fanIn, 1/√fanIn); matching it keeps
    // our numbers comparable with the reference in ../shared/reference.
    const bound = 1 / Math.sqrt(inputSize);
    const uniform = (n: number): Float32Array => {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = (rng.next() * 2 - 1) * bound;
      return values;
    };
    // a variable shares the initial tensor's data but does not take ownership of it: free it.
    const initialWeight = tf.tensor2d(uniform(inputSize * outputSize), [inputSize, outputSize]);
    const initialBias = tf.tensor1d(uniform(outputSize));
    this.weight = place.scope.variable(`${place.path}/weight`, initialWeight) as tf.Variable<tf.Rank.R2>;
    this.bias = place.scope.variable(`${place.path}/bias`, initialBias) as tf.Variable<tf.Rank.R1>;
    initialWeight.dispose();
    initialBias.dispose();
    this.apply = inputGrad ? this.withInputGradient() : this.withoutInputGradient();
  }

  get variables(): tf.Variable[] {
    return [this.weight, this.bias];
  }

  call(x: tf.Tensor2D): tf.Tensor2D {
    return this.apply(x);
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }

  /** The weight the products use (a subclass may mask it). */
  protected effectiveWeight(): tf.Tensor2D {
    return this.weight;
  }

  private forward(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
    return fusedProduct(x, w, b, this.activation);
  }

  private withInputGradient(): (x: tf.Tensor2D) => tf.Tensor2D {
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
      const y = this.forward(x, w, b);
      save([x, w, y]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, ws, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const { g, db } = preActivationAndBiasGrad(dy, ys, this.activation);
          return [matMulTransposeB(g as tf.Tensor2D, ws), matMulTransposeA(xs, g as tf.Tensor2D), db];
        },
      };
    });
    return (x) => f(x, this.effectiveWeight(), this.bias) as tf.Tensor2D;
  }

  private withoutInputGradient(): (x: tf.Tensor2D) => tf.Tensor2D {
    return (x) => {
      const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const [w, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
        const y = this.forward(x, w, b);
        // x is saved too: it may be an intermediate (an image joined to its one-hot class) that
        // the caller's tidy frees before the backward pass runs
        save([y, x]);
        return {
          value: y,
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const { g, db } = preActivationAndBiasGrad(dy, saved[0], this.activation);
            return [matMulTransposeA(saved[1] as tf.Tensor2D, g as tf.Tensor2D), db];
          },
        };
      });
      return f(this.effectiveWeight(), this.bias) as tf.Tensor2D;
    };
  }
}
