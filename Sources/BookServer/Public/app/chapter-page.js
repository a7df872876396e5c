// The chapter page: the Markdown source beside its preview, the save state always in view,
// co-authors' edits flowing in, conflicts shown when the server cannot combine two edits.

import { api, newKey, session } from './api.js';
import { BookEvents } from './events.js';
import { Presence, byChapter } from './presence.js';
import { Editor } from './editor.js';
import { ChapterSync } from './chapter-sync.js';
import { Preview } from './preview.js';
import { showConflict } from './conflicts.js';
import { isImage, uploadImage } from './images.js';
import { flushUnsent, unsent } from './offline.js';
import { connectionState } from './connection.js';
import { setCrumbs } from './crumbs.js';
import { loadChapter } from './chapter-load.js';
import { h, notice, plural, replace } from './dom.js';
import { direction } from './text-direction.js';

const STATE_WORDS = {
  saved: s => `Saved · revision ${s.revision}`,
  pending: s => `Editing · ${plural(s.unsent, 'edit')} not saved yet`,
  saving: () => 'Saving…',
  offline: s => `Offline — ${plural(s.unsent, 'edit')} kept on this device`,
  conflict: () => 'Conflict — choose below; your text is safe on the server',
  markers: s => s.message,
  error: s => s.message,
};

