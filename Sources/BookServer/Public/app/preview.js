// The live preview: the server renders the Markdown with the exporter's own pipeline (and
// makes it safe); the page shows it, loads the book's images with the token, and keeps it
// scrolled with the editor by the source lines each block carries (`data-line="3-7"`).

import { api } from './api.js';
import { assetURL } from './images.js';
import { debounce } from './dom.js';

const DELAY = 250;      // ms after the last keystroke; typing never waits for the preview
const AT_MOST = 1000;   // ms between renders while typing goes on

export class Preview {
  constructor(container, bookId, chapterId) {
    this.container = container;
    this.bookId = bookId;
    this.chapterId = chapterId;   // links to it stay on the page
    this.generation = 0;
    this.images = new Map();   // asset name -> object URL
    this.schedule = debounce(text => this.render(text), DELAY);
  }

  update(text) {
    if (Date.now() - (this.renderedAt || 0) > AT_MOST) {
      this.renderedAt = Date.now();
      this.schedule.cancel();
      setTimeout(() => this.render(text), 0);
    } else {
      this.schedule(text);
    }
  }

  async render(text) {
    this.renderedAt = Date.now();
    const generation = ++this.generation;
    let answer;
    try {
      answer = await api.post(`/books/${encodeURIComponent(this.bookId)}/preview`, { text, chapter: this.chapterId });
    } catch {
      return;   // offline: the last preview stays; the save state says what matters
    }
    if (generation !== this.generation) return;   // a newer text is on its way
    const template = document.createElement('template');
    template.innerHTML = answer.html;              // inert: nothing loads or runs in a template
    disarm(template.content);
    for (const image of template.content.querySelectorAll('img[data-asset]')) {
      const name = image.dataset.asset;
      image.removeAttribute('src');
      this.load(image, name);
    }
    for (const link of template.content.querySelectorAll('a[href]')) {
      if (/^https?:/i.test(link.getAttribute('href'))) { link.target = '_blank'; link.rel = 'noopener noreferrer'; }
    }
    const { scrollTop } = this.container;
    this.container.replaceChildren(template.content);
    this.container.scrollTop = scrollTop;
    this.onRender?.();
  }

  async load(image, name) {
    let url = this.images.get(name);
    if (!url) {
      try {
        url = await assetURL(this.bookId, name);
        this.images.set(name, url);
      } catch {
        image.alt = `${image.alt || name} (image not found)`;
        return;
      }
    }
    image.src = url;
  }

  /** An image changed on the server: fetch it again next time. */
  forget(name) {
    const url = this.images.get(name);
    if (url) URL.revokeObjectURL(url);
    this.images.delete(name);
  }

  /** Blocks with their source line ranges, in order. */
  blocks() {
    return Array.from(this.container.querySelectorAll(':scope > [data-line]'), element => {
      const [first, last] = element.dataset.line.split('-').map(Number);
      return { element, first, last: last || first };
    });
  }

  /** Scrolls so that source line `line` (+ fraction) is at the top of the preview. */
  scrollToLine(line, fraction) {
    const blocks = this.blocks();
    if (!blocks.length) return;
    let block = blocks[0];
    for (const candidate of blocks) { if (candidate.first <= line) block = candidate; else break; }
    const span = block.last - block.first + 1;
    const within = Math.min(1, Math.max(0, (line - block.first + fraction) / span));
    const top = block.element.offsetTop - this.container.offsetTop;
    this.container.scrollTop = top + within * block.element.offsetHeight;
  }

  /** The source line at the top of the preview (for scrolling the editor along). */
  topLine() {
    const y = this.container.scrollTop + this.container.offsetTop;
    const blocks = this.blocks();
    for (let i = blocks.length - 1; i >= 0; i--) {
      const { element, first, last } = blocks[i];
      if (element.offsetTop <= y) {
        const within = element.offsetHeight ? Math.min(1, (y - element.offsetTop) / element.offsetHeight) : 0;
        const position = first + within * (last - first + 1);
        return { line: Math.floor(position), fraction: position % 1 };
      }
    }
    return { line: 1, fraction: 0 };
  }

  stop() {
    this.schedule.cancel();
    this.generation++;
    for (const url of this.images.values()) URL.revokeObjectURL(url);
  }
}

const BANNED = 'script, style, iframe, frame, frameset, object, embed, applet, base, meta, link, form, input, button, textarea, select, template, portal';
const URL_ATTRIBUTES = ['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'cite', 'data'];

/** A second guard behind the server's: what could run is removed before the preview is
 *  shown (the page's Content-Security-Policy is the third). */
function disarm(fragment) {
  for (const element of fragment.querySelectorAll(BANNED)) element.remove();
  for (const element of fragment.querySelectorAll('*')) {
    for (const { name, value } of Array.from(element.attributes)) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on') || lower === 'style') element.removeAttribute(name);
      else if (URL_ATTRIBUTES.includes(lower) && !safeURL(value)) element.removeAttribute(name);
    }
  }
}

function safeURL(value) {
  // As a browser reads it: control characters and spaces are ignored inside the scheme.
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return !scheme || ['http', 'https', 'mailto'].includes(scheme[1]);
}
