// A facilitator reshapes the table of contents: drag and drop (Debian's SortableJS, served
// from the system's install at /vendor/sortable.js, driven by pointer events so that mouse
// and touch behave alike) and the same moves by keyboard on a row's handle. Every gesture
// goes to the server as TOC operations with the version of the tree it was made on; the
// server's tree is then shown as it answers (rebased onto a co-facilitator's change, or
// refused when a node is gone).

import { api, ApiError, newKey } from './api.js';

let sortableLoading = null;

/** Loads SortableJS once; resolves to the library, or null when the server has none (the
 *  keyboard moves still work). */
function loadSortable() {
  sortableLoading ??= new Promise(resolve => {
    if (window.Sortable) { resolve(window.Sortable); return; }
    const script = document.createElement('script');
    script.src = '/vendor/sortable.js';
    script.onload = () => resolve(window.Sortable || null);
    script.onerror = () => resolve(null);
    document.head.append(script);
  });
  return sortableLoading;
}

/** Where a node is in the tree: its parent's id (null: the top), its siblings, its index. */
function locate(nodes, id, parent = null) {
  for (const [index, node] of nodes.entries()) {
    if (node.id === id) return { parent, siblings: nodes, index, node };
    if (node.kind === 'part') {
      const found = locate(node.children || [], id, node);
      if (found) return found;
    }
  }
  return null;
}

const KEYS = { ArrowUp: 'up', ArrowDown: 'down', ArrowRight: 'in', ArrowLeft: 'out' };

export class TOCEditor {
  /**
   * `view`: the TOCView; `bookPath`: `/books/ID` in the API; `current()`: the book view now;
   * `show(toc)`: shows a tree the server answered; `reload()`: fetches the book again;
   * `announce(text)`, `problem(text)`: words for the screen (a live region, an alert).
   */
  constructor({ view, bookPath, current, show, reload, announce, problem }) {
    Object.assign(this, { view, bookPath, current, show, reload, announce, problem });
    this.dragging = false;
    this.sending = Promise.resolve();
    this.sortables = new WeakMap();
    view.root.addEventListener('keydown', event => this.onKey(event));
    view.root.addEventListener('click', event => this.onClick(event));
    loadSortable().then(Sortable => { this.Sortable = Sortable; this.attach(); });
  }

  /** Makes every list of the tree sortable (new parts bring new lists). */
  attach() {
    if (!this.Sortable || this.disabled) return;
    for (const list of this.view.root.querySelectorAll('ol')) {
      if (this.sortables.has(list)) continue;
      this.sortables.set(list, new this.Sortable(list, {
        group: 'toc', handle: '.drag-handle', draggable: 'li',
        animation: 120, forceFallback: true, fallbackOnBody: true, fallbackTolerance: 4,
        swapThreshold: 0.6, invertSwap: true, emptyInsertThreshold: 14,
        ghostClass: 'drop-ghost', chosenClass: 'drag-chosen',
        onStart: () => { this.dragging = true; },
        onEnd: event => this.onDrop(event),
      }));
    }
  }

  /** While filters hide rows, moves would land next to invisible ones: no moves then. */
  setDisabled(disabled) {
    this.disabled = disabled;
    this.view.root.classList.toggle('moves-off', disabled);
    for (const list of this.view.root.querySelectorAll('ol')) this.sortables.get(list)?.option('disabled', disabled);
    if (!disabled) this.attach();
  }

  onDrop(event) {
    this.dragging = false;
    const item = event.item;
    const id = item.dataset.node;
    if (event.from === event.to && event.oldIndex === event.newIndex) { this.afterGesture(); return; }
    const parent = item.parentElement.closest('li.toc-part')?.dataset.node ?? null;
    const after = item.previousElementSibling?.dataset.node ?? null;
    const title = this.titleOf(id);
    const where = parent ? `into “${this.titleOf(parent)}”` : 'at the top level';
    this.send([{ op: 'move', node: id, ...(parent ? { parent } : {}), ...(after ? { after } : {}) }],
      `“${title}” moved ${where}, ${this.position(item)}.`, id);
  }

  onKey(event) {
    const handle = event.target.closest('.drag-handle');
    const direction = KEYS[event.key];
    if (!handle || !direction || event.altKey || event.ctrlKey || event.metaKey || this.disabled) return;
    event.preventDefault();
    const id = handle.closest('li').dataset.node;
    const move = this.keyboardMove(id, direction);
    if (!move) { this.announce(this.cannot(id, direction)); return; }
    this.send([move.op], move.says, id);
  }

