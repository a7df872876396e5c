// The book's workflow (facilitators): its states in order, renamed, added, moved, removed,
// then saved in one PATCH. Chapters in a renamed state follow it; the server refuses to
// remove a state that chapters are still in (409), which is said here in words.

import { api, newKey } from './api.js';
import { h, notice, plural, replace } from './dom.js';

/** The PATCH field that carries renames, `{old: new}`, beside the new `workflow`. */
const RENAMES = 'renames';

export function workflowEditor(bookId, book) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { id: 'workflow-status', 'aria-live': 'polite' });
  const list = h('ol', { id: 'workflow-states', class: 'workflow-states' });
  const newState = h('input', { id: 'new-state', maxlength: 100, placeholder: 'For example: copy-edited' });
  const add = h('form', { class: 'inline-form', id: 'add-state-form' },
    h('label', { for: 'new-state' }, 'Add a state'), newState, h('button', { type: 'submit' }, 'Add state'));
  const save = h('button', { type: 'button', class: 'primary', id: 'save-workflow' }, 'Save the workflow');
  let rows = [];

  const inUse = name => Object.values(book.chapters || {}).filter(chapter => chapter.status === name).length;
  const reset = () => { rows = book.workflow.map(name => ({ original: name, name })); draw(); };

  function draw(focus) {
    replace(list, rows.map((row, i) => {
      const count = row.original ? inUse(row.original) : 0;
      const input = h('input', {
        class: 'state-name', value: row.name, maxlength: 100, 'aria-label': `Name of state ${i + 1}`,
        oninput: () => { row.name = input.value; },
      });
      const button = (action, label, text, disabled) => h('button', {
        type: 'button', class: `state-${action}`, 'aria-label': label, disabled, onclick: () => act(action, i),
      }, text);
      return h('li', { class: 'workflow-state', dataset: { state: row.original || '' } },
        input,
        h('span', { class: 'state-use' }, row.original ? plural(count, 'chapter') : 'new'),
        button('up', `Move ${row.name} up`, '↑', i === 0),
        button('down', `Move ${row.name} down`, '↓', i === rows.length - 1),
        button('remove', `Remove ${row.name}`, 'Remove', rows.length === 1));
    }));
    if (focus) list.children[focus.index]?.querySelector(`.state-${focus.action}:not(:disabled)`)?.focus();
  }

  function act(action, i) {
    const row = rows[i];
    if (action === 'remove') {
      rows.splice(i, 1);
      replace(status, notice(`${row.name} will be removed when you save.`, 'info'));
      draw();
      list.children[Math.min(i, rows.length - 1)]?.querySelector('.state-name')?.focus();
      return;
    }
    const to = action === 'up' ? i - 1 : i + 1;
    rows.splice(i, 1);
    rows.splice(to, 0, row);
    replace(status, notice(`${row.name} is now state ${to + 1} of ${rows.length}.`, 'info'));
    draw({ index: to, action });
  }

  add.addEventListener('submit', event => {
    event.preventDefault();
    const name = newState.value.trim();
    if (!name) return;
    if (rows.some(row => row.name.trim() === name)) { replace(status, notice(`The workflow has a state called ${name} already.`)); return; }
    rows.push({ original: null, name });
    newState.value = '';
    draw();
    replace(status, notice(`${name} added at the end; save to keep it.`, 'info'));
  });

  save.addEventListener('click', async () => {
    const names = rows.map(row => row.name.trim());
    if (names.some(name => !name)) { replace(status, notice('Every state needs a name.')); return; }
    if (new Set(names).size !== names.length) { replace(status, notice('Two states have the same name; each needs its own.')); return; }
    const renames = Object.fromEntries(rows.filter(row => row.original && row.original !== row.name.trim()).map(row => [row.original, row.name.trim()]));
    const body = { workflow: names };
    if (Object.keys(renames).length) body[RENAMES] = renames;
    replace(status, notice('Saving the workflow…', 'info'));
    try {
      const saved = await api.patch(base, body, { key: newKey() });
      Object.assign(book, saved);
      reset();
      replace(status, notice('The workflow is saved.', 'ok'));
    } catch (failure) {
      // A 409 names the chapters still in the state (a chapter's state is chosen on its page).
      replace(status, notice(`The workflow was not saved: ${failure.message}`));
    }
  });

  reset();
  return h('section', { class: 'settings-section', 'aria-labelledby': 'workflow-heading' },
    h('h2', { id: 'workflow-heading' }, 'Workflow'),
    h('p', { class: 'hint' }, 'The states a chapter goes through, in order. Chapters in a renamed state keep it under its new name; a state still in use cannot be removed.'),
    list, add, status, save);
}
