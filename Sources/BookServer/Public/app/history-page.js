// A chapter's history: every revision with author, time and message, an author's run of
// autosaves folded into one entry; the difference between any two with changed words
// marked; any revision restored as a new one.

import { api, newKey } from './api.js';
import { navigate } from './router.js';
import { setCrumbs } from './crumbs.js';
import { loadChapter } from './chapter-load.js';
import { wordDiff } from './text-diff.js';
import { formatTime, h, notice, plural, replace } from './dom.js';

const PAGE = 200;

/** Consecutive revisions of one author without a message (autosaves) become one group. */
export function groupRevisions(revisions) {
  const groups = [];
  for (const revision of revisions) {
    const last = groups[groups.length - 1];
    const auto = !revision.message;
    if (last && auto && last.auto && last.author === revision.author) last.revisions.push(revision);
    else groups.push({ author: revision.author, auto, revisions: [revision] });
  }
  return groups;
}

export async function historyPage(main, { book: bookId, chapter: chapterId }) {
  const status = h('div', { class: 'page-status', 'aria-live': 'polite' });
  const loaded = await loadChapter(main, bookId, chapterId, 'This history cannot be opened');
  if (!loaded) return null;
  const { book, chapter, bookPath, path } = loaded;
  document.title = `History of ${chapter.title} — Booksprint`;
  setCrumbs([{ label: book.title, href: bookPath }, { label: chapter.title, href: path }, { label: 'History', href: `${path}/history` }]);

  const revisions = [];
  let next = undefined;
  const list = h('ol', { id: 'history', class: 'history' });
  const more = h('button', { type: 'button', id: 'older-revisions', hidden: true }, 'Show older revisions');
  const from = h('select', { id: 'diff-from', 'aria-label': 'Compare from revision' });
  const to = h('select', { id: 'diff-to', 'aria-label': 'to revision' });
  const showDiff = h('button', { type: 'button', id: 'show-diff', class: 'primary' }, 'Show the difference');
  const diff = h('div', { id: 'diff', class: 'diff', 'aria-live': 'polite' });
  const canWrite = book.role !== 'reader';

  replace(main, h('section', { class: 'page history-page' },
    h('h1', {}, 'History of ', h('a', { href: path }, chapter.title)),
    status,
    h('div', { class: 'history-layout' },
      h('div', {}, h('h2', {}, 'Revisions'), list, more),
      h('div', { class: 'diff-panel' },
        h('h2', {}, 'Compare'),
        h('p', { class: 'compare' }, h('label', { for: 'diff-from' }, 'From'), from, h('label', { for: 'diff-to' }, 'to'), to, showDiff),
        diff))));

  async function loadMore() {
    const query = next ? `&before=${next}` : '';
    const page = await api.get(`${path}/revisions?limit=${PAGE}${query}`);
    revisions.push(...page.revisions);
    next = page.next;
    more.hidden = !next;
    draw();
  }

  function entry(revision) {
    return h('li', { class: 'history-entry', dataset: { revision: String(revision.revision) } },
      h('span', { class: 'rev' }, `r${revision.revision}`), ' ',
      h('span', { class: 'who' }, revision.author), ' ',
      h('time', { datetime: revision.createdAt, title: new Date(revision.createdAt).toLocaleString() }, formatTime(revision.createdAt)),
      revision.merged ? h('span', { class: 'tag' }, 'merged') : null,
      revision.message ? h('span', { class: 'message' }, revision.message) : null,
      h('span', { class: 'entry-actions' },
        h('button', { type: 'button', class: 'link', onclick: () => compare(revision.revision - 1, revision.revision), disabled: revision.revision === 1 }, 'Changes'),
        canWrite && revision.revision !== chapter.revision
          ? h('button', { type: 'button', class: 'restore-revision link', dataset: { revision: String(revision.revision) }, onclick: () => restore(revision.revision) }, 'Restore')
          : null));
  }

  function draw() {
    replace(list, groupRevisions(revisions).map(group => {
      if (group.revisions.length === 1) return entry(group.revisions[0]);
      const [newest] = group.revisions, oldest = group.revisions[group.revisions.length - 1];
      const inner = h('ol', { class: 'group-entries', hidden: true }, group.revisions.map(entry));
      const toggle = h('button', { type: 'button', class: 'expand', 'aria-expanded': 'false' }, `Show all ${group.revisions.length}`);
      toggle.addEventListener('click', () => {
        inner.hidden = !inner.hidden;
        toggle.setAttribute('aria-expanded', String(!inner.hidden));
        toggle.textContent = inner.hidden ? `Show all ${group.revisions.length}` : 'Hide';
      });
      return h('li', { class: 'history-group' },
        h('span', { class: 'rev' }, `r${oldest.revision}–r${newest.revision}`), ' ',
        h('span', { class: 'who' }, group.author), ' ',
        h('span', {}, `${plural(group.revisions.length, 'autosave')}, `),
        h('time', { datetime: newest.createdAt }, formatTime(newest.createdAt)), ' ',
        h('button', { type: 'button', class: 'link', onclick: () => compare(oldest.revision - 1, newest.revision), disabled: oldest.revision === 1 }, 'Changes'),
        toggle, inner);
    }));
    const options = () => revisions.map(r => h('option', { value: String(r.revision) }, `r${r.revision} · ${r.author}`));
    const keep = [from.value, to.value];
    replace(from, options());
    replace(to, options());
    from.value = keep[0] || String(revisions[Math.min(1, revisions.length - 1)]?.revision ?? '');
    to.value = keep[1] || String(revisions[0]?.revision ?? '');
  }

  async function compare(a, b) {
    if (a < 1) return;
    from.value = String(a);   // left as it was when that revision is not listed yet
    to.value = String(b);
    await drawDiff(a, b);
  }

  async function drawDiff(a, b) {
    replace(diff, h('p', {}, 'Comparing…'));
    try {
      const answer = await api.get(`${path}/diff?from=${a}&to=${b}`);
      replace(diff,
        h('p', { class: 'diff-title' }, `From revision ${a} to revision ${b}`),
        answer.hunks.length ? answer.hunks.map(hunk) : h('p', {}, 'The two revisions hold the same text.'));
    } catch (failure) {
      replace(diff, notice(failure.message));
    }
  }

  /** One hunk: context as it is, each run of removed and added lines word by word. */
  function hunk(hunk) {
    const pre = h('pre', { class: 'hunk' });
    const lines = hunk.lines;
    for (let i = 0; i < lines.length;) {
      if (lines[i].startsWith(' ')) { pre.append(lines[i].slice(1) + '\n'); i++; continue; }
      const removed = [], added = [];
      while (i < lines.length && lines[i].startsWith('-')) removed.push(lines[i++].slice(1));
      while (i < lines.length && lines[i].startsWith('+')) added.push(lines[i++].slice(1));
      const oldText = removed.length ? removed.join('\n') + '\n' : '';
      const newText = added.length ? added.join('\n') + '\n' : '';
      for (const part of wordDiff(oldText, newText)) {
        pre.append(part.kind === 'same' ? part.text : h(part.kind, {}, part.text));
      }
    }
    return h('div', { class: 'hunk-box' }, h('p', { class: 'hunk-where' }, `Line ${hunk.newStart}`), pre);
  }

  async function restore(n) {
    replace(status, notice(`Restoring revision ${n}…`, 'info'));
    try {
      const [old, head] = await Promise.all([api.get(`${path}/revisions/${n}`), api.get(path)]);
      await api.post(`${path}/revisions`, { base: head.revision, text: old.text, message: `Restored revision ${n}` }, { key: newKey() });
      navigate(path);
    } catch (failure) {
      replace(status, notice(failure.message));
    }
  }

  showDiff.addEventListener('click', () => drawDiff(Number(from.value), Number(to.value)));
  more.addEventListener('click', () => loadMore().catch(failure => replace(status, notice(failure.message))));
  try {
    await loadMore();
    if (revisions.length > 1) await drawDiff(revisions[1].revision, revisions[0].revision);
  } catch (failure) {
    replace(status, notice(failure.message));
  }
  return null;
}
