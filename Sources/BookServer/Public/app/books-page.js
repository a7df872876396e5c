// The books the signed-in person can see, and a form to start a new one.

import { api, newKey } from './api.js';
import { navigate } from './router.js';
import { h, notice, replace } from './dom.js';
import { setCrumbs } from './crumbs.js';

const roleWords = { facilitator: 'Facilitator', author: 'Author', reader: 'Reader' };

export async function booksPage(main) {
  document.title = 'Your books — Booksprint';
  setCrumbs([]);
  const list = h('ul', { id: 'books', class: 'book-list' });
  const status = h('div', { 'aria-live': 'polite' });
  const title = h('input', { id: 'new-book-title', name: 'title', required: true, maxlength: 300, placeholder: 'A title, for now' });
  const form = h('form', { id: 'new-book-form', class: 'inline-form' },
    h('label', { for: 'new-book-title' }, 'Start a new book'), title,
    h('button', { type: 'submit' }, 'Create book'));
  const key = { value: newKey() };
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const book = await api.post('/books', { title: title.value.trim() }, { key: key.value });
      key.value = newKey();
      navigate(`/books/${encodeURIComponent(book.id)}`);
    } catch (failure) {
      replace(status, notice(failure.message));
    }
  });
  replace(main, h('section', { class: 'page narrow' }, h('h1', {}, 'Your books'), status, list, form));
  try {
    const { books } = await api.get('/books');
    if (!books.length) list.append(h('li', { class: 'empty' }, 'No book yet. Start one below, or ask a facilitator to add you to theirs.'));
    for (const book of books) {
      list.append(h('li', {},
        h('a', { class: 'book-link', href: `/books/${encodeURIComponent(book.id)}` }, book.title),
        h('span', { class: 'role' }, roleWords[book.role] || book.role)));
    }
  } catch (failure) {
    replace(status, notice(failure.message));
  }
  return null;
}
