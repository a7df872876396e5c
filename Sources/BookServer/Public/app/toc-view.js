// The table of contents as the dashboard shows it: a tree of parts and chapter rows, kept
// by node id. A change of the book updates the rows it touches in place and moves rows
// only where the tree changed, so a live event never redraws the page (and never steals
// the focus or the scroll position of the person looking at it).

import { formatNumber, formatTime, h, plural } from './dom.js';

/** The colour class of a workflow state: the book's own states spread over a palette
 *  from "just begun" to "done". */
export function statusClass(workflow, status) {
  const index = workflow.indexOf(status);
  if (index < 0 || workflow.length < 2) return 'state-0';
  return `state-${Math.round((index / (workflow.length - 1)) * 4)}`;
}

export class TOCView {
  /** `root`: the element the tree goes in; `base`: the book's path in the app; `editable`:
   *  the rows carry a facilitator's controls (a move handle, a word target, part actions). */
  constructor(root, base, { editable = false } = {}) {
    this.root = root;
    this.base = base;
    this.editable = editable;
    this.rows = new Map();     // node id → its <li>
    this.list = h('ol', { class: 'toc-root' });
    root.replaceChildren(this.list);
    this.stats = { created: 0, updated: 0 };
  }

  /** Shows `book` (the book view) with `present` (chapter id → names); `filter(chapterId,
   *  chapter, people)` says which chapter rows stay visible. */
  show(book, present, filter) {
    this.book = book;
    this.present = present;
    this.filter = filter;
    const seen = new Set();
    this.syncList(this.list, book.toc.nodes, seen);
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) { row.remove(); this.rows.delete(id); }
    }
  }

  /** Puts `nodes` into `list` in order, reusing each node's row; a row moves only when it
   *  is not where it should be. */
  syncList(list, nodes, seen) {
    let last = null;
    for (const node of nodes) {
      seen.add(node.id);
      const row = this.row(node);
      // Recomputed each time: a row of this list may have gone into a nested one meanwhile.
      const expected = last ? last.nextElementSibling : list.firstElementChild;
      if (row !== expected) list.insertBefore(row, expected);
      last = row;
      if (node.kind === 'part') this.syncList(row.querySelector(':scope > ol'), node.children || [], seen);
    }
    // What is left after the last node belongs elsewhere now (moved, placed later) or is gone.
    let rest = last ? last.nextElementSibling : list.firstElementChild;
    while (rest) {
      const next = rest.nextElementSibling;
      if (!seen.has(rest.dataset.node)) rest.remove();
      rest = next;
    }
  }

  row(node) {
    let row = this.rows.get(node.id);
    if (!row || row.dataset.kind !== node.kind) {
      row?.remove();
      row = node.kind === 'part' ? this.newPart(node) : this.newChapter(node);
      this.rows.set(node.id, row);
      this.stats.created += 1;
    }
    if (node.kind === 'part') this.updatePart(row, node);
    else this.updateChapter(row, node);
    return row;
  }

  handle() {
    return this.editable ? h('button', { type: 'button', class: 'drag-handle', 'aria-describedby': 'move-keys' }, '⠿') : null;
  }

  newPart(node) {
    return h('li', { class: 'toc-part', dataset: { node: node.id, kind: 'part' } },
      h('div', { class: 'toc-row part-row' }, this.handle(), h('span', { class: 'part-title', id: `part-${node.id}` }),
        this.editable ? h('span', { class: 'part-actions' },
          h('button', { type: 'button', class: 'link part-rename' }, 'Rename'),
          h('button', { type: 'button', class: 'link part-remove' }, 'Remove')) : null),
      h('ol', { class: 'toc-children', 'aria-labelledby': `part-${node.id}` }));
  }

  updatePart(row, node) {
    const title = row.querySelector(':scope > .toc-row > .part-title');
    if (title.textContent === node.title) return;
    title.textContent = node.title;
    row.querySelector(':scope > .toc-row > .drag-handle')?.setAttribute('aria-label', `Move part “${node.title}”`);
    for (const button of row.querySelectorAll(':scope > .toc-row .part-actions button')) {
      button.setAttribute('aria-label', `${button.textContent} part “${node.title}”`);
    }
    this.stats.updated += 1;
  }

  newChapter(node) {
    // Rows are copies of one made once: cloning is several times faster than building each
    // of a 200-chapter book's rows element by element.
    this.chapterPrototype ??= h('li', { class: 'toc-chapter', dataset: { kind: 'chapter' } },
      h('div', { class: 'toc-row chapter-row' },
        this.handle(),
        h('a', { class: 'chapter-link' }),
        h('span', { class: 'chapter-status' }),
        h('span', { class: 'chapter-progress' },
          h('span', { class: 'chapter-words' }),
          this.editable
            ? h('label', { class: 'chapter-target' }, h('span', {}, ' of '),
              h('input', { class: 'target-input', type: 'number', min: 0, max: 10000000, step: 100, placeholder: 'target', inputmode: 'numeric' }))
            : h('span', { class: 'chapter-target' }),
          h('span', { class: 'meter', 'aria-hidden': 'true' }, h('span', { class: 'meter-fill' }))),
        h('span', { class: 'chapter-conflicts' }),
        h('span', { class: 'chapter-presence' }),
        h('span', { class: 'chapter-modified' })));
    const row = this.chapterPrototype.cloneNode(true);
    row.dataset.node = node.id;
    row.dataset.chapter = node.chapter;
    row.querySelector('.chapter-link').href = `${this.base}/chapters/${encodeURIComponent(node.chapter)}`;
    return row;
  }

  updateChapter(row, node) {
    const book = this.book;
    const chapter = book.chapters[node.chapter] || { title: node.title, status: '', words: 0, conflicts: 0 };
    const people = this.present.get(node.chapter) || [];
    const words = chapter.words ?? 0;
    const target = chapter.target ?? null;
    const set = (selector, text, apply) => {
      const element = row.querySelector(selector);
      if (element.textContent === text && element.dataset.state === apply?.state) return element;
      element.textContent = text;
      if (apply) { element.dataset.state = apply.state; apply.run?.(element); }
      this.stats.updated += 1;
      return element;
    };
    const title = chapter.title || node.title;
    set('.chapter-link', title, { state: title, run: () => {
      row.querySelector('.drag-handle')?.setAttribute('aria-label', `Move “${title}”`);
      row.querySelector('.target-input')?.setAttribute('aria-label', `Word target of “${title}”`);
    } });
    set('.chapter-status', chapter.status, { state: chapter.status, run: e => { e.className = `chapter-status ${statusClass(book.workflow, chapter.status)}`; } });
    set('.chapter-words', `${formatNumber(words)} words`, { state: String(words), run: e => { e.dataset.words = String(words); } });
    const input = row.querySelector('.target-input');
    if (input) {
      // The facilitator's own typing is never overwritten by a live update.
      if (document.activeElement !== input && input.value !== String(target ?? '')) input.value = target ?? '';
    } else {
      set('.chapter-target', target === null ? '' : ` of ${formatNumber(target)}`, { state: String(target) });
    }
    const fill = row.querySelector('.meter-fill');
    const share = target ? Math.min(1, words / target) : 0;
    row.querySelector('.meter').hidden = !target;
    fill.style.width = `${Math.round(share * 100)}%`;
    fill.classList.toggle('reached', target !== null && words >= target);
    const conflicts = chapter.conflicts ?? 0;
    set('.chapter-conflicts', conflicts ? plural(conflicts, 'open conflict') : '',
      { state: String(conflicts), run: e => { e.dataset.count = String(conflicts); e.hidden = !conflicts; } });
    const names = people.join(', ');
    set('.chapter-presence', '', { state: names, run: e => {
      e.replaceChildren(...people.map(name => h('span', { class: 'person', title: `${name} has it open` }, name)));
      if (people.length) e.setAttribute('aria-label', `Open now by ${names}`); else e.removeAttribute('aria-label');
    } });
    const modified = chapter.modified ? `${chapter.modifiedBy ? `${chapter.modifiedBy}, ` : ''}${formatTime(chapter.modified)}` : '';
    set('.chapter-modified', modified, { state: `${chapter.modifiedBy}|${chapter.modified}`, run: e => {
      if (chapter.modified) e.title = `Last changed ${new Date(chapter.modified).toLocaleString()}`;
    } });
    const visible = this.filter ? this.filter(node.chapter, chapter, people) : true;
    if (row.hidden === visible) row.hidden = !visible;
  }

  /** The row of a node, for the editor. */
  rowOf(id) { return this.rows.get(id); }
}
