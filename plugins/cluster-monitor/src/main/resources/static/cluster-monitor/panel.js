// The "Media servers" page: <classtop-cluster-monitor lang="en|zh-CN" user-role="admin|viewer">.
// Plain JavaScript in one file, no CDN. Lists the media servers with their state, CPU (with a sparkline of
// the recent history), channels and a Restart button per channel; adds, edits and removes servers; shows
// the restart history and the watchdog. Refreshes itself every few seconds while the page is visible.
// Uses the MDUI 2 components the admin shell loads (buttons, text fields, dialogs) and falls back to native
// elements when they are not there. Follows the shell's `lang` attribute; a viewer gets no changing controls.
// The API, the language, the live events and the formatting of times come from the core's UI kit.

import { api, formatAge, formatTime, lang, onEvent, strings } from '/ui/kit.js';

const TAG = 'classtop-cluster-monitor';
const API = '/api/servers';

const TEXT = {
  en: {
    title: 'Media servers', add: 'Add server', refresh: 'Refresh', updated: 'Updated',
    loading: 'Loading…', empty: 'No media servers yet. Add one, or list them in servers.json.',
    server: 'Server', state: 'State', cpu: 'CPU', channels: 'Channels', lastAnswer: 'Last answer',
    poll: 'Poll', lastError: 'Last error', actions: '', edit: 'Edit', remove: 'Remove', restart: 'Restart',
    restarting: 'Restarting…', never: 'never', noChannels: 'no channels',
    states: { pending: 'waiting', ok: 'OK', error: 'error', timeout: 'timeout', unreachable: 'unreachable' },
    degraded: 'channel down', stale: 'last known values',
    confirmRestart: (ch, srv) => `Restart channel "${ch}" on ${srv}?\nIt is stopped, then started again.`,
    confirmRemove: (srv) => `Remove ${srv} from the monitored servers?\nIts restart history is kept.`,
    restarted: (ch, srv, ms) => `Channel "${ch}" on ${srv} restarted (${ms} ms).`,
    removed: (srv) => `${srv} removed.`, saved: (srv) => `${srv} saved.`,
    formAdd: 'Add a media server', formEdit: 'Change media server', id: 'Id', name: 'Name', host: 'Host', port: 'Port',
    save: 'Save', cancel: 'Cancel',
    idHint: 'letters, digits, . _ -', hostHint: 'e.g. 192.168.2.172',
    history: 'Recent restarts', noRestarts: 'No restarts yet.', when: 'When', channel: 'Channel', by: 'By',
    outcome: 'Outcome', success: 'done', failed: 'failed',
    watchdogOff: 'Watchdog: off.',
    watchdogOn: (n, m, k) => `Watchdog: on — restarts a channel that reports down for ${n} polls in a row, at most ${m} times per channel per hour; ${k} restart(s) in the last hour.`,
    fileProblem: (name, why) => `The servers file ${name} cannot be read (${why}); the last good list is shown and changes here are refused until it is fixed.`,
    skipped: (n) => `${n} entr${n === 1 ? 'y' : 'ies'} of the servers file skipped (see the server log).`,
    failedLoad: 'The media servers could not be loaded',
    cpuTitle: 'CPU over the last polls', close: 'Dismiss',
    editServer: (srv) => `Edit ${srv}`, removeServer: (srv) => `Remove ${srv}`,
    restartChannel: (ch, srv) => `Restart channel ${ch} on ${srv}`,
    confirmRestartButton: 'Restart', confirmRemoveButton: 'Remove',
    viewerNote: 'You can watch the media servers; only administrators can add, change, remove or restart.',
  },
  'zh-CN': {
    title: '媒体服务器', add: '添加服务器', refresh: '刷新', updated: '更新于',
    loading: '正在加载…', empty: '还没有媒体服务器。请添加，或在 servers.json 中列出。',
    server: '服务器', state: '状态', cpu: 'CPU', channels: '通道', lastAnswer: '最后响应',
    poll: '轮询', lastError: '最后错误', actions: '', edit: '编辑', remove: '删除', restart: '重启',
    restarting: '正在重启…', never: '从未', noChannels: '无通道',
    states: { pending: '等待中', ok: '正常', error: '错误', timeout: '超时', unreachable: '无法连接' },
    degraded: '有通道停止', stale: '最后已知的值',
    confirmRestart: (ch, srv) => `重启 ${srv} 上的通道“${ch}”？\n将先停止再启动。`,
    confirmRemove: (srv) => `不再监控 ${srv}？\n其重启记录会保留。`,
    restarted: (ch, srv, ms) => `${srv} 上的通道“${ch}”已重启（${ms} 毫秒）。`,
    removed: (srv) => `已删除 ${srv}。`, saved: (srv) => `已保存 ${srv}。`,
    formAdd: '添加媒体服务器', formEdit: '修改媒体服务器', id: 'ID', name: '名称', host: '主机', port: '端口',
    save: '保存', cancel: '取消',
    idHint: '字母、数字、. _ -', hostHint: '例如 192.168.2.172',
    history: '最近的重启', noRestarts: '还没有重启记录。', when: '时间', channel: '通道', by: '操作者',
    outcome: '结果', success: '成功', failed: '失败',
    watchdogOff: '看门狗：关闭。',
    watchdogOn: (n, m, k) => `看门狗：开启 —— 通道连续 ${n} 次轮询报告停止时自动重启，每个通道每小时最多 ${m} 次；最近一小时重启 ${k} 次。`,
    fileProblem: (name, why) => `无法读取服务器文件 ${name}（${why}）；显示的是最后一次有效的列表，修复之前这里的修改会被拒绝。`,
    skipped: (n) => `服务器文件中有 ${n} 个条目被跳过（见服务器日志）。`,
    failedLoad: '无法加载媒体服务器',
    cpuTitle: '最近几次轮询的 CPU', close: '关闭',
    editServer: (srv) => `编辑 ${srv}`, removeServer: (srv) => `删除 ${srv}`,
    restartChannel: (ch, srv) => `重启 ${srv} 上的通道 ${ch}`,
    confirmRestartButton: '重启', confirmRemoveButton: '删除',
    viewerNote: '您可以查看媒体服务器；只有管理员可以添加、修改、删除或重启。',
  },
};

