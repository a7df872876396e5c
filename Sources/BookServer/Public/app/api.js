// The one way the app talks to the server: the public API under /api/v1, with the
// sign-in token, JSON bodies, and problem+json turned into errors a writer can read.

const TOKEN_KEY = 'booksprint.token';
const USER_KEY = 'booksprint.user';

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  get user() {
    try { return JSON.parse(localStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
  },
  set(token, user) {
    localStorage.setItem(TOKEN_KEY, token);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
};

/** An answer that is not 2xx (`status`, the problem's fields in `problem`), or no answer at
 *  all (`offline`: the server could not be reached). `message` is for the screen. */
export class ApiError extends Error {
  constructor(message, { status = 0, problem = null, offline = false } = {}) {
    super(message);
    this.status = status;
    this.problem = problem;
    this.offline = offline;
  }
}

/** Called when a request proves the server reachable or not (the connection indicator). */
let reachability = () => {};
export function onReachability(callback) { reachability = callback; }

/** Called on a 401: the token is gone (signed out elsewhere, expired). */
let unauthorized = () => {};
export function onUnauthorized(callback) { unauthorized = callback; }

/** Called on a 403 that asks for a new password first (a first sign-in, a reset). */
let passwordChange = () => {};
export function onPasswordChangeRequired(callback) { passwordChange = callback; }

/** A fresh key for `Idempotency-Key`: the same key is sent again only with the same request. */
export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
}

/**
 * `request('GET', '/books')`; `body` is sent as JSON unless it is a Blob (sent raw with its
 * type). Resolves to `{status, headers, data}`, `data` parsed from JSON when the answer is
 * JSON, else a Blob (`as: 'blob'`), the unread Response (`as: 'response'`) or text.
 */
export async function request(method, path, { body, key, headers = {}, as, signal, timeout = 20000 } = {}) {
  const init = { method, headers: { ...headers }, signal };
  const token = session.token;
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (key) init.headers['Idempotency-Key'] = key;
  if (body instanceof Blob) {
    init.body = body;
    init.headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let timer = null;
  if (!signal && timeout) {
    const abort = new AbortController();
    init.signal = abort.signal;
    timer = setTimeout(() => abort.abort(), timeout);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    if (error.name === 'AbortError' && signal?.aborted) throw error;
    reachability(false);
    throw new ApiError('The server cannot be reached. Your work is kept on this device.', { offline: true });
  } finally {
    if (timer) clearTimeout(timer);
  }
  reachability(true);
  const type = response.headers.get('Content-Type') || '';
  let data = null;
  if (response.status !== 204 && response.status !== 304) {
    if (as === 'response' && response.ok) data = response;
    else if (as === 'blob' && response.ok) data = await response.blob();
    else if (type.includes('json')) data = await response.json().catch(() => null);
    else data = await response.text();
  }
  if (!response.ok && response.status !== 304) {
    if (response.status === 401 && path !== '/login') unauthorized();
    if (response.status === 403 && String(data?.type || '').endsWith('password-change-required')) passwordChange();
    throw new ApiError(describe(response.status, data), { status: response.status, problem: data });
  }
  return { status: response.status, headers: response.headers, data };
}

/** Words for the screen: the server's `detail` (written for people), else the status. */
function describe(status, problem) {
  if (problem && typeof problem === 'object' && problem.detail) {
    const detail = String(problem.detail);
    return detail.charAt(0).toUpperCase() + detail.slice(1) + (/[.!?]$/.test(detail) ? '' : '.');
  }
  if (status === 404) return 'This page does not exist, or you have no access to it.';
  if (status === 403) return 'Your role in this book does not allow that.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `The server refused this (status ${status}).`;
}

export const api = {
  get: (path, options) => request('GET', path, options).then(r => r.data),
  post: (path, body, options) => request('POST', path, { ...options, body }).then(r => r.data),
  patch: (path, body, options) => request('PATCH', path, { ...options, body }).then(r => r.data),
  put: (path, body, options) => request('PUT', path, { ...options, body }).then(r => r.data),
  delete: (path, options) => request('DELETE', path, options).then(r => r.data),
};
