import { randomBytes } from 'node:crypto';
import { defineConfig, type Plugin } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './csp.ts';

/**
 * Cross-origin isolation (COOP/COEP) on every response, in dev, preview and tests: tfjs-wasm can
 * only use threads when the page and its worker are cross-origin isolated (SharedArrayBuffer).
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The policy as a <meta> in every HTML page (the fallback where no server sends the header). */
function cspMeta(nonce: string | undefined): Plugin {
  return {
    name: 'csp-meta',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ nonce, meta: true }) }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig(({ command, isPreview }) => {
  // the dev server injects a few inline scripts and styles (React refresh, CSS): a nonce per start
  const nonce = command === 'serve' && !isPreview ? randomBytes(16).toString('base64') : undefined;
  const headers = { ...crossOriginIsolation, 'Content-Security-Policy': contentSecurityPolicy({ nonce }) };
  return {
    plugins: [react(), cspMeta(nonce)],
    base: './',
    html: nonce ? { cspNonce: nonce } : undefined,
    server: { headers, port: 5173 },
    preview: { headers, port: 5173 },
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
    },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['tests/unit/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            // Vitest's default is one worker fewer than the cores: one on a 2-core machine, where the
            // unit tests (tfjs-cpu, one thread each) then ran one file at a time
            maxWorkers: 2,
          },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['tests/browser/**/*.test.ts'],
            environment: 'node',
            testTimeout: 240_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
