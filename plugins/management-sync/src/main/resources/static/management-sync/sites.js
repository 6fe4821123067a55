// The management centre's page: <management-sync-sites lang="en|zh-CN" user-role="admin|viewer">.
// Three views: Sites (every LMS with its status from heartbeats, drill-down to its clients), Clients (merged
// across sites, with search, drill-down to a client and what it synced) and Console (a command to any client
// through POST /api/control/command). Plain JavaScript, native form controls styled like the shell, MDUI
// buttons where the shell loaded them. API strings go in with textContent only. On an LMS the page says
// that it belongs to a management server.

import { api, formatAge, formatTime, strings } from '/ui/kit.js';

const TEXT = {
  en: {
    title: 'Sites', sites: 'Sites', clients: 'Clients', console: 'Console', refresh: 'Refresh', loading: 'Loading…',
    notCentre: 'This server is an LMS. Sites, merged clients and the command console are on the management server (--role management).',
    noSites: 'No LMS has registered yet. Start an LMS with --management-url pointing here.',
    name: 'Name', status: 'Status', lastHeartbeat: 'Last heartbeat', clientCount: 'Clients', version: 'Version',
    outbox: 'Outbox', link: 'Command link', connected: 'connected', notConnected: 'not connected', never: 'never',
    online: 'online', offline: 'offline', unknown: 'unknown',
    back: 'Back', site: 'Site', uuid: 'UUID', via: 'Reached', direct: 'directly', viaLms: 'through its LMS', none: 'no route',
    siteClients: (name) => `Clients of ${name}`, noClients: 'No clients.',
    search: 'Search by name, uuid or site', total: (n) => `${n} client${n === 1 ? '' : 's'}`,
    rotate: 'New API key', remove: 'Remove', confirmRotate: (name) => `Give ${name} a new API key? The current key stops working at once; the LMS must be given the new one.`,
    confirmRemove: (name) => `Remove ${name}? Its key stops working; its clients stay known.`,
    newKey: (key) => `New API key (shown once): ${key}`, removed: (name) => `${name} removed.`,
    command: 'Command', target: 'Client uuid', params: 'Parameters (JSON)', timeout: 'Timeout (s)', send: 'Send',
    sending: 'Sending…', answer: 'Answer', failed: 'Failed', badJson: 'The parameters are not a JSON object.',
    viewerNote: 'You can look; only administrators can send commands or change sites.',
    synced: 'Synced data', courses: 'Courses', schedules: 'Schedules', settings: 'Settings', cameras: 'Cameras',
    lastSync: 'Last sync', sendCommand: 'Send a command',
  },
  'zh-CN': {
    title: '站点', sites: '站点', clients: '客户端', console: '控制台', refresh: '刷新', loading: '正在加载…',
    notCentre: '此服务器是 LMS。站点、合并的客户端列表和命令控制台在管理服务器上（--role management）。',
    noSites: '还没有 LMS 注册。请用指向本服务器的 --management-url 启动 LMS。',
    name: '名称', status: '状态', lastHeartbeat: '最后心跳', clientCount: '客户端', version: '版本',
    outbox: '待发队列', link: '命令连接', connected: '已连接', notConnected: '未连接', never: '从未',
    online: '在线', offline: '离线', unknown: '未知',
    back: '返回', site: '站点', uuid: 'UUID', via: '到达方式', direct: '直接连接', viaLms: '经由其 LMS', none: '无法到达',
    siteClients: (name) => `${name} 的客户端`, noClients: '没有客户端。',
    search: '按名称、UUID 或站点搜索', total: (n) => `${n} 个客户端`,
    rotate: '新的 API 密钥', remove: '删除', confirmRotate: (name) => `为 ${name} 生成新的 API 密钥？当前密钥立即失效，需要把新密钥交给该 LMS。`,
    confirmRemove: (name) => `删除 ${name}？其密钥失效，其客户端仍会保留。`,
    newKey: (key) => `新的 API 密钥（只显示这一次）：${key}`, removed: (name) => `已删除 ${name}。`,
    command: '命令', target: '客户端 UUID', params: '参数（JSON）', timeout: '超时（秒）', send: '发送',
    sending: '正在发送…', answer: '回答', failed: '失败', badJson: '参数不是一个 JSON 对象。',
    viewerNote: '您可以查看；只有管理员可以发送命令或修改站点。',
    synced: '已同步的数据', courses: '课程', schedules: '课程表', settings: '设置', cameras: '摄像头',
    lastSync: '最后同步', sendCommand: '发送命令',
  },
};