/** The strings of the shell's language. */
function text() {
  return strings(TEXT);
}

function isViewer(element) {
  return (element.getAttribute('user-role') || '').toLowerCase() === 'viewer';
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** True when the shell loaded MDUI 2; the panel then uses its components. */
function mdui() {
  return Boolean(customElements.get('mdui-button') && customElements.get('mdui-text-field'));
}

/**
 * An accessible name for an MDUI control, also on the native button or input inside its shadow root
 * (MDUI 2 does not pass aria-label on by itself).
 */
function accessibleName(node, label) {
  node.setAttribute('aria-label', label);
  if (!node.localName.includes('-')) {
    return;
  }
  customElements.whenDefined(node.localName)
    .then(() => node.updateComplete)
    .then(() => {
      const inner = node.shadowRoot && node.shadowRoot.querySelector('button, input, a');
      if (inner && node.getAttribute('aria-label') === label) {
        inner.setAttribute('aria-label', label);
      }
    })
    .catch(() => {});
}

/** A text button (MDUI or native); `aria` names it for assistive technology when the text alone is not enough. */
function button(label, { onclick, variant = 'text', icon, small = false, disabled = false, loading = false, aria } = {}) {
  let node;
  if (mdui()) {
    node = el('mdui-button', { variant, icon, class: small ? 'small' : null, onclick }, label);
    node.disabled = disabled;
    node.loading = loading;
  } else {
    node = el('button', { type: 'button', class: small ? 'small' : null, disabled, onclick }, label);
  }
  if (aria) {
    accessibleName(node, aria);
  }
  return node;
}

/** An icon button (MDUI) or a small text button (native). */
function iconButton(icon, label, aria, onclick) {
  if (mdui()) {
    const node = el('mdui-button-icon', { icon, onclick });
    accessibleName(node, aria);
    return node;
  }
  return el('button', { type: 'button', class: 'small', 'aria-label': aria, onclick }, label);
}

/**
 * Asks before a change: an MDUI dialog in the panel, or the browser's confirm without MDUI.
 * Resolves to true when the person confirmed.
 */
function confirmDialog(root, question, confirmText, cancelText) {
  const [headline, ...rest] = question.split('\n');
  if (!customElements.get('mdui-dialog')) {
    return Promise.resolve(window.confirm(question));
  }
  return new Promise((resolve) => {
    let confirmed = false;
    const dialog = el('mdui-dialog', { 'close-on-esc': true, 'close-on-overlay-click': true });
    dialog.headline = headline;
    dialog.description = rest.join(' ');
    const cancel = el('mdui-button', { slot: 'action', variant: 'text', onclick: () => { dialog.open = false; } }, cancelText);
    const ok = el('mdui-button', {
      slot: 'action', variant: 'filled', onclick: () => {
        confirmed = true;
        dialog.open = false;
      },
    }, confirmText);
    dialog.append(cancel, ok);
    dialog.addEventListener('closed', (event) => {
      if (event.target === dialog) {
        dialog.remove();
        resolve(confirmed);
      }
    });
    root.append(dialog);
    customElements.whenDefined('mdui-dialog').then(() => {
      dialog.open = true;
      requestAnimationFrame(() => ok.focus());
    });
  });
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  return node;
}

/** An inline sparkline of CPU (line, gaps where a poll failed) and failed polls (red marks at the bottom). */
function sparkline(points, title) {
  const width = 120;
  const height = 28;
  const box = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'spark', role: 'img' });
  const label = svg('title');
  label.textContent = title;
  box.append(label);
  if (!points || points.length === 0) {
    return box;
  }
  const max = Math.max(100, ...points.map((p) => (typeof p.cpu === 'number' ? p.cpu : 0)));
  const step = points.length > 1 ? (width - 2) / (points.length - 1) : 0;
  let segment = [];
  const flush = () => {
    if (segment.length === 1) {
      const [x, y] = segment[0].split(',');
      box.append(svg('circle', { cx: x, cy: y, r: 1.5, class: 'cpu-dot' }));
    } else if (segment.length > 1) {
      box.append(svg('polyline', { points: segment.join(' '), class: 'cpu' }));
    }
    segment = [];
  };
  points.forEach((point, i) => {
    const x = (1 + i * step).toFixed(1);
    if (point.state !== 'ok') {
      flush();
      box.append(svg('rect', { x: Number(x) - 1, y: height - 3, width: 2, height: 3, class: 'down' }));
      return;
    }
    if (typeof point.cpu === 'number') {
      const y = (height - 4 - (point.cpu / max) * (height - 6)).toFixed(1);
      segment.push(`${x},${y}`);
    } else {
      flush();
    }
    if (point.channels_total > 0 && point.channels_up < point.channels_total) {
      box.append(svg('rect', { x: Number(x) - 1, y: 0, width: 2, height: 3, class: 'degraded' }));
    }
  });
  flush();
  return box;
}

