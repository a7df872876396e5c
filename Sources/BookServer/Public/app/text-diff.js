// Where two texts differ, for applying the server's text to the editor as the smallest
// replacements and for showing changed words in the history. The browser never merges:
// the server does; this only finds what changed.

/** Myers' O(ND) diff of two arrays of small integers: the matched pairs `[i, j]` in order.
 *  Gives up past `maxCost` edits (null), so a pathological pair cannot freeze the page. */
function matches(a, b, maxCost = 1500) {
  const n = a.length, m = b.length, max = Math.min(n + m, maxCost);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, offset);
    }
  }
  return null;
}

function backtrack(trace, a, b, D, offset) {
  const pairs = [];
  let x = a.length, y = b.length;
  for (let d = D; d > 0; d--) {
    const row = trace[d];   // v as it was before step d, indices shifted by (offset - d - 1)
    const at = k => row[k + d + 1];
    const k = x - y;
    const prevK = (k === -d || (k !== d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    const prevX = at(prevK), prevY = prevX - prevK;
    while (x > prevX && y > prevY) { x--; y--; pairs.push([x, y]); }
    x = prevX; y = prevY;
  }
  while (x > 0 && y > 0) { x--; y--; pairs.push([x, y]); }
  return pairs.reverse();
}

/** Numbers for strings, equal strings equal numbers. */
function intern(lists) {
  const ids = new Map();
  return lists.map(list => list.map(item => {
    let id = ids.get(item);
    if (id === undefined) { id = ids.size; ids.set(item, id); }
    return id;
  }));
}

function commonPrefix(a, b) {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a, b, limit) {
  let i = 0;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

const splitLines = text => text.match(/[^\n]*\n|[^\n]+$/g) || [];

/**
 * The replacements that turn `a` into `b`: `[{from, to, text}]` in `a`'s offsets, in order,
 * not touching each other; each as small as a line diff refined to characters makes it.
 */
export function textChanges(a, b) {
  if (a === b) return [];
  const prefix = commonPrefix(a, b);
  const suffix = commonSuffix(a, b, Math.min(a.length, b.length) - prefix);
  // Work on whole lines around the changed middle, so the line diff sees real lines.
  const start = a.lastIndexOf('\n', prefix - 1) + 1;
  const endA = a.length - suffix, endB = b.length - suffix;
  const stopA = lineEnd(a, endA), stopB = stopA + (endB - endA);
  const linesA = splitLines(a.slice(start, stopA)), linesB = splitLines(b.slice(start, stopB));
  const [idsA, idsB] = intern([linesA, linesB]);
  const pairs = linesA.length * linesB.length > 1 ? matches(idsA, idsB) : [];
  if (pairs === null) return [refine(a, b, start, stopA, start, stopB)].filter(Boolean);
  const changes = [];
  let i = 0, j = 0, offA = start, offB = start;
  const flush = (toI, toJ) => {
    let lenA = 0, lenB = 0;
    for (; i < toI; i++) lenA += linesA[i].length;
    for (; j < toJ; j++) lenB += linesB[j].length;
    if (lenA || lenB) {
      const change = refine(a, b, offA, offA + lenA, offB, offB + lenB);
      if (change) changes.push(change);
    }
    offA += lenA; offB += lenB;
  };
  for (const [pi, pj] of pairs) {
    flush(pi, pj);
    offA += linesA[i].length; offB += linesB[j].length;
    i++; j++;
  }
  flush(linesA.length, linesB.length);
  return changes;
}

function lineEnd(text, index) {
  if (index > 0 && text[index - 1] === '\n') return index;
  const next = text.indexOf('\n', index);
  return next < 0 ? text.length : next + 1;
}

/** `a[fromA, toA)` -> `b[fromB, toB)` with the characters both share at the ends left out. */
function refine(a, b, fromA, toA, fromB, toB) {
  const sa = a.slice(fromA, toA), sb = b.slice(fromB, toB);
  if (sa === sb) return null;
  const p = commonPrefix(sa, sb);
  const s = commonSuffix(sa, sb, Math.min(sa.length, sb.length) - p);
  return { from: fromA + p, to: toA - s, text: sb.slice(p, sb.length - s) };
}

/** True when some change of `x` and some change of `y` (both against one text) overlap
 *  or touch: applying both would need a decision the browser does not make. */
export function changesCollide(x, y) {
  for (const c of x) for (const d of y) {
    if (c.from <= d.to && d.from <= c.to) return true;
  }
  return false;
}

/** Moves `changes` (against a text T) so they apply to T after `applied` (also against T,
 *  not colliding with them). */
export function shiftChanges(changes, applied) {
  return changes.map(change => {
    let delta = 0;
    for (const other of applied) if (other.to <= change.from) delta += other.text.length - (other.to - other.from);
    return { from: change.from + delta, to: change.to + delta, text: change.text };
  });
}

/** Words, runs of blanks, and single other characters: what the history highlights. */
const tokenize = text => text.match(/[\p{L}\p{N}\p{M}'’_-]+|[ \t]+|\n|./gsu) || [];

/** `[{kind: 'same' | 'del' | 'ins', text}]` turning `a` into `b` word by word. */
export function wordDiff(a, b) {
  const ta = tokenize(a), tb = tokenize(b);
  const [ia, ib] = intern([ta, tb]);
  const pairs = matches(ia, ib, 2000);
  const parts = [];
  const push = (kind, text) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  if (pairs === null) { push('del', a); push('ins', b); return parts; }
  let i = 0, j = 0;
  for (const [pi, pj] of [...pairs, [ta.length, tb.length]]) {
    push('del', ta.slice(i, pi).join(''));
    push('ins', tb.slice(j, pj).join(''));
    if (pi < ta.length) push('same', ta[pi]);
    i = pi + 1; j = pj + 1;
  }
  return parts;
}
