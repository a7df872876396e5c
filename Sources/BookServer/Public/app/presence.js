// Who has which chapter open: said to the server on arrival and every 30 s (an entry not
// renewed within 60 s is gone), heard back as `presence` events on the book's stream.

import { api } from './api.js';

export class Presence {
  constructor(bookId, chapterId) {
    this.path = `/books/${encodeURIComponent(bookId)}/presence`;
    this.chapterId = chapterId;
    this.say();
    this.timer = setInterval(() => this.say(), 30000);
  }

  say() {
    api.put(this.path, { chapter: this.chapterId }).catch(() => {});
  }

  stop() { clearInterval(this.timer); }
}

/** `{chapterId: [names]}` from the server's list (the book itself under `null`). */
export function byChapter(present) {
  const map = new Map();
  for (const entry of present) {
    const key = entry.chapter ?? null;
    if (!map.has(key)) map.set(key, []);
    if (!map.get(key).includes(entry.user)) map.get(key).push(entry.user);
  }
  return map;
}
