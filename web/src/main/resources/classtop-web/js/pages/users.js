// Users (admins only): add, change role, delete. Everyone changes their own password from the account menu.
import { api, seg } from '../api.js';
import { h, fill, placeholder, loading, setText, setAttr } from '../dom.js';
import { notify, busy, confirmAction, textField } from '../ui.js';

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
  return { reload: load };
}