  /** The `move` operation a key asks for, from the tree the screen shows, or null. */
  keyboardMove(id, direction) {
    const tree = this.current().toc.nodes;
    const at = locate(tree, id);
    if (!at) return null;
    const { parent, siblings, index } = at;
    const title = `“${at.node.title}”`;
    const op = (newParent, after) => ({ op: 'move', node: id, ...(newParent ? { parent: newParent } : {}), ...(after ? { after } : {}) });
    const inside = parent ? `in “${parent.title}”` : 'in the book';
    switch (direction) {
      case 'up':
        if (index === 0) return null;
        return { op: op(parent?.id, siblings[index - 2]?.id), says: `${title} moved up, ${index} of ${siblings.length} ${inside}.` };
      case 'down':
        if (index === siblings.length - 1) return null;
        return { op: op(parent?.id, siblings[index + 1].id), says: `${title} moved down, ${index + 2} of ${siblings.length} ${inside}.` };
      case 'in': {
        const above = siblings[index - 1];
        if (!above || above.kind !== 'part') return null;
        const children = above.children || [];
        return { op: op(above.id, children.at(-1)?.id), says: `${title} moved into part “${above.title}”, ${children.length + 1} of ${children.length + 1}.` };
      }
      case 'out': {
        if (!parent) return null;
        const outer = locate(tree, parent.id);
        return { op: op(outer.parent?.id, parent.id), says: `${title} moved out of “${parent.title}”, after it.` };
      }
    }
    return null;
  }

  cannot(id, direction) {
    const title = `“${this.titleOf(id)}”`;
    return {
      up: `${title} is already first.`, down: `${title} is already last.`,
      in: `${title} has no part just above it to move into.`, out: `${title} is not in a part.`,
    }[direction];
  }

  onClick(event) {
    const button = event.target.closest('button');
    const row = button?.closest('li.toc-part');
    if (!row) return;
    const id = row.dataset.node;
    if (button.classList.contains('part-remove')) {
      const title = this.titleOf(id);
      if (!confirm(`Remove the part “${title}”? Its chapters stay in the book, in its place.`)) return;
      this.send([{ op: 'remove', node: id }], `Part “${title}” removed; its chapters took its place.`);
    } else if (button.classList.contains('part-rename')) {
      this.startRename(row);
    }
  }

  /** The part's title becomes a field: Enter renames, Escape leaves it as it was. */
  startRename(row) {
    const id = row.dataset.node;
    const title = row.querySelector(':scope > .toc-row > .part-title');
    const input = document.createElement('input');
    input.className = 'part-title-input';
    input.value = this.titleOf(id);
    input.maxLength = 300;
    input.setAttribute('aria-label', `New title of the part “${input.value}”`);
    title.hidden = true;
    title.after(input);
    input.focus();
    input.select();
    let done = false;
    const finish = save => {
      // Removing the field blurs it, which calls this again.
      if (done) return;
      done = true;
      const value = input.value.trim();
      input.remove();
      title.hidden = false;
      row.querySelector(':scope > .toc-row .part-rename')?.focus();
      if (save && value && value !== this.titleOf(id)) this.send([{ op: 'rename', node: id, title: value }], `Part renamed “${value}”.`);
    };
    input.addEventListener('keydown', event => {
      if (event.key === 'Enter') { event.preventDefault(); finish(true); }
      if (event.key === 'Escape') { event.preventDefault(); finish(false); }
    });
    input.addEventListener('blur', () => finish(true));
  }

  /** Adds an empty part at the end of the book. */
  addPart(title) {
    return this.send([{ op: 'addPart', title }], `Part “${title}” added at the end.`);
  }

  /** One batch at a time, each from the tree the previous one answered. */
  send(ops, says, focus = null) {
    this.sending = this.sending.then(() => this.post(ops, says, focus));
    return this.sending;
  }

  async post(ops, says, focus) {
    const baseVersion = this.current().toc.version;
    try {
      const answer = await api.post(`${this.bookPath}/toc/ops`, { baseVersion, ops }, { key: newKey() });
      this.show(answer);
      this.announce(answer.rebased ? `${says} Another facilitator changed the contents at the same time; both changes are kept.` : says);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        this.problem('That move could not be made: a part or chapter it needed was removed or moved by someone else meanwhile. The table of contents now shows the book as it is; try again.');
      } else {
        this.problem(failure.message);
      }
      await this.reload();
    } finally {
      this.afterGesture(focus);
    }
  }

  afterGesture(focus = null) {
    this.dragging = false;
    this.attach();
    if (focus) this.view.rowOf(focus)?.querySelector(':scope > .toc-row > .drag-handle')?.focus();
  }

  titleOf(id) {
    const at = locate(this.current().toc.nodes, id);
    if (!at) return '';
    return at.node.kind === 'chapter' ? (this.current().chapters[at.node.chapter]?.title || at.node.title) : at.node.title;
  }

  position(item) {
    const siblings = [...item.parentElement.children];
    return `${siblings.indexOf(item) + 1} of ${siblings.length}`;
  }
}
