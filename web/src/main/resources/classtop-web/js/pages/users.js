// Users (admins only): add, change role, delete; API tokens for scripts: create (shown once), list, revoke.
// Everyone changes their own password from the account menu.
import { api, seg } from '../api.js';
import { h, fill, icon, placeholder, loading, setText, setAttr, statusChip } from '../dom.js';
import { notify, busy, confirmAction, openDialog, copyText, textField } from '../ui.js';

export const titleKey = 'nav.users';

export function mount(root, ctx) {
  const me = ctx.session.username;
  const list = h('div', { class: 'table-scroll' }, loading());

  const username = textField('users.username', { name: 'username', autocomplete: 'off',
    dataset: { field: 'new-username' }, maxlength: 64, t: { label: 'users.username', helper: 'users.usernameHelp' } });
  const password = textField('users.password', { name: 'password', type: 'password', 'toggle-password': true,
    minlength: 10, maxlength: 200, autocomplete: 'new-password', dataset: { field: 'new-password' },
    t: { label: 'users.password', helper: 'account.newPasswordHelp' } });
  const role = roleSelect('viewer');
  role.dataset.field = 'new-role';
  const create = h('mdui-button', { variant: 'filled', icon: 'person_add', type: 'submit', i18n: 'users.add',
    dataset: { action: 'add-user' } });
  const error = h('p', { class: 'error-text', role: 'alert' });
  const form = h('form', { class: 'inline-form', novalidate: true }, username, password, role, create);

  root.append(
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { i18n: 'nav.users', tabindex: '-1' }),
      h('p', { class: 'page-sub', i18n: 'users.intro' }))),
    h('mdui-card', { class: 'card', variant: 'outlined' }, h('h2', { class: 'card-title', i18n: 'users.addTitle' }), form, error),
    h('mdui-card', { class: 'card', variant: 'outlined' }, h('h2', { class: 'card-title', i18n: 'users.list' }), list));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!username.value.trim() || password.value.length < 10) {
      setText(error, 'users.fillIn');
      return;
    }
    busy(create, async () => {
      const created = await api('/api/users', { method: 'POST',
        body: { username: username.value.trim(), password: password.value, role: role.value || 'viewer' } });
      username.value = '';
      password.value = '';
      notify(['users.added', { name: created.username }], 'success');
      load();
    }, { onError: (e) => { error.textContent = e.message; } });
  });

  /** A role picker: labelled in the form; in the table the column names it (and its aria-label the user). */
  function roleSelect(value, inTable = false) {
    return h('mdui-select', { variant: 'outlined', value, t: inTable ? {} : { label: 'users.role' },
      class: inTable ? 'role-select compact' : 'role-select' },
    ['viewer', 'admin'].map((r) => h('mdui-menu-item', { value: r, i18n: `role.${r}` })));
  }

  async function load() {
    try {
      const users = await api('/api/users', { signal: ctx.signal });
      fill(list, h('table', { class: 'data-table', dataset: { table: 'users' } },
        h('thead', {}, h('tr', {}, ['users.username', 'users.role', 'users.created', 'users.state', 'common.actions']
          .map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, users.map((user) => userRow(user)))));
    } catch (error) {
      if (error.name !== 'AbortError') fill(list, placeholder({ text: error.message }, { error: true }));
    }
  }

  function userRow(user) {
    const self = user.username === me;
    let roleCell;
    if (self) {
      roleCell = h('span', {}, h('span', { i18n: `role.${user.role}` }), ' ', h('span', { class: 'muted', i18n: 'users.you' }));
    } else {
      const select = roleSelect(user.role, true);
      select.dataset.action = 'change-role';
      setAttr(select, 'aria-label', ['users.roleOf', { name: user.username }]);
      select.addEventListener('change', async () => {
        if (!select.value || select.value === user.role) return;
        const wanted = select.value;
        select.disabled = true;
        try {
          await api(`/api/users/${seg(user.username)}`, { method: 'PATCH', body: { role: wanted } });
          user.role = wanted;
          notify(['users.roleChanged', { name: user.username }], 'success');
        } catch (e) {
          notify(e.message, 'error');
          select.value = user.role;
        } finally {
          select.disabled = false;
        }
      });
      roleCell = select;
    }
    const remove = self ? null : h('mdui-button-icon', { icon: 'delete_outline', class: 'danger', dataset: { action: 'delete-user' },
      t: { 'aria-label': ['users.deleteName', { name: user.username }] },
      on: { click: (e) => deleteUser(e.currentTarget, user) } });
    return h('tr', { dataset: { username: user.username } },
      h('td', { text: user.username }),
      h('td', {}, roleCell),
      h('td', {}, h('span', { time: user.created_at })),
      h('td', { i18n: user.disabled ? 'users.disabled' : 'users.enabled' }),
      h('td', {}, remove));
  }

  async function deleteUser(button, user) {
    const ok = await confirmAction({ headline: ['users.deleteTitle', { name: user.username }], description: 'users.deleteText',
      confirm: 'users.delete', danger: true });
    if (!ok) return;
    await busy(button, async () => {
      await api(`/api/users/${seg(user.username)}`, { method: 'DELETE' });
      notify(['users.deleted', { name: user.username }], 'success');
      load();
    });
  }

  load();
  const tokens = mountApiTokens(root, ctx, roleSelect);
  return { reload() { load(); tokens.load(); } };
}

const TOKEN_EXPIRIES = [
  { value: '86400', key: 'apiTokens.expires.day' },
  { value: '2592000', key: 'apiTokens.expires.month' },
  { value: '7776000', key: 'apiTokens.expires.quarter' },
  { value: '31536000', key: 'apiTokens.expires.year' },
  { value: 'never', key: 'apiTokens.expires.never' },
];

