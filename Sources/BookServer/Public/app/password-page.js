// Choosing a new password: after the first sign-in of the administrator, after a reset
// (the server answers nothing else until then), or whenever the person wants; then on to
// where they were going.

import { api, session } from './api.js';
import { navigate } from './router.js';
import { setCrumbs } from './crumbs.js';
import { h, replace } from './dom.js';

export function passwordPage(main, query) {
  document.title = 'Choose a password — Booksprint';
  setCrumbs([{ label: 'Password', href: '/password' }]);
  const next = query.get('next');
  const forced = Boolean(next) || session.user?.mustChangePassword;
  const error = h('p', { id: 'password-error', class: 'notice notice-error', role: 'alert', hidden: true });
  const field = (id, label, autocomplete, hint) => [
    h('label', { for: id }, label),
    h('input', { id, type: 'password', required: true, autocomplete, 'aria-describedby': hint ? `${id}-hint` : null }),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
  ];
  const button = h('button', { type: 'submit', class: 'primary' }, 'Change password');
  const form = h('form', { id: 'password-form', class: 'card' },
    h('h1', {}, 'Choose your password'),
    forced ? h('p', { class: 'notice notice-info', role: 'status' }, 'The password you signed in with works only once: choose your own to go on.') : null,
    field('current-password', 'Current password', 'current-password', forced ? 'The one you just signed in with.' : null),
    field('new-password', 'New password', 'new-password', '8 to 72 characters. A few words you will remember are better than a short jumble.'),
    field('new-password-again', 'New password again', 'new-password'),
    error, button);
  const value = id => form.querySelector(`#${id}`).value;
  const fail = (text, focus) => {
    error.textContent = text;
    error.hidden = false;
    form.querySelector(`#${focus}`)?.select();
  };

  form.addEventListener('submit', async event => {
    event.preventDefault();
    error.hidden = true;
    const current = value('current-password'), wanted = value('new-password');
    if (new TextEncoder().encode(wanted).length < 8) return fail('The new password is too short: use at least 8 characters.', 'new-password');
    if (new TextEncoder().encode(wanted).length > 72) return fail('The new password is too long: use at most 72 bytes (about 72 letters).', 'new-password');
    if (wanted !== value('new-password-again')) return fail('The two new passwords differ. Type the same one twice.', 'new-password-again');
    if (wanted === current) return fail('The new password is the same as the current one. Choose another.', 'new-password');
    button.disabled = true;
    try {
      const answer = await api.post('/me/password', { currentPassword: current, newPassword: wanted });
      // Every session ended with the change; the answer opens this one again.
      if (answer?.token) session.set(answer.token, answer.user);
      navigate(next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/password') ? next : '/', { replace: true });
    } catch (failure) {
      fail(failure.status === 403 ? 'The current password is not right. Check it and try again.' : failure.message, failure.status === 403 ? 'current-password' : 'new-password');
    } finally {
      button.disabled = false;
    }
  });
  replace(main, h('section', { class: 'page signin' }, form));
  form.querySelector('#current-password').focus();
  return null;
}
