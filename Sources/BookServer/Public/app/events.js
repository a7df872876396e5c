// A book's live events: the server's Server-Sent Events stream, read with fetch (the
// browser's EventSource cannot send the Authorization header), resumed after a drop with
// Last-Event-ID so that no change is missed, and reconnected with a growing pause.

import { session } from './api.js';
import { setConnection } from './connection.js';

const SILENCE_LIMIT = 40000;   // the server sends a comment every 15 s; 40 s of nothing is a dead line

export class BookEvents {
  /** `onEvent({seq, type, data})` for each change; `onPresence(list)`; `onReset()` when the
   *  server no longer has the changes since our seq: it reloads what it shows and answers
   *  the seq to follow from. */
  constructor(bookId, since, { onEvent, onPresence, onReset }) {
    this.bookId = bookId;
    this.lastSeq = since;
    this.handlers = { onEvent, onPresence, onReset };
    this.stopped = false;
    this.abort = null;
    this.pause = 500;
    // A page left for another (or kept in the back-forward cache) must let go of its
    // stream at once: a browser holds at most six connections to one server.
    this.hidden = false;
    this.onHide = () => { this.hidden = true; this.abort?.abort(); clearTimeout(this.retryTimer); };
    this.onShow = event => {
      if (!event.persisted || this.stopped) return;
      this.hidden = false;
      this.connect();
    };
    addEventListener('pagehide', this.onHide);
    addEventListener('pageshow', this.onShow);
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.abort?.abort();
    clearTimeout(this.retryTimer);
    removeEventListener('pagehide', this.onHide);
    removeEventListener('pageshow', this.onShow);
  }

  async connect() {
    if (this.stopped) return;
    setConnection('connecting');
    this.abort = new AbortController();
    let silence = null;
    const alive = () => {
      clearTimeout(silence);
      silence = setTimeout(() => this.abort.abort(), SILENCE_LIMIT);
    };
    try {
      const response = await fetch(`/api/v1/books/${encodeURIComponent(this.bookId)}/events`, {
        headers: {
          Authorization: `Bearer ${session.token}`,
          'Last-Event-ID': String(this.lastSeq),
          Accept: 'text/event-stream',
        },
        signal: this.abort.signal,
        cache: 'no-store',
      });
      if (response.status === 410) {
        // The server no longer keeps the changes since our seq: start again from the book.
        this.lastSeq = await this.handlers.onReset();
        this.retryTimer = setTimeout(() => this.connect(), 0);
        return;
      }
      if (!response.ok) throw new Error(`events: status ${response.status}`);
      setConnection('online');
      this.pause = 500;
      alive();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new EventParser(event => this.dispatch(event));
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        alive();
        parser.push(value);
      }
    } catch {
      // A dropped or refused connection: fall through to the retry.
    } finally {
      clearTimeout(silence);
    }
    if (this.stopped || this.hidden) return;
    setConnection('offline');
    this.retryTimer = setTimeout(() => this.connect(), this.pause);
    this.pause = Math.min(this.pause * 2, 4000);
  }

  dispatch({ id, event, data }) {
    let payload = null;
    try { payload = JSON.parse(data); } catch { return; }
    if (event === 'presence') {
      this.handlers.onPresence(payload.present || []);
      return;
    }
    const seq = Number(id);
    if (Number.isFinite(seq)) {
      if (seq <= this.lastSeq) return;     // at least once: a repeat after a resume
      this.lastSeq = seq;
    }
    this.handlers.onEvent({ seq, type: event, data: payload });
  }
}

/** Server-Sent Events framing (the WHATWG rules that matter here): `field: value` lines,
 *  an empty line ends an event, lines starting with `:` are comments. */
class EventParser {
  constructor(emit) {
    this.emit = emit;
    this.buffer = '';
    this.reset();
  }

  reset() { this.fields = { id: null, event: 'message', data: [] }; }

  push(chunk) {
    this.buffer += chunk;
    let newline;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.fields.data.length) this.emit({ ...this.fields, data: this.fields.data.join('\n') });
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.fields.data.push(value);
    else if (field === 'event') this.fields.event = value;
    else if (field === 'id') this.fields.id = value;
  }
}