function ago(t, iso) {
  return iso ? formatAge(iso) : t.never;
}

function serverLabel(server) {
  return server.name && server.name !== server.id ? `${server.name} (${server.id})` : server.id;
}

const STYLE = `
  :host { display: block; font: inherit; color: inherit; }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 8px; }
  header .grow { margin-right: auto; }
  mdui-button.small { height: 2rem; font-size: 0.8125rem; }
  td.actions { white-space: nowrap; }
  form.mdui { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
  form.mdui h3, form.mdui .error-text, form.mdui .buttons { flex: 1 1 100%; }
  form.mdui mdui-text-field { flex: 1 1 12rem; max-width: 22rem; }
  .muted { color: rgb(var(--mdui-color-on-surface-variant, 102, 102, 102)); font-size: 0.9em; }
  .banner { padding: 6px 10px; margin: 6px 0; border-radius: 4px; }
  .banner.error { background: #fdecea; color: #8a1c12; }
  .banner.warn { background: #fff4e5; color: #7a4a00; }
  .banner.ok { background: #e8f5e9; color: #1b5e20; }
  .banner { display: flex; align-items: center; gap: 8px; }
  .banner > span { flex: 1 1 auto; }
  .banner mdui-button-icon { margin: -6px -6px -6px 0; }
  .banner.info { background: rgb(var(--mdui-color-surface-container-high, 236, 230, 240)); }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; vertical-align: top;
           border-bottom: 1px solid rgb(var(--mdui-color-outline-variant, 221, 221, 221)); }
  th { font-weight: 500; white-space: nowrap; color: rgb(var(--mdui-color-on-surface-variant, 68, 68, 68)); }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.85em; white-space: nowrap; }
  .badge.ok { background: #e8f5e9; color: #1b5e20; }
  .badge.degraded { background: #fff4e5; color: #7a4a00; }
  .badge.pending { background: #eceff1; color: #37474f; }
  .badge.bad { background: #fdecea; color: #8a1c12; }
  .channel { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
  .dot { width: 8px; height: 8px; border-radius: 50%; background: #9e9e9e; flex: none; }
  .dot.up { background: #2e7d32; }
  .dot.down { background: #c62828; }
  .stale { opacity: 0.55; }
  .spark { display: block; margin-top: 2px; }
  .spark .cpu { fill: none; stroke: rgb(var(--mdui-color-primary, 21, 101, 192)); stroke-width: 1.5; }
  .spark .cpu-dot { fill: rgb(var(--mdui-color-primary, 21, 101, 192)); }
  .spark .down { fill: #c62828; }
  .spark .degraded { fill: #ef6c00; }
  .error-text { color: #8a1c12; min-width: 10em; max-width: 28em; overflow-wrap: anywhere; }
  form { display: grid; grid-template-columns: max-content minmax(10em, 22em); gap: 6px 10px; align-items: center;
         padding: 12px; margin: 8px 0; border-radius: 12px;
         border: 1px solid rgb(var(--mdui-color-outline-variant, 221, 221, 221)); }
  form h3 { grid-column: 1 / -1; margin: 0; font-size: 1em; }
  form .buttons { grid-column: 2; display: flex; gap: 8px; }
  form.mdui .buttons { justify-content: flex-start; }
  form .error-text { grid-column: 1 / -1; }
  button { font: inherit; cursor: pointer; }
  button[disabled] { cursor: progress; opacity: 0.6; }
  button.small { font-size: 0.85em; padding: 1px 6px; }
  section { margin-top: 16px; }
  section h3 { font-size: 1em; margin: 0 0 4px; }
`;

