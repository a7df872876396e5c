// The conflict view: when a save answers 409, each conflicting passage is shown with the
// author's version, the co-author's and the text before both; the author chooses one, both,
// or writes the passage anew, and the resolution is saved with `resolves`. Until then the
// author's text is safe on the server as the conflict record.

import { h, plural, replace } from './dom.js';

/**
 * The server's merged text with git's markers (`<<<<<<< rHEAD`, `=======`, `>>>>>>> yours`)
 * cut into plain pieces and conflicts, each checked against the hunks of the 409, so that
 * markers a chapter itself holds are never taken for the server's. Null if they disagree.
 */
export function splitConflict(problem) {
  const lines = problem.textWithMarkers.split('\n');
  const open = `<<<<<<< r${problem.head}`, close = '>>>>>>> yours';
  const pieces = [];
  let plain = [];
  let hunkIndex = 0;
  for (let i = 0; i < lines.length; i++) {
    const hunk = problem.hunks[hunkIndex];
    if (hunk && stripCR(lines[i]) === open) {
      const ours = lines.slice(i + 1, i + 1 + hunk.oursLines.length).map(stripCR);
      const sep = i + 1 + hunk.oursLines.length;
      const theirs = lines.slice(sep + 1, sep + 1 + hunk.theirsLines.length).map(stripCR);
      const end = sep + 1 + hunk.theirsLines.length;
      if (stripCR(lines[sep] ?? '') === '=======' && stripCR(lines[end] ?? '') === close &&
          same(ours, hunk.oursLines) && same(theirs, hunk.theirsLines)) {
        pieces.push({ plain });
        plain = [];
        pieces.push({ hunk });
        hunkIndex++;
        i = end;
        continue;
      }
    }
    plain.push(lines[i]);
  }
  if (hunkIndex !== problem.hunks.length) return null;
  pieces.push({ plain });
  return pieces;
}

const stripCR = line => (line.endsWith('\r') ? line.slice(0, -1) : line);
const same = (a, b) => a.length === b.length && a.every((line, i) => line === b[i]);

/** Joins the plain lines and the chosen passages back into one text (a passage left empty
 *  takes no line). */
function assemble(pieces, results) {
  const lines = [];
  let r = 0;
  for (const piece of pieces) {
    if (!piece.hunk) lines.push(...piece.plain);
    else if (results[r++] !== '') lines.push(...results[r - 1].split('\n'));
  }
  return lines.join('\n');
}

/**
 * Shows the conflict in `section` and resolves with the text the author chose, once they
 * press "Save this resolution". `problem` is the 409's body.
 */
export function showConflict(section, problem) {
  return new Promise(resolve => {
    const pieces = splitConflict(problem);
    const passages = pieces ? pieces.filter(piece => piece.hunk).map(piece => piece.hunk) : [];
    const results = [];
    const items = passages.map((hunk, index) => {
      const mine = hunk.theirsLines.join('\n'), theirs = hunk.oursLines.join('\n');
      const result = h('textarea', { class: 'hunk-result', rows: Math.min(12, Math.max(3, hunk.theirsLines.length + 1)), 'aria-label': `Text of passage ${index + 1} after resolving` });
      result.value = mine;
      results.push(result);
      const choose = (text, button) => {
        result.value = text;
        for (const b of button.parentElement.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
      };
      const version = (cls, label, text) => h('div', { class: `version ${cls}` },
        h('h4', {}, label), h('pre', {}, text || '(nothing)'));
      return h('li', { class: 'conflict-hunk' },
        h('h3', {}, `Passage ${index + 1} of ${passages.length}`, ` · line ${hunk.oursStart}`),
        h('div', { class: 'versions' },
          version('hunk-mine', 'Your version', mine),
          version('hunk-theirs', 'Your co-author’s version', theirs)),
        h('div', { class: 'version base' }, h('h4', {}, 'Before either change'),
          h('pre', { class: 'hunk-base' }, hunk.baseLines.join('\n') || '(nothing)')),
        h('div', { class: 'choices', role: 'group', 'aria-label': 'Keep' },
          h('button', { type: 'button', class: 'choose-mine', 'aria-pressed': 'true', onclick: e => choose(mine, e.currentTarget) }, 'Keep mine'),
          h('button', { type: 'button', class: 'choose-theirs', 'aria-pressed': 'false', onclick: e => choose(theirs, e.currentTarget) }, 'Keep theirs'),
          h('button', { type: 'button', class: 'choose-both', 'aria-pressed': 'false', onclick: e => choose(`${theirs}\n${mine}`, e.currentTarget) }, 'Keep both')),
        h('label', { class: 'hunk-result-label' }, 'Result (you can edit it)', result));
    });
    const save = h('button', { type: 'button', id: 'resolve-conflict', class: 'primary' }, 'Save this resolution');
    const whole = pieces ? null : h('textarea', { class: 'hunk-result whole', rows: 16, 'aria-label': 'The text, with both versions marked' });
    if (whole) { whole.value = problem.textWithMarkers; results.push(whole); }
    save.addEventListener('click', () => {
      const text = pieces ? assemble(pieces, results.map(r => r.value)) : whole.value;
      section.hidden = true;
      replace(section);
      resolve(text);
    });
    replace(section,
      h('h2', { id: 'conflict-heading' }, 'Your edit and a co-author’s touch the same passage'),
      h('p', {}, `The server could not combine them in ${plural(passages.length || 1, 'place')}. `,
        'Your text is safe on the server meanwhile. Choose what the chapter should say, then save.'),
      pieces ? h('ol', { class: 'conflict-hunks' }, items)
        : h('p', {}, 'Both versions are marked in the text below; keep what should stay and remove the marker lines.'),
      whole, save);
    section.hidden = false;
    section.querySelector('button, textarea')?.focus();
  });
}
