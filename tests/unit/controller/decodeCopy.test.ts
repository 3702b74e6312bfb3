/**
 * The decode worker's copy as the page uses it, with a real DecodeSession behind the port: for a
 * conditional VAE the probe's and the class strip's decodes go to the copy with the class the
 * user picked (the strip: every class), and give exactly the model's images; the grid stays with
 * the training worker, and nothing is decoded by the copy before the model's own weights came.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../src/core/models/config';
import { exportDecoderWeights } from '../../../src/core/models/decoderWeights';
import { Trainer } from '../../../src/core/training/trainer';
import type { WorkerPort } from '../../../src/worker/client';
import { DecodeSession } from '../../../src/worker/decode/decodeSession';
import type { DecodeCommand, DecodeEvent } from '../../../src/worker/decode/protocol';
import { useControllerHarness } from '../helpers/controllerHarness';
import { latentsEvent } from '../helpers/fakeWorker';
import { TestRng } from '../helpers/rng';
import { useCpuBackend } from '../helpers/tf';

beforeAll(useCpuBackend);

const harness = useControllerHarness();

/** A port to a real decode session in this thread (replies come a task later, as a worker's would). */
class SessionPort implements WorkerPort {
  readonly received: DecodeCommand[] = [];
  private readonly listeners: ((event: MessageEvent) => void)[] = [];
  private readonly session = new DecodeSession((event: DecodeEvent) => {
    const copy = structuredClone(event);
    setImmediate(() => this.listeners.forEach((l) => l({ data: copy } as MessageEvent)));
  });
  private queue: Promise<void> = Promise.resolve();

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    const command = structuredClone(message, { transfer }) as DecodeCommand;
    this.received.push(command);
    this.queue = this.queue.then(() => this.session.receive(command));
  }
  addEventListener(type: 'message' | 'error', listener: ((event: MessageEvent) => void) | ((event: ErrorEvent) => void)): void {
    if (type === 'message') this.listeners.push(listener as (event: MessageEvent) => void);
  }
  terminate(): void {
    this.session.dispose();
  }
  decodes(): Extract<DecodeCommand, { type: 'decode' }>[] {
    return this.received.filter((c): c is Extract<DecodeCommand, { type: 'decode' }> => c.type === 'decode');
  }
  idle(): Promise<void> {
    return this.queue;
  }
}

/** A small conditional VAE of two latent dimensions and the page's ten classes (the copy needs no image size of the page's). */
const CVAE: ModelConfig = {
  family: 'cvae',
  network: 'mlp',
  imageShape: { width: 12, height: 1, channels: 1 },
  classCount: 10,
  hiddenDim: 8,
  latentDim: 2,
  likelihood: 'bernoulli',
  seed: 3,
  options: { prior: 'standard', components: 10 },
};