const STYLE = `
  management-sync-sites { display: block; }
  management-sync-sites nav.views { display: flex; gap: 8px; margin: 8px 0 16px; flex-wrap: wrap; }
  management-sync-sites nav.views button[aria-pressed=true] { font-weight: 600; text-decoration: underline; }
  management-sync-sites table { border-collapse: collapse; width: 100%; }
  management-sync-sites th, management-sync-sites td { text-align: start; padding: 6px 8px; border-bottom: 1px solid rgba(127,127,127,.25); }
  management-sync-sites tr.row { cursor: pointer; }
  management-sync-sites tr.row:hover { background: rgba(127,127,127,.08); }
  management-sync-sites .status.online { color: #1b7f3b; font-weight: 600; }
  management-sync-sites .status.offline, management-sync-sites .status.unknown { color: #a23b2a; font-weight: 600; }
  management-sync-sites .notice { margin: 8px 0; padding: 8px 12px; border-radius: 8px; background: rgba(127,127,127,.12); }
  management-sync-sites .error { color: #a23b2a; }
  management-sync-sites form { display: grid; gap: 8px; max-width: 640px; }
  management-sync-sites input, management-sync-sites textarea { font: inherit; padding: 6px 8px; }
  management-sync-sites pre.answer { white-space: pre-wrap; word-break: break-all; background: rgba(127,127,127,.1); padding: 8px; }
  management-sync-sites .actions { display: flex; gap: 8px; margin: 8px 0; flex-wrap: wrap; }
`;

