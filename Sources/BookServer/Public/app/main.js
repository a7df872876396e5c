// The app's entry: the header, the pages, and what happens on sign-in and sign-out.

import { api, onPasswordChangeRequired, onReachability, onUnauthorized, session } from './api.js';
import { setConnection } from './connection.js';
import { fallback, navigate, route, start } from './router.js';
import { h, replace } from './dom.js';
import { signinPage } from './signin-page.js';
import { booksPage } from './books-page.js';
import { bookPage } from './book-page.js';
import { chapterPage } from './chapter-page.js';
import { flushUnsent } from './offline.js';

/** A page loaded when it is first opened: the writing pages (books, book, chapter) come
 *  with the app; history, people, settings, publishing, users, password and invites, which
 *  a writer may never open, are fetched on demand. */
function later(file, name) {
  return async (...args) => (await import(file))[name](...args);
}
const historyPage = later('./history-page.js', 'historyPage');
const peoplePage = later('./people-page.js', 'peoplePage');
const settingsPage = later('./settings-page.js', 'settingsPage');
const publishPage = later('./publish-page.js', 'publishPage');
const usersPage = later('./users-page.js', 'usersPage');
const passwordPage = later('./password-page.js', 'passwordPage');
const invitePage = later('./invite-page.js', 'invitePage');

/** Pages that need a signed-in user send everyone else to the sign-in form first. */
function signedIn(mount) {
  return (main, params, query) => {
    if (!session.token) {
      navigate(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
      return null;
    }
    showHeader();
    return mount(main, params, query);
  };
}

function showHeader() {
  const header = document.getElementById('app-header');
  header.hidden = false;
  document.getElementById('user-name').textContent = session.user?.name || '';
  document.getElementById('users-link').hidden = !session.user?.isAdmin;
}

async function signOut() {
  try { await api.post('/logout'); } catch { /* the token is dropped here either way */ }
  session.clear();
  document.getElementById('app-header').hidden = true;
  navigate('/signin', { replace: true });
}

// A request that reaches the server says it is up; the event stream says more (events.js).
onReachability(reachable => setConnection(reachable ? 'online' : 'offline'));
onUnauthorized(() => {
  // Requests in flight together all answer 401: the first one's `next` is where the user was.
  if (location.pathname === '/signin') return;
  session.clear();
  document.getElementById('app-header').hidden = true;
  navigate(`/signin?expired=1&next=${encodeURIComponent(location.pathname)}`, { replace: true });
});

// A first-start or reset password: the server answers nothing else until a new one is chosen.
onPasswordChangeRequired(() => {
  if (location.pathname !== '/password') navigate(`/password?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
});

document.getElementById('signout').addEventListener('click', signOut);

route('/signin', (main, _, query) => signinPage(main, query));
route('/', signedIn(main => booksPage(main)));
route('/books', signedIn(main => booksPage(main)));
route('/books/:book', signedIn((main, params) => bookPage(main, params)));
route('/books/:book/chapters/:chapter', signedIn((main, params) => chapterPage(main, params)));
route('/books/:book/chapters/:chapter/history', signedIn((main, params) => historyPage(main, params)));
route('/books/:book/people', signedIn((main, params) => peoplePage(main, params)));
route('/books/:book/settings', signedIn((main, params) => settingsPage(main, params)));
route('/books/:book/publish', signedIn((main, params) => publishPage(main, params)));
route('/users', signedIn(main => usersPage(main)));
route('/password', signedIn((main, _, query) => passwordPage(main, query)));
// An invite is opened by people with no account yet: the page itself offers sign-up or sign-in.
route('/invite/:token', (main, params) => invitePage(main, params));
fallback(main => {
  replace(main, h('section', { class: 'page narrow' },
    h('h1', {}, 'Nothing here'),
    h('p', {}, 'This address is not a page of Booksprint. ', h('a', { href: '/' }, 'Go to your books'), '.')));
});

start();
// Edits left on this device by an earlier visit (a closed tab, a crash) go to the server
// as soon as it answers; the chapter page takes over the one it shows.
if (session.token) {
  flushUnsent();
  // The name shown is the server's (renamed, or the token gone: a 401 signs out).
  api.get('/me').then(({ user }) => {
    if (session.token) session.set(session.token, user);
    document.getElementById('user-name').textContent = user.name;
    document.getElementById('users-link').hidden = !user.isAdmin;
  }).catch(() => {});
}
