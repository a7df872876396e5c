// Saving a chapter while others save it too. Every save carries the revision it started
// from and an Idempotency-Key; the server merges. The browser only adopts what the server
// answers, keeping the author's caret and every keystroke typed since the save left, when
// those keystrokes touch nothing the server changed; otherwise it saves again from its old
// base (old revisions stay valid bases forever) and lets the server merge.

import { api, newKey } from './api.js';
import { onConnection } from './connection.js';
import { unsent } from './offline.js';
import { changesCollide, shiftChanges, textChanges } from './text-diff.js';

const IDLE = 500;        // ms after typing pauses
const AT_MOST = 3000;    // ms between saves while typing goes on
const RETRY = [1000, 2000, 4000, 8000];

/** Complete blocks of git's conflict markers at line starts. */
export function markerBlocks(text) {
  const found = text.match(/^<{7}(?: .*)?\r?\n[\s\S]*?^={7}\r?\n[\s\S]*?^>{7}(?: .*)?$/gm);
  return found ? found.length : 0;
}

export class ChapterSync {
  /**
   * `editor`: the Editor; `base`: {revision, text} the editor's text started from;
   * `onState({state, revision, unsent, message})`; `onConflict(problem)` resolves to the
   * chosen text; `onText()` after the editor's text changed by an adoption.
   */
  constructor({ bookId, chapterId, editor, base, onState, onConflict, onText }) {
    Object.assign(this, { bookId, chapterId, editor, base, onState, onConflict, onText });
    this.path = `/books/${encodeURIComponent(bookId)}/chapters/${encodeURIComponent(chapterId)}`;
    this.inFlight = false;
    this.request = null;       // the save being sent or to be retried: {base, text, key, resolves}
    this.resolves = [];
    this.edits = 0;            // edits not yet on the server
    this.knownHead = base.revision;
    this.idleTimer = null;
    this.maxTimer = null;
    this.retryTimer = null;
    this.retries = 0;
    this.inConflict = false;
    this.allowMarkers = null;  // a text the author chose to save with markers
    this.deferred = null;      // an adoption waiting for an input-method composition to end
    this.stopped = false;
    this.offConnection = onConnection(state => { if (state === 'online') this.saveSoon(0); });
    unsent.opened(bookId, chapterId);
  }

  get dirty() { return this.editor.value !== this.base.text; }

  stop() {
    this.stopped = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
    clearTimeout(this.retryTimer);
    this.offConnection();
    unsent.closed(this.bookId, this.chapterId);
  }

