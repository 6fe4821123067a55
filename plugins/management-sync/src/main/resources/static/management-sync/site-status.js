// Dashboard card of an LMS that reports to a management server: <classtop-management-sync-site>.
// Hidden (with its card) when the LMS reports to no management server. Shows whether the LMS is registered and connected, its outbox (what it still owes the centre while the centre
// is unreachable: size / bound, dropped, refused), the last heartbeat and the last error. Refreshes every 5 s
// while the page is visible. The API, the language and the time formatting come from the core's UI kit.

import { api, formatAge, strings } from '/ui/kit.js';

const TEXT = {
  en: {
    title: 'Management server', off: 'This LMS does not report to a management server (start it with --management-url).',
    centre: 'Centre', registered: 'Registered', connected: 'Live link', yes: 'yes', no: 'no',
    outbox: 'Outbox', ofMax: (n, max) => `${n} of at most ${max}`, dropped: 'Dropped (outbox full)',
    rejected: 'Refused by the centre', sent: 'Sent', lastHeartbeat: 'Last heartbeat', never: 'never',
    lastError: 'Last error', relayed: 'Commands relayed', failed: 'The status could not be loaded',
  },
  'zh-CN': {
    title: '管理服务器', off: '此 LMS 未向管理服务器报告（使用 --management-url 启动）。',
    centre: '中心', registered: '已注册', connected: '实时连接', yes: '是', no: '否',
    outbox: '待发送', ofMax: (n, max) => `${n} / 上限 ${max}`, dropped: '已丢弃（待发送已满）',
    rejected: '被中心拒绝', sent: '已发送', lastHeartbeat: '最后心跳', never: '从未',
    lastError: '最后错误', relayed: '已转发命令', failed: '无法加载状态',
  },
};

class ManagementSyncSite extends HTMLElement {
  connectedCallback() {
    this.refresh();
    this.timer = setInterval(() => { if (!document.hidden) this.refresh(); }, 5000);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  async refresh() {
    const s = strings(TEXT);
    try {
      this.render(s, await api('GET', '/api/management-sync/status'));
    } catch (error) {
      this.replaceChildren(line(`${s.failed}: ${error.message}`));
    }
  }

  render(s, status) {
    // An LMS that reports to no centre (and the centre itself) shows no card at all: hide the shell's card around us.
    const card = this.closest('.panel-card');
    if (card) card.style.display = status.enabled ? '' : 'none';
    if (!status.enabled) {
      clearInterval(this.timer); // inert until the server restarts with --management-url
      this.replaceChildren(line(s.off));
      return;
    }
    const rows = [
      [s.centre, status.management_url],
      [s.registered, status.registered ? s.yes : s.no],
      [s.connected, status.connected ? s.yes : s.no],
      [s.outbox, s.ofMax(status.outbox.size, status.outbox.max)],
      [s.dropped, status.outbox.dropped],
      [s.rejected, status.outbox.rejected],
      [s.sent, status.outbox.sent],
      [s.relayed, status.relayed],
      [s.lastHeartbeat, status.last_heartbeat_at ? formatAge(status.last_heartbeat_at) : s.never],
    ];
    if (status.last_error) rows.push([s.lastError, status.last_error]);
    const table = document.createElement('table');
    table.className = 'management-sync-site';
    for (const [name, value] of rows) {
      const tr = table.insertRow();
      const th = document.createElement('th');
      th.textContent = name;
      th.style.textAlign = 'start';
      th.style.fontWeight = 'normal';
      th.style.paddingInlineEnd = '2em';
      tr.append(th);
      tr.insertCell().textContent = String(value);
    }
    this.replaceChildren(table);
  }
}

function line(text) {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

if (!customElements.get('classtop-management-sync-site')) {
  customElements.define('classtop-management-sync-site', ManagementSyncSite);
}
