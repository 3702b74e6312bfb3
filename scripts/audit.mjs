#!/usr/bin/env node
/**
 * npm run audit -- [--no-build] [--desktop] [--runs 1]
 *
 * Lighthouse (the npm package, pinned to 12.2.3: the last that runs on Node 20) on the built page,
 * served by vite preview with the same headers as in production, in Debian's Chromium
 * (CHROME_PATH, default /usr/bin/chromium). Prints the four category scores, the metrics behind
 * the performance score and every audit that did not pass. Not part of `npm test`: scores move
 * with the machine's load. The full report goes to bench-results/lighthouse-<time>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { machineNote } from './bench-lib/machine.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    desktop: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
  },
});
process.env.CHROME_PATH ??= '/usr/bin/chromium';

let lighthouse;
let launch;
try {
  lighthouse = (await import('lighthouse')).default;
  ({ launch } = await import('chrome-launcher'));
} catch {
  console.error('lighthouse is not installed: npm install (it is a devDependency, pinned to 12.2.3)');
  process.exit(1);
}

if (!args['no-build']) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
const server = await preview({ root: ROOT, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1' } });
const url = `http://127.0.0.1:${server.httpServer.address().port}/`;
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive', 'total-byte-weight', 'mainthread-work-breakdown', 'bootup-time'];

const chrome = await launch({
  chromePath: process.env.CHROME_PATH,
  userDataDir: mkdtempSync(path.join(tmpdir(), 'vae-audit-')),
  chromeFlags: ['--headless=new', '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const reports = [];
try {
  for (let run = 1; run <= Number(args.runs); run++) {
    const settings = args.desktop ? { formFactor: 'desktop', screenEmulation: { mobile: false, width: 1350, height: 940, deviceScaleFactor: 1, disabled: false }, throttlingMethod: 'simulate' } : {};
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' }, { extends: 'lighthouse:default', settings });
    const lhr = result.lhr;
    reports.push(lhr);
    console.log(`\nLighthouse ${lhr.lighthouseVersion} on ${url} (${args.desktop ? 'desktop' : 'mobile, simulated throttling'}), run ${run}; ${machineNote()}`);
    console.log(Object.values(lhr.categories).map((c) => `${c.title} ${c.score?.toFixed(2) ?? '–'}`).join('   '));
    for (const id of METRICS) {
      const a = lhr.audits[id];
      if (a) console.log(`  ${a.title.padEnd(28)} ${String(a.displayValue ?? '').padEnd(14)} score ${a.score ?? '–'}`);
    }
    for (const category of Object.values(lhr.categories)) {
      const failing = category.auditRefs
        .map((ref) => lhr.audits[ref.id])
        .filter((a) => a && a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable');
      if (failing.length) console.log(`  ${category.title}, below 0.9: ${failing.map((a) => `${a.id} (${a.score})`).join(', ')}`);
    }
  }
} finally {
  await chrome.kill();
  await server.close();
}
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `lighthouse-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify(reports.at(-1), null, 2));
console.log(`\nwritten ${path.relative(ROOT, out)}`);
