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
  current = null;
  previous?.page?.unmount?.();
  const path = decodeURI(location.pathname);
  const query = new URLSearchParams(location.search);
  for (const { regex, names, mount } of routes) {
    const match = regex.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, i) => [name, match[i + 1]]));
    main.replaceChildren();
    const entry = { page: null };
    current = entry;
    entry.page = await mount(main, params, query);
    return;
  }
  main.replaceChildren();
  current = { page: notFound ? await notFound(main) : null };
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
