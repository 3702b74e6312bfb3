/**
 * Downloads a gzipped asset from our own origin with byte progress and decompresses it.
 * No DOM use: runs in a Web Worker as well as on the main thread (and in Node ≥ 20).
 */

/** The asset could not be obtained. The message names the file and says what to do. */
export class DataLoadError extends Error {
  readonly file: string;
  /** HTTP status when the server answered with an error. */
  readonly status?: number;

  constructor(file: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataLoadError';
    this.file = file;
    if (options.status !== undefined) this.status = options.status;
  }
}

export interface FetchGzipOptions {
  /** Compressed size (from the manifest); the progress total. Falls back to Content-Length. */
  expectedBytes?: number;
  /**
   * Decompressed size, used only to scale progress when the server sent the file with
   * `Content-Encoding: gzip` and the browser hands us already-decompressed bytes.
   */
  expectedRawBytes?: number;
  /** Called with monotone non-decreasing `loadedBytes`; the last call has loadedBytes === totalBytes. */
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

const PREPARE_HINT = 'run `npm run prepare-data`';

export function fileNameOf(url: string): string {
  const path = url.split(/[?#]/)[0];
  return path.split('/').pop() || url;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? (signal.reason ?? new DOMException('Aborted', 'AbortError')) : undefined;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Dev servers answer unknown paths with index.html and status 200 (SPA fallback). */
function looksLikeHtml(response: Response, bytes: Uint8Array): boolean {
  if ((response.headers.get('content-type') ?? '').includes('text/html')) return true;
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  return head.startsWith('<!doctype') || head.startsWith('<html');
}

function concat(chunks: Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

async function readBody(response: Response, file: string, opts: FetchGzipOptions): Promise<Uint8Array<ArrayBuffer>> {
  const headerLength = Number(response.headers.get('content-length'));
  let total = opts.expectedBytes ?? (Number.isFinite(headerLength) && headerLength > 0 ? headerLength : 0);
  let loaded = 0;
  let reported = 0;
  // Once known: true when the bytes are compressed, so byte counts match the compressed total.
  let compressed: boolean | undefined;
  const chunks: Uint8Array[] = [];

  const report = () => {
    if (!opts.onProgress) return;
    let progress = loaded;
    if (compressed === false && opts.expectedRawBytes && total) {
      progress = Math.floor((loaded * total) / opts.expectedRawBytes);
    }
    if (total) progress = Math.min(progress, total);
    reported = Math.max(reported, progress);
    opts.onProgress(reported, total);
  };

  report();
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (err) {
          throw (
            abortReason(opts.signal) ??
            new DataLoadError(file, `The download of ${file} was interrupted after ${loaded} bytes (${describe(err)}).`, {
              cause: err,
            })
          );
        }
        if (result.done) break;
        const reason = abortReason(opts.signal);
        if (reason) throw reason;
        chunks.push(result.value);
        loaded += result.value.length;
        if (compressed === undefined && loaded >= 2) {
          const first = chunks[0].length >= 2 ? chunks[0] : concat(chunks, loaded);
          compressed = isGzip(first);
        }
        report();
      }
    } finally {
      // Releases the connection if we stopped early (abort, error).
      reader.cancel().catch(() => {});
    }
  }
  total = Math.max(total, reported);
  reported = total;
  opts.onProgress?.(total, total);
  return concat(chunks, loaded);
}

/** The decompressor's own words for input that stops early (Chromium's, then Node's zlib's). */
const TRUNCATED = /truncated|unexpected end/i;

/**
 * What went wrong with gzip data, in words that name the cause: fewer bytes than the manifest
 * promised, a stream that stops before its end, or data that is not valid gzip.
 */
function gzipFailure(file: string, received: number, expectedBytes: number | undefined, err: unknown): string {
  if (expectedBytes && received < expectedBytes) {
    return `${file} is truncated: the server sent ${received.toLocaleString('en-US')} of its ${expectedBytes.toLocaleString('en-US')} bytes; ${PREPARE_HINT} and reload.`;
  }
  if (TRUNCATED.test(describe(err))) return `${file} is truncated: its gzip data stops before the end of the compressed stream; ${PREPARE_HINT} and reload.`;
  return `${file} is corrupt: its gzip data could not be decompressed (${describe(err)}); ${PREPARE_HINT} and reload.`;
}

/**
 * Decompress by reading the stream ourselves: through Response.arrayBuffer() every failure reads
 * "Failed to fetch", which names no cause.
 */
async function gunzip(bytes: Uint8Array<ArrayBuffer>, file: string, expectedBytes: number | undefined): Promise<Uint8Array> {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } catch (err) {
    throw new DataLoadError(file, gzipFailure(file, bytes.length, expectedBytes, err), { cause: err });
  }
  return concat(chunks, length);
}

/**
 * Fetches `url` and returns its decompressed bytes. Progress counts the bytes read from the
 * network. Throws DataLoadError on HTTP errors, network failures and corrupt gzip data; an abort
 * through `signal` rejects with the signal's reason instead.
 */
export async function fetchGzipAsset(url: string, opts: FetchGzipOptions = {}): Promise<Uint8Array> {
  opts.signal?.throwIfAborted();
  const file = fileNameOf(url);
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: opts.signal });
  } catch (err) {
    throw (
      abortReason(opts.signal) ??
      new DataLoadError(file, `${file} could not be downloaded: network error (${describe(err)}).`, { cause: err })
    );
  }
  if (response.status === 404) {
    throw new DataLoadError(file, `${file} is missing on the server (HTTP 404): ${PREPARE_HINT}.`, { status: 404 });
  }
  if (!response.ok) {
    const status = `${response.status} ${response.statusText}`.trim();
    throw new DataLoadError(file, `${file} could not be downloaded: the server answered HTTP ${status}.`, {
      status: response.status,
    });
  }

  const body = await readBody(response, file, opts);
  // With `Content-Encoding: gzip` the browser already decompressed the body: only gunzip real gzip.
  if (isGzip(body)) return gunzip(body, file, opts.expectedBytes);
  if (body.length === 0) {
    throw new DataLoadError(file, `${file} is empty on the server: ${PREPARE_HINT}.`);
  }
  if (looksLikeHtml(response, body)) {
    throw new DataLoadError(file, `${file} is missing on the server (got an HTML page instead): ${PREPARE_HINT}.`);
  }
  return body;
}
