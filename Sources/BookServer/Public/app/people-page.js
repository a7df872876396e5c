// The book's people (facilitators): members with their roles, and invite links that bring
// newcomers in with a role, expire, and can be revoked.

import { api, newKey, session } from './api.js';
import { setCrumbs } from './crumbs.js';
import { bookNav } from './book-nav.js';
import { formatTime, h, notice, replace } from './dom.js';

const ROLES = [
  ['reader', 'Reader: reads and downloads'],
  ['author', 'Author: writes chapters'],
  ['facilitator', 'Facilitator: shapes the book and brings people in'],
];

function roleSelect(id, chosen, roles = ROLES, label = null) {
  return h('select', { id, 'aria-label': label }, roles.map(([value, text]) => h('option', { value, selected: value === chosen }, text)));
}

export async function peoplePage(main, { book: bookId }) {
  const base = `/books/${encodeURIComponent(bookId)}`;
  const status = h('div', { class: 'page-status', 'aria-live': 'polite' });
  const heading = h('h1', { id: 'book-title' }, 'Loading…');
  const nav = h('div');
  const members = h('ul', { id: 'members', class: 'people-list' });
  const invites = h('ul', { id: 'invites', class: 'people-list' });
  const created = h('div', { id: 'invite-created', 'aria-live': 'polite' });

  const memberName = h('input', { id: 'member-name', required: true, maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const memberForm = h('form', { id: 'member-form', class: 'inline-form' },
    h('label', { for: 'member-name' }, 'User name'), memberName,
    h('label', { for: 'member-role' }, 'Role'), roleSelect('member-role', 'author'),
    h('button', { type: 'submit' }, 'Add member'));
  const inviteForm = h('form', { id: 'invite-form', class: 'inline-form' },
    h('label', { for: 'invite-role' }, 'Role'), roleSelect('invite-role', 'author', ROLES.slice(0, 2)),
    h('label', { for: 'invite-days' }, 'Valid for (days)'),
    h('input', { id: 'invite-days', type: 'number', min: 1, max: 30, value: 5, required: true }),
    h('button', { type: 'submit', class: 'primary' }, 'Create invite link'));

  replace(main, h('section', { class: 'page people-page' }, heading, nav, status,
    h('section', { 'aria-labelledby': 'invites-heading' },
      h('h2', { id: 'invites-heading' }, 'Invite people'),
      h('p', { class: 'hint' }, 'Anyone with the link can join this book with the role you choose, until it expires or you revoke it. ',
        'Newcomers pick a user name and a password; people with an account sign in.'),
      inviteForm, created, invites),
    h('section', { 'aria-labelledby': 'members-heading' },
      h('h2', { id: 'members-heading' }, 'Members'),
      members,
      h('p', { class: 'hint' }, 'You can add by name the people who already share a book with you; everyone else joins with an invite link.'),
      memberForm)));

  let book;
  try {
    book = await api.get(base);
  } catch (failure) {
    heading.textContent = 'This book cannot be opened';
    replace(status, notice(failure.message));
    return null;
  }
  document.title = `People — ${book.title} — Booksprint`;
  setCrumbs([{ label: book.title, href: base }, { label: 'People', href: `${base}/people` }]);
  heading.textContent = book.title;
  replace(nav, bookNav(bookId, book.role, 'people'));
  if (book.role !== 'facilitator') {
    replace(status, notice('Only the book’s facilitators manage its people.', 'info'));
    memberForm.hidden = true;
    inviteForm.hidden = true;
  }

  const say = (text, kind = 'info') => replace(status, notice(text, kind));
  const guarded = action => async (...args) => {
    try { await action(...args); } catch (failure) { say(failure.message, 'error'); }
  };

  async function loadMembers() {
    const { members: list } = await api.get(`${base}/members`);
    const me = session.user?.name;
    replace(members, list.map(member => {
      const select = roleSelect(`role-${member.username}`, member.role, ROLES, `Role of ${member.username}`);
      select.addEventListener('change', async () => {
        try {
          await api.put(`${base}/members/${encodeURIComponent(member.username)}`, { role: select.value }, { key: newKey() });
          say(`${member.username} is now ${select.value === 'author' ? 'an' : 'a'} ${select.value}.`);
          await loadMembers();
        } catch (failure) {
          select.value = member.role;  // the list shows the role the server kept
          say(failure.message, 'error');
        }
      });
      const remove = h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${member.username} from the book` }, 'Remove');
      remove.addEventListener('click', guarded(async () => {
        if (!confirm(`Remove ${member.username} from “${book.title}”? Their writing stays in the book.`)) return;
        await api.delete(`${base}/members/${encodeURIComponent(member.username)}`, { key: newKey() });
        say(`${member.username} no longer has a role in this book.`);
        await loadMembers();
      }));
      return h('li', { class: 'person-row', dataset: { member: member.username } },
        h('span', { class: 'person-name' }, member.username, member.username === me ? ' (you)' : ''),
        book.role === 'facilitator' ? [select, remove] : h('span', { class: 'role' }, member.role));
    }));
  }

  async function loadInvites() {
    if (book.role !== 'facilitator') return;
    const { invites: list } = await api.get(`${base}/invites`);
    const open = list.filter(invite => invite.state !== 'revoked');
    replace(invites, open.length ? open.map(invite => {
      const revoke = h('button', { type: 'button', class: 'link', 'aria-label': `Revoke the ${invite.role} invite made ${formatTime(invite.createdAt)}` }, 'Revoke');
      revoke.addEventListener('click', guarded(async () => {
        await api.delete(`${base}/invites/${encodeURIComponent(invite.id)}`, { key: newKey() });
        say('The invite is revoked: its link no longer works.');
        await loadInvites();
      }));
      const expired = invite.state === 'expired';
      return h('li', { class: 'person-row', dataset: { invite: invite.id, state: invite.state } },
        h('span', { class: 'person-name' }, `${invite.role === 'author' ? 'Author' : 'Reader'} invite by ${invite.createdBy}`),
        h('span', { class: 'hint' }, `${expired ? 'expired' : `expires ${new Date(invite.expires).toLocaleString()}`}`
          + ` · ${invite.uses === 1 ? 'used once' : `used ${invite.uses} times`}`),
        expired ? null : revoke);
    }) : h('li', { class: 'empty' }, 'No open invite.'));
  }

  memberForm.addEventListener('submit', guarded(async event => {
    event.preventDefault();
    const name = memberName.value.trim();
    const role = memberForm.querySelector('#member-role').value;
    await api.put(`${base}/members/${encodeURIComponent(name)}`, { role }, { key: newKey() }).catch(failure => {
      if (failure.status === 404) throw new Error(`No one named “${name}” can be added by name. Send them an invite link instead.`);
      throw failure;
    });
    memberName.value = '';
    say(`${name} joined the book as ${role}.`);
    await loadMembers();
  }));

  inviteForm.addEventListener('submit', guarded(async event => {
    event.preventDefault();
    const role = inviteForm.querySelector('#invite-role').value;
    const expiresInDays = Number(inviteForm.querySelector('#invite-days').value);
    const invite = await api.post(`${base}/invites`, { role, expiresInDays }, { key: newKey() });
    const link = new URL(invite.url, location.origin).href;
    const field = h('input', { id: 'invite-link', readonly: true, value: link, 'aria-label': 'Invite link' });
    const copy = h('button', { type: 'button' }, 'Copy link');
    copy.addEventListener('click', async () => {
      field.select();
      try { await navigator.clipboard.writeText(link); copy.textContent = 'Copied'; } catch { document.execCommand?.('copy'); }
    });
    replace(created, h('div', { class: 'card invite-card' },
      h('p', {}, `Send this link to the people who should join as ${role}s. It is shown only now; it works until ${new Date(invite.expires).toLocaleString()}.`),
      h('div', { class: 'inline-form' }, field, copy)));
    field.focus();
    field.select();
    await loadInvites();
  }));

  await guarded(async () => { await loadMembers(); await loadInvites(); })();
  return null;
}
