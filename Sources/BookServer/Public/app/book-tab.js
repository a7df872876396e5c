// What the book's settings and publishing pages start from: the book, its tabs, a heading
// and a live status line, or a page saying in words why the book cannot be opened.

import { api } from './api.js';
import { bookNav } from './book-nav.js';
import { setCrumbs } from './crumbs.js';
import { h, notice, replace } from './dom.js';

/** `{book, base, status, page}` with `page` (a section) already in `main`, or null. */
export async function openBookTab(main, bookId, tab, heading) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { class: 'page-status', 'aria-live': 'polite' });
  const page = h('section', { class: `page book-tab ${tab}-page` }, h('h1', { id: `${tab}-heading` }, heading), status);
  replace(main, page);
  let book;
  try {
    book = await api.get(base);
  } catch (failure) {
    replace(status, notice(failure.message));
    return null;
  }
  document.title = `${heading} — ${book.title} — Booksprint`;
  setCrumbs([{ label: book.title, href: base }, { label: heading, href: base + '/' + tab }]);
  page.firstChild.after(bookNav(bookId, book.role, tab));
  return { book, base, status, page };
}

/** "12 KB", "1.4 MB". */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
