/**
 * The house's rules, checked on the source: imports run one way (ui → state → worker → core,
 * with data and kernels below everything), and only the worker's side loads tfjs, through
 * tfjs-core (src/core/tf.ts), never the umbrella package with its layers, converter and data.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'assembly' ? [] : sources(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

/** The top folder of src/ a file is in ('core', 'ui', …), or '' for src/ itself. */
function layerOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0] : '';
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)import\s+'([^']+)'/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** What each layer may import from the project (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  data: [],
  kernels: [],
  core: ['data', 'kernels'],
  worker: ['core', 'data', 'kernels'],
  state: ['worker', 'core', 'data'],
  ui: ['state', 'worker', 'core', 'data'],
  bench: ['state', 'worker', 'core', 'data'],
  '': ['ui'],
};

const FILES = sources(SRC);

describe('the import graph', () => {
  it('runs one way: no layer imports a layer above it', () => {
    const wrong: string[] = [];
    for (const file of FILES) {
      const from = layerOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = layerOf(path.resolve(path.dirname(file), spec));
        if (target !== from && !(ALLOWED[from] ?? []).includes(target)) wrong.push(`${path.relative(SRC, file)} → ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('loads tfjs only through tfjs-core, never the umbrella package', () => {
    const umbrella = FILES.filter((f) => importsOf(f).includes('@tensorflow/tfjs')).map((f) => path.relative(SRC, f));
    expect(umbrella).toEqual([]);
  });

  it('keeps tfjs out of what the page loads: the catalog, the terms and the settings specs are pure', () => {
    for (const rel of ['core/models/catalog.ts', 'core/objective/catalog.ts', 'core/objective/terms.ts', 'core/settings/spec.ts', 'core/models/config.ts']) {
      const imports = importsOf(path.join(SRC, rel));
      expect(imports.filter((s) => s.includes('tfjs') || s.endsWith('/tf')), rel).toEqual([]);
    }
  });
});
