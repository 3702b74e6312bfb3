/**
 * Our side of the PyTorch export check, loaded through Vite (it imports the app's TypeScript):
 * trains the MLP VAE on the first MNIST images on tfjs's cpu backend, exports it exactly as the
 * worker does ("Export for PyTorch": worker/pytorchExport.ts → a zip), unpacks the zip, and
 * writes our decoder's and encoder's outputs on fixed inputs as .npy files beside it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../src/core/tf.ts';
import { listZip, readZipEntry } from '../../src/core/io/zipReader.ts';
import { givenNoise } from '../../src/core/training/noise.ts';
import { betaObjective } from '../../src/core/objective/gaussianObjective.ts';
import { Rng } from '../../src/data/rng.ts';
import { createLiveModel } from '../../src/worker/liveModel.ts';
import { exportForPytorch } from '../../src/worker/pytorchExport.ts';
import { disposeBatch, ResidentData } from '../../src/worker/residentData.ts';

/** The first `count` images of an IDX image file, as intensities in [0, 1]. */
function idxImages(file, count) {
  const bytes = readFileSync(file);
  if (bytes.readUInt32BE(0) !== 2051) throw new Error(`${file} is not an IDX image file`);
  const pixels = bytes.readUInt32BE(8) * bytes.readUInt32BE(12);
  const n = Math.min(count, bytes.readUInt32BE(4));
  return { images: Float32Array.from(bytes.subarray(16, 16 + n * pixels), (v) => v / 255), count: n };
}

function idxLabels(file, count) {
  const bytes = readFileSync(file);
  return Uint8Array.from(bytes.subarray(8, 8 + count));
}

/** A float32 .npy file (numpy's format 1.0: magic, header dict padded to 64 bytes, C-order data). */
function writeNpy(file, values, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(Float32Array.from(values).buffer);
  writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), data]));
}

export async function produce({ dir, steps, latent, hidden, seed, mnist, network = 'mlp' }) {
  await tf.setBackend('cpu');
  const train = idxImages(path.join(mnist, 'train-images-idx3-ubyte'), 2048);
  const test = idxImages(path.join(mnist, 't10k-images-idx3-ubyte'), 256);
  const split = (s, labels) => ({ images: s.images, labels, count: s.count });
  const dataset = {
    id: 'mnist',
    name: 'MNIST (first 2,048 training images)',
    shape: { width: 28, height: 28, channels: 1 },
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: split(train, idxLabels(path.join(mnist, 'train-labels-idx1-ubyte'), train.count)),
    test: split(test, idxLabels(path.join(mnist, 't10k-labels-idx1-ubyte'), test.count)),
  };
  const config = { family: 'vae', network, imageShape: dataset.shape, classCount: 10, hiddenDim: hidden, latentDim: latent, likelihood: 'bernoulli', seed, options: {} };
  const data = new ResidentData(dataset);
  const live = createLiveModel(config, { beta: 1, learningRate: 1e-3, batchSize: 128 }, { labels: dataset.train.labels, holdOutClass: null });
  const started = Date.now();
  for (let s = 0; s < steps; s++) {
    const batch = data.batch(live.batcher.nextBatch(), false);
    live.trainer.trainStep(batch);
    disposeBatch(batch);
  }
  const metrics = await live.trainer.readMetrics();
  const seconds = (Date.now() - started) / 1000;

  const zip = await exportForPytorch(live, dataset.name, new Date().toISOString());
  writeFileSync(path.join(dir, 'export.zip'), zip);
  const files = [];
  for (const entry of listZip(zip)) {
    writeFileSync(path.join(dir, entry.name), await readZipEntry(zip, entry));
    files.push(entry.name);
  }

  // fixed inputs: latents and noise from a seeded normal stream, the first test images
  const rng = new Rng(99);
  const n = test.count;
  const z = Float32Array.from({ length: n * latent }, () => rng.normal());
  const eps = Float32Array.from({ length: n * latent }, () => rng.normal());
  const decoded = await live.trainer.decode(z.slice(), n);
  const { mu, logVar } = await live.trainer.encode(test.images, n);
  const x = tf.tensor2d(test.images, [n, 784]);
  const epsilon = tf.tensor2d(eps, [n, latent]);
  const losses = tf.tidy(() => {
    const l = live.trainer.losses(x, givenNoise(epsilon), betaObjective(1));
    return [l.means.reconstruction.dataSync()[0], l.means.kl.dataSync()[0]];
  });
  tf.dispose([x, epsilon]);
  writeNpy(path.join(dir, 'z.npy'), z, [n, latent]);
  writeNpy(path.join(dir, 'eps.npy'), eps, [n, latent]);
  writeNpy(path.join(dir, 'x.npy'), test.images, [n, 784]);
  writeNpy(path.join(dir, 'decoded.npy'), decoded, [n, 784]);
  writeNpy(path.join(dir, 'mu.npy'), mu, [n, latent]);
  writeNpy(path.join(dir, 'logvar.npy'), logVar, [n, latent]);
  writeFileSync(path.join(dir, 'ours.json'), JSON.stringify({ step: live.trainer.step, trainNegativeElbo: metrics?.negativeElbo, reconstruction: losses[0], kl: losses[1], seconds }));
  live.trainer.dispose();
  data.dispose();
  return { files, step: steps, trainNegativeElbo: metrics?.negativeElbo, seconds };
}
