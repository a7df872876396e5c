// The accounts of this server (administrators only): the list, a form to add one, and a
// password reset that shows the new one-time password once, with a copy button.

import { api, newKey, session } from './api.js';
import { setCrumbs } from './crumbs.js';
import { h, notice, replace } from './dom.js';

/** Four short words' worth of randomness, easy to read out: 16 letters and digits in groups. */
function madePassword() {
  const letters = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = Array.from(bytes, b => letters[b % letters.length]).join('');
  return chars.match(/.{4}/g).join('-');
}

export async function usersPage(main) {
  document.title = 'Users — Booksprint';
  setCrumbs([{ label: 'Users', href: '/users' }]);
  const status = h('div', { id: 'users-status', 'aria-live': 'polite' });
  const page = h('section', { class: 'page narrow users-page' }, h('h1', {}, 'Users'), status);
  replace(main, page);
  if (session.user && !session.user.isAdmin) {
    replace(status, notice('Only administrators can see and add user accounts. Ask the person who runs this server.', 'info'));
    return null;
  }
  const list = h('ul', { id: 'users', class: 'user-list' });
  const secret = h('div', { id: 'one-time', class: 'one-time', 'aria-live': 'polite' });

  async function load() {
    let users;
    try {
      ({ users } = await api.get('/users'));
    } catch (failure) {
      replace(status, failure.status === 403
        ? notice('Only administrators can see and add user accounts. Ask the person who runs this server.', 'info')
        : notice(`The users cannot be listed: ${failure.message}`));
      form.hidden = true;
      return false;
    }
    replace(list, users.map(user => h('li', { dataset: { user: user.name } },
      h('span', { class: 'user-name' }, user.name),
      user.isAdmin ? h('span', { class: 'tag' }, 'administrator') : null,
      user.mustChangePassword ? h('span', { class: 'tag' }, 'must choose a password') : null,
      h('button', { type: 'button', class: 'reset-password', 'aria-label': `Reset the password of ${user.name}`, onclick: () => reset(user.name) }, 'Reset password'))));
    return true;
  }

  /** The one-time password, shown once: it is not kept anywhere in the app. */
  function showSecret(name, password, what) {
    const value = h('input', { id: 'one-time-password', readonly: true, value: password, 'aria-label': `One-time password of ${name}`, spellcheck: 'false' });
    const copied = h('span', { class: 'hint', role: 'status' });
    replace(secret, h('div', { class: 'notice notice-info' },
      h('p', {}, `${what} Give ${name} this password; it is shown only now.`),
      h('div', { class: 'inline-form' }, value,
        h('button', {
          type: 'button', id: 'copy-password', onclick: async () => {
            try { await navigator.clipboard.writeText(password); } catch { value.select(); document.execCommand('copy'); }
            copied.textContent = 'Copied.';
          },
        }, 'Copy'), copied)));
    value.focus();
    value.select();
  }

  async function reset(name) {
    try {
      const answer = await api.post(`/users/${encodeURIComponent(name)}/password-reset`, undefined, { key: newKey() });
      showSecret(name, answer.password, `The password of ${name} is reset and their sessions are ended. It works once: at their next sign-in they choose their own.`);
      await load();
    } catch (failure) {
      replace(status, notice(`The password of ${name} is unchanged: ${failure.message}`));
    }
  }

  const username = h('input', { id: 'new-user-name', name: 'username', required: true, maxlength: 64, autocapitalize: 'none', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'new-user-hint' });
  const password = h('input', { id: 'new-user-password', name: 'password', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'new-user-password-hint' });
  const suggest = h('button', { type: 'button', id: 'suggest-password', onclick: () => { password.value = madePassword(); password.focus(); } }, 'Make one up');
  const admin = h('input', { id: 'new-user-admin', type: 'checkbox' });
  const form = h('form', { id: 'new-user-form', class: 'card' },
    h('h2', {}, 'Add a user'),
    h('label', { for: 'new-user-name' }, 'User name'), username,
    h('p', { class: 'hint', id: 'new-user-hint' }, 'Letters, digits, “-”, “_” or “.”; up to 64.'),
    h('label', { for: 'new-user-password' }, 'Their first password'),
    h('div', { class: 'inline-form' }, password, suggest),
    h('p', { class: 'hint', id: 'new-user-password-hint' }, '8 to 72 characters. Give it to them in person; they can change it on their Password page.'),
    h('div', { class: 'check' }, admin, h('label', { for: 'new-user-admin' }, 'Administrator (can manage users and every book)')),
    h('button', { type: 'submit', class: 'primary' }, 'Add user'));
  const key = { value: newKey() };
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const name = username.value.trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
      replace(status, notice('A user name is 1 to 64 letters, digits, “-”, “_” or “.”, without spaces.'));
      username.focus();
      return;
    }
    const bytes = new TextEncoder().encode(password.value).length;
    if (bytes < 8 || bytes > 72) {
      replace(status, notice('The first password needs 8 to 72 characters. “Make one up” chooses one.'));
      password.focus();
      return;
    }
    try {
      await api.post('/users', { username: name, password: password.value, isAdmin: admin.checked }, { key: key.value });
      key.value = newKey();
      const given = password.value;
      username.value = '';
      password.value = '';
      admin.checked = false;
      replace(status);
      showSecret(name, given, `${name} can sign in now.`);
      await load();
    } catch (failure) {
      replace(status, notice(`${name} was not added: ${failure.message}`));
    }
  });

  page.append(secret, list, form);
  await load();
  return null;
}
