// Clients: every client, searchable and filterable, updated live from the feed; select many for batch actions.
// Rows are kept per client and updated in place (one render per animation frame at most), and at most
// `limit` rows are in the DOM ("Show more" adds a page), so thousands of clients stay fast.
import { h, fill, icon, statusChip, mono, frameThrottle, setText, setAttr, setLastSeen, placeholder } from '../dom.js';
import { compareText, formatNumber } from '../i18n.js';
import { loadClients, allClients, subscribe, clientStatus, clientName, counts, getClient } from '../clients.js';
import { panelsOf, createPanel, panelTitle, panelTitleText, panelId } from '../panels.js';
import { notifyError, openDialog } from '../ui.js';
import { forgetClient } from '../actions.js';
import { openConsoleWith } from './console.js';

export const titleKey = 'nav.clients';

const PAGE_SIZE = 200;
const FILTERS = ['all', 'online', 'offline', 'pending'];
const SORTS = {
  name: (a, b) => compareText(clientName(a), clientName(b)),
  status: (a, b) => compareText(clientStatus(a), clientStatus(b)),
  ip: (a, b) => compareText(a.ip_address || '', b.ip_address || ''),
  version: (a, b) => compareText(a.agent_version || '', b.agent_version || ''),
  last_seen: (a, b) => compareText(a.last_seen || '', b.last_seen || ''),
};

