/**
 * The classifier behind the sample-quality score: trained in the worker on the data set's labels,
 * it gives the features in which the Fréchet distance between test images and a model's samples
 * is measured, and its confidence on those samples. conv-small's encoder body (nets/conv.ts):
 *   Conv 4×4 s2 p1 c→16 ReLU, Conv 4×4 s2 p1 16→32 ReLU, flatten, Dense 128 ReLU (the features),
 *   Dense → classes (logits),
 * trained with Adam on softmax cross-entropy. It is the same for every model of a data set (a
 * fixed seed), so scores of different models compare; it is ours, so they do not compare with
 * published FIDs (Inception features, other data).
 */
import * as tf from '../tf';
import { Conv2d } from '../layers/conv2d';
import { convOutputSize, type ConvWindow } from '../layers/convGeometry';
import { Dense } from '../layers/dense';
import { VariableScope } from '../layers/scope';
import { Adam } from '../optim/adam';
import type { ImageShape } from '../../data/dataset';
import type { Rng } from '../types';

export const CLASSIFIER_FEATURES = 128;
const CHANNELS = [16, 32] as const;
const WINDOW: ConvWindow = { kernelSize: 4, stride: 2, padding: 1 };

/** A type, not an interface, so tf.tidy may return it. */
export type ClassifierOutput = {
  /** The penultimate layer's activations [n, CLASSIFIER_FEATURES]. */
  features: tf.Tensor2D;
  /** Class probabilities [n, classes]. */
  probabilities: tf.Tensor2D;
};

export class SampleClassifier {
  readonly classCount: number;
  private readonly scope = new VariableScope('classifier');
  private readonly conv1: Conv2d;
  private readonly conv2: Conv2d;
  private readonly hidden: Dense;
  private readonly output: Dense;
  private readonly adam: Adam;
  private readonly imageShape: [number, number, number];
  private readonly flatSize: number;
  private steps = 0;

  constructor(shape: ImageShape, classCount: number, rng: Rng, learningRate = 1e-3) {
    this.classCount = classCount;
    const image: [number, number] = [shape.height, shape.width];
    const second = convOutputSize(convOutputSize(image, WINDOW), WINDOW);
    if (second[0] < 1 || second[1] < 1) throw new Error(`the classifier needs images of at least 4×4, got ${image[0]}×${image[1]}`);
    this.imageShape = [image[0], image[1], shape.channels];
    this.flatSize = second[0] * second[1] * CHANNELS[1];
    this.conv1 = new Conv2d({ ...WINDOW, inChannels: shape.channels, outChannels: CHANNELS[0], activation: 'relu' }, rng, { scope: this.scope, path: 'classifier/conv1' }, false);
    this.conv2 = new Conv2d({ ...WINDOW, inChannels: CHANNELS[0], outChannels: CHANNELS[1], activation: 'relu' }, rng, { scope: this.scope, path: 'classifier/conv2' });
    this.hidden = new Dense(this.flatSize, CLASSIFIER_FEATURES, 'relu', rng, { scope: this.scope, path: 'classifier/hidden' });
    this.output = new Dense(CLASSIFIER_FEATURES, classCount, 'linear', rng, { scope: this.scope, path: 'classifier/output' });
    this.adam = new Adam(this.variables, learningRate);
  }

  get variables(): tf.Variable[] {
    return this.scope.named.map((n) => n.variable);
  }

  /** Training steps taken. */
  get stepCount(): number {
    return this.steps;
  }

  private forward(x: tf.Tensor2D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
    const n = x.shape[0];
    const maps = this.conv2.call(this.conv1.call(tf.reshape(x, [n, ...this.imageShape]) as tf.Tensor4D));
    const features = this.hidden.call(tf.reshape(maps, [n, this.flatSize]) as tf.Tensor2D);
    return { features, logits: this.output.call(features) };
  }

  /** Mean softmax cross-entropy −log p(y|x) of a batch (a scalar the caller owns). */
  loss(x: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const { logits } = this.forward(x);
      const target = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), this.classCount), 'float32');
      // −log softmax(l)_y = logsumexp(l) − l_y
      return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, target), 1))) as tf.Scalar;
    });
  }

  /** One Adam step on a batch of images [n, pixels] in [0, 1] and their classes [n]. */
  trainStep(x: tf.Tensor2D, labels: tf.Tensor1D): void {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => this.loss(x, labels), this.variables);
      this.adam.apply(this.variables.map((v) => grads[v.name]));
    });
    this.steps += 1;
  }

  /** Features and class probabilities of images [n, pixels] (tensors the caller owns). */
  predict(x: tf.Tensor2D): ClassifierOutput {
    return tf.tidy(() => {
      const { features, logits } = this.forward(x);
      return { features, probabilities: tf.softmax(logits) as tf.Tensor2D };
    });
  }

  dispose(): void {
    this.adam.dispose();
    this.scope.dispose();
  }
}