  /** After each edit of the author's: keep it on the device, save soon. */
  edited() {
    this.edits++;
    this.keep();
    this.report(this.inFlight ? 'saving' : 'pending');
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.save(), IDLE);
    if (!this.maxTimer) this.maxTimer = setTimeout(() => this.save(), AT_MOST);
  }

  keep() {
    if (!this.dirty && !this.resolves.length) { unsent.clear(this.bookId, this.chapterId); return; }
    const key = this.request && this.request.text === this.editor.value ? this.request.key : null;
    if (!unsent.keep(this.bookId, this.chapterId, { base: this.base.revision, text: this.editor.value, edits: this.edits, key })) {
      this.report('error', 'This device refused to keep a copy of your edits (its storage is full). Stay online until they are saved.');
    }
  }

  saveSoon(delay = IDLE) {
    if (this.stopped) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.save(), delay);
  }

  async save() {
    if (this.stopped || this.inFlight || this.inConflict) return;
    clearTimeout(this.idleTimer);
    clearTimeout(this.maxTimer);
    clearTimeout(this.retryTimer);
    this.maxTimer = null;
    const text = this.editor.value;
    if (text === this.base.text && !this.resolves.length) {
      this.request = null;
      this.edits = 0;
      unsent.clear(this.bookId, this.chapterId);
      this.report('saved');
      return;
    }
    if (markerBlocks(text) > markerBlocks(this.base.text) && this.allowMarkers !== text) {
      this.report('markers', 'The text holds conflict markers (<<<<<<<, =======, >>>>>>>). Remove them, or save it as it is.');
      return;
    }
    // A retry of the same text from the same base is the same request, with the same key.
    const same = this.request && this.request.text === text && this.request.base === this.base.revision;
    const request = same ? this.request : { base: this.base.revision, text, key: newKey(), resolves: [...this.resolves] };
    this.request = request;
    this.keep();
    this.inFlight = true;
    this.report('saving');
    const body = { base: request.base, text: request.text };
    if (request.resolves.length) body.resolves = request.resolves;
    let answer = null, failure = null;
    try {
      answer = await api.post(`${this.path}/revisions`, body, { key: request.key });
    } catch (error) {
      failure = error;
    }
    this.inFlight = false;
    if (this.stopped) return;
    if (!(failure?.status === 409) && !this.inConflict) this.editor.textarea.readOnly = false;
    if (answer) {
      this.retries = 0;
      this.request = null;
      this.resolves = this.resolves.filter(id => !request.resolves.includes(id));
      this.adopt(request.text, answer.revision, answer.text);
    } else if (failure.status === 409 && failure.problem?.conflict) {
      this.request = null;
      await this.conflict(request, failure.problem);
    } else if (failure.offline || failure.status >= 500 || failure.status === 429 || failure.status === 503) {
      this.report('offline');
      this.retryTimer = setTimeout(() => this.save(), RETRY[Math.min(this.retries++, RETRY.length - 1)]);
    } else {
      this.request = null;
      this.report('error', `Not saved: ${failure.message} Your text is kept on this device.`);
    }
  }

  /**
   * The server's text after our save of `sent` (revision `revision`). Edits made since the
   * save left are carried over when they do not touch what the server changed.
   */
  adopt(sent, revision, serverText) {
    if (revision < this.base.revision) return;
    const current = this.editor.value;
    const ours = textChanges(sent, current);
    const theirs = textChanges(sent, serverText);
    if (theirs.length && changesCollide(ours, theirs)) {
      // Keep the old base: the next save sends everything from there and the server merges.
      this.saveSoon(0);
      return;
    }
    if (theirs.length && !this.apply(shiftChanges(theirs, ours), () => this.adopt(sent, revision, serverText))) return;
    this.base = { revision, text: serverText };
    this.settle();
  }

  /** A co-author's revision arrived on the event stream. */
  revised(revision) {
    this.knownHead = Math.max(this.knownHead, revision);
    if (revision > this.base.revision) this.catchUp();
  }

  /** Fetches the head and adopts it (`force`: even when no event announced a newer one,
   *  after the stream lost its place). */
  async catchUp(force = false) {
    if (this.inFlight || this.inConflict || (!force && this.knownHead <= this.base.revision)) return;
    let head;
    try {
      head = await api.get(this.path);
    } catch {
      return;   // the stream will say more once the server answers again
    }
    if (this.stopped || this.inFlight || this.inConflict || head.revision <= this.base.revision) return;
    const current = this.editor.value;
    const ours = textChanges(this.base.text, current);
    const theirs = textChanges(this.base.text, head.text);
    if (changesCollide(ours, theirs)) { this.saveSoon(0); return; }
    if (theirs.length && !this.apply(shiftChanges(theirs, ours), () => this.catchUp(true))) return;
    this.base = { revision: head.revision, text: head.text };
    this.settle();
  }

  /** Applies changes to the editor, or, during an input-method composition, later. */
  apply(changes, retry) {
    if (this.editor.applyRemote(changes)) {
      this.onText();
      return true;
    }
    this.deferred = retry;
    return false;
  }

  compositionEnded() {
    const retry = this.deferred;
    this.deferred = null;
    retry?.();
  }

  /** After an adoption: saved, or more to send; and a newer head than ours to fetch. */
  settle() {
    if (this.dirty) {
      this.keep();
      this.report('pending');
      this.saveSoon(this.maxTimer ? IDLE : 0);
    } else {
      this.edits = 0;
      unsent.clear(this.bookId, this.chapterId);
      this.report('saved');
    }
    if (this.knownHead > this.base.revision) this.catchUp();
  }

  async conflict(request, problem) {
    if (this.editor.value !== request.text) {
      // The author typed on while the save travelled: the record is of an older text.
      // Dismiss it, hold the editor still, and let the server compare the newest text.
      api.delete(`${this.path}/conflicts/${encodeURIComponent(problem.conflict)}`).catch(() => {});
      this.editor.textarea.readOnly = true;
      this.saveSoon(0);
      return;
    }
    this.inConflict = true;
    this.editor.textarea.readOnly = true;
    this.report('conflict');
    let headText;
    try {
      headText = (await api.get(`${this.path}/revisions/${problem.head}`)).text;
    } catch {
      headText = null;
    }
    const resolution = await this.onConflict(problem);
    this.inConflict = false;
    this.editor.textarea.readOnly = false;
    if (this.stopped) return;
    if (headText !== null) this.base = { revision: problem.head, text: headText };
    this.resolves = [...new Set([...this.resolves, problem.conflict])];
    this.allowMarkers = resolution;   // what the author chose is saved as they chose it
    this.editor.replaceAll(resolution);
    this.save();
  }

  /** The author chose to save a text with conflict markers. */
  saveAnyway() {
    this.allowMarkers = this.editor.value;
    this.save();
  }

  report(state, message = '') {
    this.onState({ state, revision: this.base.revision, unsent: this.dirty ? Math.max(this.edits, 1) : 0, message });
  }
}
