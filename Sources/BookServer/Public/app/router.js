// Maps the address bar to a page, with the browser's history: links inside the app change
// the page without a reload, and back/forward work.

const routes = [];
let current = null;        // {unmount, guard}
let notFound = null;

/** `route('/books/:book', mount)`; `mount(main, params, query)` returns an optional
 *  `{unmount(), canLeave(kind)}`: false asks before leaving (`kind` 'route' for a move
 *  inside the app, 'unload' for closing or reloading the page). */
export function route(pattern, mount) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return '([^/]+)'; });
  routes.push({ regex: new RegExp(`^${source}/?$`), names, mount });
}

export function fallback(mount) { notFound = mount; }

export function navigate(path, { replace = false } = {}) {
  if (current?.page?.canLeave && !current.page.canLeave('route')) {
    if (!confirm('Some of your edits have not reached the server yet. They are kept on this device and will be saved later. Leave this page?')) return;
  }
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

export async function render() {
  const main = document.getElementById('main');
  const previous = current;
  const entry = { page: null };
  current = entry;
  previous?.page?.unmount?.();
  // Each page draws into a view of its own: one that is still loading when another page
  // replaces it draws into a detached element, and is unmounted as soon as it is ready.
  const view = document.createElement('div');
  view.className = 'view';
  main.replaceChildren(view);
  const path = decodeURI(location.pathname);
  const query = new URLSearchParams(location.search);
  const found = routes.map(({ regex, names, mount }) => ({ match: regex.exec(path), names, mount })).find(r => r.match);
  const page = found
    ? await found.mount(view, Object.fromEntries(found.names.map((name, i) => [name, found.match[i + 1]])), query)
    : await notFound?.(view);
  if (current === entry) entry.page = page;
  else page?.unmount?.();
}

export function start() {
  addEventListener('popstate', render);
  // Same-origin links to app pages move without a reload; downloads and new tabs are left alone.
  document.addEventListener('click', event => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download')) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/app/')) return;
    event.preventDefault();
    if (url.pathname === location.pathname && url.hash) { location.hash = url.hash; return; }
    navigate(url.pathname + url.search + url.hash);
  });
  addEventListener('beforeunload', event => {
    if (current?.page?.canLeave && !current.page.canLeave('unload')) {
      event.preventDefault();
      event.returnValue = 'Some edits have not reached the server yet.';
    }
  });
  render();
}
