/**
 * The GEMM's real helper thread (src/kernels/helper.worker.ts) in Node: the worker and control.ts
 * are transpiled with TypeScript into a temporary folder and run in a worker_threads Worker with a
 * `self` that forwards to its parentPort, on a shared WebAssembly.Memory. For tests of the
 * two-thread paths, which the browser runs and Node's tfjs-wasm (one thread, unshared heap) cannot.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { CONTROL_WORDS } from '../../../src/kernels/control';
import type { HelperLink } from '../../../src/kernels/runner';

const KERNELS = new URL('../../../src/kernels/', import.meta.url);

function transpile(file: string): string {
  const source = readFileSync(new URL(file, KERNELS), 'utf8');
  const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return out.replace(/from '\.\/control'/g, "from './control.mjs'");
}

/** Start the helper on `memory` with its control block at byte `control`; resolves once it is ready. */
export async function startNodeHelper(module: WebAssembly.Module, memory: WebAssembly.Memory, control: number): Promise<HelperLink> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gemm-helper-'));
  writeFileSync(path.join(dir, 'control.mjs'), transpile('control.ts'));
  writeFileSync(path.join(dir, 'helper.mjs'), transpile('helper.worker.ts'));
  writeFileSync(
    path.join(dir, 'boot.mjs'),
    `import { parentPort } from 'node:worker_threads';
     globalThis.self = globalThis;
     globalThis.postMessage = (m) => parentPort.postMessage(m);
     await import('./helper.mjs');
     parentPort.on('message', (data) => globalThis.onmessage({ data }));`,
  );
  const worker = new Worker(path.join(dir, 'boot.mjs'));
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
    worker.postMessage({ module, memory, control });
  });
  rmSync(dir, { recursive: true, force: true });
  return { control: new Int32Array(memory.buffer, control, CONTROL_WORDS), terminate: () => void worker.terminate() };
}
