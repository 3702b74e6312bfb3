/**
 * The page's Content-Security-Policy, written once: the dev, preview and start servers send it as
 * a header on every response (the workers' scripts get their own policy from it), and the HTML
 * pages carry it as a <meta> for static hosting (vite.config.ts injects both).
 *
 * Only our own origin: scripts, workers, styles, images and fetches (the data, the .wasm files)
 * from 'self'; WebAssembly compiled from those bytes ('wasm-unsafe-eval'); blob: scripts and
 * workers, because tfjs-wasm starts each of its threads from a Blob of its module's source
 * (src/worker/backend.ts). No other origin, no inline script, no eval, no plugins, no frames.
 */
export interface CspOptions {
  /** The dev server's nonce for the scripts and styles it injects inline (Vite's html.cspNonce). */
  nonce?: string;
  /** For a <meta>: frame-ancestors is a header-only directive (a <meta> would log an error). */
  meta?: boolean;
}

export function contentSecurityPolicy({ nonce, meta = false }: CspOptions = {}): string {
  const inline = nonce ? [`'nonce-${nonce}'`] : [];
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'", "'wasm-unsafe-eval'", 'blob:', ...inline],
    ['worker-src', "'self'", 'blob:'],
    ['connect-src', "'self'"],
    ['style-src', "'self'", ...inline],
    ['img-src', "'self'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
  ];
  if (!meta) directives.push(['frame-ancestors', "'none'"]);
  return directives.map((d) => d.join(' ')).join('; ');
}
