import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** A fetch that serves URLs like "/data/x" from `dir` on disk, streamed in 64 KiB chunks; 404 when absent. */
export function diskFetch(dir: string): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    try {
      const bytes = await readFile(path.join(dir, url.replace(/^\/+/, '')));
      let offset = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.length) return controller.close();
          controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + 65536)));
          offset += 65536;
        },
      });
      return new Response(body, { headers: { 'content-length': String(bytes.length) } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  }) as typeof fetch;
}
