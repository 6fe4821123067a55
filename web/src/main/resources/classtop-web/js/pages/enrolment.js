// Enrolment: agents waiting for approval (live) and enrolment tokens (created, shown once, revoked).
import { api, seg } from '../api.js';
import { h, fill, icon, statusChip, mono, placeholder, loading, setText } from '../dom.js';
import { t } from '../i18n.js';
import { loadClients, allClients, clientName, subscribe, upsertClient } from '../clients.js';
import { decideEnrolment } from '../actions.js';
import { notify, busy, confirmAction, openDialog, copyText, textField } from '../ui.js';

export const titleKey = 'nav.enrolment';

const EXPIRIES = [
  { value: '3600', key: 'enrolment.expires.hour' },
  { value: '86400', key: 'enrolment.expires.day' },
  { value: '604800', key: 'enrolment.expires.week' },
  { value: '2592000', key: 'enrolment.expires.month' },
  { value: '31536000', key: 'enrolment.expires.year' },
];

export function mount(root, ctx) {
  const admin = ctx.isAdmin;
  const mode = h('p', { class: 'page-sub' });
  const pendingBody = h('div', { class: 'table-scroll' }, loading());
  root.append(
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { i18n: 'nav.enrolment', tabindex: '-1' }), mode)),
    h('mdui-card', { class: 'card', variant: 'outlined' },
      h('h2', { class: 'card-title', i18n: 'enrolment.pending' }), pendingBody));

  // -- pending agents (the client list's pending ones, live)
  let pendingLoaded = false;
  let shown = null;
  function renderPending() {
    if (!pendingLoaded) return;
    const pending = allClients().filter((c) => c.enrollment === 'pending')
      .sort((a, b) => (a.first_seen || '').localeCompare(b.first_seen || ''));
    // Re-render only when what is shown changes (a re-render would take the keyboard focus away).
    const signature = JSON.stringify(pending.map((c) => [c.uuid, c.name, c.online, c.ip_address]));
    if (signature === shown) return;
    shown = signature;
    if (pending.length === 0) {
      fill(pendingBody, placeholder('enrolment.noPending'));
      return;
    }
    fill(pendingBody, h('table', { class: 'data-table', dataset: { table: 'pending' } },
      h('thead', {}, h('tr', {}, ['clients.col.name', 'clients.col.ip', 'enrolment.connection', 'enrolment.firstSeen']
        .map((k) => h('th', { scope: 'col', i18n: k })), admin ? h('th', { scope: 'col', i18n: 'common.actions' }) : null)),
      h('tbody', {}, pending.map((client) => h('tr', { dataset: { uuid: client.uuid } },
        h('td', { class: 'col-name' }, h('a', { href: `#/clients/${encodeURIComponent(client.uuid)}`, text: clientName(client) }),
          mono(client.uuid, 'div')),
        h('td', { class: 'mono', text: client.ip_address || '—' }),
        h('td', {}, statusChip(client.online ? 'online' : 'offline')),
        h('td', {}, h('span', { time: client.first_seen, timeStyle: 'relative' })),
        admin ? h('td', { class: 'row-actions' },
          h('mdui-button', { variant: 'filled', icon: 'check', dataset: { action: 'approve' }, i18n: 'enrolment.approve',
            t: { 'aria-label': ['enrolment.approveName', { name: clientName(client) }] },
            on: { click: (e) => decideEnrolment(e.currentTarget, client, 'approve') } }),
          h('mdui-button', { variant: 'outlined', icon: 'block', class: 'danger', dataset: { action: 'reject' }, i18n: 'enrolment.reject',
            t: { 'aria-label': ['enrolment.rejectName', { name: clientName(client) }] },
            on: { click: (e) => decideEnrolment(e.currentTarget, client, 'reject') } })) : null)))));
  }

  async function loadPending() {
    try {
      await loadClients();
      for (const client of await api('/api/clients/pending', { signal: ctx.signal })) upsertClient(client);
      pendingLoaded = true;
      renderPending();
    } catch (error) {
      if (error.name !== 'AbortError') fill(pendingBody, placeholder({ text: error.message }, { error: true }));
    }
  }

  async function loadMode() {
    try {
      const status = await api('/api/system/status', { signal: ctx.signal });
      setText(mode, [`enrolment.modeHint.${status.enrollment}`, { mode: t(`enrolment.mode.${status.enrollment}`) }]);
    } catch (error) {
      if (error.name !== 'AbortError') mode.textContent = error.message;
    }
  }

  const unsubscribe = subscribe(renderPending);
  ctx.signal.addEventListener('abort', unsubscribe);
  loadMode();
  loadPending();

  // -- enrolment tokens (admins only: the API refuses the list to viewers)
  const tokens = admin ? mountTokens(root, ctx) : null;

  return {
    reload() {
      loadMode();
      loadPending();
      tokens?.load();
    },
  };
}

