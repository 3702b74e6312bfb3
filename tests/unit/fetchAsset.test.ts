import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataLoadError, fetchGzipAsset } from '../../src/data/fetchAsset';

/** Deterministic, somewhat compressible payload. */
function payload(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 12345;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 7 === 0 ? x >>> 24 : i & 0x3f;
  }
  return out;
}

/** A body streamed in fixed-size chunks, like a network response. */
function chunkedStream(bytes: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** Byte-exact comparison; toEqual on large typed arrays is very slow. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
}

function fakeFetch(make: () => Response | Promise<Response>): typeof fetch {
  return (async () => make()) as typeof fetch;
}

async function loadError(promise: Promise<unknown>): Promise<DataLoadError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DataLoadError);
    return err as DataLoadError;
  }
  throw new Error('expected a DataLoadError');
}

describe('fetchGzipAsset', () => {
  const raw = payload(200_000);
  const gz = new Uint8Array(gzipSync(raw, { level: 9 }));

  it('decompresses a gzipped body and reports monotone progress ending at the total', async () => {
    const calls: Array<[number, number]> = [];
    const out = await fetchGzipAsset('/data/fixture.idx.gz', {
      expectedBytes: gz.length,
      onProgress: (loaded, total) => calls.push([loaded, total]),
      fetchImpl: fakeFetch(() => new Response(chunkedStream(gz, 4096))),
    });
    expectSameBytes(out, raw);
    expect(calls.length).toBeGreaterThan(3);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
    expect(calls.every(([, total]) => total === gz.length)).toBe(true);
    expect(calls[0][0]).toBe(0);
    expect(calls[calls.length - 1]).toEqual([gz.length, gz.length]);
  });

  it('uses Content-Length as the total when no size is expected', async () => {
    const calls: Array<[number, number]> = [];
    await fetchGzipAsset('/a.gz', {
      onProgress: (loaded, total) => calls.push([loaded, total]),
      fetchImpl: fakeFetch(() => new Response(gz, { headers: { 'content-length': String(gz.length) } })),
    });
    expect(calls[calls.length - 1]).toEqual([gz.length, gz.length]);
  });

  it('passes through a body the browser already decoded (Content-Encoding: gzip)', async () => {
    const calls: Array<[number, number]> = [];
    const out = await fetchGzipAsset('/data/fixture.idx.gz', {
      expectedBytes: gz.length,
      expectedRawBytes: raw.length,
      onProgress: (loaded, total) => calls.push([loaded, total]),
      fetchImpl: fakeFetch(() => new Response(chunkedStream(raw, 8192), { headers: { 'content-encoding': 'gzip' } })),
    });
    expectSameBytes(out, raw);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
    // Scaled to compressed bytes, so the bar moves smoothly instead of jumping to 100 %.
    expect(calls[Math.floor(calls.length / 2)][0]).toBeLessThan(gz.length);
    expect(calls[calls.length - 1]).toEqual([gz.length, gz.length]);
  });

  it('rejects a corrupt gzip stream with a message naming the file', async () => {
    const bad = gz.slice();
    for (let i = 20; i < 60; i++) bad[i] ^= 0x5a;
    const err = await loadError(
      fetchGzipAsset('/data/mnist-train-images.idx.gz', { fetchImpl: fakeFetch(() => new Response(bad)) }),
    );
    expect(err.file).toBe('mnist-train-images.idx.gz');
    expect(err.message).toMatch(/^mnist-train-images\.idx\.gz is corrupt: its gzip data could not be decompressed \(.+\); run `npm run prepare-data` and reload\.$/);
    expect(err.message).not.toMatch(/truncated|Failed to fetch/);
  });

  it('calls a file shorter than the manifest says truncated, with the byte counts', async () => {
    const half = gz.slice(0, gz.length >> 1);
    const err = await loadError(fetchGzipAsset('/data/x.idx.gz?v=1', { expectedBytes: gz.length, fetchImpl: fakeFetch(() => new Response(half)) }));
    expect(err.message).toBe(
      `x.idx.gz is truncated: the server sent ${half.length.toLocaleString('en-US')} of its ${gz.length.toLocaleString('en-US')} bytes; run \`npm run prepare-data\` and reload.`,
    );
  });

  it('calls a gzip stream that stops early truncated, even without a size to compare with', async () => {
    const err = await loadError(fetchGzipAsset('/data/x.idx.gz', { fetchImpl: fakeFetch(() => new Response(gz.slice(0, gz.length >> 1))) }));
    expect(err.message).toBe('x.idx.gz is truncated: its gzip data stops before the end of the compressed stream; run `npm run prepare-data` and reload.');
  });

  it('rejects a 404 telling how to create the file', async () => {
    const err = await loadError(
      fetchGzipAsset('/data/mnist-test-labels.idx.gz', {
        fetchImpl: fakeFetch(() => new Response('not found', { status: 404, statusText: 'Not Found' })),
      }),
    );
    expect(err.status).toBe(404);
    expect(err.message).toBe(
      'mnist-test-labels.idx.gz is missing on the server (HTTP 404): run `npm run prepare-data`.',
    );
  });

  it('rejects other HTTP errors with the status', async () => {
    const err = await loadError(
      fetchGzipAsset('/d/f.gz', { fetchImpl: fakeFetch(() => new Response('x', { status: 503, statusText: 'Busy' })) }),
    );
    expect(err.status).toBe(503);
    expect(err.message).toBe('f.gz could not be downloaded: the server answered HTTP 503 Busy.');
  });

  it('treats a dev-server HTML fallback page as a missing file', async () => {
    const err = await loadError(
      fetchGzipAsset('/data/f.gz', {
        fetchImpl: fakeFetch(() => new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html' } })),
      }),
    );
    expect(err.message).toBe('f.gz is missing on the server (got an HTML page instead): run `npm run prepare-data`.');
  });

  it('wraps a network failure', async () => {
    const err = await loadError(
      fetchGzipAsset('/data/f.gz', {
        fetchImpl: (async () => {
          throw new TypeError('Failed to fetch');
        }) as typeof fetch,
      }),
    );
    expect(err.message).toBe('f.gz could not be downloaded: network error (Failed to fetch).');
  });

  it('wraps a connection dropped mid-body', async () => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(gz.slice(0, 1000));
        } else controller.error(new TypeError('network connection lost'));
      },
    });
    const err = await loadError(fetchGzipAsset('/data/f.gz', { fetchImpl: fakeFetch(() => new Response(body)) }));
    expect(err.message).toBe('The download of f.gz was interrupted after 1000 bytes (network connection lost).');
  });

  it('rejects with the abort reason when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(
      fetchGzipAsset('/data/f.gz', { signal: controller.signal, fetchImpl: fakeFetch(() => new Response(gz)) }),
    ).rejects.toBe(reason);
  });
});
