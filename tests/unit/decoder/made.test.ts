/**
 * The autoregressive decoder (MADE): output i depends on no input pixel ≥ i, checked by the
 * gradient of output i with respect to every input on a random network; z reaches every output;
 * sampling pixel by pixel reproduces the teacher-forced probabilities of the drawn image.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianVae } from '../../../src/core/models/gaussianVae';
import { hiddenDegrees, inputMask, MadeDecoder, outputMask } from '../../../src/core/models/nets/made';
import { VariableScope } from '../../../src/core/layers/scope';
import type { ModelConfig } from '../../../src/core/models/config';
import { MadeArraySampler } from '../../../src/core/models/nets/madeSampler';
import { TestRng } from '../helpers/rng';
import { expectAllClose, useCpuBackend, values } from '../helpers/tf';

beforeAll(useCpuBackend);

const PIXELS = 12;
const LATENT = 3;
const HIDDEN = 20;

function shape() {
  return { imageShape: { width: 4, height: 3, channels: 1 }, inputSize: PIXELS, conditionSize: 0, outputSize: 2 * LATENT, latentSize: LATENT, hiddenDim: HIDDEN };
}

/** A MADE with random (not the initial) weights and biases, so no connection is zero by chance. */
function randomMade(seed: number): { made: MadeDecoder; scope: VariableScope } {
  const scope = new VariableScope('made-test');
  const made = new MadeDecoder(shape(), new TestRng(seed), scope);
  for (const { variable } of scope.named) variable.assign(tf.randomNormal(variable.shape, 0, 1, 'float32', seed + variable.size));
  return { made, scope };
}

describe('MADE masks', () => {
  it('connect pixel d to output i only when d < i, and z to every output, on the masks alone', () => {
    const degrees = hiddenDegrees(PIXELS, HIDDEN);
    const m1 = inputMask(PIXELS, LATENT, degrees);
    const m2 = outputMask(PIXELS, degrees);
    // (M₁·M₂)[d, i] counts the paths from input d to output i
    const paths = tf.tidy(() => values(tf.matMul(tf.tensor2d(m1, [PIXELS + LATENT, HIDDEN]), tf.tensor2d(m2, [HIDDEN, PIXELS]))));
    for (let d = 0; d < PIXELS + LATENT; d++) {
      for (let i = 0; i < PIXELS; i++) {
        const count = paths[d * PIXELS + i];
        if (d < PIXELS && d >= i) expect(count, `pixel ${d} → output ${i}`).toBe(0);
        if (d < PIXELS && d < i) expect(count, `pixel ${d} → output ${i}`).toBeGreaterThan(0);
        if (d >= PIXELS) expect(count, `z ${d - PIXELS} → output ${i}`).toBeGreaterThan(0);
      }
    }
  });

  it('make the gradient of output i with respect to every input pixel ≥ i exactly zero on a random network', () => {
    const { made, scope } = randomMade(11);
    const context = tf.randomUniform([2, PIXELS], 0, 1, 'float32', 3) as tf.Tensor2D;
    const z = tf.randomNormal([2, LATENT], 0, 1, 'float32', 4) as tf.Tensor2D;
    for (let i = 0; i < PIXELS; i++) {
      const [gx, gz] = tf.grads((c: tf.Tensor, zz: tf.Tensor) => tf.sum(tf.slice(made.call(zz as tf.Tensor2D, null, c as tf.Tensor2D), [0, i], [2, 1])))([context, z]);
      const gContext = values(gx);
      for (let row = 0; row < 2; row++) {
        for (let d = 0; d < PIXELS; d++) {
          const g = gContext[row * PIXELS + d];
          if (d >= i) expect(g, `∂ output ${i} / ∂ pixel ${d}`).toBe(0);
        }
      }
      // earlier pixels do matter (somewhere), and z always does
      if (i > 1) expect(gContext.slice(0, i).some((g) => g !== 0)).toBe(true);
      expect(values(gz).some((g) => g !== 0)).toBe(true);
      tf.dispose([gx, gz]);
    }
    tf.dispose([context, z]);
    made.dispose();
    scope.dispose();
  });
});

describe('MADE sampling', () => {
  it('draws pixels whose teacher-forced logits are the ones they were drawn from', () => {
    const { made, scope } = randomMade(21);
    const z = tf.randomNormal([5, LATENT], 0, 1, 'float32', 8) as tf.Tensor2D;
    const sampler = new MadeArraySampler(made.weights(), z.dataSync() as Float32Array, 5, 'bernoulli', null, 9);
    // in slices, as the worker does
    expect(sampler.advance(5)).toBe(5);
    expect(sampler.advance(100)).toBe(PIXELS);
    const drawn = tf.tensor2d(sampler.pixelValues, [5, PIXELS]);
    const during = tf.tensor2d(sampler.logitValues, [5, PIXELS]);
    const forced = made.call(z, null, drawn);
    expectAllClose(during, forced, 1e-4, 1e-4);
    expect(values(drawn).every((v) => v === 0 || v === 1)).toBe(true);
    // not all one value: the draw really depends on the logits
    expect(new Set(values(drawn)).size).toBe(2);
    tf.dispose([z, drawn, during, forced]);
    made.dispose();
    scope.dispose();
  });

  it('keeps the tensor count flat over a model’s sequential decodings', async () => {
    const config: ModelConfig = {
      family: 'vae',
      network: 'mlp',
      imageShape: { width: 4, height: 3, channels: 1 },
      classCount: 1,
      hiddenDim: HIDDEN,
      latentDim: LATENT,
      likelihood: 'logistic',
      seed: 2,
      options: { decoder: 'made' },
    };
    const model = new GaussianVae(config, new TestRng(2));
    const z = tf.randomNormal([3, LATENT], 0, 1, 'float32', 1) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) {
      const decoding = model.latent.startDecoding!(z, null, k + 1);
      while (decoding.advance(4) < decoding.total);
      const means = decoding.means();
      const samples = decoding.samples();
      // the discretised logistic draws real grey levels
      expect(values(samples).every((v) => Math.abs(v * 255 - Math.round(v * 255)) < 1e-3 && v >= 0 && v <= 1)).toBe(true);
      expect(values(means).every((v) => v > 0 && v < 1)).toBe(true);
      tf.dispose([means, samples]);
      decoding.dispose();
      model.latent.decode(z, null).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    z.dispose();
    model.dispose();
  });
});
