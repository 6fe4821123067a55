// Dashboard: live client counts, server status, recent commands and events, plugins' dashboard cards.
import { api } from '../api.js';
import { h, fill, icon, placeholder, loading, statusChip, mono, throttle, setText, fact } from '../dom.js';
import { card } from '../ui.js';
import { hasKey, formatNumber, t, getLang } from '../i18n.js';
import { counts, subscribe, getClient, clientName } from '../clients.js';
import { panelsOf, createPanel, panelCard } from '../panels.js';

export const titleKey = 'nav.dashboard';

const RECENT_COMMANDS = 8;
const RECENT_EVENTS = 10;

export function mount(root, ctx) {
  const stats = h('div', { class: 'stats' });
  const server = h('div', { class: 'server-facts' }, loading());
  const commands = h('div', { class: 'list-holder' }, loading());
  const events = h('div', { class: 'list-holder' }, loading());
  const panels = h('div', { class: 'panel-grid' });
  let eventRows = [];

  root.append(
    h('div', { class: 'page-header' }, h('h1', { i18n: 'nav.dashboard', tabindex: '-1' })),
    stats,
    h('div', { class: 'grid-2' },
      card('dashboard.recentCommands', commands, h('a', { href: '#/console', class: 'card-link', i18n: 'dashboard.allCommands' })),
      card('dashboard.recentEvents', events)),
    card('dashboard.server', server),
    panels);

  const STAT_KEYS = [
    { key: 'online', icon: 'check_circle' },
    { key: 'offline', icon: 'cancel' },
    { key: 'pending', icon: 'hourglass_top' },
    { key: 'total', icon: 'computer' },
  ];
  // Built once and updated in place (a focused card keeps the keyboard focus while the numbers change).
  fill(stats, STAT_KEYS.map(({ key, icon: name }) =>
    h('a', { class: `stat stat-${key}`, href: key === 'total' ? '#/clients' : `#/clients?status=${key}`,
      dataset: { stat: key } },
    icon(name, 'stat-icon'),
    h('span', { class: 'stat-value' }),
    h('span', { class: 'stat-label', i18n: `dashboard.stat.${key}` }))));
  function renderStats() {
    const c = counts();
    for (const { key } of STAT_KEYS) {
      stats.querySelector(`[data-stat=${key}] .stat-value`).textContent = formatNumber(c[key]);
    }
  }

  async function loadServer() {
    try {
      const s = await api('/api/system/status', { signal: ctx.signal });
      fill(server, h('dl', { class: 'facts' },
        fact('dashboard.version', s.version),
        fact('dashboard.enrollment', h('span', { i18n: `enrolment.mode.${s.enrollment}` })),
        fact('dashboard.uptime', h('span', { duration: (s.uptime_seconds || 0) * 1000 })),
        fact('dashboard.database', s.database),
        fact('dashboard.commandsPending', formatNumber(s.commands_pending ?? 0)),
        s.tls?.enabled ? fact('dashboard.tlsFingerprint', mono(s.tls.fingerprint_sha256)) : null));
    } catch (error) {
      if (error.name !== 'AbortError') fill(server, placeholder({ text: error.message }, { error: true }));
    }
  }

  async function loadCommands() {
    try {
      // Reads (declared by their plugins) change nothing: they stay in the history, not here.
      const rows = await api(`/api/commands?limit=${RECENT_COMMANDS}&reads=false`, { signal: ctx.signal });
      if (rows.length === 0) {
        fill(commands, placeholder('dashboard.noCommands'));
        return;
      }
      fill(commands, h('ul', { class: 'item-list', dataset: { list: 'recent-commands' } }, rows.map((row) =>
        h('li', { class: 'item', dataset: { commandId: row.id } },
          statusChip(row.status),
          h('div', { class: 'item-main' },
            h('div', { class: 'item-title' }, mono(row.command), ' · ', clientLink(row.client_uuid)),
            h('div', { class: 'item-sub' },
              h('span', { time: row.sent_at, timeStyle: 'relative' }),
              row.duration_ms != null ? [' · ', h('span', { duration: row.duration_ms })] : '',
              row.requested_by ? h('span', {}, ' · ', h('span', { i18n: ['dashboard.by', { user: row.requested_by }] })) : ''),
            row.error ? h('div', { class: 'item-error', text: row.error }) : null)))));
    } catch (error) {
      if (error.name !== 'AbortError') fill(commands, placeholder({ text: error.message }, { error: true }));
    }
  }

  async function loadEvents() {
    try {
      const rows = await api(`/api/events?limit=${RECENT_EVENTS}`, { signal: ctx.signal });
      eventRows = rows.map((row) => ({ name: row.event, client: row.client_uuid, data: row.data, at: row.at }));
      renderEvents();
    } catch (error) {
      if (error.name !== 'AbortError') fill(events, placeholder({ text: error.message }, { error: true }));
    }
  }

  function renderEvents() {
    if (eventRows.length === 0) {
      fill(events, placeholder('dashboard.noEvents'));
      return;
    }
    fill(events, h('ul', { class: 'item-list', dataset: { list: 'recent-events' } }, eventRows.map((row) =>
      h('li', { class: 'item', dataset: { event: row.name } },
        icon(eventIcon(row.name), 'item-icon'),
        h('div', { class: 'item-main' },
          h('div', { class: 'item-title' }, eventLabel(row.name), row.client ? [' · ', clientLink(row.client)] : null),
          h('div', { class: 'item-sub' }, h('span', { time: row.at, timeStyle: 'relative' }),
            summary(row.data) ? ` · ${summary(row.data)}` : ''))))));
  }

  async function loadPanels() {
    try {
      const list = await panelsOf('dashboard-card');
      for (const panel of list) {
        const element = await createPanel(panel);
        if (ctx.signal.aborted) return;
        panels.append(panelCard(panel, element));
      }
    } catch (error) {
      if (error.name !== 'AbortError') panels.append(placeholder({ text: error.message }, { error: true }));
    }
  }

  const refreshCommands = throttle(loadCommands, 1000);
  const refreshEvents = throttle(renderEvents, 250); // a burst of events redraws the list a few times a second
  window.addEventListener('classtop-lang', () => { if (eventRows.length) renderEvents(); }, { signal: ctx.signal }); // summaries are plain text
  const refreshServer = throttle(loadServer, 2000);
  window.addEventListener('classtop-live', (event) => {
    const message = event.detail;
    if (message.type === 'commands') {
      refreshCommands();
      refreshServer();
    } else if (message.type === 'event' && message.name !== 'client.state_changed') {
      // State reports are the clients list's business; here they would crowd out what happened.
      eventRows = [{ name: message.name, client: message.client_uuid, data: message.data, at: message.timestamp },
        ...eventRows].slice(0, RECENT_EVENTS);
      refreshEvents();
    }
  }, { signal: ctx.signal });
  const unsubscribe = subscribe(() => {
    renderStats();
    renderEvents(); // client names may have arrived
  });
  ctx.signal.addEventListener('abort', unsubscribe);

  renderStats();
  loadServer();
  loadCommands();
  loadEvents();
  loadPanels();
  const timer = setInterval(loadServer, 30000);
  ctx.signal.addEventListener('abort', () => clearInterval(timer));

  return {
    reload() {
      loadServer();
      loadCommands();
      loadEvents();
    },
  };
}

/** A link to a client's page, named after the client when it is known. */
export function clientLink(uuid) {
  if (!uuid) return h('span', { text: '—' });
  const client = getClient(uuid);
  return h('a', { href: `#/clients/${encodeURIComponent(uuid)}`, text: client ? clientName(client) : uuid.slice(0, 8),
    title: uuid });
}

/** "Connected" for client.connected; plugin events keep their name. */
function eventLabel(name) {
  const key = `event.${name}`;
  return hasKey(key) ? setText(h('span'), key) : mono(name);
}

function eventIcon(name) {
  return { 'client.connected': 'link', 'client.disconnected': 'link_off', 'client.pending': 'hourglass_top',
    'client.approved': 'how_to_reg', 'client.rejected': 'block', 'client.forgotten': 'delete',
    'client.state_changed': 'sync' }[name] || 'bolt';
}

/** A short one-line summary of an event's data. */
function summary(data) {
  if (!data || typeof data !== 'object' || Object.keys(data).length === 0) return '';
  const text = Object.entries(data).filter(([, v]) => v !== '' && v != null)
    .map(([k, v]) => `${hasKey(`event.field.${k}`) ? t(`event.field.${k}`) : k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(getLang() === 'zh-CN' ? '，' : ', ');
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
