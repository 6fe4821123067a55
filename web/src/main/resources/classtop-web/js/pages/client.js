// One client: details (live), reported state, connections, its commands, and one tab per client-detail panel
// whose when_client_has matches the client's capabilities.
import { api, seg } from '../api.js';
import { h, fill, icon, statusChip, mono, placeholder, loading, setText, throttle, fact, setLastSeen } from '../dom.js';
import { loadClients, getClient, clientName, clientStatus, subscribe, upsertClient } from '../clients.js';
import { panelsOf, panelAppliesTo, createPanel, panelTitleText, panelId } from '../panels.js';
import { notifyError, copyText, card } from '../ui.js';
import { decideEnrolment, forgetClient, reenrolClient } from '../actions.js';
import { openConsoleWith } from './console.js';
import { hasKey } from '../i18n.js';

export const titleKey = 'client.title';

export function mount(root, ctx) {
  const uuid = ctx.params.uuid;
  const admin = ctx.isAdmin;
  let client = null;
  let detailPanels = [];
  let shownTabs = '';
  const mountedPanels = new Map(); // panel id -> element

  const heading = h('h1', { class: 'client-name', tabindex: '-1' });
  const headStatus = h('span', { class: 'head-status' });
  const actions = h('div', { class: 'head-actions' });
  const notice = h('div', { class: 'notice', hidden: true, role: 'status' });
  const tabs = h('mdui-tabs', { value: 'overview', class: 'client-tabs', 'full-width': false });
  const overview = h('div', { class: 'overview' }, loading());
  const connections = h('div', { class: 'table-scroll' }, loading());
  const commands = h('div', { class: 'table-scroll' }, loading());

  tabs.append(
    tabButton('overview', 'client.tab.overview', 'info'),
    tabButton('connections', 'client.tab.connections', 'history'),
    tabButton('commands', 'client.tab.commands', 'terminal'),
    h('mdui-tab-panel', { slot: 'panel', value: 'overview' }, overview),
    h('mdui-tab-panel', { slot: 'panel', value: 'connections' }, card('client.tab.connections', connections)),
    h('mdui-tab-panel', { slot: 'panel', value: 'commands' }, card('client.recentCommands', commands)));
  tabs.addEventListener('change', (event) => {
    if (event.target !== tabs) return;
    showTab(tabs.value);
    const url = `#/clients/${encodeURIComponent(uuid)}${tabs.value === 'overview' ? '' : `?tab=${encodeURIComponent(tabs.value)}`}`;
    history.replaceState(null, '', url);
  });

  root.append(
    h('nav', { class: 'breadcrumb', t: { 'aria-label': 'client.breadcrumb' } },
      h('a', { href: '#/clients' }, icon('arrow_back'), setText(h('span'), 'nav.clients'))),
    h('div', { class: 'page-header client-header' }, h('div', { class: 'client-title' }, heading, headStatus), actions),
    notice,
    tabs);

  function tabButton(value, labelKey, iconName) {
    return h('mdui-tab', { value, icon: iconName, dataset: { tab: value } }, setText(h('span'), labelKey));
  }

  // -- header and overview (re-rendered on every change of this client)

  function renderHead() {
    heading.textContent = clientName(client);
    ctx.setTitle(null, clientName(client));
    const status = clientStatus(client);
    fill(headStatus, statusChip(status));
    fill(actions);
    if (!admin) return;
    if (status === 'pending') {
      actions.append(
        h('mdui-button', { variant: 'filled', icon: 'check', i18n: 'enrolment.approve', dataset: { action: 'approve' },
          on: { click: (e) => decideEnrolment(e.currentTarget, client, 'approve') } }),
        h('mdui-button', { variant: 'outlined', icon: 'block', class: 'danger', i18n: 'enrolment.reject', dataset: { action: 'reject' },
          on: { click: (e) => decideEnrolment(e.currentTarget, client, 'reject') } }));
    } else if (status === 'online') {
      actions.append(h('mdui-button', { variant: 'filled', icon: 'terminal', i18n: 'clients.sendCommand',
        dataset: { action: 'send-command' }, on: { click: () => openConsoleWith([uuid]) } }));
    }
    if (status !== 'pending') {
      actions.append(h('mdui-button', { variant: 'outlined', icon: 'restart_alt', class: 'danger', i18n: 'clients.reenrol',
        dataset: { action: 're-enroll' }, on: { click: (e) => reenrolClient(e.currentTarget, client) } }));
    }
    if (status !== 'online') {
      actions.append(h('mdui-button', { variant: 'outlined', icon: 'delete_outline', class: 'danger', i18n: 'clients.forgetConfirm',
        dataset: { action: 'forget' },
        on: { click: async (e) => { if (await forgetClient(e.currentTarget, client)) location.hash = '#/clients'; } } }));
    }
  }

  function renderOverview() {
    const copy = h('mdui-button-icon', { icon: 'content_copy', class: 'small-icon', dataset: { action: 'copy-uuid' },
      t: { 'aria-label': 'client.copyUuid' }, on: { click: () => copyText(uuid) } });
    const facts = h('dl', { class: 'facts', dataset: { facts: 'client' } },
      fact('client.name', client.name || '—'),
      fact('client.uuid', h('span', { class: 'uuid-line' }, mono(uuid), copy)),
      fact('client.ip', client.ip_address ? mono(client.ip_address) : '—'),
      fact('client.status', statusChip(clientStatus(client))),
      fact('client.enrollment', h('span', { i18n: `enrolment.state.${client.enrollment || 'approved'}` })),
      fact('client.type', hasKey(`client.typeValue.${client.client_type}`)
        ? setText(h('span'), `client.typeValue.${client.client_type}`) : client.client_type || '—'),
      fact('client.agentVersion', client.agent_version || '—'),
      fact('client.firstSeen', h('span', { time: client.first_seen })),
      fact('client.lastSeen', setLastSeen(h('span', { dataset: { field: 'last-seen' } }), client)));
    const capabilities = (client.capabilities || []).length === 0 ? placeholder('client.noCapabilities')
      : h('div', { class: 'chip-row', dataset: { list: 'capabilities' } },
        client.capabilities.map((c) => h('span', { class: 'tag mono', text: c })));
    fill(overview,
      h('div', { class: 'grid-2' },
        card('client.details', facts),
        h('mdui-card', { class: 'card', variant: 'outlined' },
          h('h2', { class: 'card-title', i18n: 'client.capabilities' }), capabilities,
          h('h2', { class: 'card-title spaced', i18n: 'client.state' }), stateView(client.state))));
  }

  /** The reported state as readable key/values: one section per top-level key. */
  function stateView(state) {
    if (!state || typeof state !== 'object' || Object.keys(state).length === 0) return placeholder('client.noState');
    return h('div', { class: 'state', dataset: { state: 'reported' } }, Object.entries(state).map(([section, value]) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
        return h('section', { class: 'state-section', dataset: { stateSection: section } },
          h('h3', { class: 'state-title', text: section }),
          entries.length === 0 ? placeholder('client.emptySection')
            : h('dl', { class: 'facts compact' }, entries.map(([k, v]) => [h('dt', { class: 'mono', text: k }),
              h('dd', { dataset: { stateKey: `${section}.${k}` } }, displayValue(v))])));
      }
      return h('dl', { class: 'facts compact' }, h('dt', { class: 'mono', text: section }), h('dd', {}, displayValue(value)));
    }));
  }

  // -- tabs of plugins' panels

  function renderPanelTabs() {
    const applicable = detailPanels.filter((panel) => panelAppliesTo(panel, client));
    const signature = applicable.map(panelId).join('|');
    if (signature === shownTabs) return;
    shownTabs = signature;
    for (const old of tabs.querySelectorAll('[data-panel-tab]')) old.remove();
    for (const panel of applicable) {
      const value = tabValue(panel);
      tabs.insertBefore(h('mdui-tab', { value, icon: 'extension', dataset: { panelTab: panelId(panel) } },
        panelTitleText(panel)), tabs.querySelector('mdui-tab-panel'));
      const holder = h('mdui-tab-panel', { slot: 'panel', value, dataset: { panelTab: panelId(panel) } });
      const mounted = mountedPanels.get(panelId(panel));
      if (mounted) holder.append(mounted);
      tabs.append(holder);
    }
    const wanted = ctx.query.tab;
    if (wanted && tabs.querySelector(`mdui-tab[value="${CSS.escape(wanted)}"]`) && tabs.value !== wanted) {
      tabs.value = wanted;
      showTab(wanted);
    } else if (!tabs.querySelector(`mdui-tab[value="${CSS.escape(tabs.value)}"]`)) {
      tabs.value = 'overview';
    }
  }

  /** Panels are created when their tab is first shown, then kept (they may hold unsaved input). */
  async function showTab(value) {
    const panel = detailPanels.find((p) => tabValue(p) === value);
    if (!panel || mountedPanels.has(panelId(panel))) return;
    const holder = tabs.querySelector(`mdui-tab-panel[value="${CSS.escape(value)}"]`);
    mountedPanels.set(panelId(panel), null);
    holder.append(loading());
    const element = await createPanel(panel, { 'client-uuid': uuid });
    mountedPanels.set(panelId(panel), element);
    fill(holder, element);
  }

  // -- lists

  async function loadConnections() {
    try {
      const rows = await api(`/api/clients/${seg(uuid)}/connections?limit=50`, { signal: ctx.signal });
      if (rows.length === 0) {
        fill(connections, placeholder('client.noConnections'));
        return;
      }
      fill(connections, h('table', { class: 'data-table', dataset: { table: 'connections' } },
        h('thead', {}, h('tr', {}, ['client.conn.event', 'client.conn.time', 'client.ip', 'client.conn.detail']
          .map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, rows.map((row) => h('tr', {},
          h('td', {}, h('span', { class: `conn conn-${row.event}`, i18n: `client.conn.${row.event}` })),
          h('td', {}, h('span', { time: row.at })),
          h('td', { class: 'mono', text: row.ip_address || '—' }),
          h('td', { text: row.detail || '' }))))));
    } catch (error) {
      if (error.name !== 'AbortError') fill(connections, placeholder({ text: error.message }, { error: true }));
    }
  }

  async function loadCommands() {
    try {
      const rows = await api(`/api/commands?client=${seg(uuid)}&limit=25`, { signal: ctx.signal });
      if (rows.length === 0) {
        fill(commands, placeholder('dashboard.noCommands'));
        return;
      }
      fill(commands, h('table', { class: 'data-table', dataset: { table: 'client-commands' } },
        h('thead', {}, h('tr', {}, ['history.time', 'history.commandCol', 'history.statusCol', 'history.duration', 'history.by']
          .map((k) => h('th', { scope: 'col', i18n: k })))),
        h('tbody', {}, rows.map((row) => h('tr', { dataset: { commandId: row.id } },
          h('td', {}, h('span', { time: row.sent_at })),
          h('td', {}, mono(row.command), row.error ? h('div', { class: 'item-error', text: row.error }) : null),
          h('td', {}, statusChip(row.status)),
          durationCell(row.duration_ms),
          h('td', { text: row.requested_by || '—' }))))));
    } catch (error) {
      if (error.name !== 'AbortError') fill(commands, placeholder({ text: error.message }, { error: true }));
    }
  }

  // -- actions

  // -- data

  async function load() {
    try {
      client = await api(`/api/clients/${seg(uuid)}`, { signal: ctx.signal });
      upsertClient(client);
      notice.hidden = true;
      renderAll();
    } catch (error) {
      if (error.name === 'AbortError') return;
      heading.textContent = uuid;
      fill(overview, placeholder({ text: error.message }, { error: true }));
    }
  }

  function renderAll() {
    renderHead();
    renderOverview();
    renderPanelTabs();
  }

  const unsubscribe = subscribe((changed) => {
    if (changed && !changed.has(uuid)) return;
    const current = getClient(uuid);
    if (current) {
      if (current !== client) {
        client = current;
        renderAll();
      }
    } else if (client) {
      notice.hidden = false;
      setText(notice, 'client.gone');
    }
  });
  const refreshCommands = throttle(loadCommands, 1000);
  window.addEventListener('classtop-live', (event) => {
    const message = event.detail;
    if (message.type === 'commands') refreshCommands();
    if (message.type === 'event' && message.client_uuid === uuid
      && (message.name === 'client.connected' || message.name === 'client.disconnected')) loadConnections();
  }, { signal: ctx.signal });
  ctx.signal.addEventListener('abort', unsubscribe);

  panelsOf('client-detail').then((list) => {
    detailPanels = list;
    if (client) renderPanelTabs();
  }, notifyError);
  loadClients().catch(() => {});
  load();
  loadConnections();
  loadCommands();

  return {
    reload() {
      load();
      loadConnections();
      loadCommands();
    },
  };
}

function tabValue(panel) {
  return `panel-${panel.plugin}-${panel.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

function durationCell(ms) {
  return ms != null ? h('td', {}, h('span', { duration: ms })) : h('td', { text: '—' });
}

function displayValue(value) {
  if (value === null || value === undefined) return h('span', { class: 'muted', text: '—' });
  if (typeof value === 'object') return h('code', { class: 'mono', text: JSON.stringify(value) });
  return h('span', { text: String(value) });
}
