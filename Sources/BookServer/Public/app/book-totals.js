// The book's totals on the dashboard: words, chapters per state of the workflow, and
// progress towards the sum of the chapters' word targets.

import { formatNumber, h, plural, replace } from './dom.js';
import { statusClass } from './toc-view.js';

/** The chapters that are in the table of contents (the book view also knows others). */
export function chaptersInTOC(book) {
  const ids = [];
  const walk = nodes => { for (const node of nodes) node.kind === 'part' ? walk(node.children || []) : ids.push(node.chapter); };
  walk(book.toc.nodes);
  return ids.map(id => book.chapters[id]).filter(Boolean);
}

/** Progress counts a chapter's words up to its target only: one chapter written far past
 *  its target does not hide another that has not begun. */
export function progress(chapters) {
  let target = 0;
  let reached = 0;
  for (const chapter of chapters) {
    if (!chapter.target) continue;
    target += chapter.target;
    reached += Math.min(chapter.words ?? 0, chapter.target);
  }
  return { target, reached };
}

export function drawTotals(element, book) {
  const chapters = chaptersInTOC(book);
  const { target, reached } = progress(chapters);
  const counts = new Map(book.workflow.map(state => [state, 0]));
  for (const chapter of chapters) counts.set(chapter.status, (counts.get(chapter.status) ?? 0) + 1);
  const share = target ? Math.round((reached / target) * 100) : 0;
  replace(element,
    h('p', { class: 'book-summary' },
      book.subtitle ? h('span', { class: 'subtitle' }, book.subtitle, ' · ') : null,
      h('span', { id: 'book-words', dataset: { words: String(book.words ?? 0) } }, plural(book.words ?? 0, 'word')),
      ` in ${plural(chapters.length, 'chapter')}`),
    h('ul', { class: 'status-counts', 'aria-label': 'Chapters by state' },
      [...counts].map(([state, count]) => h('li', { class: `status-count ${statusClass(book.workflow, state)}`, dataset: { status: state, count: String(count) } },
        h('span', { class: 'count' }, formatNumber(count)), ' ', state))),
    target
      ? h('div', { class: 'book-progress' },
        h('label', { for: 'book-progress' }, `${formatNumber(reached)} of ${formatNumber(target)} target words (${share}%)`),
        h('progress', { id: 'book-progress', max: target, value: reached }))
      : null);
}