class ClassTopClusterMonitor extends HTMLElement {
  static get observedAttributes() {
    return ['lang', 'user-role'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.t = text();
    this.form = null; // the open add/edit form: {server, fields}
    this.servers = null;
    this.config = null;
    this.watchdog = null;
    this.restarts = [];
    this.loadError = null;
    this.notice = null;
    this.busy = new Set();
    this.timer = null;
    this.loading = false;
    this.onVisibility = () => {
      if (!document.hidden) {
        this.load();
      }
    };
    this.build();
  }

  connectedCallback() {
    document.addEventListener('visibilitychange', this.onVisibility);
    this.stopEvents?.();
    // a server went up or down, or a channel was restarted: show it now rather than at the next refresh
    // (a burst of events causes one reload)
    this.stopEvents = onEvent('cluster-monitor.*', () => {
      clearTimeout(this.eventTimer);
      this.eventTimer = setTimeout(() => this.load(), 250);
    }, this);
    if (this.t !== text()) {
      this.relabel();
    }
    this.load();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) {
      return;
    }
    if (name === 'lang') {
      this.relabel();
    } else {
      if (isViewer(this)) {
        this.closeForm();
      }
      this.relabel();
    }
  }

  /** Another language or role: everything is built again; an open form keeps what was typed. */
  relabel() {
    this.t = text();
    const open = this.form;
    const values = open ? Object.fromEntries(Object.entries(open.fields).map(([k, f]) => [k, f.value])) : null;
    this.build();
    this.render();
    if (open) {
      this.openForm(open.server, values);
    }
  }

  disconnectedCallback() {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stopEvents?.();
    this.stopEvents = null;
    clearTimeout(this.eventTimer);
    clearTimeout(this.timer);
    this.timer = null;
  }

  build() {
    const t = this.t;
    const viewer = isViewer(this);
    this.updated = el('span', { class: 'muted' },
      this.updatedAt ? `${t.updated} ${formatTime(this.updatedAt, 'time')}` : '');
    this.noticeBox = el('div', { role: 'status', 'aria-live': 'polite' });
    this.noticeShown = null;
    this.fileBox = el('div');
    this.formBox = el('div'); // new each time: MDUI fields must not be moved out and back in
    this.tableBox = el('div', {}, el('p', {}, t.loading));
    this.watchdogBox = el('p', { class: 'muted' });
    this.historyBox = el('div');
    const refresh = mdui() ? iconButton('refresh', t.refresh, t.refresh, () => this.load())
      : button(t.refresh, { onclick: () => this.load() });
    this.shadowRoot.replaceChildren(
      el('style', {}, STYLE),
      el('header', {},
        this.updated,
        el('span', { class: 'grow' }), // the shell's page heading is the title
        refresh,
        viewer ? null : button(t.add, { variant: 'filled', icon: 'add', onclick: () => this.openForm(null) })),
      ...(viewer ? [el('div', { class: 'banner info' }, el('span', {}, t.viewerNote))] : []),
      this.noticeBox, this.fileBox, this.formBox, this.tableBox, this.watchdogBox,
      el('section', {}, el('h3', {}, t.history), this.historyBox),
    );
  }

