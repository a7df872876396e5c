// Downloads that need the sign-in token: fetched, then handed to the browser as a file.

import { request } from './api.js';

/** Fetches `path` and saves it under the server's file name (Content-Disposition). */
export async function download(path, fallbackName) {
  const answer = await request('GET', path, { as: 'blob', timeout: 120000 });
  const disposition = answer.headers.get('Content-Disposition') || '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || fallbackName;
  const url = URL.createObjectURL(answer.data);
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