/** API tokens for scripts and monitoring: the token is shown once, in a dialog with a copy button. */
function mountApiTokens(root, ctx, roleSelect) {
  const name = textField('apiTokens.name', { name: 'api-token-name', maxlength: 128, class: 'grow-field', autocomplete: 'off',
    dataset: { field: 'api-token-name' }, t: { label: 'apiTokens.name', helper: 'apiTokens.nameHelp' } });
  const role = roleSelect('viewer');
  role.dataset.field = 'api-token-role';
  const expires = h('mdui-select', { variant: 'outlined', value: '7776000', name: 'api-token-expires',
    dataset: { field: 'api-token-expires' }, t: { label: 'apiTokens.expiresIn' } },
  TOKEN_EXPIRIES.map((e) => h('mdui-menu-item', { value: e.value, i18n: e.key })));
  const create = h('mdui-button', { variant: 'filled', icon: 'key', type: 'submit', dataset: { action: 'create-api-token' },
    i18n: 'apiTokens.create' });
  const error = h('p', { class: 'error-text', role: 'alert' });
  const form = h('form', { class: 'inline-form', novalidate: true }, name, role, expires, create);
  const list = h('div', { class: 'table-scroll' }, loading());
  root.append(h('mdui-card', { class: 'card', variant: 'outlined', dataset: { card: 'api-tokens' } },
    h('h2', { class: 'card-title', i18n: 'apiTokens.title' }),
    h('p', { class: 'card-sub', i18n: 'apiTokens.hint' }),
    form, error, list));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!name.value.trim()) {
      setText(error, 'apiTokens.needName');
      name.focus();
      return;
    }
    const body = { name: name.value.trim(), role: role.value || 'viewer' };
    if (expires.value && expires.value !== 'never') body.expires_in = Number(expires.value);
    busy(create, async () => {
      const created = await api('/api/tokens', { method: 'POST', body });
      name.value = '';
      showToken(created);
      load();
    }, { onError: (e) => { error.textContent = e.message; } });
  });

  function showToken(created) {
    const field = textField('apiTokens.token', { readonly: true, class: 'token-field mono-field', dataset: { field: 'new-api-token' } });
    field.value = created.token;
    const example = `curl -H "Authorization: Bearer ${created.token}" ${location.origin}/api/clients/`;
    openDialog(h('div', { class: 'form-stack' },
      h('p', { class: 'warning-text', role: 'alert' }, icon('warning'), ' ', setText(h('span'), 'apiTokens.onlyOnce')),
      h('div', { class: 'copy-line' }, field,
        h('mdui-button', { variant: 'tonal', icon: 'content_copy', i18n: 'common.copy', dataset: { action: 'copy-api-token' },
          on: { click: () => copyText(created.token, field) } })),
      h('p', { class: 'card-sub', i18n: 'apiTokens.useToken' }),
      h('pre', { class: 'json', text: example })),
    { headline: 'apiTokens.created', className: 'api-token-dialog' });
  }

  async function load() {
    try {
      const rows = await api('/api/tokens', { signal: ctx.signal });
      if (rows.length === 0) {
        fill(list, placeholder('apiTokens.none'));
        return;
      }
      const now = Date.now();
      fill(list, h('table', { class: 'data-table', dataset: { table: 'api-tokens' } },
        h('thead', {}, h('tr', {}, ['apiTokens.name', 'users.role', 'apiTokens.createdCol', 'apiTokens.expires',
          'apiTokens.lastUsed', 'apiTokens.state', 'common.actions'].map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, rows.map((row) => {
          const state = row.revoked ? 'revoked' : row.expires_at && Date.parse(row.expires_at) <= now ? 'expired' : 'active';
          const revoke = state === 'active' ? h('mdui-button', { variant: 'text', icon: 'block', class: 'danger',
            i18n: 'apiTokens.revoke', dataset: { action: 'revoke-api-token' },
            t: { 'aria-label': ['apiTokens.revokeName', { name: row.name }] },
            on: { click: (e) => revokeToken(e.currentTarget, row) } }) : null;
          return h('tr', { dataset: { tokenId: row.id, state } },
            h('td', { text: row.name }),
            h('td', { i18n: `role.${row.role}` }),
            h('td', {}, h('span', { time: row.created_at }), row.created_by
              ? h('div', { class: 'muted', i18n: ['apiTokens.by', { name: row.created_by }] }) : null),
            h('td', {}, row.expires_at ? h('span', { time: row.expires_at }) : h('span', { i18n: 'apiTokens.expires.never' })),
            h('td', {}, row.last_used_at ? h('span', { time: row.last_used_at, timeStyle: 'relative' })
              : h('span', { class: 'muted', i18n: 'apiTokens.neverUsed' })),
            h('td', {}, statusChip(state)),
            h('td', {}, revoke));
        }))));
    } catch (e) {
      if (e.name !== 'AbortError') fill(list, placeholder({ text: e.message }, { error: true }));
    }
  }

  async function revokeToken(button, row) {
    const ok = await confirmAction({ headline: ['apiTokens.revokeTitle', { name: row.name }],
      description: 'apiTokens.revokeText', confirm: 'apiTokens.revoke', danger: true });
    if (!ok) return;
    await busy(button, async () => {
      await api(`/api/tokens/${seg(row.id)}`, { method: 'DELETE' });
      notify(['apiTokens.revoked', { name: row.name }], 'success');
      load();
    });
  }

  load();
  return { load };
}