  /** Every few seconds (the poll interval, between 2 and 15 s) while the page is visible. */
  schedule() {
    clearTimeout(this.timer);
    if (!this.isConnected) {
      return;
    }
    const interval = this.config ? Number(this.config.poll_interval_seconds) || 5 : 5;
    this.timer = setTimeout(() => {
      if (document.hidden) {
        this.schedule();
      } else {
        this.load();
      }
    }, Math.min(15, Math.max(2, interval)) * 1000);
  }

  async load() {
    if (this.loading) {
      return;
    }
    this.loading = true;
    try {
      const [servers, config, watchdog, restarts] = await Promise.all([
        api('GET', `${API}?history=true`),
        api('GET', `${API}/config`).catch(() => this.config),
        api('GET', `${API}/watchdog`).catch(() => this.watchdog),
        api('GET', `${API}/restarts?limit=10`).catch(() => this.restarts),
      ]);
      this.servers = servers;
      this.config = config;
      this.watchdog = watchdog;
      this.restarts = restarts || [];
      this.loadError = null;
      this.updatedAt = new Date();
      this.updated.textContent = `${this.t.updated} ${formatTime(this.updatedAt, 'time')}`;
    } catch (error) {
      this.loadError = error;
    } finally {
      this.loading = false;
    }
    this.render();
    this.schedule();
  }

  render() {
    this.renderNotice();
    this.renderFile();
    this.renderTable();
    this.renderWatchdog();
    this.renderHistory();
  }

  /** A notice above the table; `message` is text (an API sentence) or a function of the strings (re-rendered on a change of language). */
  say(kind, message) {
    this.notice = message ? { kind, message } : null;
    this.renderNotice();
  }

  renderNotice() {
    // Rebuilt only when it changes: it is a live region, and the table refreshes every few seconds.
    const message = this.notice
      ? (typeof this.notice.message === 'function' ? this.notice.message(this.t) : this.notice.message) : null;
    const shown = JSON.stringify([this.loadError ? `${this.t.failedLoad}: ${this.loadError.message}` : null,
      this.notice ? this.notice.kind : null, message, lang()]);
    if (shown === this.noticeShown) {
      return;
    }
    this.noticeShown = shown;
    const items = [];
    if (this.loadError) {
      items.push(el('div', { class: 'banner error', role: 'alert' }, `${this.t.failedLoad}: ${this.loadError.message}`));
    }
    if (this.notice) {
      items.push(el('div', { class: `banner ${this.notice.kind}`, role: this.notice.kind === 'error' ? 'alert' : null },
        el('span', {}, message),
        iconButton('close', this.t.close, this.t.close, () => this.say(null, null))));
    }
    this.noticeBox.replaceChildren(...items);
  }

  renderFile() {
    const file = this.config && this.config.servers_file;
    const items = [];
    if (file && file.state === 'unreadable') {
      const name = String(file.path || 'servers.json').split(/[\\/]/).pop();
      items.push(el('div', { class: 'banner error' }, this.t.fileProblem(name, file.error)));
    } else if (file && file.skipped_entries && file.skipped_entries.length > 0) {
      items.push(el('div', { class: 'banner warn', title: file.skipped_entries.join('\n') },
        this.t.skipped(file.skipped_entries.length)));
    }
    this.fileBox.replaceChildren(...items);
  }

  renderTable() {
    const t = this.t;
    if (this.servers === null) {
      return;
    }
    if (this.servers.length === 0) {
      this.tableBox.replaceChildren(el('p', {}, t.empty));
      return;
    }
    const labels = [t.server, t.state, t.cpu, t.channels, t.lastAnswer, t.poll, t.lastError];
    if (!isViewer(this)) {
      labels.push(t.actions);
    }
    const head = el('tr', {}, labels.map((label) => el('th', {}, label)));
    const rows = this.servers.map((server) => this.row(server));
    this.tableBox.replaceChildren(el('table', {}, el('thead', {}, head), el('tbody', {}, rows)));
  }

