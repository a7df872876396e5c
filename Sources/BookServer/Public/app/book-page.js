// The book page, the sprint's dashboard: every chapter with its state, words against its
// target, who is in it now, open conflicts and the last change; the book's totals; filters
// by state and by person. A facilitator also reshapes the tree here (toc-editor.js) and
// sets word targets. Kept live by the book's event stream: each event updates the rows it
// touches (toc-view.js), never the whole page.

import { api, newKey, request } from './api.js';
import { BookEvents } from './events.js';
import { Presence, byChapter } from './presence.js';
import { download } from './downloads.js';
import { setCrumbs } from './crumbs.js';
import { bookNav } from './book-nav.js';
import { drawTotals } from './book-totals.js';
import { TOCView } from './toc-view.js';
import { TOCEditor } from './toc-editor.js';
import { debounce, h, notice, replace } from './dom.js';

export async function bookPage(main, { book: bookId }) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { class: 'page-status', 'aria-live': 'polite' });
  const announcer = h('p', { id: 'toc-announcer', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const heading = h('h1', { id: 'book-title' }, 'Loading…');
  const nav = h('div', { class: 'book-nav-slot' });
  const totals = h('div', { id: 'book-totals', class: 'book-totals' });
  const filters = h('div', { class: 'filters', role: 'group', 'aria-label': 'Show only' });
  const toc = h('div', { id: 'toc', class: 'toc' });
  const empty = h('p', { class: 'empty', hidden: true }, 'No chapter yet. Add the first one below.');
  const tools = h('div', { class: 'toc-tools' });
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

  replace(main, h('section', { class: 'page book-page' }, heading, nav, totals, status, announcer, filters, toc, empty, tools, form, downloads));

  let book = null;
  let etag = null;
  let present = new Map();
  let view = null;
  let editor = null;
  const filter = { status: '', person: '' };
  let people = new Set();

  async function load() {
    const answer = await request('GET', base, { headers: etag ? { 'If-None-Match': etag } : {} });
    if (answer.status === 304) return;
    etag = answer.headers.get('ETag');
    book = answer.data;
    draw();
  }

  /** Everything that depends on the book; the list itself changes only where it must. */
  function draw() {
    if (!view) setUp();
    document.title = `${book.title} — Booksprint`;
    setCrumbs([{ label: book.title, href: base }]);
    heading.textContent = book.title;
    heading.dir = 'auto';
    drawTotals(totals, book);
    drawFilters();
    showTree();
  }

  function showTree() {
    const started = performance.now();
    view.show(book, present, visible);
    empty.hidden = book.toc.nodes.length > 0;
    editor?.attach();
    toc.dataset.rowsCreated = String(view.stats.created);
    performance.measure('dashboard-update', { start: started, end: performance.now() });
  }

  /** The first draw decides what the role may do. */
  function setUp() {
    const facilitator = book.role === 'facilitator';
    replace(nav, bookNav(bookId, book.role, 'chapters'));
    view = new TOCView(toc, base, { editable: facilitator });
    form.hidden = book.role === 'reader';
    if (!facilitator) return;
    editor = new TOCEditor({
      view, bookPath: base, current: () => book,
      show: answer => { book = { ...book, toc: { version: answer.version, nodes: answer.nodes } }; etag = null; showTree(); },
      reload: () => { etag = null; return load().catch(() => {}); },
      announce: text => { announcer.textContent = ''; setTimeout(() => { announcer.textContent = text; }, 30); },
      problem: text => replace(status, notice(text)),
    });
    const partTitle = h('input', { id: 'new-part-title', required: true, maxlength: 300, placeholder: 'Title of the new part' });
    const partForm = h('form', { id: 'new-part-form', class: 'inline-form' },
      h('label', { for: 'new-part-title' }, 'Add a part'), partTitle, h('button', { type: 'submit' }, 'Add part'));
    partForm.addEventListener('submit', async event => {
      event.preventDefault();
      const value = partTitle.value.trim();
      if (!value) return;
      partTitle.value = '';
      await editor.addPart(value);
    });
    replace(tools,
      h('p', { id: 'move-keys', class: 'hint' },
        'To move a chapter or part, drag its handle ⠿, or focus the handle and press the arrow keys: ',
        'up and down move it, right moves it into the part above, left moves it out of its part.'),
      partForm);
    // A word target is set when the field is left or Enter is pressed; empty means none.
    toc.addEventListener('change', async event => {
      const input = event.target.closest('.target-input');
      if (!input) return;
      const id = input.closest('li').dataset.chapter;
      const value = input.value.trim();
      const target = value === '' ? null : Math.max(0, Math.round(Number(value)));
      if (value !== '' && !Number.isFinite(Number(value))) { replace(status, notice('A word target is a whole number of words.')); return; }
      try {
        await api.patch(`${base}/chapters/${encodeURIComponent(id)}`, { target }, { key: newKey() });
        etag = null;
        await load();
      } catch (failure) { replace(status, notice(failure.message)); }
    });
  }

  // Filters: by state, and by person (who has the chapter open, or changed it last).
  const stateSelect = h('select', { id: 'filter-status' });
  const personSelect = h('select', { id: 'filter-person' });
  filters.append(
    h('label', { for: 'filter-status' }, 'State'), stateSelect,
    h('label', { for: 'filter-person' }, 'Person'), personSelect);
  stateSelect.addEventListener('change', () => { filter.status = stateSelect.value; showTree(); filtersChanged(); });
  personSelect.addEventListener('change', () => { filter.person = personSelect.value; showTree(); filtersChanged(); });

  function filtersChanged() {
    const on = Boolean(filter.status || filter.person);
    editor?.setDisabled(on);
    if (on && editor) replace(status, notice('Moves are off while a filter is on: show everything to reshape the book.', 'info'));
    else if (editor) replace(status);
  }

  function visible(_, chapter, names) {
    if (filter.status && chapter.status !== filter.status) return false;
    if (filter.person && !names.includes(filter.person) && chapter.modifiedBy !== filter.person) return false;
    return true;
  }

  function drawFilters() {
    fillSelect(stateSelect, 'Every state', book.workflow, filter.status);
    for (const chapter of Object.values(book.chapters)) if (chapter.modifiedBy) people.add(chapter.modifiedBy);
    for (const names of present.values()) for (const name of names) people.add(name);
    fillSelect(personSelect, 'Everyone', [...people].sort((a, b) => a.localeCompare(b)), filter.person);
  }

  function fillSelect(select, all, values, chosen) {
    const wanted = ['', ...values];
    const have = [...select.options].map(option => option.value);
    if (have.length === wanted.length && have.every((value, i) => value === wanted[i])) return;
    replace(select, h('option', { value: '' }, all), values.map(value => h('option', { value }, value)));
    select.value = values.includes(chosen) ? chosen : '';
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
  api.get(`${base}/members`).then(({ members }) => {
    for (const member of members) people.add(member.username);
    drawFilters();
  }).catch(() => {});

  // A structure change that arrives during a drag waits for the drop: the list does not
  // move under the pointer.
  const refresh = debounce(() => {
    if (editor?.dragging) { refresh(); return; }
    load().catch(() => {});
  }, 100);
  const presence = new Presence(bookId, null);
  const events = new BookEvents(bookId, book.seq, {
    onEvent: refresh,
    onPresence: list => { present = byChapter(list); drawFilters(); if (!editor?.dragging) showTree(); },
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
