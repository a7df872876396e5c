// Placeholder until the page is written.
import { h, replace } from './dom.js';

export async function publishPage(main) {
  replace(main, h('section', { class: 'page narrow' }, h('h1', {}, 'Not yet')));
  return null;
}
