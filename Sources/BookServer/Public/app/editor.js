// The chapter's source editor: a plain <textarea> (native spell checking, input methods,
// mobile keyboards and screen readers), with what the browser cannot give it here:
// remote changes applied as the smallest replacements without moving the caret, an undo
// history of the author's own edits that survives them, and line positions for the preview.

const GROUP_PAUSE = 1200;   // ms: typing within this of the last key is one undo step

export class Editor {
  /** `onEdit()` after each edit of the author's (typing, undo, redo, an inserted image). */
  constructor(textarea, { onEdit, onCompositionEnd }) {
    this.textarea = textarea;
    this.onEdit = onEdit;
    this.onCompositionEnd = onCompositionEnd;
    this.last = textarea.value;
    this.undoStack = [];
    this.redoStack = [];
    this.composing = false;
    this.selectionBefore = [0, 0];
    this.lineTops = null;
    textarea.addEventListener('beforeinput', event => this.beforeInput(event));
    textarea.addEventListener('input', event => this.input(event));
    textarea.addEventListener('keydown', event => this.keydown(event));
    textarea.addEventListener('compositionstart', () => { this.composing = true; });
    textarea.addEventListener('compositionend', () => {
      this.composing = false;
      this.record();
      this.onCompositionEnd?.();
    });
  }

  get value() { return this.textarea.value; }

  /** A new text from elsewhere (the chapter as loaded): no undo history before it. */
  reset(text) {
    this.textarea.value = text;
    this.last = text;
    this.undoStack = [];
    this.redoStack = [];
    this.lineTops = null;
  }

  beforeInput(event) {
    if (event.inputType === 'historyUndo' || event.inputType === 'historyRedo') {
      event.preventDefault();
      this.step(event.inputType === 'historyUndo' ? 'undo' : 'redo');
      return;
    }
    this.selectionBefore = [this.textarea.selectionStart, this.textarea.selectionEnd];
  }

  keydown(event) {
    const mod = event.ctrlKey || event.metaKey;
    if (!mod || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === 'z' && !event.shiftKey) { event.preventDefault(); this.step('undo'); }
    else if ((key === 'z' && event.shiftKey) || key === 'y') { event.preventDefault(); this.step('redo'); }
  }

  input(event) {
    if (this.composing || event.isComposing) return;
    this.record();
  }

  /** Turns the difference between the last known text and the textarea into one undo step. */
  record() {
    const now = this.textarea.value, old = this.last;
    if (now === old) return;
    let p = 0;
    const limit = Math.min(now.length, old.length);
    while (p < limit && now.charCodeAt(p) === old.charCodeAt(p)) p++;
    let s = 0;
    while (s < limit - p && now.charCodeAt(now.length - 1 - s) === old.charCodeAt(old.length - 1 - s)) s++;
    const edit = {
      from: p, before: old.slice(p, old.length - s), after: now.slice(p, now.length - s),
      selBefore: this.selectionBefore, selAfter: [this.textarea.selectionStart, this.textarea.selectionEnd], time: Date.now(),
    };
    this.last = now;
    this.redoStack = [];
    const top = this.undoStack[this.undoStack.length - 1];
    if (!(top && this.merge(top, edit))) this.undoStack.push(edit);
    if (this.undoStack.length > 500) this.undoStack.shift();
    this.lineTops = null;
    this.onEdit();
  }

  /** Typing or deleting on from where the last step ended, without a pause, is one step. */
  merge(top, edit) {
    if (edit.time - top.time > GROUP_PAUSE || top.after.length + top.before.length > 200) return false;
    const typing = !edit.before && !top.before && edit.after && !edit.after.includes('\n');
    if (typing && top.from + top.after.length === edit.from) {
      top.after += edit.after;
    } else if (!edit.after && !top.after && edit.before && edit.from + edit.before.length === top.from) {
      top.before = edit.before + top.before;   // backspace on
      top.from = edit.from;
    } else if (!edit.after && !top.after && edit.before && edit.from === top.from) {
      top.before += edit.before;               // forward delete on
    } else {
      return false;
    }
    top.selAfter = edit.selAfter;
    top.time = edit.time;
    return true;
  }

  step(direction) {
    if (this.textarea.readOnly) return;
    const from = direction === 'undo' ? this.undoStack : this.redoStack;
    const to = direction === 'undo' ? this.redoStack : this.undoStack;
    const edit = from.pop();
    if (!edit) return;
    const [present, replacement, selection] = direction === 'undo'
      ? [edit.after, edit.before, edit.selBefore] : [edit.before, edit.after, edit.selAfter];
    this.textarea.setRangeText(replacement, edit.from, edit.from + present.length, 'end');
    this.textarea.setSelectionRange(selection[0], selection[1]);
    this.last = this.textarea.value;
    edit.time = 0;   // a step after an undo never merges into it
    to.push(edit);
    this.lineTops = null;
    this.onEdit();
  }

  /** Inserts `text` at the caret (replacing the selection) as the author's own edit. */
  insert(text) {
    const { selectionStart: start, selectionEnd: end } = this.textarea;
    this.selectionBefore = [start, end];
    this.textarea.focus();
    this.textarea.setRangeText(text, start, end, 'end');
    this.record();
    this.undoStack[this.undoStack.length - 1].time = 0;
  }

  /** Replaces the whole text as one step of the author's (a conflict resolved, a restore). */
  replaceAll(text) {
    this.selectionBefore = [this.textarea.selectionStart, this.textarea.selectionEnd];
    this.textarea.value = text;
    this.record();
  }

