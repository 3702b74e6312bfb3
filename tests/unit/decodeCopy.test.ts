/**
 * The decoder's copy for the page's decode worker: the training side posts the decoder's weights
 * at most every 100 ms (a fake clock here) and names each copy by model and sequence; the decode
 * session keeps only the newest copy of the current model and frees what it replaces; the page's
 * mirror drops copies of an old model and answers null (ask the training worker) whenever its copy
 * is not of the model in training.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Trainer } from '../../src/core/training/trainer';
import { DecodeMirror } from '../../src/state/decodeMirror';
import type { WorkerPort } from '../../src/worker/client';
import { DecodeSession } from '../../src/worker/decode/decodeSession';
import type { DecodeCommand, DecodeEvent } from '../../src/worker/decode/protocol';
import { DecoderShare, SHARE_EVERY_MS } from '../../src/worker/decoderShare';
import type { WorkerEvent, WorkerEventOf } from '../../src/worker/protocol';
import { prototypePatterns } from './helpers/data';
import { mlpVae } from './helpers/model';
import { TestRng } from './helpers/rng';
import { useCpuBackend } from './helpers/tf';

beforeAll(useCpuBackend);

const config = mlpVae({ inputDim: 16, hiddenDim: 8, latentDim: 2, likelihood: 'bernoulli', seed: 4 });
let trainers: Trainer[] = [];
afterEach(() => {
  for (const t of trainers) t.dispose();
  trainers = [];
});

function trainer(seed = 4): Trainer {
  const t = new Trainer({ ...config, seed }, { beta: 1, learningRate: 0.05, batchSize: 8 }, new TestRng(seed));
  trainers.push(t);
  return t;
}

function train(t: Trainer, steps: number): void {
  const data = prototypePatterns(8, 3, 2, 0.05, 4);
  for (let s = 0; s < steps; s++) {
    const x = tf.tensor2d(data.images, [8, 16]);
    t.trainStep({ x, labels: null });
    x.dispose();
  }
}

type Copy = WorkerEventOf<'decoderWeights'>;

function shareWithClock() {
  const clock = { now: 0 };
  const posted: Copy[] = [];
  const share = new DecoderShare({ post: (e: WorkerEvent) => e.type === 'decoderWeights' && posted.push(e), now: () => clock.now });
  return { clock, posted, share };
}

describe('the training side of the hand-off (DecoderShare)', () => {
  it('posts nothing until enabled, then at most once per 100 ms', async () => {
    const { clock, posted, share } = shareWithClock();
    const t = trainer();
    expect(share.due()).toBe(false);
    await share.post(t);
    expect(posted).toHaveLength(0);
    share.enabled = true;
    expect(share.due()).toBe(true);
    await share.post(t);
    expect(posted).toHaveLength(1);
    clock.now = SHARE_EVERY_MS - 1;
    expect(share.due()).toBe(false);
    clock.now = SHARE_EVERY_MS;
    expect(share.due()).toBe(true);
  });

  it('copies exactly the decoder’s weights, names the model and orders the copies', async () => {
    const { posted, share } = shareWithClock();
    share.enabled = true;
    const a = trainer();
    train(a, 3);
    await share.post(a);
    train(a, 2);
    await share.post(a);
    const b = trainer(9);
    await share.post(b);
    expect(posted.map((p) => [p.modelSerial, p.seq, p.step])).toEqual([
      [1, 1, 3],
      [1, 2, 5],
      [2, 3, 0],
    ]);
    const decoder = a.model.named.filter((n) => n.path.startsWith('decoder/'));
    expect(posted[1].weights.map((w) => w.path)).toEqual(decoder.map((n) => n.path));
    for (const [i, n] of decoder.entries()) expect(Array.from(posted[1].weights[i].values)).toEqual(Array.from(n.variable.dataSync()));
    expect(posted[1].model).toEqual(a.modelConfig);
  });

  it('posts nothing for a model disposed while its copy was asked for', async () => {
    const { posted, share } = shareWithClock();
    share.enabled = true;
    const t = trainer();
    t.dispose();
    trainers = [];
    await share.post(t);
    expect(posted).toHaveLength(0);
  });
});

describe('the decode worker’s copy (DecodeSession)', () => {
  async function copyOf(t: Trainer, share: DecoderShare, posted: Copy[]): Promise<DecodeCommand> {
    await share.post(t);
    const e = posted.at(-1) as Copy;
    return { type: 'weights', model: e.model, modelSerial: e.modelSerial, seq: e.seq, step: e.step, weights: e.weights };
  }

  it('keeps the newest copy of the current model: a late, older copy does not replace it', async () => {
    const { posted, share } = shareWithClock();
    share.enabled = true;
    const t = trainer();
    const early = await copyOf(t, share, posted);
    train(t, 4);
    const late = await copyOf(t, share, posted);
    const events: DecodeEvent[] = [];
    const session = new DecodeSession((e) => events.push(e));
    await session.receive(late);
    await session.receive(early);
    expect(session.copy).toEqual({ modelSerial: 1, seq: 2, step: 4 });
    const z = Float32Array.of(0.3, -1.2);
    await session.receive({ type: 'decode', requestId: 1, latents: z.slice(), count: 1, modelSerial: 1 });
    const decoded = events.at(-1) as Extract<DecodeEvent, { type: 'decoded' }>;
    expect(decoded).toMatchObject({ type: 'decoded', requestId: 1, modelSerial: 1, step: 4 });
    expect(Array.from(decoded.images)).toEqual(Array.from(await t.decode(z.slice(), 1)));
    session.dispose();
  });

  it('declines without a copy or for another model, and says why a request is malformed', async () => {
    const { posted, share } = shareWithClock();
    share.enabled = true;
    const events: DecodeEvent[] = [];
    const session = new DecodeSession((e) => events.push(e));
    await session.receive({ type: 'decode', requestId: 1, latents: new Float32Array(2), count: 1, modelSerial: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'declined', requestId: 1 });
    await session.receive(await copyOf(trainer(), share, posted));
    await session.receive({ type: 'decode', requestId: 2, latents: new Float32Array(2), count: 1, modelSerial: 5 });
    expect(events.at(-1)).toMatchObject({ type: 'declined', requestId: 2, reason: 'the copy is of model 1, not 5' });
    await session.receive({ type: 'decode', requestId: 3, latents: new Float32Array(3), count: 1, modelSerial: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'error', requestId: 3, message: 'expected 1 × 2 latent values, got 3' });
    await session.receive({ type: 'forget' });
    expect(session.copy).toBeNull();
    session.dispose();
  });

  it('holds a flat tensor count over many hand-offs, model changes and decodes', async () => {
    const { posted, share } = shareWithClock();
    share.enabled = true;
    const a = trainer();
    const b = trainer(11);
    const session = new DecodeSession(() => {});
    await session.receive(await copyOf(a, share, posted));
    const settled = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) {
      const t = i % 10 < 5 ? a : b;
      await session.receive(await copyOf(t, share, posted));
      await session.receive({ type: 'decode', requestId: i, latents: Float32Array.of(i / 10, 1), count: 1, modelSerial: share.serialOf(t) });
      if (i % 10 === 9) await session.receive(await copyOf(a, share, posted));
      expect(tf.memory().numTensors).toBe(settled);
    }
    const held = tf.memory().numTensors;
    session.dispose();
    expect(tf.memory().numTensors).toBeLessThan(held);
  });
});

class FakePort implements WorkerPort {
  sent: DecodeCommand[] = [];
  private listener: ((event: MessageEvent) => void) | null = null;
  private errorListener: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(message: unknown): void {
    this.sent.push(message as DecodeCommand);
  }
  addEventListener(type: 'message' | 'error', listener: ((event: MessageEvent) => void) | ((event: ErrorEvent) => void)): void {
    if (type === 'message') this.listener = listener as (event: MessageEvent) => void;
    else this.errorListener = listener as (event: ErrorEvent) => void;
  }
  terminate(): void {
    this.terminated = true;
  }
  crash(): void {
    this.errorListener?.({ message: 'the worker failed' } as ErrorEvent);
  }
  reply(event: DecodeEvent): void {
    this.listener?.({ data: event } as MessageEvent);
  }
}

function copyEvent(modelSerial: number, seq: number, step: number): Copy {
  return { type: 'decoderWeights', model: config, modelSerial, seq, step, weights: [{ path: 'decoder/output/bias', shape: [1], values: Float32Array.of(seq) }] };
}

describe('the page’s mirror of the copy (DecodeMirror)', () => {
  it('answers null, asking nothing of the decode worker, until it holds a copy', async () => {
    const port = new FakePort();
    const mirror = new DecodeMirror(() => port);
    expect(mirror.usable).toBe(false);
    expect(await mirror.decode(Float32Array.of(0, 0), 1)).toBeNull();
    expect(port.sent).toHaveLength(0);
  });

  it('relays copies in order, drops a late older one, and decodes with the model it holds', async () => {
    const port = new FakePort();
    const mirror = new DecodeMirror(() => port);
    mirror.onWeights(copyEvent(1, 1, 10));
    mirror.onWeights(copyEvent(1, 3, 30));
    mirror.onWeights(copyEvent(1, 2, 20));
    expect(port.sent.map((c) => c.type === 'weights' && c.seq)).toEqual([1, 3]);
    expect(mirror.counts).toEqual({ relayed: 2, dropped: 1 });
    expect(mirror.heldStep).toBe(30);
    const latents = Float32Array.of(0.5, 0.25);
    const pending = mirror.decode(latents, 1);
    const asked = port.sent.at(-1) as Extract<DecodeCommand, { type: 'decode' }>;
    expect(asked).toMatchObject({ type: 'decode', count: 1, modelSerial: 1 });
    // the latents are copied, not transferred: a declined request can still go to the training worker
    expect(asked.latents).not.toBe(latents);
    port.reply({ type: 'decoded', requestId: asked.requestId, images: Float32Array.of(0.9), modelSerial: 1, step: 30 });
    expect(await pending).toEqual({ images: Float32Array.of(0.9), step: 30 });
  });

  it('sends the classes of a conditional decode with it, copied like the latents', async () => {
    const port = new FakePort();
    const mirror = new DecodeMirror(() => port);
    mirror.onWeights(copyEvent(1, 1, 10));
    const labels = Int32Array.of(7, 7);
    const pending = mirror.decode(Float32Array.of(0, 0, 1, 1), 2, labels);
    const asked = port.sent.at(-1) as Extract<DecodeCommand, { type: 'decode' }>;
    expect(Array.from(asked.labels ?? [])).toEqual([7, 7]);
    expect(asked.labels).not.toBe(labels);
    void mirror.decode(Float32Array.of(0, 0), 1);
    expect((port.sent.at(-1) as Extract<DecodeCommand, { type: 'decode' }>).labels).toBeUndefined();
    port.reply({ type: 'decoded', requestId: asked.requestId, images: Float32Array.of(0.5, 0.5), modelSerial: 1, step: 10 });
    expect(await pending).toEqual({ images: Float32Array.of(0.5, 0.5), step: 10 });
  });

  it('between a configure and its reply drops the old model’s copies; the new model’s first copy makes it usable', async () => {
    const port = new FakePort();
    const mirror = new DecodeMirror(() => port);
    mirror.onWeights(copyEvent(1, 1, 10));
    mirror.expectNewModel();
    expect(port.sent.at(-1)).toEqual({ type: 'forget' });
    expect(mirror.usable).toBe(false);
    mirror.onWeights(copyEvent(1, 2, 11)); // still the old model, posted before the worker saw configure
    expect(mirror.usable).toBe(false);
    expect(await mirror.decode(Float32Array.of(0, 0), 1)).toBeNull();
    mirror.onConfigured();
    expect(mirror.usable).toBe(false);
    mirror.onWeights(copyEvent(2, 3, 0));
    expect(mirror.usable).toBe(true);
    expect(mirror.heldStep).toBe(0);
    expect(mirror.counts.dropped).toBe(1);
  });

  it('a declined or failed decode answers null (the training worker decodes instead)', async () => {
    const port = new FakePort();
    const mirror = new DecodeMirror(() => port);
    mirror.onWeights(copyEvent(1, 1, 10));
    const declined = mirror.decode(Float32Array.of(0, 0), 1);
    port.reply({ type: 'declined', requestId: (port.sent.at(-1) as { requestId: number }).requestId, reason: 'no copy of the decoder yet' });
    expect(await declined).toBeNull();
    const failed = mirror.decode(Float32Array.of(0, 0), 1);
    port.reply({ type: 'error', requestId: (port.sent.at(-1) as { requestId: number }).requestId, message: 'boom' });
    expect(await failed).toBeNull();
    const cut = mirror.decode(Float32Array.of(0, 0), 1);
    mirror.terminate();
    expect(await cut).toBeNull();
  });

  it('a decode worker that fails is stopped and not started again: every decode goes to the training worker', async () => {
    let started = 0;
    let broken = 0;
    const port = new FakePort();
    const mirror = new DecodeMirror(
      () => {
        started += 1;
        return port;
      },
      () => (broken += 1),
    );
    mirror.onWeights(copyEvent(1, 1, 10));
    const pending = mirror.decode(Float32Array.of(0, 0), 1);
    port.crash();
    expect(await pending).toBeNull();
    expect(port.terminated).toBe(true);
    expect([mirror.broken, mirror.usable, broken]).toEqual([true, false, 1]);
    const sentBefore = port.sent.length;
    mirror.onWeights(copyEvent(1, 2, 20));
    expect(await mirror.decode(Float32Array.of(0, 0), 1)).toBeNull();
    port.crash();
    expect([started, broken, port.sent.length]).toEqual([1, 1, sentBefore]);
  });

  it('a refused configure lets the old model’s next copy serve again', () => {
    const port = new FakePort();
    const mirror = new DecodeMirror(() => port);
    mirror.expectNewModel();
    mirror.onConfigureRefused();
    mirror.onWeights(copyEvent(1, 5, 50));
    expect(mirror.usable).toBe(true);
  });
});
