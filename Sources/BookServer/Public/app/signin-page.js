// The sign-in form: a user name and a password for a token.

import { api, session } from './api.js';
import { navigate } from './router.js';
import { h, replace } from './dom.js';

export function signinPage(main, query) {
  document.title = 'Sign in — Booksprint';
  document.getElementById('app-header').hidden = true;
  const error = h('p', { id: 'signin-error', class: 'notice notice-error', role: 'alert', hidden: true });
  const username = h('input', { id: 'signin-username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { id: 'signin-form', class: 'card' },
    h('h1', {}, 'Sign in to Booksprint'),
    query.get('expired') ? h('p', { class: 'notice notice-info', role: 'status' }, 'Your session ended. Sign in again; nothing you typed is lost.') : null,
    h('label', { for: 'signin-username' }, 'User name'), username,
    h('label', { for: 'signin-password' }, 'Password'), password,
    error, button);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.hidden = true;
    button.disabled = true;
    try {
      const answer = await api.post('/login', { username: username.value.trim(), password: password.value });
      session.set(answer.token, answer.user);
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') && next !== '/signin' ? next : '/', { replace: true });
    } catch (failure) {
      error.textContent = failure.status === 401
        ? 'That user name and password do not match. Check both and try again.'
        : failure.message;
      error.hidden = false;
      password.select();
    } finally {
      button.disabled = false;
    }
  });
  replace(main, h('section', { class: 'page signin' }, form,
    h('p', { class: 'hint' }, 'The first time a server starts it prints the password of the account ', h('code', {}, 'admin'), ' on its console.')));
  username.focus();
  return null;
}
