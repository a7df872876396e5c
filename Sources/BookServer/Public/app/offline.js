// Edits kept on this device until the server has them: written on every keystroke (with
// the revision they started from and the key of the save that carries them), so a reload,
// a closed tab, a crashed browser or a server restart loses nothing. `flushUnsent` saves
// what an earlier visit left behind.

import { api, newKey, session } from './api.js';
import { onConnection } from './connection.js';

const PREFIX = 'booksprint.unsent/';
const open = new Set();   // "book/chapter" of the chapter pages showing their own

const keyOf = (book, chapter) => `${PREFIX}${session.user?.name ?? ''}/${book}/${chapter}`;

export const unsent = {
  /** `{book, chapter, base, text, edits, key, savedAt}` or null. */
  get(book, chapter) {
    try { return JSON.parse(localStorage.getItem(keyOf(book, chapter)) || 'null'); } catch { return null; }
  },
  keep(book, chapter, entry) {
    try {
      localStorage.setItem(keyOf(book, chapter), JSON.stringify({ book, chapter, ...entry, savedAt: Date.now() }));
      return true;
    } catch {
      return false;   // storage full or refused: the caller says so on screen
    }
  },
  clear(book, chapter) { localStorage.removeItem(keyOf(book, chapter)); },
  all() {
    const mine = `${PREFIX}${session.user?.name ?? ''}/`;
    const entries = [];
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i);
      if (!name.startsWith(mine)) continue;
      try { entries.push(JSON.parse(localStorage.getItem(name))); } catch { /* not ours to read */ }
    }
    return entries;
  },
  /** The chapter page of (book, chapter) saves its own edits while it is open. */
  opened(book, chapter) { open.add(`${book}/${chapter}`); },
  closed(book, chapter) { open.delete(`${book}/${chapter}`); },
};

let flushing = false;

/** Saves every kept edit of a chapter that is not open, from the revision it started from
 *  (the server merges); what the server refuses stays kept, for the chapter page to show. */
export async function flushUnsent() {
  if (flushing) return;
  flushing = true;
  try {
    for (const entry of unsent.all()) {
      if (!entry?.book || entry.failed || open.has(`${entry.book}/${entry.chapter}`)) continue;
      const path = `/books/${encodeURIComponent(entry.book)}/chapters/${encodeURIComponent(entry.chapter)}/revisions`;
      const key = entry.key || newKey();
      try {
        await api.post(path, { base: entry.base, text: entry.text }, { key });
        if (!open.has(`${entry.book}/${entry.chapter}`)) unsent.clear(entry.book, entry.chapter);
      } catch (failure) {
        if (failure.offline) break;
        // Refused (a conflict, a chapter gone): kept as it is, never thrown away here.
        localStorage.setItem(keyOf(entry.book, entry.chapter), JSON.stringify({ ...entry, key, failed: failure.status }));
      }
    }
  } finally {
    flushing = false;
  }
}

onConnection(state => { if (state === 'online' && session.token) flushUnsent(); });
