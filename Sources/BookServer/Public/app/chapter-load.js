// What the chapter and history pages both start from: the book and the chapter, read
// together, or a page saying in words why they cannot be.

import { api } from './api.js';
import { h, notice, replace } from './dom.js';

/** `{book, chapter, bookPath, path}`, or null once `main` shows `failureTitle` and why. */
export async function loadChapter(main, bookId, chapterId, failureTitle) {
  const bookPath = `/books/${encodeURIComponent(bookId)}`;
  const path = `${bookPath}/chapters/${encodeURIComponent(chapterId)}`;
  try {
    const [book, chapter] = await Promise.all([api.get(bookPath), api.get(path)]);
    return { book, chapter, bookPath, path };
  } catch (failure) {
    replace(main, h('section', { class: 'page narrow' }, h('h1', {}, failureTitle), notice(failure.message)));
    return null;
  }
}
