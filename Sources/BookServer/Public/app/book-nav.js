// The tabs under a book's title: its chapters (the dashboard), people, settings and
// publishing. Tabs a role cannot use are not shown.

import { h } from './dom.js';

const TABS = [
  { id: 'chapters', label: 'Chapters', path: '', roles: ['reader', 'author', 'facilitator'] },
  { id: 'people', label: 'People', path: '/people', roles: ['facilitator'] },
  { id: 'settings', label: 'Settings', path: '/settings', roles: ['facilitator'] },
  { id: 'publish', label: 'Publish', path: '/publish', roles: ['reader', 'author', 'facilitator'] },
];

/** `bookNav(bookId, role, 'people')`: the tab list, with the current tab marked. */
export function bookNav(bookId, role, current) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  return h('nav', { class: 'book-nav', 'aria-label': 'This book' },
    h('ul', {}, TABS.filter(tab => tab.roles.includes(role)).map(tab => h('li', {},
      h('a', { href: base + tab.path, id: `tab-${tab.id}`, 'aria-current': tab.id === current ? 'page' : null }, tab.label)))));
}