  /**
   * Applies changes that are not the author's (`[{from, to, text}]` against the current
   * text, in order, not overlapping): the caret, the selection and the scroll position stay
   * with the author's text, and the undo history moves along. Returns false during an
   * input-method composition, which must not be disturbed: the caller tries again later.
   */
  applyRemote(changes) {
    if (this.composing) return false;
    if (!changes.length) return true;
    const area = this.textarea;
    const { scrollTop } = area;
    const focused = document.activeElement === area;
    let start = area.selectionStart, end = area.selectionEnd;
    const direction = area.selectionDirection;
    for (let i = changes.length - 1; i >= 0; i--) {
      const change = changes[i];
      area.setRangeText(change.text, change.from, change.to, 'preserve');
      start = mapPosition(start, change);
      end = mapPosition(end, change);
      transformHistory(this.undoStack, change, e => e.after.length, e => e.before.length);
      transformHistory(this.redoStack, change, e => e.before.length, e => e.after.length);
    }
    area.setSelectionRange(start, end, direction);
    area.scrollTop = scrollTop;
    if (focused && document.activeElement !== area) area.focus({ preventScroll: true });
    this.last = area.value;
    this.lineTops = null;
    return true;
  }

  /** The source line (1-based) at the top of the editor's visible area, with the fraction
   *  of it scrolled past. */
  topLine() {
    const tops = this.measure();
    const y = this.textarea.scrollTop;
    let lo = 0, hi = tops.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (tops[mid] <= y) lo = mid; else hi = mid - 1;
    }
    const next = lo + 1 < tops.length ? tops[lo + 1] : this.mirrorHeight;
    return { line: lo + 1, fraction: next > tops[lo] ? (y - tops[lo]) / (next - tops[lo]) : 0 };
  }

  /** Scrolls so that source `line` (1-based) plus `fraction` of it is at the top. */
  scrollToLine(line, fraction = 0) {
    const tops = this.measure();
    const i = Math.max(0, Math.min(tops.length - 1, line - 1));
    const next = i + 1 < tops.length ? tops[i + 1] : this.mirrorHeight;
    this.textarea.scrollTop = tops[i] + fraction * (next - tops[i]);
  }

  /** Puts the caret at the start of source `line` (1-based) and scrolls so that a few
   *  lines above it show too (a link from "Check before publishing"). */
  caretAtLine(line) {
    const lines = this.textarea.value.split('\n');
    const n = Math.max(1, Math.min(lines.length, line));
    let at = 0;
    for (let i = 0; i < n - 1; i++) at += lines[i].length + 1;
    this.textarea.focus({ preventScroll: true });
    this.textarea.setSelectionRange(at, at);
    this.scrollToLine(Math.max(1, n - 3));
  }

  /** The top of each source line inside the textarea, measured on a hidden copy with the
   *  same width and font (a textarea does not tell where wrapped lines fall). */
  measure() {
    if (this.lineTops && this.lineTopsWidth === this.textarea.clientWidth) return this.lineTops;
    const area = this.textarea;
    const style = getComputedStyle(area);
    const mirror = document.createElement('div');
    for (const property of ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing', 'tabSize', 'paddingLeft', 'paddingRight', 'paddingTop', 'wordSpacing']) {
      mirror.style[property] = style[property];
    }
    Object.assign(mirror.style, {
      position: 'absolute', visibility: 'hidden', left: '-10000px', top: '0', boxSizing: 'border-box',
      width: `${area.clientWidth}px`, whiteSpace: 'pre-wrap', overflowWrap: 'break-word',
    });
    const lines = area.value.split('\n');
    for (const line of lines) {
      const div = document.createElement('div');
      div.textContent = line || '\u200b';
      mirror.append(div);
    }
    document.body.append(mirror);
    const tops = Array.from(mirror.children, child => child.offsetTop);
    this.mirrorHeight = mirror.scrollHeight;
    mirror.remove();
    this.lineTops = tops;
    this.lineTopsWidth = area.clientWidth;
    return tops;
  }
}

/** Where a position of the text goes when `change` is applied: it stays when at or before
 *  the change, moves with the text after it, and goes to the end of the new text when it was
 *  inside what was replaced. */
function mapPosition(position, change) {
  if (position <= change.from) return position;
  if (position >= change.to) return position + change.text.length - (change.to - change.from);
  return change.from + change.text.length;
}

/**
 * Moves the entries of an undo (or redo) stack through a change made by someone else.
 * Entry `e` spans `present(e)` characters in the text as it is when `e` is next to be
 * taken back; a change before it shifts it, one after it is carried into the older text
 * below it; a change across it ends the history there (what it would restore is gone).
 */
function transformHistory(stack, change, present, absent) {
  let { from, to } = change;
  const delta = change.text.length - (to - from);
  for (let i = stack.length - 1; i >= 0; i--) {
    const entry = stack[i];
    const start = entry.from, end = entry.from + present(entry);
    if (to <= start) {
      entry.from += delta;
      entry.selBefore = entry.selBefore.map(p => (p >= to ? p + delta : p));
      entry.selAfter = entry.selAfter.map(p => (p >= to ? p + delta : p));
    } else if (from >= end) {
      const shift = absent(entry) - present(entry);
      from += shift;
      to += shift;
    } else {
      stack.splice(0, i + 1);
      return;
    }
  }
}
