// The book page: the table of contents with each chapter's status, words, open conflicts
// and who is in it now; kept live by the book's event stream.

import { api, newKey, request } from './api.js';
import { BookEvents } from './events.js';
import { Presence, byChapter } from './presence.js';
import { download } from './downloads.js';
import { setCrumbs } from './crumbs.js';
import { debounce, formatNumber, h, notice, plural, replace } from './dom.js';

export async function bookPage(main, { book: bookId }) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { class: 'page-status', 'aria-live': 'polite' });
  const heading = h('h1', { id: 'book-title' }, 'Loading…');
  const summary = h('p', { class: 'book-summary' });
  const toc = h('div', { id: 'toc', class: 'toc' });
  const title = h('input', { id: 'new-chapter-title', name: 'title', required: true, maxlength: 300, placeholder: 'Title of the new chapter' });
  const form = h('form', { id: 'new-chapter-form', class: 'inline-form', hidden: true },
    h('label', { for: 'new-chapter-title' }, 'Add a chapter'), title, h('button', { type: 'submit' }, 'Add chapter'));
  const downloadLink = (id, format, label) => h('a', {
    id, href: `/api/v1${base}/export.${format}`, class: 'button',
    onclick: async event => {
      event.preventDefault();
      replace(status, notice(`Preparing the ${label}…`, 'info'));
      try {
        const name = await download(`${base}/export.${format}`, `book.${format}`);
        replace(status, notice(`Downloaded ${name}.`, 'info'));
      } catch (failure) { replace(status, notice(failure.message)); }
    },
  }, label);
  const downloads = h('section', { class: 'downloads', 'aria-labelledby': 'downloads-heading' },
    h('h2', { id: 'downloads-heading' }, 'Download the book'),
    h('p', {}, downloadLink('download-epub', 'epub', 'EPUB'), ' ', downloadLink('download-html', 'html', 'Single-page HTML'), ' ',
      downloadLink('download-zip', 'zip', 'Book folder (zip)')));

  replace(main, h('section', { class: 'page book-page' }, heading, summary, status, toc, form, downloads));

  let book = null;
  let etag = null;
  let present = new Map();

  async function load() {
    const answer = await request('GET', base, { headers: etag ? { 'If-None-Match': etag } : {} });
    if (answer.status === 304) return;
    etag = answer.headers.get('ETag');
    book = answer.data;
    draw();
  }

  function draw() {
    document.title = `${book.title} — Booksprint`;
    setCrumbs([{ label: book.title, href: base }]);
    heading.textContent = book.title;
    const count = Object.keys(book.chapters).length;
    replace(summary, book.subtitle ? h('span', { class: 'subtitle' }, book.subtitle, ' · ') : null,
      h('span', { id: 'book-words', dataset: { words: String(book.words ?? 0) } }, plural(book.words ?? 0, 'word')),
      ` in ${plural(count, 'chapter')}`);
    form.hidden = book.role === 'reader';
    // A live redraw keeps the keyboard focus on the chapter it was on.
    const focused = toc.contains(document.activeElement) ? document.activeElement.closest('[data-chapter]')?.dataset.chapter : null;
    replace(toc, book.toc.nodes.length ? tree(book.toc.nodes) : h('p', { class: 'empty' }, 'No chapter yet. Add the first one below.'));
    if (focused) toc.querySelector(`[data-chapter="${CSS.escape(focused)}"] a.chapter-link`)?.focus();
  }

  function tree(nodes) {
    return h('ol', {}, nodes.map(node => node.kind === 'part'
      ? h('li', { class: 'toc-part' }, h('span', { class: 'part-title' }, node.title), tree(node.children || []))
      : chapterItem(node)));
  }

  function chapterItem(node) {
    const chapter = book.chapters[node.chapter] || { title: node.title, status: '', words: 0, conflicts: 0 };
    const people = present.get(node.chapter) || [];
    const stateIndex = Math.max(0, book.workflow.indexOf(chapter.status));
    return h('li', { class: 'toc-chapter', dataset: { chapter: node.chapter } },
      h('a', { class: 'chapter-link', href: `${base}/chapters/${encodeURIComponent(node.chapter)}` }, chapter.title || node.title),
      h('span', { class: `chapter-status status-${Math.min(stateIndex, 3)}` }, chapter.status),
      h('span', { class: 'chapter-words', dataset: { words: String(chapter.words ?? 0) } }, `${formatNumber(chapter.words ?? 0)} words`),
      h('span', { class: 'chapter-conflicts', dataset: { count: String(chapter.conflicts ?? 0) }, hidden: !chapter.conflicts },
        plural(chapter.conflicts ?? 0, 'open conflict')),
      h('span', { class: 'chapter-presence', 'aria-label': people.length ? `Open now by ${people.join(', ')}` : null },
        people.map(name => h('span', { class: 'person', title: name }, name))));
  }

  const key = { value: newKey() };
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      await api.post(`${base}/chapters`, { title: title.value.trim() }, { key: key.value });
      key.value = newKey();
      title.value = '';
      await load();
    } catch (failure) { replace(status, notice(failure.message)); }
  });

  try {
    await load();
  } catch (failure) {
    heading.textContent = 'This book cannot be opened';
    replace(status, notice(failure.message));
    return null;
  }
  performance.mark('app-interactive');

  const refresh = debounce(() => load().catch(() => {}), 150);
  const presence = new Presence(bookId, null);
  const events = new BookEvents(bookId, book.seq, {
    onEvent: refresh,
    onPresence: list => { present = byChapter(list); draw(); },
    onReset: async () => { etag = null; await load().catch(() => {}); return book.seq; },
  });
  return {
    unmount() {
      events.stop();
      presence.stop();
      refresh.cancel();
    },
  };
}
