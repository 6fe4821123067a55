// Audit log (admins only): who changed what, when and from where; filters (user, action, time range) and paging.
import { api } from '../api.js';
import { h, fill, icon, mono, placeholder, loading, setText, throttle } from '../dom.js';
import { t, hasKey } from '../i18n.js';
import { busy, textField } from '../ui.js';

export const titleKey = 'nav.audit';

const PAGE = 50;

/** Readable names of the platform's own actions (method and route template); plugins' come from the API document. */
const ACTIONS = {
  'POST /api/auth/login': 'audit.action.signIn',
  'POST /api/auth/logout': 'audit.action.signOut',
  'POST /api/auth/password': 'audit.action.ownPassword',
  'POST /api/users': 'audit.action.userCreate',
  'PATCH /api/users/{username}': 'audit.action.userUpdate',
  'DELETE /api/users/{username}': 'audit.action.userDelete',
  'POST /api/clients/{uuid}/approve': 'audit.action.approve',
  'POST /api/clients/{uuid}/reject': 'audit.action.reject',
  'DELETE /api/clients/{uuid}': 'audit.action.forget',
  'POST /api/clients/{uuid}/command': 'audit.action.command',
  'POST /api/enrollment/tokens': 'audit.action.enrolmentTokenCreate',
  'DELETE /api/enrollment/tokens/{id}': 'audit.action.enrolmentTokenRevoke',
  'POST /api/tokens': 'audit.action.apiTokenCreate',
  'DELETE /api/tokens/{id}': 'audit.action.apiTokenRevoke',
  'PUT /api/settings/{uuid}/{key}': 'audit.action.settingSet',
  'DELETE /api/settings/{uuid}/{key}': 'audit.action.settingDelete',
  'POST /api/settings/{uuid}/batch': 'audit.action.settingsBatch',
  'POST /api/settings/batch': 'audit.action.settingsBatchMany',
};