function text() {
  return strings(TEXT);
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function statusCell(status) {
  const t = text();
  return el('td', { class: `status ${status}` }, t[status] || status || t.unknown);
}

class ManagementSyncSites extends HTMLElement {
  static observedAttributes = ['lang', 'user-role'];

  constructor() {
    super();
    this.view = 'sites';
    this.sites = null;
    this.site = null;          // drill-down: { site, clients }
    this.clients = null;       // merged list answer
    this.client = null;        // drill-down of one client
    this.query = '';
    this.error = null;
    this.notice = null;
    this.notCentre = false;
    this.consoleState = { target: '', command: '', params: '{}', timeout: '30', answer: null, error: null, sending: false };
  }

  connectedCallback() {
    if (!document.getElementById('management-sync-style')) {
      document.head.append(el('style', { id: 'management-sync-style' }, STYLE));
    }
    this.timer = setInterval(() => { if (!document.hidden) this.load(); }, 10000);
    this.load();
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }

  get viewer() {
    return (this.getAttribute('user-role') || '').toLowerCase() === 'viewer';
  }

  async load() {
    if (this.view === 'console' && !this.notCentre && this.sites) {
      return; // nothing to fetch; a re-render would disturb what is being typed
    }
    try {
      if (this.view === 'sites') {
        this.sites = await api('GET', '/api/lms');
        if (this.site) {
          const id = this.site.site.lms_id;
          this.site = { site: await api('GET', `/api/lms/${encodeURIComponent(id)}`),
            clients: await api('GET', `/api/lms/${encodeURIComponent(id)}/clients`) };
        }
      } else if (this.view === 'clients') {
        if (this.client) {
          this.client = await api('GET', `/api/management/clients/${encodeURIComponent(this.client.uuid)}`);
        } else {
          this.clients = await api('GET', `/api/management/clients?limit=500&q=${encodeURIComponent(this.query)}`);
        }
      }
      this.error = null;
    } catch (error) {
      if (error.code === 'NOT_A_MANAGEMENT_SERVER') this.notCentre = true;
      else this.error = error.message;
    }
    this.render();
  }

  show(view) {
    this.view = view;
    this.site = null;
    this.client = null;
    this.notice = null;
    this.render();
    this.load();
  }

  render() {
    const t = text();
    const focused = document.activeElement && this.contains(document.activeElement) ? document.activeElement.name : null;
    this.replaceChildren();
    this.append(el('h2', {}, t.title));
    if (this.notCentre) {
      this.append(el('p', { class: 'notice not-centre' }, t.notCentre));
      return;
    }
    const tab = (view, label) => el('button', { type: 'button', class: `view-${view}`, 'aria-pressed': this.view === view ? 'true' : 'false',
      onclick: () => this.show(view) }, label);
    this.append(el('nav', { class: 'views' }, tab('sites', t.sites), tab('clients', t.clients), tab('console', t.console),
      el('button', { type: 'button', class: 'refresh', onclick: () => this.load() }, t.refresh)));
    if (this.viewer) this.append(el('p', { class: 'notice viewer-note' }, t.viewerNote));
    if (this.notice) this.append(el('p', { class: 'notice result' }, this.notice));
    if (this.error) this.append(el('p', { class: 'error load-error' }, this.error));
    if (this.view === 'sites') this.append(this.site ? this.renderSite() : this.renderSites());
    else if (this.view === 'clients') this.append(this.client ? this.renderClient() : this.renderClients());
    else this.append(this.renderConsole());
    if (focused) {
      const field = this.querySelector(`[name="${focused}"]`);
      if (field) field.focus();
    }
  }

  renderSites() {
    const t = text();
    if (!this.sites) return el('p', { class: 'loading' }, t.loading);
    if (this.sites.length === 0) return el('p', { class: 'empty' }, t.noSites);
    return el('table', { class: 'sites' },
      el('thead', {}, el('tr', {}, [t.name, t.status, t.lastHeartbeat, t.clientCount, t.version, t.outbox, t.link].map((h) => el('th', {}, h)))),
      el('tbody', {}, this.sites.map((s) => el('tr', { class: 'row site', 'data-id': s.lms_id, 'data-uuid': s.lms_uuid, tabindex: 0,
        onclick: () => this.openSite(s), onkeydown: (e) => { if (e.key === 'Enter') this.openSite(s); } },
      el('td', { class: 'name' }, s.name),
      statusCell(s.status),
      el('td', { class: 'last-heartbeat', title: s.last_heartbeat ? formatTime(s.last_heartbeat) : '' },
        s.last_heartbeat ? formatAge(s.last_heartbeat) : t.never),
      el('td', { class: 'client-count' }, `${s.online_count}/${s.client_count}`),
      el('td', { class: 'version' }, s.version || '—'),
      el('td', { class: 'outbox' }, s.outbox === null || s.outbox === undefined ? '—' : String(s.outbox)),
      el('td', { class: 'link' }, s.connected ? t.connected : t.notConnected)))));
  }

  async openSite(s) {
    this.site = { site: s, clients: null };
    this.render();
    await this.load();
  }

  renderSite() {
    const t = text();
    const s = this.site.site;
    const box = el('section', { class: 'site-detail', 'data-id': s.lms_id });
    box.append(el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'back', onclick: () => { this.site = null; this.render(); } }, t.back),
      this.viewer ? null : el('button', { type: 'button', class: 'rotate', onclick: () => this.rotate(s) }, t.rotate),
      this.viewer ? null : el('button', { type: 'button', class: 'remove', onclick: () => this.remove(s) }, t.remove)));
    box.append(el('h3', {}, t.siteClients(s.name)));
    box.append(el('p', {}, `${t.status}: `, el('span', { class: `status ${s.status}` }, t[s.status] || s.status),
      ` · ${t.lastHeartbeat}: ${s.last_heartbeat ? formatTime(s.last_heartbeat) : t.never} · ${t.version}: ${s.version || '—'}`));
    if (!this.site.clients) {
      box.append(el('p', { class: 'loading' }, t.loading));
    } else if (this.site.clients.length === 0) {
      box.append(el('p', { class: 'empty' }, t.noClients));
    } else {
      box.append(this.clientTable(this.site.clients, false));
    }
    return box;
  }

  async rotate(s) {
    const t = text();
    if (!window.confirm(t.confirmRotate(s.name))) return;
    try {
      const answer = await api('POST', `/api/lms/${encodeURIComponent(s.lms_id)}/rotate-key`, {});
      this.notice = t.newKey(answer.api_key);
    } catch (error) {
      this.notice = error.message;
    }
    this.render();
  }

  async remove(s) {
    const t = text();
    if (!window.confirm(t.confirmRemove(s.name))) return;
    try {
      await api('DELETE', `/api/lms/${encodeURIComponent(s.lms_id)}`);
      this.notice = t.removed(s.name);
      this.site = null;
    } catch (error) {
      this.notice = error.message;
    }
    this.load();
  }

  clientTable(list, withSite) {
    const t = text();
    const headers = [t.name, t.uuid, ...(withSite ? [t.site] : []), t.status, t.via, t.lastSync];
    const via = (c) => (c.via === 'direct' ? t.direct : c.via === 'lms' ? t.viaLms : t.none);
    return el('table', { class: 'clients' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, list.map((c) => el('tr', { class: 'row client', 'data-uuid': c.uuid, tabindex: 0,
        onclick: () => this.openClient(c), onkeydown: (e) => { if (e.key === 'Enter') this.openClient(c); } },
      el('td', { class: 'name' }, c.name || c.uuid),
      el('td', { class: 'uuid' }, c.uuid),
      withSite ? el('td', { class: 'site' }, c.lms_name || '—') : null,
      statusCell(c.status),
      el('td', { class: 'via' }, via(c)),
      el('td', { class: 'last-sync' }, c.last_sync ? formatTime(c.last_sync) : '—')))));
  }

  openClient(c) {
    this.view = 'clients';
    this.client = { uuid: c.uuid };
    this.render();
    this.load();
  }

  renderClients() {
    const t = text();
    const box = el('section', { class: 'merged' });
    const form = el('form', { class: 'search', onsubmit: (e) => { e.preventDefault(); this.load(); } },
      el('input', { type: 'search', name: 'q', value: this.query, placeholder: t.search, 'aria-label': t.search,
        oninput: (e) => { this.query = e.target.value; clearTimeout(this.searchTimer); this.searchTimer = setTimeout(() => this.load(), 250); } }));
    box.append(form);
    if (!this.clients) {
      box.append(el('p', { class: 'loading' }, t.loading));
      return box;
    }
    box.append(el('p', { class: 'total' }, t.total(this.clients.total)));
    if (this.clients.items.length > 0) box.append(this.clientTable(this.clients.items, true));
    return box;
  }

  renderClient() {
    const t = text();
    const c = this.client;
    const box = el('section', { class: 'client-detail', 'data-uuid': c.uuid });
    box.append(el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'back', onclick: () => { this.client = null; this.load(); } }, t.back),
      this.viewer ? null : el('button', { type: 'button', class: 'command', onclick: () => {
        this.consoleState.target = c.uuid;
        this.show('console');
      } }, t.sendCommand)));
    if (!c.synced) {
      box.append(el('p', { class: 'loading' }, t.loading));
      return box;
    }
    box.append(el('h3', {}, c.name || c.uuid));
    box.append(el('p', {}, `${t.uuid}: ${c.uuid} · ${t.site}: ${c.lms_name || '—'} · ${t.status}: `,
      el('span', { class: `status ${c.status}` }, t[c.status] || c.status)));
    box.append(el('h4', {}, t.synced));
    const s = c.synced;
    box.append(el('ul', { class: 'synced' },
      el('li', { class: 'courses' }, `${t.courses}: ${s.courses.length}`),
      el('li', { class: 'schedules' }, `${t.schedules}: ${s.schedules.length}`),
      el('li', { class: 'settings' }, `${t.settings}: ${Object.keys(s.settings || {}).length}`),
      el('li', { class: 'cameras' }, `${t.cameras}: ${s.cameras.map((cam) => cam.name || cam.camera_id).join(', ') || '—'}`)));
    return box;
  }

  renderConsole() {
    const t = text();
    const st = this.consoleState;
    const box = el('section', { class: 'console' });
    const form = el('form', { class: 'command-form', onsubmit: (e) => { e.preventDefault(); this.send(); } },
      el('label', {}, t.target, el('input', { name: 'target', required: true, value: st.target, oninput: (e) => { st.target = e.target.value; } })),
      el('label', {}, t.command, el('input', { name: 'command', required: true, value: st.command, oninput: (e) => { st.command = e.target.value; } })),
      el('label', {}, t.params, el('textarea', { name: 'params', rows: 4, oninput: (e) => { st.params = e.target.value; } }, st.params)),
      el('label', {}, t.timeout, el('input', { name: 'timeout', type: 'number', min: 1, max: 595, value: st.timeout,
        oninput: (e) => { st.timeout = e.target.value; } })),
      el('button', { type: 'submit', class: 'send', disabled: this.viewer || st.sending }, st.sending ? t.sending : t.send));
    box.append(form);
    if (st.error) box.append(el('p', { class: 'error command-error' }, st.error));
    if (st.answer !== null) box.append(el('h4', {}, t.answer), el('pre', { class: 'answer' }, JSON.stringify(st.answer, null, 2)));
    return box;
  }

  async send() {
    const t = text();
    const st = this.consoleState;
    let params;
    try {
      params = JSON.parse(st.params || '{}');
      if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new Error();
    } catch {
      st.error = t.badJson;
      st.answer = null;
      this.render();
      return;
    }
    st.sending = true;
    st.error = null;
    st.answer = null;
    this.render();
    try {
      st.answer = await api('POST', '/api/control/command', { target_client: st.target.trim(), command: st.command.trim(), params,
        timeout: Number(st.timeout) || 30 });
    } catch (error) {
      st.error = `${t.failed}: ${error.message}`;
    }
    st.sending = false;
    this.render();
  }
}

customElements.define('management-sync-sites', ManagementSyncSites);