  row(server) {
    const t = this.t;
    const viewer = isViewer(this);
    const status = server.status || {};
    const state = status.state || 'pending';
    let badgeClass = state === 'ok' ? 'ok' : state === 'pending' ? 'pending' : 'bad';
    let badgeText = t.states[state] || state;
    if (state === 'ok' && !status.healthy) {
      badgeClass = 'degraded';
      badgeText = `${t.states.ok} · ${t.degraded}`;
    }
    const label = serverLabel(server);
    const channels = (status.channels || []).map((channel) => {
      const key = `${server.id}\u0000${channel.id}`;
      const running = this.busy.has(key);
      return el('div', { class: 'channel' },
        el('span', { class: `dot ${channel.up === true ? 'up' : channel.up === false ? 'down' : ''}` }),
        el('span', { title: channel.id }, channel.name || channel.id),
        el('span', { class: 'muted' }, channel.state || '?'),
        viewer ? null : button(running ? t.restarting : t.restart, {
          small: true, variant: 'outlined', icon: mdui() && !running ? 'restart_alt' : undefined,
          disabled: running, loading: running, aria: t.restartChannel(channel.name || channel.id, label),
          onclick: () => this.restart(server, channel),
        }));
    });
    const cpu = typeof status.cpu === 'number' ? `${status.cpu.toFixed(1)} %` : '–';
    return el('tr', {},
      el('td', {}, el('div', {}, server.name), el('div', { class: 'muted' }, `${server.id} · ${server.host}:${server.port}`)),
      el('td', {}, el('span', { class: `badge ${badgeClass}` }, badgeText),
        status.stale ? el('div', { class: 'muted' }, t.stale) : null),
      el('td', { class: status.stale ? 'stale' : null }, cpu, sparkline(status.history, t.cpuTitle)),
      el('td', { class: status.stale ? 'stale' : null }, channels.length ? channels : el('span', { class: 'muted' }, t.noChannels)),
      el('td', { title: status.last_answer_at || '' }, ago(t, status.last_answer_at)),
      el('td', {}, status.last_poll_duration_ms === null || status.last_poll_duration_ms === undefined ? '–'
        : `${status.last_poll_duration_ms} ms`),
      el('td', {}, status.last_error
        ? el('div', { class: 'error-text', title: status.last_error_at || '' }, status.last_error,
          el('div', { class: 'muted' }, ago(t, status.last_error_at)))
        : '–'),
      viewer ? null : el('td', { class: 'actions' },
        iconButton('edit', t.edit, t.editServer(label), () => this.openForm(server)), ' ',
        iconButton('delete', t.remove, t.removeServer(label), () => this.remove(server, label))));
  }

  renderWatchdog() {
    const w = this.watchdog;
    if (!w) {
      this.watchdogBox.textContent = '';
      return;
    }
    this.watchdogBox.textContent = w.enabled
      ? this.t.watchdogOn(w.down_polls, w.max_restarts_per_hour, w.restarts_this_hour)
      : this.t.watchdogOff;
  }

  renderHistory() {
    const t = this.t;
    if (!this.restarts || this.restarts.length === 0) {
      this.historyBox.replaceChildren(el('p', { class: 'muted' }, t.noRestarts));
      return;
    }
    const head = el('tr', {}, [t.when, t.server, t.channel, t.by, t.outcome].map((label) => el('th', {}, label)));
    const rows = this.restarts.map((r) => el('tr', {},
      el('td', { title: r.started_at }, formatTime(r.started_at)),
      el('td', {}, r.server_name && r.server_name !== r.server_id ? `${r.server_name} (${r.server_id})` : r.server_id),
      el('td', {}, r.channel_id),
      el('td', {}, r.requested_by || r.trigger),
      el('td', {}, r.success
        ? el('span', { class: 'badge ok' }, `${t.success} · ${r.duration_ms} ms`)
        : el('div', {}, el('span', { class: 'badge bad' }, t.failed), ' ', el('span', { class: 'error-text' }, r.error)))));
    this.historyBox.replaceChildren(el('table', {}, el('thead', {}, head), el('tbody', {}, rows)));
  }

  async restart(server, channel) {
    const t = this.t;
    const label = serverLabel(server);
    const name = channel.name || channel.id;
    if (isViewer(this) || !await confirmDialog(this.shadowRoot, t.confirmRestart(name, label), t.confirmRestartButton, t.cancel)) {
      return;
    }
    const key = `${server.id}\u0000${channel.id}`;
    this.busy.add(key);
    this.renderTable();
    try {
      const result = await api('POST',
        `${API}/${encodeURIComponent(server.id)}/channels/${encodeURIComponent(channel.id)}/restart`);
      this.say('ok', (now) => now.restarted(name, label, result.duration_ms));
    } catch (error) {
      this.say('error', error.message);
    } finally {
      this.busy.delete(key);
      this.load();
    }
  }