export async function chapterPage(main, { book: bookId, chapter: chapterId }) {
  const status = h('div', { class: 'page-status', 'aria-live': 'polite' });
  replace(main, h('section', { class: 'page' }, h('p', {}, 'Opening the chapter…'), status));
  const loaded = await loadChapter(main, bookId, chapterId, 'This chapter cannot be opened');
  if (!loaded) return null;
  const { book, chapter, bookPath, path } = loaded;
  const canWrite = book.role !== 'reader';

  // What an earlier visit left on this device comes back, from the revision it started from.
  const kept = canWrite ? unsent.get(bookId, chapterId) : null;
  let base = { revision: chapter.revision, text: chapter.text };
  let startText = chapter.text;
  if (kept && kept.text !== chapter.text) {
    try {
      const old = kept.base === chapter.revision ? chapter : await api.get(`${path}/revisions/${kept.base}`);
      base = { revision: kept.base, text: old.text };
      startText = kept.text;
    } catch {
      startText = chapter.text;   // its base is unreadable: kept stays on the device, untouched
    }
  }

  if (kept && kept.text === chapter.text) unsent.clear(bookId, chapterId);   // already on the server

  document.title = `${chapter.title} — ${book.title} — Booksprint`;
  setCrumbs([{ label: book.title, href: bookPath }, { label: chapter.title, href: path }]);

  const title = h('input', { id: 'chapter-title', class: 'title-input', value: chapter.title, 'aria-label': 'Chapter title', readonly: !canWrite, maxlength: 300 });
  const statusSelect = h('select', { id: 'chapter-status', 'aria-label': 'Status', disabled: !canWrite },
    book.workflow.map(state => h('option', { value: state, selected: state === chapter.status }, state)));
  const saveState = h('p', { id: 'save-state', role: 'status', 'aria-live': 'polite', dataset: { state: 'saved', revision: String(chapter.revision), unsent: '0' } });
  const saveAnyway = h('button', { type: 'button', id: 'save-anyway', hidden: true }, 'Save it as it is');
  const present = h('p', { id: 'chapter-presence', class: 'presence-line' });
  const lang = book.language || 'en';
  const textarea = h('textarea', {
    id: 'editor', class: 'source', spellcheck: 'true', lang, dir: direction(lang), readonly: !canWrite,
    'aria-label': 'Chapter text (Markdown)', autocapitalize: 'sentences',
  });
  const previewPane = h('div', { id: 'preview', class: 'preview prose', 'aria-label': 'Preview', tabindex: '0', role: 'region', lang, dir: direction(lang) });
  const fileInput = h('input', { id: 'image-file', type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp,image/svg+xml', hidden: true, multiple: true });
  const insertImage = h('button', { type: 'button', id: 'insert-image', hidden: !canWrite, onclick: () => fileInput.click() }, 'Insert image');
  const tabSource = h('button', { type: 'button', id: 'tab-source', role: 'tab', 'aria-selected': 'true', 'aria-controls': 'source-pane' }, 'Text');
  const tabPreview = h('button', { type: 'button', id: 'tab-preview', role: 'tab', 'aria-selected': 'false', 'aria-controls': 'preview-pane' }, 'Preview');
  const conflictSection = h('section', { id: 'conflict', class: 'conflict', hidden: true, 'aria-labelledby': 'conflict-heading', role: 'region' });
  const panes = h('div', { class: 'panes', 'data-show': 'source' },
    h('div', { class: 'pane', id: 'source-pane', role: 'tabpanel', 'aria-labelledby': 'tab-source' }, textarea),
    h('div', { class: 'pane', id: 'preview-pane', role: 'tabpanel', 'aria-labelledby': 'tab-preview' }, previewPane));

  replace(main, h('section', { class: 'page chapter-page' },
    h('div', { class: 'chapter-bar' },
      h('h1', { class: 'visually-hidden' }, chapter.title),
      title, statusSelect,
      h('div', { class: 'chapter-actions' },
        insertImage, fileInput,
        h('a', { id: 'open-history', href: `${path}/history`, class: 'button' }, 'History'))),
    h('div', { class: 'state-bar' }, saveState, saveAnyway, present),
    status, conflictSection,
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Show' }, tabSource, tabPreview),
    panes));

  const preview = new Preview(previewPane, bookId, chapterId);
  const editor = new Editor(textarea, {
    onEdit: () => { sync.edited(); preview.update(editor.value); },
    onCompositionEnd: () => sync.compositionEnded(),
  });
  editor.reset(startText);

  const sync = new ChapterSync({
    bookId, chapterId, editor, base,
    onState: showState,
    onConflict: problem => showConflict(conflictSection, problem),
    onText: () => preview.update(editor.value),
  });
  sync.edits = kept ? kept.edits || 1 : 0;
  if (kept?.key && startText === kept.text) sync.request = { base: base.revision, text: kept.text, key: kept.key, resolves: [] };
  if (startText !== base.text) sync.saveSoon(0);
  else showState({ state: 'saved', revision: base.revision, unsent: 0 });
  saveAnyway.addEventListener('click', () => sync.saveAnyway());

  function showState(s) {
    const state = s.state === 'pending' && connectionState() === 'offline' ? 'offline' : s.state;
    saveState.dataset.state = state;
    saveState.dataset.revision = String(s.revision);
    saveState.dataset.unsent = String(s.unsent);
    saveState.textContent = STATE_WORDS[state]({ ...s, state });
    saveAnyway.hidden = state !== 'markers';
  }

  // Title and status.
  async function updateChapter(fields) {
    try {
      const answer = await api.patch(path, fields, { key: newKey() });
      chapter.title = answer.title;
      chapter.status = answer.status;
      replace(status);
    } catch (failure) {
      replace(status, notice(failure.message));
      title.value = chapter.title;
      statusSelect.value = chapter.status;
    }
  }
  title.addEventListener('keydown', event => { if (event.key === 'Enter') { event.preventDefault(); title.blur(); } });
  title.addEventListener('change', () => {
    const wanted = title.value.trim();
    if (!wanted) { title.value = chapter.title; return; }
    if (wanted !== chapter.title) updateChapter({ title: wanted });
  });
  statusSelect.addEventListener('change', () => updateChapter({ status: statusSelect.value }));

  // Images: chosen, dropped or pasted.
  async function addImages(files) {
    for (const file of files) {
      if (!isImage(file)) { replace(status, notice(`${file.name || 'That file'} is not an image Booksprint can put in a book (PNG, JPEG, GIF, WebP or SVG).`)); continue; }
      replace(status, notice(`Uploading ${file.name || 'the image'}…`, 'info'));
      try {
        const markdown = await uploadImage(bookId, file);
        editor.insert(`${markdown}\n`);
        replace(status);
      } catch (failure) {
        replace(status, notice(`The image was not added: ${failure.message}`));
      }
    }
  }
  fileInput.addEventListener('change', () => { addImages(Array.from(fileInput.files)); fileInput.value = ''; });
  textarea.addEventListener('dragover', event => { if (canWrite && event.dataTransfer?.types.includes('Files')) event.preventDefault(); });
  textarea.addEventListener('drop', event => {
    const files = Array.from(event.dataTransfer?.files || []);
    if (!canWrite || !files.length) return;
    event.preventDefault();
    addImages(files);
  });
  textarea.addEventListener('paste', event => {
    const files = Array.from(event.clipboardData?.files || []).filter(isImage);
    if (!canWrite || !files.length) return;
    event.preventDefault();
    addImages(files);
  });

  // Narrow screens show one pane at a time.
  const show = which => {
    panes.dataset.show = which;
    tabSource.setAttribute('aria-selected', String(which === 'source'));
    tabPreview.setAttribute('aria-selected', String(which === 'preview'));
    if (which === 'preview') preview.update(editor.value);
  };
  tabSource.addEventListener('click', () => show('source'));
  tabPreview.addEventListener('click', () => show('preview'));

  // Editor and preview scroll together, by source line.
  let leader = null, leaderTimer = null;
  const follow = (who, action) => {
    if (leader && leader !== who) return;
    leader = who;
    clearTimeout(leaderTimer);
    leaderTimer = setTimeout(() => { leader = null; }, 150);
    action();
  };
  textarea.addEventListener('scroll', () => follow('editor', () => {
    const { line, fraction } = editor.topLine();
    preview.scrollToLine(line, fraction);
  }));
  previewPane.addEventListener('scroll', () => follow('preview', () => {
    const { line, fraction } = preview.topLine();
    editor.scrollToLine(line, fraction);
  }));
  preview.onRender = () => {
    // A fresh preview follows the editor unless the preview is being scrolled (the editor
    // may have just jumped to a line, before the preview had anything to scroll).
    if (leader === 'preview') return;
    const { line, fraction } = editor.topLine();
    preview.scrollToLine(line, fraction);
  };
  preview.update(editor.value);

  // Live: co-authors' revisions, title and status, images, who is here.
  const presence = new Presence(bookId, chapterId);
  const events = new BookEvents(bookId, book.seq, {
    onEvent: async ({ type, data }) => {
      if (data.chapter === chapterId && type === 'chapter.revised') sync.revised(data.revision);
      else if (data.chapter === chapterId && type === 'chapter.updated') {
        try {
          const fresh = await api.get(path);
          chapter.title = fresh.title;
          chapter.status = fresh.status;
          if (document.activeElement !== title) title.value = fresh.title;
          statusSelect.value = fresh.status;
        } catch { /* the next event tries again */ }
      } else if (data.chapter === chapterId && type === 'chapter.deleted') {
        replace(status, notice('A facilitator took this chapter out of the book. Your text is kept; ask them to restore it.'));
      } else if (type === 'asset.changed' && data.asset) {
        preview.forget(data.asset);
        preview.update(editor.value);
      }
    },
    onPresence: list => {
      const others = (byChapter(list).get(chapterId) || []).filter(name => name !== session.user?.name);
      replace(present, others.length ? `Here now: ${others.join(', ')}` : '');
    },
    onReset: async () => {
      sync.catchUp(true);
      return (await api.get(bookPath).catch(() => book)).seq;
    },
  });
  // A revision that landed between reading the book and the chapter.
  if (book.chapters[chapterId] && book.chapters[chapterId].revision > base.revision) sync.revised(book.chapters[chapterId].revision);

  // `?line=N` (a link from "Check before publishing") opens the text at that line.
  const line = Number(new URLSearchParams(location.search).get('line'));
  if (line > 0) editor.caretAtLine(line);
  else if (canWrite) textarea.focus({ preventScroll: true });
  return {
    // Moving inside the app keeps unsent edits on the device and saves them in the
    // background; closing or reloading the page asks first.
    canLeave: kind => kind === 'route' || (!sync.dirty && !sync.inConflict),
    unmount() {
      events.stop();
      presence.stop();
      preview.stop();
      sync.stop();
      // Whatever is still unsent goes on in the background (it is kept on the device).
      flushUnsent();
    },
  };
}
