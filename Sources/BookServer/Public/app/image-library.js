// The book's images (facilitators): thumbnails, upload, and delete with a warning naming
// the chapters that show the image. Thumbnails come through fetch with the token, as blob:
// URLs (an <img> cannot send the token).

import { api, newKey } from './api.js';
import { formatSize } from './book-tab.js';
import { assetURL, isImage, uploadAsset } from './images.js';
import { h, notice, replace } from './dom.js';

/** `{section, load()}`; `urls` collects the thumbnails' object URLs for the page to revoke. */
export function imageLibrary(bookId, book, urls) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { id: 'images-status', 'aria-live': 'polite' });
  const list = h('ul', { id: 'image-library', class: 'image-library' });
  const file = h('input', { id: 'image-upload', type: 'file', multiple: true, accept: 'image/png,image/jpeg,image/gif,image/webp,image/svg+xml' });

  /** The chapters' titles from `usedBy` (chapter ids, or `{chapter, title}`). */
  const users = asset => (asset.usedBy || []).map(use => typeof use === 'string'
    ? book.chapters?.[use]?.title || use
    : use.title || book.chapters?.[use.chapter]?.title || use.chapter);

  async function load() {
    let assets;
    try {
      ({ assets } = await api.get(`${base}/assets`));
    } catch (failure) {
      replace(status, notice(`The images cannot be listed: ${failure.message}`));
      return;
    }
    replace(list, assets.length ? assets.map(item) : h('li', { class: 'empty' }, 'No image yet. Upload one here, or drop one into a chapter’s text.'));
  }

  function item(asset) {
    const thumb = h('img', { class: 'thumb', alt: '', width: 96, height: 96 });
    assetURL(bookId, asset.name).then(url => { urls.push(url); thumb.src = url; }, () => { thumb.alt = 'not readable'; });
    const used = users(asset);
    const usage = used.length ? `Used in ${used.join(', ')}` : 'Not used in any chapter';
    const confirmBox = h('div', { class: 'confirm', role: 'group', 'aria-label': `Delete ${asset.name}?`, hidden: true });
    const li = h('li', { class: 'image-item', dataset: { asset: asset.name } },
      thumb,
      h('div', { class: 'image-facts' },
        h('span', { class: 'image-name' }, asset.name),
        h('span', { class: 'hint' }, formatSize(asset.size)),
        h('span', { class: 'image-use' }, usage),
        h('button', { type: 'button', class: 'delete-image', 'aria-label': `Delete ${asset.name}`, onclick: () => ask() }, 'Delete'),
        confirmBox));

    function ask() {
      const cover = book.cover === `images/${asset.name}` ? ' It is the book’s cover: the exports will have none.' : '';
      replace(confirmBox,
        h('p', { class: used.length || cover ? 'notice notice-error' : 'notice notice-info', role: 'alert' }, (used.length
          ? `${asset.name} is shown in ${used.join(', ')}. Deleted, it leaves a missing image there until someone removes it from the text.`
          : `Delete ${asset.name}? No chapter shows it.`) + cover),
        h('button', { type: 'button', class: 'confirm-delete', onclick: remove }, 'Delete the image'), ' ',
        h('button', { type: 'button', class: 'cancel-delete', onclick: () => { confirmBox.hidden = true; li.querySelector('.delete-image').focus(); } }, 'Keep it'));
      confirmBox.hidden = false;
      confirmBox.querySelector('.cancel-delete').focus();
    }

    async function remove() {
      try {
        await api.delete(`${base}/assets/${encodeURIComponent(asset.name)}`, { key: newKey() });
        replace(status, notice(`${asset.name} is deleted.`, 'ok'));
        await load();
      } catch (failure) {
        replace(status, notice(`${asset.name} is still there: ${failure.message}`));
      }
    }
    return li;
  }

  file.addEventListener('change', async () => {
    const files = Array.from(file.files);
    file.value = '';
    for (const chosen of files) {
      if (!isImage(chosen)) { replace(status, notice(`${chosen.name} is not an image a book can show (PNG, JPEG, GIF, WebP or SVG).`)); continue; }
      replace(status, notice(`Uploading ${chosen.name}…`, 'info'));
      try {
        const name = await uploadAsset(bookId, chosen);
        replace(status, notice(`Uploaded as ${name}. In a chapter, write ![what it shows](images/${name}).`, 'ok'));
      } catch (failure) {
        replace(status, notice(`${chosen.name} was not uploaded: ${failure.message}`));
      }
    }
    await load();
  });

  load();
  const section = h('section', { class: 'settings-section', 'aria-labelledby': 'images-heading' },
    h('h2', { id: 'images-heading' }, 'Images'),
    h('div', { class: 'field' }, h('label', { for: 'image-upload' }, 'Upload images'), file),
    status, list);
  return { section, load };
}
