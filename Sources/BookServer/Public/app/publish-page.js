// Publishing (everyone with a role): the book as EPUB, one HTML file, a site or a book
// folder, with progress; and "Check before publishing", the exporter's problems, each a
// link into the editor at its line.

import { api } from './api.js';
import { openBookTab, formatSize } from './book-tab.js';
import { download } from './downloads.js';
import { h, notice, plural, replace } from './dom.js';

const EXPORTS = [
  { id: 'epub', path: 'export.epub', label: 'EPUB', hint: 'For e-readers and shops; passes EPUBCheck.' },
  { id: 'html', path: 'export.html', label: 'Single-file HTML', hint: 'One page with everything inside: to read, print or send.' },
  { id: 'site', path: 'export.site.zip', label: 'Website (zip)', hint: 'One page per chapter, to put on any web server.' },
  { id: 'zip', path: 'export.zip', label: 'Book folder (zip)', hint: 'Markdown and images: a copy to keep, or to import again.' },
];

const KIND_WORDS = {
  'broken-link': 'Broken link',
  'missing-image': 'Missing image',
  'missing-alt-text': 'Image without a description',
  'link-scheme': 'Link dropped',
  'raw-html': 'HTML left out',
  'conflict-markers': 'Conflict markers',
};

/** The exporter's words as a sentence: a capital first, a full stop last. */
const sentence = text => (text ? text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.') : '');

export async function publishPage(main, { book: bookId }) {
  const opened = await openBookTab(main, bookId, 'publish', 'Publish');
  if (!opened) return null;
  const { book, base, page } = opened;

  const progress = h('progress', { id: 'export-progress', max: 1, hidden: true, 'aria-labelledby': 'export-state' });
  const state = h('p', { id: 'export-state', role: 'status', 'aria-live': 'polite' });
  const buttons = EXPORTS.map(format => h('li', {},
    h('button', { type: 'button', id: `export-${format.id}`, class: 'export-button', 'aria-describedby': `export-${format.id}-hint`, onclick: () => take(format) }, format.label),
    h('span', { class: 'hint', id: `export-${format.id}-hint` }, format.hint)));
  let busy = false;

  async function take(format) {
    if (busy) return;
    busy = true;
    for (const button of page.querySelectorAll('.export-button')) button.disabled = true;
    state.textContent = `Preparing the ${format.label}…`;
    progress.hidden = false;
    progress.removeAttribute('value');   // indeterminate while the server makes the file
    try {
      const name = await download(`${base}/${format.path}`, `book.${format.id}`, {
        onProgress(received, total) {
          if (total) { progress.max = total; progress.value = received; }
          state.textContent = `Downloading the ${format.label}: ${formatSize(received)}${total ? ` of ${formatSize(total)}` : ''}`;
        },
      });
      state.textContent = `Downloaded ${name}.`;
    } catch (failure) {
      state.textContent = failure.status === 404 && format.id === 'site'
        ? 'This server cannot make a website yet.'
        : `The ${format.label} was not made: ${failure.message}`;
    } finally {
      busy = false;
      progress.hidden = true;
      for (const button of page.querySelectorAll('.export-button')) button.disabled = false;
    }
  }

  const checkState = h('div', { id: 'check-state', 'aria-live': 'polite' });
  const problems = h('ul', { id: 'problems', class: 'problems' });
  const check = h('button', { type: 'button', id: 'check-book' }, 'Check again');

  async function runCheck() {
    check.disabled = true;
    replace(checkState, notice('Checking the whole book…', 'info'));
    try {
      const answer = await api.get(`${base}/problems`, { timeout: 120000 });
      const found = answer.problems || [];
      replace(checkState, notice(found.length
        ? `${plural(found.length, 'problem')} to look at before publishing.`
        : 'No problem found: every link, image and description is in place.', found.length ? 'info' : 'ok'));
      replace(problems, found.map(problem => problemItem(problem)));
    } catch (failure) {
      replace(checkState, notice(`The book could not be checked: ${failure.message}`));
    } finally {
      check.disabled = false;
    }
  }

  function problemItem(problem) {
    const chapter = problem.chapter ? book.chapters[problem.chapter] : null;
    const title = problem.title || chapter?.title || problem.chapter;
    const where = problem.chapter
      ? h('a', {
        class: 'problem-link',
        href: `${base}/chapters/${encodeURIComponent(problem.chapter)}${problem.line ? `?line=${problem.line}` : ''}`,
      }, problem.line ? `${title}, line ${problem.line}` : title)
      : h('span', { class: 'problem-where' }, 'The book’s settings');
    return h('li', { class: 'problem', dataset: { kind: problem.kind || '', severity: problem.severity || '' } },
      h('span', { class: `problem-kind kind-${problem.kind || 'other'}` }, KIND_WORDS[problem.kind] || 'Problem'),
      where,
      h('span', { class: 'problem-message' }, sentence(problem.message)));
  }
  check.addEventListener('click', runCheck);

  page.append(
    h('section', { class: 'settings-section', 'aria-labelledby': 'exports-heading' },
      h('h2', { id: 'exports-heading' }, 'Download the book'),
      h('ul', { class: 'exports' }, buttons),
      state, progress),
    h('section', { class: 'settings-section', 'aria-labelledby': 'check-heading' },
      h('h2', { id: 'check-heading' }, 'Check before publishing'),
      h('p', { class: 'hint' }, 'Broken links, missing images, images without a description, HTML the book cannot carry and conflict markers left in the text, each with a link to its line.'),
      check, checkState, problems));
  runCheck();
  return null;
}