  async remove(server, label) {
    const t = this.t;
    if (isViewer(this) || !await confirmDialog(this.shadowRoot, t.confirmRemove(label), t.confirmRemoveButton, t.cancel)) {
      return;
    }
    try {
      await api('DELETE', `${API}/${encodeURIComponent(server.id)}`);
      this.say('ok', (now) => now.removed(label));
    } catch (error) {
      this.say('error', error.message);
    }
    this.load();
  }

  closeForm() {
    this.form = null;
    this.formBox.replaceChildren();
  }

  /**
   * The add form (server null) or the edit form; kept out of the refreshed table so typing is not lost.
   * `values` refills it (after a change of language).
   */
  openForm(server, values = null) {
    if (isViewer(this)) {
      return;
    }
    const t = this.t;
    const editing = server !== null;
    const useMdui = mdui();
    const fields = {};
    const field = (name, label, value, attributes = {}) => {
      const initial = values && name in values ? values[name] : (value ?? '');
      if (useMdui) {
        const { placeholder, ...rest } = attributes;
        const input = el('mdui-text-field', { name, label, variant: 'outlined', helper: placeholder, ...rest });
        input.value = String(initial);
        accessibleName(input, label);
        fields[name] = input;
        return input;
      }
      const input = el('input', { name, id: `f-${name}`, ...attributes });
      input.value = String(initial);
      fields[name] = input;
      return [el('label', { for: `f-${name}` }, label), input];
    };
    const error = el('div', { class: 'error-text', role: 'alert' });
    const save = button(t.save, { variant: 'filled', onclick: () => submit() });
    const form = el('form', { class: useMdui ? 'mdui' : null, novalidate: true },
      el('h3', {}, editing ? `${t.formEdit}: ${serverLabel(server)}` : t.formAdd),
      field('id', t.id, editing ? server.id : '', {
        required: true, maxlength: 64, pattern: '[A-Za-z0-9._\\-]{1,64}', placeholder: t.idHint, disabled: editing,
      }),
      field('name', t.name, editing ? server.name : '', { maxlength: 128 }),
      field('host', t.host, editing ? server.host : '', { required: true, placeholder: t.hostHint }),
      field('port', t.port, editing ? server.port : '', { required: true, type: 'number', min: 1, max: 65535 }),
      error,
      el('div', { class: 'buttons' }, save, button(t.cancel, { onclick: () => this.closeForm() })));
    let sending = false;
    const submit = async () => {
      if (sending) {
        return;
      }
      for (const input of Object.values(fields)) {
        if (!input.disabled && !input.reportValidity()) {
          return;
        }
      }
      const body = {
        name: String(fields.name.value || '').trim(),
        host: String(fields.host.value || '').trim(),
        port: Number(fields.port.value),
      };
      sending = true;
      save.disabled = true;
      save.loading = true;
      error.textContent = '';
      try {
        let saved;
        if (editing) {
          saved = await api('PUT', `${API}/${encodeURIComponent(server.id)}`, body);
        } else {
          body.id = String(fields.id.value || '').trim();
          saved = await api('POST', API, body);
        }
        if (this.form && this.form.element === form) {
          this.closeForm();
        }
        this.say('ok', (now) => now.saved(serverLabel(saved)));
        this.load();
      } catch (failure) {
        error.textContent = failure.message;
        save.disabled = false;
        save.loading = false;
      } finally {
        sending = false;
      }
    };
    // Enter in a field saves (one path for MDUI and native fields)
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.isComposing && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey
          && event.composedPath().some((node) => node === fields.id || node === fields.name || node === fields.host
            || node === fields.port)) {
        event.preventDefault();
        submit();
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    this.form = { server, fields, element: form };
    this.formBox.replaceChildren(form);
    const first = editing ? fields.name : fields.id;
    if (first.localName.includes('-')) {
      customElements.whenDefined(first.localName).then(() => first.updateComplete).then(() => first.focus())
        .catch(() => {});
    } else {
      first.focus();
    }
  }
}

if (!customElements.get(TAG)) {
  customElements.define(TAG, ClassTopClusterMonitor);
}
