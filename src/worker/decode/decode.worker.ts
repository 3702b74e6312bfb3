/// <reference lib="webworker" />
/**
 * The decode worker: a copy of the decoder on tfjs's plain-JS backend. One image through the MLP
 * decoder is ~0.3 M multiply-adds (about a millisecond in JS), so it needs neither wasm's start-up
 * nor its threads, and it leaves both cores' wasm work to the training worker. All logic is in
 * DecodeSession.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../core/tf';
import type { DecodeCommand, DecodeEvent } from './protocol';
import { DecodeSession } from './decodeSession';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new DecodeSession((event: DecodeEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer));
const ready = tf.setBackend('cpu').then(() => tf.ready());
// one message at a time, in order: a decode never sees half of a copy
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<DecodeCommand>) => {
  queue = queue.then(() => ready).then(() => session.receive(event.data));
};