export function mount(root, ctx) {
  const admin = ctx.isAdmin;
  const selection = new Set();
  const rows = new Map(); // uuid -> { tr, client, checkbox, ... }
  let filter = FILTERS.includes(ctx.query.status) ? ctx.query.status : 'all';
  let query = '';
  let sort = { key: 'name', dir: 1 };
  let limit = PAGE_SIZE;
  let filtered = [];

  // -- toolbar
  const search = h('mdui-text-field', { type: 'search', variant: 'outlined', clearable: true, icon: 'search',
    class: 'search-field', dataset: { field: 'search' }, t: { label: 'clients.search' } });
  search.addEventListener('input', () => {
    query = search.value.trim().toLowerCase();
    limit = PAGE_SIZE;
    scheduleRender();
  });
  search.addEventListener('clear', () => {
    query = '';
    scheduleRender();
  });
  const filterGroup = h('mdui-segmented-button-group', { selects: 'single', value: filter, class: 'status-filter',
    t: { 'aria-label': 'clients.filter' } },
  FILTERS.map((f) => h('mdui-segmented-button', { value: f, dataset: { filter: f } },
    setText(h('span'), `clients.filter.${f}`), h('span', { class: 'filter-count' }))));
  filterGroup.addEventListener('change', () => {
    if (!filterGroup.value) {
      filterGroup.value = filter; // one is always chosen
      return;
    }
    filter = filterGroup.value;
    limit = PAGE_SIZE;
    scheduleRender();
  });

  // -- selection bar (admins only: every action on a selection changes something)
  const selectionText = h('span', { class: 'selection-text', role: 'status' });
  const batchButtons = h('span', { class: 'batch-buttons' });
  const sendButton = h('mdui-button', { variant: 'filled', icon: 'terminal', i18n: 'clients.sendCommand',
    dataset: { action: 'send-command' }, on: { click: () => openConsoleWith([...selection]) } });
  const clearButton = h('mdui-button', { variant: 'text', i18n: 'clients.clearSelection', dataset: { action: 'clear-selection' },
    on: { click: () => { selection.clear(); scheduleRender(); } } });
  const selectionBar = h('div', { class: 'selection-bar', hidden: true }, icon('checklist'), selectionText, clearButton,
    h('span', { class: 'grow' }), batchButtons, sendButton);

  // -- table
  const selectAll = admin ? h('mdui-checkbox', { dataset: { action: 'select-all' }, t: { 'aria-label': 'clients.selectAll' } }) : null;
  selectAll?.addEventListener('change', () => {
    const everySelected = filtered.length > 0 && filtered.every((c) => selection.has(c.uuid));
    for (const client of filtered) {
      if (everySelected) selection.delete(client.uuid);
      else selection.add(client.uuid);
    }
    scheduleRender();
  });
  const headers = [
    admin ? h('th', { class: 'col-check', scope: 'col' }, selectAll) : null,
    sortHeader('name', 'clients.col.name'),
    sortHeader('status', 'clients.col.status'),
    sortHeader('ip', 'clients.col.ip'),
    sortHeader('version', 'clients.col.version', 'col-version'),
    sortHeader('last_seen', 'clients.col.lastSeen'),
    admin ? h('th', { class: 'col-actions', scope: 'col' }, h('span', { class: 'visually-hidden', i18n: 'common.actions' })) : null,
  ];
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table clients-table', dataset: { table: 'clients' } },
    h('caption', { class: 'visually-hidden', i18n: 'nav.clients' }),
    h('thead', {}, h('tr', {}, headers)), tbody);
  const empty = h('div', { class: 'empty', hidden: true });
  const moreText = h('span', { class: 'more-text' });
  const moreButton = h('mdui-button', { variant: 'tonal', i18n: 'clients.showMore', dataset: { action: 'show-more' },
    on: { click: () => { limit += PAGE_SIZE; scheduleRender(); } } });
  const footer = h('div', { class: 'table-footer' }, moreText, moreButton);
  const summaryText = h('p', { class: 'page-sub' });

  root.append(
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { i18n: 'nav.clients', tabindex: '-1' }), summaryText)),
    h('div', { class: 'toolbar' }, search, filterGroup),
    admin ? selectionBar : null,
    h('mdui-card', { class: 'card table-card', variant: 'outlined' }, h('div', { class: 'table-scroll' }, table), empty, footer));

  function sortHeader(key, labelKey, cls) {
    const button = h('button', { class: 'sort-button', type: 'button' }, setText(h('span'), labelKey),
      icon('arrow_upward', 'sort-icon'));
    button.addEventListener('click', () => {
      sort = sort.key === key ? { key, dir: -sort.dir } : { key, dir: 1 };
      scheduleRender();
    });
    return h('th', { scope: 'col', class: cls, dataset: { sort: key } }, button);
  }

  function matches(client) {
    if (filter !== 'all' && clientStatus(client) !== filter) return false;
    if (!query) return true;
    return (client.name || '').toLowerCase().includes(query)
      || client.uuid.toLowerCase().includes(query)
      || (client.ip_address || '').toLowerCase().includes(query);
  }

  function createRow(client) {
    const refs = { client: null };
    refs.tr = h('tr', { dataset: { uuid: client.uuid } });
    if (admin) {
      refs.checkbox = h('mdui-checkbox', { class: 'row-check' });
      refs.checkbox.addEventListener('change', () => {
        if (refs.checkbox.checked) selection.add(client.uuid);
        else selection.delete(client.uuid);
        scheduleRender();
      });
      refs.tr.append(h('td', { class: 'col-check' }, refs.checkbox));
    }
    refs.link = h('a', { class: 'client-link', href: `#/clients/${encodeURIComponent(client.uuid)}` });
    refs.uuid = mono(client.uuid, 'div');
    refs.uuid.classList.add('sub-mono');
    refs.uuid.title = client.uuid;
    refs.status = h('td', { class: 'col-status' });
    refs.ip = h('td', { class: 'mono' });
    refs.version = h('td', { class: 'col-version' });
    refs.lastSeen = h('span');
    refs.tr.append(h('td', { class: 'col-name' }, refs.link, refs.uuid), refs.status, refs.ip, refs.version,
      h('td', {}, refs.lastSeen));
    if (admin) {
      refs.actions = h('td', { class: 'col-actions' });
      refs.tr.append(refs.actions);
    }
    return refs;
  }

  function updateRow(refs, client) {
    if (refs.client === client) return;
    const previous = refs.client;
    refs.client = client;
    const status = clientStatus(client);
    refs.tr.dataset.status = status;
    refs.link.textContent = clientName(client);
    refs.checkbox && setAttr(refs.checkbox, 'aria-label', ['clients.select', { name: clientName(client) }]);
    if (!previous || clientStatus(previous) !== status) fill(refs.status, statusChip(status));
    refs.ip.textContent = client.ip_address || '—';
    refs.version.textContent = client.agent_version || '—';
    setLastSeen(refs.lastSeen, client);
    if (refs.actions) {
      const forgettable = status !== 'online';
      if (forgettable && !refs.actions.firstChild) {
        const forget = h('mdui-button-icon', { icon: 'delete_outline', dataset: { action: 'forget' } });
        forget.addEventListener('click', () => forgetClient(forget, refs.client));
        refs.actions.append(forget);
      } else if (!forgettable && refs.actions.firstChild) {
        refs.actions.replaceChildren();
      }
      if (refs.actions.firstChild) setAttr(refs.actions.firstChild, 'aria-label', ['clients.forget', { name: clientName(client) }]);
    }
  }

  function render() {
    const list = allClients();
    const c = counts();
    const byFilter = { all: c.total, online: c.online, offline: c.offline, pending: c.pending };
    for (const button of filterGroup.querySelectorAll('mdui-segmented-button')) {
      button.querySelector('.filter-count').textContent = ` ${formatNumber(byFilter[button.value])}`;
    }
    setText(summaryText, ['clients.summary', { online: formatNumber(c.online), total: formatNumber(c.total) }]);

    // Forget selected clients that are gone.
    for (const uuid of selection) if (!getClient(uuid)) selection.delete(uuid);

    const compare = SORTS[sort.key];
    filtered = list.filter(matches).sort((a, b) => sort.dir * (compare(a, b) || compareText(clientName(a), clientName(b))));
    const visible = filtered.slice(0, limit);
    const keep = new Set();
    let previous = null;
    for (const client of visible) {
      let refs = rows.get(client.uuid);
      if (!refs) {
        refs = createRow(client);
        rows.set(client.uuid, refs);
      }
      updateRow(refs, client);
      if (refs.checkbox) refs.checkbox.checked = selection.has(client.uuid);
      refs.tr.classList.toggle('selected', selection.has(client.uuid));
      keep.add(client.uuid);
      // Move a row only when it is out of place (a moved row would lose keyboard focus).
      const expected = previous ? previous.nextSibling : tbody.firstChild;
      if (expected !== refs.tr) tbody.insertBefore(refs.tr, expected);
      previous = refs.tr;
    }
    for (const [uuid, refs] of rows) {
      if (!keep.has(uuid)) {
        refs.tr.remove();
        if (!getClient(uuid)) rows.delete(uuid);
      }
    }

    for (const th of table.querySelectorAll('th[data-sort]')) {
      const active = th.dataset.sort === sort.key;
      th.setAttribute('aria-sort', active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
      th.classList.toggle('sorted', active);
      th.classList.toggle('descending', active && sort.dir < 0);
    }
    if (selectAll) {
      const selectedShown = filtered.filter((cl) => selection.has(cl.uuid)).length;
      selectAll.checked = filtered.length > 0 && selectedShown === filtered.length;
      selectAll.indeterminate = selectedShown > 0 && selectedShown < filtered.length;
      selectAll.disabled = filtered.length === 0;
    }

    empty.hidden = filtered.length > 0;
    if (filtered.length === 0) {
      fill(empty, placeholder(list.length === 0 ? ['clients.noneYet', { server: location.origin }] : 'clients.noMatch'));
    }
    footer.hidden = filtered.length <= visible.length && filtered.length <= PAGE_SIZE;
    setText(moreText, ['clients.showing', { shown: formatNumber(visible.length), total: formatNumber(filtered.length) }]);
    moreButton.hidden = visible.length >= filtered.length;

    selectionBar.hidden = selection.size === 0;
    setText(selectionText, ['clients.selected', { n: selection.size }]);
  }
  const scheduleRender = frameThrottle(render);

  async function openBatch(panel) {
    const uuids = [...selection];
    const element = await createPanel(panel, { 'client-uuids': uuids.join(',') });
    const { dialog } = openDialog(h('div', { class: 'batch-body' }, element), { headlineText: panelTitle(panel), wide: true,
      closeAsIcon: true, className: 'batch-dialog', dataset: { batch: panelId(panel) } });
    element.addEventListener('classtop-close', () => { dialog.open = false; });
  }

  if (admin) {
    panelsOf('clients-batch').then((panels) => {
      if (ctx.signal.aborted) return;
      fill(batchButtons, panels.map((panel) => h('mdui-button', { variant: 'tonal', icon: 'playlist_add_check',
        dataset: { batchPanel: panelId(panel) }, on: { click: () => openBatch(panel) } }, panelTitleText(panel))));
    }, notifyError);
  }

  const unsubscribe = subscribe(scheduleRender);
  ctx.signal.addEventListener('abort', unsubscribe);
  loadClients().then(scheduleRender, (error) => {
    fill(empty, placeholder({ text: error.message }, { error: true }));
    empty.hidden = false;
  });
  scheduleRender();

  return { reload: () => loadClients(true).catch(notifyError) };
}
