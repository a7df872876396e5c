// The trail in the header: Books › the book › the chapter.

import { h, replace } from './dom.js';

/** `setCrumbs([{label, href}, ...])`; the last one is the current page. */
export function setCrumbs(items) {
  const nav = document.getElementById('crumbs');
  if (!nav) return;
  const all = [{ label: 'Books', href: '/' }, ...items];
  replace(nav, h('ol', {}, all.map((item, i) => h('li', {},
    i === all.length - 1 ? h('span', { 'aria-current': 'page' }, item.label) : h('a', { href: item.href }, item.label)))));
}