export function mount(root, ctx) {
  const filters = { user: '', action: '', from: '', to: '' };
  let cursors = []; // `before` of each page shown before this one
  let before = null;
  let rows = [];
  let summaries = {}; // action -> the route's summary in the API document (plugins' actions)

  const userField = textField('audit.user', { type: 'search', clearable: true, class: 'filter-field', autocomplete: 'off',
    dataset: { field: 'audit-user' }, t: { label: 'audit.user', helper: 'audit.userHelp' } });
  const actionSelect = h('mdui-select', { variant: 'outlined', value: '', class: 'filter-field', clearable: true,
    dataset: { field: 'audit-action' }, t: { label: 'audit.actionFilter' } });
  const fromField = textField('audit.from', { type: 'datetime-local', class: 'filter-field', dataset: { field: 'audit-from' } });
  const toField = textField('audit.to', { type: 'datetime-local', class: 'filter-field', dataset: { field: 'audit-to' } });
  const body = h('div', { class: 'table-scroll' }, loading());
  const newer = h('mdui-button', { variant: 'text', icon: 'chevron_left', i18n: 'history.newer', dataset: { action: 'newer' } });
  const older = h('mdui-button', { variant: 'text', 'end-icon': 'chevron_right', i18n: 'history.older', dataset: { action: 'older' } });
  const refresh = h('mdui-button-icon', { icon: 'refresh', dataset: { action: 'refresh-audit' }, t: { 'aria-label': 'common.refresh' } });

  root.append(
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { i18n: 'nav.audit', tabindex: '-1' }),
      h('p', { class: 'page-sub', i18n: 'audit.intro' }))),
    h('mdui-card', { class: 'card', variant: 'outlined' },
      h('div', { class: 'card-head' }, h('h2', { class: 'card-title', i18n: 'audit.title' }), refresh),
      h('div', { class: 'toolbar' }, userField, actionSelect, fromField, toField),
      body,
      h('div', { class: 'table-footer' }, newer, older)));

  const refilter = throttle(() => { resetPaging(); load(); }, 400);
  userField.addEventListener('input', () => { filters.user = userField.value.trim(); refilter(); });
  userField.addEventListener('clear', () => { filters.user = ''; refilter(); });
  actionSelect.addEventListener('change', () => { filters.action = actionSelect.value || ''; resetPaging(); load(); });
  fromField.addEventListener('change', () => { filters.from = isoOf(fromField.value); resetPaging(); load(); });
  toField.addEventListener('change', () => { filters.to = isoOf(toField.value); resetPaging(); load(); });
  newer.addEventListener('click', () => { before = cursors.pop() ?? null; load(newer); });
  older.addEventListener('click', () => {
    if (rows.length === 0) return;
    cursors.push(before);
    before = rows[rows.length - 1].id;
    load(older);
  });
  refresh.addEventListener('click', () => { resetPaging(); load(refresh); });

  function resetPaging() {
    cursors = [];
    before = null;
  }

  /** A datetime-local value (the browser's time zone) as an ISO instant; '' when empty or unreadable. */
  function isoOf(value) {
    const time = value ? new Date(value) : null;
    return time && !Number.isNaN(time.getTime()) ? time.toISOString() : '';
  }

  async function load(button) {
    const params = new URLSearchParams({ limit: String(PAGE) });
    for (const key of ['user', 'action', 'from', 'to']) {
      if (filters[key]) params.set(key, filters[key]);
    }
    if (before != null) params.set('before', String(before));
    await busy(button, async () => {
      try {
        rows = await api(`/api/audit?${params}`, { signal: ctx.signal });
        render();
      } catch (error) {
        if (error.name !== 'AbortError') fill(body, placeholder({ text: error.message }, { error: true }));
      }
    });
  }

  function render() {
    newer.disabled = cursors.length === 0 && before == null;
    older.disabled = rows.length < PAGE;
    if (rows.length === 0) {
      fill(body, placeholder('audit.none'));
      return;
    }
    fill(body, h('table', { class: 'data-table audit-table', dataset: { table: 'audit' } },
      h('thead', {}, h('tr', {}, ['audit.time', 'audit.user', 'audit.action', 'audit.detail', 'audit.address', 'audit.outcome']
        .map((k) => h('th', { scope: 'col', i18n: k })))),
      h('tbody', {}, rows.map((row) => h('tr', { dataset: { auditId: row.id, action: row.action, status: row.status } },
        h('td', {}, h('span', { time: row.at })),
        h('td', {}, h('div', { text: row.user || '—' }), h('div', { class: 'muted', i18n: authKey(row.auth) })),
        h('td', {}, actionLabel(row)),
        h('td', { class: 'audit-detail' }, detailText(row)),
        h('td', { class: 'mono', text: row.address || '—' }),
        h('td', {}, outcome(row.status)))))));
  }

  function authKey(auth) {
    const key = `audit.auth.${auth}`;
    return hasKey(key) ? key : 'audit.auth.unknown';
  }

  /** The readable action: ours translated, a plugin's by its route summary, else the method and route. */
  function actionLabel(row) {
    const key = row.action === 'POST /api/auth/login' && row.status === 401 ? 'audit.action.signInFailed' : ACTIONS[row.action];
    const label = key ? setText(h('div'), key) : h('div', { text: summaries[row.action] || row.action });
    return [label, h('div', { class: 'muted mono', text: `${row.method} ${row.path}` })];
  }

  function detailText(row) {
    const entries = Object.entries(row.detail || {});
    if (entries.length === 0) return '—';
    return entries.map(([key, value]) => h('div', {}, h('span', { class: 'muted', text: `${key}: ` }), mono(String(value))));
  }

  function outcome(status) {
    const ok = status >= 200 && status < 300;
    return h('span', { class: `status status-${ok ? 'ok' : 'failed'}`, dataset: { status: ok ? 'ok' : 'failed' } },
      icon(ok ? 'check_circle' : 'error'), h('span', { text: `${status} ${t(ok ? 'status.ok' : 'status.failed')}` }));
  }

  /** The action filter: every state-changing route of the API document, named like the table names it. */
  async function loadActions() {
    try {
      const response = await fetch('/openapi.json', { credentials: 'same-origin', signal: ctx.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const doc = await response.json(); // the document itself, not an envelope
      const options = [];
      for (const [path, item] of Object.entries(doc.paths || {})) {
        for (const [method, op] of Object.entries(item)) {
          if (method === 'get') continue;
          const action = `${method.toUpperCase()} ${path}`;
          summaries[action] = op.summary;
          options.push(action);
        }
      }
      options.sort((a, b) => optionText(a).localeCompare(optionText(b)));
      fill(actionSelect, options.map((action) => {
        const key = ACTIONS[action];
        const item = h('mdui-menu-item', { value: action, dataset: { action } });
        return key ? setText(item, key) : fill(item, summaries[action] || action);
      }));
      if (rows.length) render();
    } catch (error) {
      if (error.name !== 'AbortError') actionSelect.disabled = true;
    }
  }

  function optionText(action) {
    return ACTIONS[action] ? t(ACTIONS[action]) : summaries[action] || action;
  }

  loadActions();
  load();
  return { reload() { load(); } };
}