function mountTokens(root, ctx) {
  const name = textField('enrolment.tokenName', { name: 'token-name', maxlength: 128, class: 'grow-field',
    dataset: { field: 'token-name' }, t: { label: 'enrolment.tokenName', helper: 'enrolment.tokenNameHelp' } });
  const expires = h('mdui-select', { variant: 'outlined', value: '604800', name: 'expires', dataset: { field: 'token-expires' },
    t: { label: 'enrolment.expiresIn' } },
  EXPIRIES.map((e) => h('mdui-menu-item', { value: e.value, i18n: e.key })));
  const create = h('mdui-button', { variant: 'filled', icon: 'key', type: 'submit', dataset: { action: 'create-token' },
    i18n: 'enrolment.createToken' });
  const form = h('form', { class: 'inline-form', novalidate: true }, name, expires, create);
  const list = h('div', { class: 'table-scroll' }, loading());
  root.append(h('mdui-card', { class: 'card', variant: 'outlined' },
    h('h2', { class: 'card-title', i18n: 'enrolment.tokens' }),
    h('p', { class: 'card-sub', i18n: 'enrolment.tokensHint' }),
    form, list));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      notify(['enrolment.needName'], 'error');
      name.focus();
      return;
    }
    const body = { name: name.value.trim() };
    if (expires.value) body.expires_in = Number(expires.value);
    busy(create, async () => {
      const created = await api('/api/enrollment/tokens', { method: 'POST', body });
      name.value = '';
      showToken(created);
      load();
    });
  });

  function showToken(created) {
    const field = textField('enrolment.token', { readonly: true, class: 'token-field mono-field', dataset: { field: 'new-token' } });
    field.value = created.token;
    const command = `bin/classtop-agent --server ${location.origin} --token ${created.token}`;
    openDialog(h('div', { class: 'form-stack' },
      h('p', { class: 'warning-text', role: 'alert' }, icon('warning'), ' ', setText(h('span'), 'enrolment.onlyOnce')),
      h('div', { class: 'copy-line' }, field,
        h('mdui-button', { variant: 'tonal', icon: 'content_copy', i18n: 'common.copy', dataset: { action: 'copy-token' },
          on: { click: () => copyText(created.token, field) } })),
      h('p', { class: 'card-sub', i18n: 'enrolment.useToken' }),
      h('pre', { class: 'json', text: command })),
    { headline: 'enrolment.tokenCreated', className: 'token-dialog' });
  }

  async function load() {
    try {
      const rows = await api('/api/enrollment/tokens', { signal: ctx.signal });
      if (rows.length === 0) {
        fill(list, placeholder('enrolment.noTokens'));
        return;
      }
      const now = Date.now();
      fill(list, h('table', { class: 'data-table', dataset: { table: 'tokens' } },
        h('thead', {}, h('tr', {}, ['enrolment.tokenName', 'enrolment.created', 'enrolment.expires', 'enrolment.used',
          'enrolment.createdBy', 'enrolment.tokenState', 'common.actions'].map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, rows.map((row) => {
          const state = row.revoked ? 'revoked' : row.expires_at && Date.parse(row.expires_at) < now ? 'expired' : 'active';
          const revoke = state === 'active' ? h('mdui-button', { variant: 'text', icon: 'block', class: 'danger',
            i18n: 'enrolment.revoke', dataset: { action: 'revoke' },
            t: { 'aria-label': ['enrolment.revokeName', { name: row.name }] },
            on: { click: (e) => revokeToken(e.currentTarget, row) } }) : null;
          return h('tr', { dataset: { tokenId: row.id, state } },
            h('td', { text: row.name }),
            h('td', {}, h('span', { time: row.created_at })),
            h('td', {}, row.expires_at ? h('span', { time: row.expires_at }) : h('span', { i18n: 'enrolment.expires.never' })),
            h('td', { text: String(row.used_count ?? 0) }),
            h('td', { text: row.created_by || '—' }),
            h('td', {}, statusChip(state)),
            h('td', {}, revoke));
        }))));
    } catch (error) {
      if (error.name !== 'AbortError') fill(list, placeholder({ text: error.message }, { error: true }));
    }
  }

  async function revokeToken(button, row) {
    const ok = await confirmAction({ headline: ['enrolment.revokeTitle', { name: row.name }],
      description: 'enrolment.revokeText', confirm: 'enrolment.revoke', danger: true });
    if (!ok) return;
    await busy(button, async () => {
      await api(`/api/enrollment/tokens/${seg(row.id)}`, { method: 'DELETE' });
      notify(['enrolment.revoked', { name: row.name }], 'success');
      load();
    });
  }

  load();
  return { load };
}
