import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * Cross-origin isolation (COOP/COEP) on every response, in dev, preview and tests: tfjs-wasm can
 * only use threads when the page and its worker are cross-origin isolated (SharedArrayBuffer).
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react()],
  base: './',
  server: { headers: crossOriginIsolation, port: 5173 },
  preview: { headers: crossOriginIsolation, port: 5173 },
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
});
