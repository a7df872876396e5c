// Downloads that need the sign-in token: fetched, then handed to the browser as a file.

import { request } from './api.js';

/** Fetches `path` and saves it under the server's file name (Content-Disposition);
 *  `onProgress(received, total)` follows the bytes as they arrive (`total` 0 when the
 *  server does not say). */
export async function download(path, fallbackName, { onProgress } = {}) {
  const answer = await request('GET', path, { as: onProgress ? 'response' : 'blob', timeout: 120000 });
  const blob = onProgress ? await readAll(answer.data, onProgress) : answer.data;
  const disposition = answer.headers.get('Content-Disposition') || '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

async function readAll(response, onProgress) {
  const total = Number(response.headers.get('Content-Length')) || 0;
  const reader = response.body.getReader();
  const parts = [];
  let received = 0;
  onProgress(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    onProgress(received, total);
  }
  return new Blob(parts, { type: response.headers.get('Content-Type') || 'application/octet-stream' });
}
