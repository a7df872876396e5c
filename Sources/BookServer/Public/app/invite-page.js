// An invite link, opened by someone who may have no account yet: it says which book and
// which role, then lets a newcomer pick a user name and a password, or a signed-in person
// join with one click, and lands them in the book.

import { api, session } from './api.js';
import { navigate } from './router.js';
import { h, notice, replace } from './dom.js';

export async function invitePage(main, { token }) {
  document.title = 'Invitation — Booksprint';
  const path = `/invites/${encodeURIComponent(token)}`;
  const status = h('div', { id: 'invite-status', 'aria-live': 'polite' });
  const card = h('section', { class: 'card invite' }, h('h1', {}, 'Invitation'), status);
  replace(main, h('section', { class: 'page signin' }, card));

  let invite;
  try {
    invite = await api.get(path);
  } catch (failure) {
    const words = failure.status === 410
      ? 'This invite link has expired or was revoked. Ask the book’s facilitator for a new one.'
      : failure.status === 404 ? 'This invite link is not valid. Check that you copied all of it, or ask for a new one.' : failure.message;
    replace(status, notice(words));
    return null;
  }
  const title = invite.title;
  const role = invite.role;
  card.querySelector('h1').textContent = `Join “${title}”`;
  card.querySelector('h1').dir = 'auto';
  const intro = h('p', {}, `You are invited to ${role === 'author' ? 'write in' : 'read'} this book as ${role === 'author' ? 'an author' : 'a reader'}.`);
  status.before(intro);

  async function accept(body) {
    const answer = await api.post(`${path}/accept`, body);
    if (answer.token) session.set(answer.token, answer.user);
    const bookId = answer.book;
    navigate(`/books/${encodeURIComponent(bookId)}`, { replace: true });
  }

  if (session.token && session.user) {
    const join = h('button', { type: 'button', class: 'primary', id: 'invite-join' }, `Join as ${session.user.name}`);
    join.addEventListener('click', async () => {
      join.disabled = true;
      try { await accept(); } catch (failure) { replace(status, notice(failure.message)); join.disabled = false; }
    });
    card.append(join, h('p', { class: 'hint' }, 'Not you? ', h('button', { type: 'button', class: 'link', onclick: () => { session.clear(); invitePage(main, { token }); } }, 'Use another account'), '.'));
    return null;
  }

  const username = h('input', { id: 'invite-username', required: true, minlength: 1, maxlength: 64, autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'invite-password', type: 'password', required: true, minlength: 8, autocomplete: 'new-password' });
  const again = h('input', { id: 'invite-password-again', type: 'password', required: true, autocomplete: 'new-password' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Create my account and join');
  const form = h('form', { id: 'invite-form', class: 'stack' },
    h('h2', {}, 'New here?'),
    h('label', { for: 'invite-username' }, 'Pick a user name'), username,
    h('p', { class: 'hint', id: 'invite-username-hint' }, 'Letters, digits, dots, dashes and underscores.'),
    h('label', { for: 'invite-password' }, 'Pick a password (at least 8 characters)'), password,
    h('label', { for: 'invite-password-again' }, 'The same password again'), again,
    button);
  username.setAttribute('aria-describedby', 'invite-username-hint');
  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (password.value !== again.value) { replace(status, notice('The two passwords are not the same.')); again.select(); return; }
    button.disabled = true;
    try {
      await accept({ username: username.value.trim(), password: password.value });
    } catch (failure) {
      replace(status, notice(failure.status === 409
        ? `The user name “${username.value.trim()}” is taken. If it is yours, sign in below; otherwise pick another.`
        : failure.message));
      button.disabled = false;
    }
  });
  card.append(form, h('p', {}, 'Have an account? ',
    h('a', { id: 'invite-signin', href: `/signin?next=${encodeURIComponent(location.pathname)}` }, 'Sign in'), ' and this link will bring you back.'));
  username.focus();
  return null;
}