describe('the decode worker’s copy behind the controller (conditional VAE)', () => {
  it('decodes the probe with the picked class and the strip with every class, exactly as the model does', async () => {
    const before = tf.memory().numTensors;
    const port = new SessionPort();
    const h = harness({ model: 'cvae' }, { createDecodeWorker: () => port });
    h.ready();
    expect(h.worker.last('shareDecoder')).toEqual({ type: 'shareDecoder', enabled: true });
    h.worker.emit(latentsEvent(0, 2));
    await h.replyAll();
    // no copy yet: the training worker answered, and the decode worker was not even started
    expect(port.received).toEqual([]);

    const source = new Trainer(CVAE, { beta: 1, learningRate: 0.01, batchSize: 4 }, new TestRng(CVAE.seed));
    try {
      const weights = await exportDecoderWeights(source.model);
      h.worker.emit({ type: 'decoderWeights', model: CVAE, modelSerial: 1, seq: 1, step: 42, weights });
      h.controller.chooseClass(7);
      h.worker.clearSent();
      const z = [0.75, -1.25];
      h.controller.moveProbe(z);
      // let the latest-only decodes (the class change's, then the move's) all come back
      for (let i = 0; i < 10; i++) {
        await port.idle();
        await h.flush();
      }
      const probe = port.decodes().filter((c) => c.count === 1).at(-1);
      const strip = port.decodes().filter((c) => c.count === 10).at(-1);
      expect(Array.from(probe?.latents ?? [])).toEqual(z);
      expect(Array.from(probe?.labels ?? [])).toEqual([7]);
      expect(Array.from(strip?.labels ?? [])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // neither went to the training worker
      expect(h.decodes(1)).toEqual([]);
      expect(h.decodes(10)).toEqual([]);
      expect(h.view().probeCopyStep).toBe(42);
      expect(Array.from(h.view().probeImage ?? [])).toEqual(Array.from(await source.decode(Float32Array.from(z), 1, Int32Array.of(7))));
      const stripLatents = Float32Array.from({ length: 20 }, (_, i) => z[i % 2]);
      expect(h.view().classStrip).toMatchObject({ count: 10, step: 42 });
      expect(Array.from(h.view().classStrip?.images ?? [])).toEqual(Array.from(await source.decode(stripLatents, 10, Int32Array.from({ length: 10 }, (_, c) => c))));
      // the class really matters: class 7's image is not class 0's
      expect(Array.from(h.view().probeImage ?? [])).not.toEqual(Array.from(h.view().classStrip?.images.subarray(0, 12) ?? []));
    } finally {
      source.dispose();
    }
    // closing the page frees the copy's model
    h.controller.dispose();
    await port.idle();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a restarted training worker is asked for copies again, and only the new model’s copies decode', async () => {
    const before = tf.memory().numTensors;
    const port = new SessionPort();
    const h = harness({ model: 'cvae' }, { createDecodeWorker: () => port });
    h.ready();
    const source = new Trainer(CVAE, { beta: 1, learningRate: 0.01, batchSize: 4 }, new TestRng(CVAE.seed));
    try {
      const exported = await exportDecoderWeights(source.model);
      // each copy's arrays are transferred on to the decode worker: a fresh copy per event
      const weights = () => exported.map((w) => ({ ...w, values: w.values.slice() }));
      const old = h.worker;
      old.emit({ type: 'decoderWeights', model: CVAE, modelSerial: 1, seq: 1, step: 42, weights: weights() });
      old.crash('boom');
      const fresh = h.followNewestWorker();
      expect(fresh).not.toBe(old);
      // the new worker is asked for copies (before its init: it only switches them on), then started as before
      expect(fresh.types()).toEqual(['shareDecoder', 'init', 'configure']);
      // a late copy of the dead worker's is not relayed, and until the new model's reply nothing is
      old.emit({ type: 'decoderWeights', model: CVAE, modelSerial: 1, seq: 2, step: 43, weights: weights() });
      fresh.emit({ type: 'decoderWeights', model: CVAE, modelSerial: 1, seq: 1, step: 0, weights: weights() });
      expect(port.received.filter((c) => c.type === 'weights')).toHaveLength(1);
      h.worker.emit({ type: 'backend', info: { name: 'wasm', reason: 'test', threads: 1, crossOriginIsolated: false } });
      h.configured('restarted');
      fresh.emit({ type: 'decoderWeights', model: CVAE, modelSerial: 1, seq: 2, step: 7, weights: weights() });
      h.controller.moveProbe([0.5, -0.5]);
      for (let i = 0; i < 10; i++) {
        await port.idle();
        await h.flush();
      }
      expect(port.received.filter((c) => c.type === 'weights').map((c) => (c.type === 'weights' ? c.step : -1))).toEqual([42, 7]);
      expect(h.view().probeCopyStep).toBe(7);
      expect(h.decodes(1, fresh)).toEqual([]);
    } finally {
      source.dispose();
    }
    h.controller.dispose();
    await port.idle();
    expect(tf.memory().numTensors).toBe(before);
  });
});
