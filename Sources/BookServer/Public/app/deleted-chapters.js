// Chapters a facilitator took out of the book, with Restore (the chapter comes back at the
// end of the table of contents, its history intact).

import { api, newKey } from './api.js';
import { formatTime, h, notice, replace } from './dom.js';

export function deletedChapters(bookId, base) {
  const status = h('div', { id: 'deleted-status', 'aria-live': 'polite' });
  const list = h('ul', { id: 'deleted-chapters', class: 'deleted-chapters' });

  async function load() {
    let chapters;
    try {
      ({ chapters } = await api.get(`${base}/chapters?deleted=true`));
    } catch (failure) {
      replace(status, notice(`The deleted chapters cannot be listed: ${failure.message}`));
      return;
    }
    replace(list, chapters.length ? chapters.map(chapter => h('li', { dataset: { chapter: chapter.id } },
      h('span', { class: 'deleted-title' }, chapter.title),
      h('span', { class: 'hint' }, chapter.modified ? `last changed ${formatTime(chapter.modified)}${chapter.modifiedBy ? ` by ${chapter.modifiedBy}` : ''}` : ''),
      h('button', { type: 'button', class: 'restore-chapter', 'aria-label': `Restore ${chapter.title}`, onclick: () => restore(chapter) }, 'Restore')))
      : h('li', { class: 'empty' }, 'No deleted chapter.'));
  }

  async function restore(chapter) {
    try {
      await api.post(`${base}/chapters/${encodeURIComponent(chapter.id)}/restore`, undefined, { key: newKey() });
      replace(status, notice(`${chapter.title} is back, at the end of the book.`, 'ok'));
      await load();
      document.getElementById('deleted-heading')?.focus();
    } catch (failure) {
      replace(status, notice(`${chapter.title} was not restored: ${failure.message}`));
    }
  }

  load();
  return h('section', { class: 'settings-section', 'aria-labelledby': 'deleted-heading' },
    h('h2', { id: 'deleted-heading', tabindex: '-1' }, 'Deleted chapters'),
    status, list);
}
