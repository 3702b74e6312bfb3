/** Offer bytes or text to the user as a file download (an object URL on a clicked link). */
export function downloadBytes(data: Uint8Array | string | Blob, fileName: string, type = 'application/octet-stream'): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // the download has its own reference; the URL can go once the click has been handled
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
