// The book's settings (facilitators): what the book says about itself (title, authors,
// language, license, description, cover), its workflow, its images, its deleted chapters.

import { api, newKey } from './api.js';
import { openBookTab } from './book-tab.js';
import { direction } from './text-direction.js';
import { setCrumbs } from './crumbs.js';
import { assetURL, isImage, uploadAsset } from './images.js';
import { workflowEditor } from './workflow-editor.js';
import { imageLibrary } from './image-library.js';
import { deletedChapters } from './deleted-chapters.js';
import { h, notice, replace } from './dom.js';

const LICENSES = ['CC BY 4.0', 'CC BY-SA 4.0', 'CC BY-NC 4.0', 'CC0', 'All rights reserved'];
const OTHER = 'other';

export async function settingsPage(main, { book: bookId }) {
  const opened = await openBookTab(main, bookId, 'settings', 'Settings');
  if (!opened) return null;
  const { book, base, status, page } = opened;
  if (book.role !== 'facilitator') {
    replace(status, notice('Only the book’s facilitators can change its settings. Ask one of them if something here should change.', 'info'));
    return null;
  }
  const urls = [];   // object URLs of the cover and thumbnails, revoked on leaving
  const library = imageLibrary(bookId, book, urls);
  page.append(
    metadataForm(bookId, book),
    coverSection(bookId, book, urls, () => library.load()),
    workflowEditor(bookId, book),
    library.section,
    deletedChapters(bookId, base));
  replace(status);
  return { unmount() { for (const url of urls) URL.revokeObjectURL(url); } };
}

/** A labelled field: `field('meta-title', 'Title', input, 'a hint')`. */
function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' },
    h('label', { for: id }, label), control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

function metadataForm(bookId, book) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { id: 'metadata-status', 'aria-live': 'polite' });
  const title = h('input', { name: 'title', required: true, maxlength: 500, value: book.title });
  const subtitle = h('input', { name: 'subtitle', maxlength: 500, value: book.subtitle || '' });
  const authors = h('textarea', { name: 'authors', rows: 3 }, (book.authors || []).join('\n'));
  const language = h('input', { name: 'language', required: true, maxlength: 35, value: book.language || 'en', autocapitalize: 'none', spellcheck: 'false' });
  const known = LICENSES.includes(book.license || '') || !book.license;
  const license = h('select', { name: 'license' },
    h('option', { value: '' }, 'None given'),
    LICENSES.map(name => h('option', { value: name, selected: name === book.license }, name)),
    h('option', { value: OTHER, selected: !known }, 'Another license…'));
  const otherLicense = h('input', { name: 'license-other', maxlength: 500, value: known ? '' : book.license });
  const otherField = field('meta-license-other', 'The license, in words', otherLicense);
  const description = h('textarea', { name: 'description', rows: 4 }, book.description || '');
  const texts = [title, subtitle, authors, description];

  // The book's own words are shown in its language's direction.
  const follow = () => {
    const lang = language.value.trim() || 'en';
    for (const control of texts) { control.lang = lang; control.dir = direction(lang); }
  };
  language.addEventListener('input', follow);
  follow();
  const showOther = () => { otherField.hidden = license.value !== OTHER; };
  license.addEventListener('change', showOther);
  showOther();

  const form = h('form', { id: 'metadata-form', class: 'settings-form', 'aria-labelledby': 'metadata-heading' },
    h('h2', { id: 'metadata-heading' }, 'About the book'),
    field('meta-title', 'Title', title),
    field('meta-subtitle', 'Subtitle', subtitle),
    field('meta-authors', 'Authors', authors, 'One name a line, in the order the cover shows them.'),
    field('meta-language', 'Language', language, 'A language tag: en, fr, de, es, ar (right to left), pt-BR…'),
    field('meta-license', 'License', license),
    otherField,
    field('meta-description', 'Description', description, 'A few sentences for the reader’s library and the shop.'),
    status,
    h('button', { type: 'submit', class: 'primary', id: 'save-metadata' }, 'Save'));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const chosen = license.value === OTHER ? otherLicense.value.trim() : license.value;
    const fields = {
      title: title.value.trim(),
      subtitle: subtitle.value.trim(),
      authors: authors.value.split('\n').map(name => name.trim()).filter(Boolean),
      language: language.value.trim(),
      license: chosen,
      description: description.value.trim(),
    };
    if (!fields.title) { replace(status, notice('A book needs a title.')); title.focus(); return; }
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(fields.language)) {
      replace(status, notice('The language is a tag such as en, fr or pt-BR.'));
      language.focus();
      return;
    }
    replace(status, notice('Saving…', 'info'));
    try {
      const saved = await api.patch(base, fields, { key: newKey() });
      Object.assign(book, saved);
      document.title = `Settings — ${saved.title} — Booksprint`;
      setCrumbs([{ label: saved.title, href: base }, { label: 'Settings', href: `${base}/settings` }]);
      replace(status, notice('Saved. The next export uses these.', 'ok'));
    } catch (failure) {
      replace(status, notice(`Not saved: ${failure.message}`));
    }
  });
  return form;
}

function coverSection(bookId, book, urls, onUploaded) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { id: 'cover-status', 'aria-live': 'polite' });
  const preview = h('div', { id: 'cover-preview', class: 'cover-preview' });
  const file = h('input', { id: 'cover-file', type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp,image/svg+xml' });
  const remove = h('button', { type: 'button', id: 'remove-cover' }, 'Remove the cover');

  async function show() {
    const name = (book.cover || '').replace(/^images\//, '');
    remove.hidden = !name;
    if (!name) { replace(preview, h('p', { class: 'empty' }, 'No cover yet.')); return; }
    try {
      const url = await assetURL(bookId, name);
      urls.push(url);
      replace(preview, h('img', { src: url, alt: `The cover of ${book.title}`, id: 'cover-image', dataset: { asset: name } }));
    } catch {
      replace(preview, h('p', { class: 'notice notice-error' }, `The cover image ${name} is missing from the book’s images. Choose another.`));
    }
  }

  async function setCover(path, done) {
    const saved = await api.patch(base, { cover: path }, { key: newKey() });
    Object.assign(book, saved);
    if ((book.cover || '') !== path) throw new Error('the server did not keep the cover');
    await show();
    replace(status, notice(done, 'ok'));
  }

  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    file.value = '';
    if (!chosen) return;
    if (!isImage(chosen)) { replace(status, notice(`${chosen.name} is not an image a book can have on its cover (PNG, JPEG, GIF, WebP or SVG).`)); return; }
    replace(status, notice(`Uploading ${chosen.name}…`, 'info'));
    try {
      const name = await uploadAsset(bookId, chosen, 'cover');
      await setCover(`images/${name}`, `The cover is now ${chosen.name}.`);
      onUploaded();
    } catch (failure) {
      replace(status, notice(`The cover did not change: ${failure.message}`));
    }
  });
  remove.addEventListener('click', async () => {
    try { await setCover('', 'The book has no cover now; its image stays in the library.'); } catch (failure) {
      replace(status, notice(`The cover is still there: ${failure.message}`));
    }
  });
  show();
  return h('section', { class: 'settings-section', 'aria-labelledby': 'cover-heading' },
    h('h2', { id: 'cover-heading' }, 'Cover'),
    preview,
    h('div', { class: 'field' }, h('label', { for: 'cover-file' }, 'Choose a cover image'), file,
      h('p', { class: 'hint' }, 'A tall image, about 1600 × 2400 pixels, looks good in every reader.')),
    remove, status);
}
