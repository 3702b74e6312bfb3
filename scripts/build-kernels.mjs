#!/usr/bin/env node
/**
 * Compiles the AssemblyScript GEMM (src/kernels/assembly/gemm.ts, which also exports adam.ts's
 * fused Adam update, elementwise.ts's fused loss and ReLU-backward kernels and conv.ts's im2col,
 * col2im and bias gradients) into the four
 * WebAssembly binaries src/kernels/worker code picks from at run time (build products, git-ignored):
 *
 *   gemm-{relaxed,simd}-{shared,private}.wasm
 *
 * relaxed: f32x4.relaxed_madd (Chromium ≥ 114; Node 20 only behind a flag); simd: plain SIMD128.
 * shared: imports a shared memory (tfjs-wasm's threaded build); private: an unshared one (its
 * single-threaded build). A memory import must match the memory's kind, hence two of each.
 *
 * Run by postinstall, predev, prebuild and pretest; does nothing when the outputs are newer than
 * the sources. `--force` rebuilds.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import asc from 'assemblyscript/asc';

const ROOT = path.resolve(import.meta.dirname, '..');
const ASSEMBLY = path.join(ROOT, 'src', 'kernels', 'assembly');
const SOURCE = path.join(ASSEMBLY, 'gemm.ts'); // the entry; it re-exports the kernels of adam.ts, elementwise.ts and conv.ts
const OUT = path.join(ROOT, 'src', 'kernels', 'build');
const force = process.argv.includes('--force');

const VARIANTS = [
  { name: 'gemm-relaxed-shared', relaxed: true, shared: true },
  { name: 'gemm-relaxed-private', relaxed: true, shared: false },
  { name: 'gemm-simd-shared', relaxed: false, shared: true },
  { name: 'gemm-simd-private', relaxed: false, shared: false },
];

/**
 * The module runs inside tfjs-wasm's heap, so it must not write anything of its own there:
 * no data segments (they would be copied over tfjs's memory at instantiation), no start
 * function, no memory or table of its own; the memory import is its only import.
 */
function checkSections(file, shared) {
  const bytes = readFileSync(file);
  const forbidden = { 5: 'a memory section', 8: 'a start function', 11: 'data segments' };
  let offset = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[offset++];
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
      shift += 7;
    }
  };
  let memoryImport = null;
  while (offset < bytes.length) {
    const id = bytes[offset++];
    const size = leb();
    const end = offset + size;
    if (forbidden[id]) throw new Error(`${path.basename(file)} has ${forbidden[id]}: it would write into tfjs's heap`);
    if (id === 2) {
      // import section: exactly one entry, a memory (kind 2) whose limit flags say shared (3) or not (0)
      const count = leb();
      for (let name = 0; name < 2; name++) {
        const length = leb(); // module, then field name
        offset += length;
      }
      const kind = bytes[offset++];
      if (count !== 1 || kind !== 2) throw new Error(`${path.basename(file)}: must import exactly one memory`);
      memoryImport = { shared: bytes[offset] === 3 };
    }
    offset = end;
  }
  if (!memoryImport || memoryImport.shared !== shared) throw new Error(`${path.basename(file)}: memory import is not ${shared ? 'shared' : 'unshared'}`);
}

function upToDate(target) {
  if (force || !existsSync(target)) return false;
  const built = statSync(target).mtimeMs;
  const sources = readdirSync(ASSEMBLY).map((f) => path.join(ASSEMBLY, f));
  return [...sources, import.meta.filename].every((f) => statSync(f).mtimeMs < built);
}

mkdirSync(OUT, { recursive: true });
for (const { name, relaxed, shared } of VARIANTS) {
  const target = path.join(OUT, `${name}.wasm`);
  if (upToDate(target)) continue;
  const args = [
    SOURCE,
    '--outFile', target,
    '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
    '--importMemory', '--noExportMemory', '--initialMemory', '1',
    '--enable', 'simd',
    ...(relaxed ? ['--enable', 'relaxed-simd'] : []),
    // tfjs's threaded heap is declared with a 4 GiB maximum (65536 pages); a shared import must declare one ≥ it
    ...(shared ? ['--enable', 'threads', '--sharedMemory', '--maximumMemory', '65536'] : []),
  ];
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    throw new Error(`asc failed for ${name}: ${error.message}`);
  }
  checkSections(target, shared);
  console.log(`build-kernels: ${path.relative(ROOT, target)} (${statSync(target).size} bytes)`);
}
