// Images dropped, pasted or chosen in the editor: uploaded as the book's assets under a
// name of their own, then referred to from the text as `images/NAME`.

import { api, request } from './api.js';

const TYPES = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg' };

export const isImage = file => file && file.type in TYPES;

/** An asset name from the file's name: letters, digits, '-', '_' and one extension. */
function baseName(file) {
  const stem = (file.name || 'image').replace(/\.[^.]*$/, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const clean = stem.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).toLowerCase();
  return clean || 'image';
}

/** Uploads `file` as a new asset named after it (or after `stem`), never replacing another
 *  image; answers the asset's name. */
export async function uploadAsset(bookId, file, stem = baseName(file)) {
  if (!isImage(file)) throw new Error(`${file.name || 'This file'} is not a PNG, JPEG, GIF, WebP or SVG image.`);
  const book = `/books/${encodeURIComponent(bookId)}`;
  const { assets } = await api.get(`${book}/assets`);
  const taken = new Set(assets.map(asset => asset.name));
  const ext = TYPES[file.type];
  let name = `${stem}.${ext}`;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}.${ext}`;
  await request('PUT', `${book}/assets/${encodeURIComponent(name)}`, { body: file, timeout: 120000 });
  return name;
}

/** Uploads `file` and answers the Markdown that shows it. */
export async function uploadImage(bookId, file) {
  const stem = baseName(file);
  const name = await uploadAsset(bookId, file, stem);
  const alt = stem.replace(/[-_]+/g, ' ');
  return `![${alt}](images/${name})`;
}

/** An asset as an object URL (the asset URLs need the token, which an <img> cannot send);
 *  the caller revokes it. */
export async function assetURL(bookId, name) {
  const answer = await request('GET', `/books/${encodeURIComponent(bookId)}/assets/${encodeURIComponent(name)}`, { as: 'blob' });
  return URL.createObjectURL(answer.data);
}
