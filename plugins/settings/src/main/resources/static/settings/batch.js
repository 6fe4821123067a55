// Changing settings on several clients at once: <classtop-settings-batch client-uuids="a,b,c" lang="en|zh-CN"
// user-role="admin|viewer">, shown by the shell in a dialog for the selection of the clients list (slot
// clients-batch). Rows of key and value, checked before sending, then POST /api/settings/batch and a result
// per client. Dispatches `classtop-close` when the person is done. MDUI 2 components, loaded by the shell.

import { api, strings } from '/ui/kit.js';
import {
  STYLE, accessibleName, el, focusLater, isPlainEnter, isViewer,
} from './common.js';

const TAG = 'classtop-settings-batch';
const MAX_KEY_LENGTH = 128;
/** Client names shown before "and N more". */
const NAMES_SHOWN = 8;

const STRINGS = {
  en: {
    intro: (n) => (n === 1 ? 'Change settings on 1 client:' : `Change settings on ${n} clients:`),
    selected: (n) => (n === 1 ? '1 client selected:' : `${n} clients selected:`),
    more: (n) => `and ${n} more`,
    offline: 'offline', unknown: 'not known to this server', paren: (s) => ` (${s})`,
    noClients: 'No clients are selected: select clients in the list first.',
    viewerOnly: 'Only administrators can change settings. You can look at the settings of each client on its page.',
    key: 'Key', value: 'Value',
    keyOf: (n) => `Key of row ${n}`, valueOf: (n) => `Value of row ${n}`,
    removeRow: (n) => `Remove row ${n}`,
    addRow: 'Add a setting',
    apply: 'Apply', applyAria: (n) => (n === 1 ? 'Apply the settings to 1 client' : `Apply the settings to ${n} clients`),
    cancel: 'Cancel', close: 'Close', back: 'Change the settings again', retry: 'Try the failed ones again',
    sending: (n) => (n === 1 ? 'Sending the settings to 1 client…' : `Sending the settings to ${n} clients…`),
    failedAll: (why) => `The settings were not sent: ${why}`,
    nothing: 'Add at least one setting: a key and its value.',
    keyMissing: (n) => `Row ${n}: enter a key, or remove the row.`,
    keyTooLong: (n) => `Row ${n}: a key can have at most ${MAX_KEY_LENGTH} characters.`,
    keyControl: (n) => `Row ${n}: a key cannot contain control characters (such as a line break).`,
    duplicate: (n, key, first) => `Row ${n}: the key "${key}" is already in row ${first}.`,
    fieldMissing: 'Enter a key', fieldTooLong: `At most ${MAX_KEY_LENGTH} characters`,
    fieldControl: 'No control characters', fieldDuplicate: (first) => `Already in row ${first}`,
    summary: (ok, failed) => `${ok} succeeded, ${failed} failed`,
    sent: (keys) => `Settings sent: ${keys}`,
    client: 'Client', outcome: 'Outcome',
    done: 'Changed', updated: (keys) => `updated ${keys}`,
    failedLabel: 'Failed: ',
    list: (items) => items.join(', '),
  },
  'zh-CN': {
    intro: (n) => `修改 ${n} 个客户端的设置：`,
    selected: (n) => `已选择 ${n} 个客户端：`,
    more: (n) => `等另外 ${n} 个`,
    offline: '离线', unknown: '服务器不认识此客户端', paren: (s) => `（${s}）`,
    noClients: '未选择客户端：请先在列表中选择客户端。',
    viewerOnly: '只有管理员可以修改设置。您可以在每个客户端的页面上查看其设置。',
    key: '键', value: '值',
    keyOf: (n) => `第 ${n} 行的键`, valueOf: (n) => `第 ${n} 行的值`,
    removeRow: (n) => `删除第 ${n} 行`,
    addRow: '添加设置',
    apply: '应用', applyAria: (n) => `将设置应用到 ${n} 个客户端`,
    cancel: '取消', close: '关闭', back: '重新修改设置', retry: '重试失败的客户端',
    sending: (n) => `正在向 ${n} 个客户端发送设置…`,
    failedAll: (why) => `设置未发送：${why}`,
    nothing: '请至少添加一个设置：键和它的值。',
    keyMissing: (n) => `第 ${n} 行：请输入键，或删除这一行。`,
    keyTooLong: (n) => `第 ${n} 行：键最多 ${MAX_KEY_LENGTH} 个字符。`,
    keyControl: (n) => `第 ${n} 行：键不能包含控制字符（例如换行）。`,
    duplicate: (n, key, first) => `第 ${n} 行：键“${key}”已在第 ${first} 行中。`,
    fieldMissing: '请输入键', fieldTooLong: `最多 ${MAX_KEY_LENGTH} 个字符`,
    fieldControl: '不能包含控制字符', fieldDuplicate: (first) => `已在第 ${first} 行中`,
    summary: (ok, failed) => `${ok} 个成功，${failed} 个失败`,
    sent: (keys) => `已发送的设置：${keys}`,
    client: '客户端', outcome: '结果',
    done: '已修改', updated: (keys) => `已更新 ${keys}`,
    failedLabel: '失败：',
    list: (items) => items.join('、'),
  },
};

class ClassTopSettingsBatch extends HTMLElement {
  static get observedAttributes() {
    return ['client-uuids', 'lang', 'user-role'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.rows = []; // {tr, keyField, valueField, removeButton}
    this.clients = new Map(); // uuid -> client view from GET /api/clients/
    this.phase = 'form'; // form | sending | results
    this.sent = null; // the settings of the last POST
    this.results = null; // {uuid: {success, data|error, code}}
    this.problems = []; // validation: [{say: (t) => string}]
    this.failure = null; // the whole POST failed: an Error
    this.clientsRequest = 0;
    this.build();
    this.addRow(false);
  }

  get t() {
    return strings(STRINGS);
  }

  /** The selected uuids, in order, without blanks or duplicates. */
  get uuids() {
    const seen = new Set();
    for (const part of (this.getAttribute('client-uuids') || '').split(',')) {
      const uuid = part.trim();
      if (uuid) {
        seen.add(uuid);
      }
    }
    return [...seen];
  }

  connectedCallback() {
    this.render();
    this.loadClients();
    if (!isViewer(this) && this.uuids.length > 0 && this.phase === 'form') {
      focusLater(this.rows[0].keyField);
    }
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected) {
      return;
    }
    if (name === 'client-uuids') {
      if (this.phase !== 'sending') {
        this.phase = 'form';
        this.results = null;
        this.failure = null;
      }
      this.loadClients();
    }
    this.render();
  }

  /** One call for the names of all clients (GET /api/clients/); without it the uuids are shown. */
  async loadClients() {
    if (this.uuids.length === 0) {
      return;
    }
    const request = ++this.clientsRequest;
    try {
      const list = await api('GET', '/api/clients/');
      if (request !== this.clientsRequest) {
        return;
      }
      this.clients = new Map((Array.isArray(list) ? list : []).map((client) => [client.uuid, client]));
      this.clientsLoaded = true;
      this.render();
    } catch (ignored) {
      // the uuids stay: the names are a convenience
    }
  }

  clientName(uuid) {
    const client = this.clients.get(uuid);
    return (client && client.name) || uuid;
  }

  // ---- building ----

  build() {
    this.introText = el('p', { class: 'intro' });
    this.clientList = el('ul', { class: 'clients' });
    this.viewerNote = el('div', { class: 'message info', role: 'note' });
    this.form = el('div', { class: 'form' });
    this.rowsTable = el('table', { class: 'rows' });
    this.rowsBody = el('tbody');
    this.rowsTable.append(this.rowsBody);
    this.addRowButton = el('mdui-button', {
      'data-action': 'add-row', variant: 'text', icon: 'add', onclick: () => this.addRow(true),
    });
    this.form.append(this.rowsTable, el('div', { class: 'buttons' }, this.addRowButton));
    this.progress = el('mdui-linear-progress', { class: 'loading-bar', hidden: true });
    this.status = el('div', { class: 'live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.resultBox = el('div', { class: 'results' });
    this.footer = el('div', { class: 'buttons footer' });
    this.shadowRoot.replaceChildren(
      el('style', {}, STYLE, BATCH_STYLE),
      this.introText, this.clientList, this.viewerNote, this.form, this.progress, this.status, this.resultBox, this.footer,
    );
  }

  addRow(focus) {
    const row = {};
    const clear = (field) => () => {
      if (field.invalid) {
        field.setCustomValidity('');
      }
      this.problemFields = (this.problemFields || []).filter((p) => p.field !== field);
    };
    const onKeydown = (event) => {
      if (isPlainEnter(event)) {
        event.preventDefault();
        this.apply();
      }
    };
    row.keyField = el('mdui-text-field', {
      name: 'key', variant: 'outlined', maxlength: MAX_KEY_LENGTH, autocomplete: 'off', spellcheck: false,
      onkeydown: onKeydown,
    });
    row.keyField.addEventListener('input', clear(row.keyField));
    row.valueField = el('mdui-text-field', {
      name: 'value', variant: 'outlined', autocomplete: 'off', onkeydown: onKeydown,
    });
    row.removeButton = el('mdui-button-icon', {
      icon: 'delete_outline', 'data-action': 'remove-row', onclick: () => this.removeRow(row),
    });
    row.tr = el('tr', { class: 'row' },
      el('td', { class: 'key' }, row.keyField),
      el('td', { class: 'value' }, row.valueField),
      el('td', { class: 'actions' }, row.removeButton));
    this.rows.push(row);
    this.rowsBody.append(row.tr);
    this.renderRows();
    if (focus) {
      focusLater(row.keyField);
    }
  }

  removeRow(row) {
    if (this.phase === 'sending') {
      return;
    }
    const index = this.rows.indexOf(row);
    if (index < 0) {
      return;
    }
    if (this.rows.length === 1) {
      row.keyField.value = '';
      row.valueField.value = '';
      row.keyField.setCustomValidity('');
      focusLater(row.keyField);
      return;
    }
    this.rows.splice(index, 1);
    row.tr.remove();
    this.renderRows();
    const next = this.rows[Math.min(index, this.rows.length - 1)];
    focusLater(next.keyField);
  }

  // ---- rendering ----

  render() {
    const t = this.t;
    const uuids = this.uuids;
    const viewer = isViewer(this);

    this.introText.textContent = uuids.length === 0 ? t.noClients : viewer ? t.selected(uuids.length) : t.intro(uuids.length);
    const items = uuids.slice(0, NAMES_SHOWN).map((uuid) => {
      const client = this.clients.get(uuid);
      const unknown = this.clientsLoaded && !client;
      const offline = unknown || (client && client.online === false);
      return el('li', { class: offline ? 'offline' : null, title: uuid },
        el('mdui-icon', { name: unknown ? 'help_outline' : offline ? 'desktop_access_disabled' : 'computer' }),
        this.clientName(uuid),
        unknown ? el('span', { class: 'muted' }, t.paren(t.unknown)) : offline ? el('span', { class: 'muted' }, t.paren(t.offline)) : null);
    });
    if (uuids.length > NAMES_SHOWN) {
      items.push(el('li', { class: 'more' }, t.more(uuids.length - NAMES_SHOWN)));
    }
    this.clientList.replaceChildren(...items);
    this.clientList.hidden = uuids.length === 0;

    this.viewerNote.hidden = !viewer;
    this.viewerNote.replaceChildren(el('mdui-icon', { name: 'lock' }), el('span', { class: 'text' }, t.viewerOnly));

    const canChange = !viewer && uuids.length > 0;
    this.form.hidden = !canChange || this.phase === 'results';
    this.renderRows();
    if (this.phase === 'form') {
      this.markProblems();
    }
    this.progress.hidden = this.phase !== 'sending';
    this.renderStatus();
    this.renderResults();
    this.renderFooter(canChange);
  }

  renderRows() {
    const t = this.t;
    const sending = this.phase === 'sending';
    this.rows.forEach((row, i) => {
      const n = i + 1;
      row.keyField.label = t.key;
      row.valueField.label = t.value;
      accessibleName(row.keyField, t.keyOf(n));
      accessibleName(row.valueField, t.valueOf(n));
      accessibleName(row.removeButton, t.removeRow(n));
      row.keyField.disabled = sending;
      row.valueField.disabled = sending;
      row.removeButton.disabled = sending;
    });
    this.addRowButton.textContent = t.addRow;
    this.addRowButton.disabled = sending;
  }

  renderStatus() {
    const t = this.t;
    let kind = null;
    let lines = [];
    if (this.phase === 'sending') {
      kind = 'progress';
      lines = [t.sending(this.sendingTo || this.uuids.length)];
    } else if (this.phase === 'form' && this.problems.length > 0) {
      kind = 'error';
      lines = this.problems.map((problem) => problem(t));
    } else if (this.failure) {
      kind = 'error';
      lines = [t.failedAll(this.failure.message)];
    } else if (this.phase === 'results' && this.results) {
      const { ok, failed } = this.counts();
      kind = failed === 0 ? 'ok' : 'error';
      lines = [t.summary(ok, failed)];
    }
    this.status.className = kind ? `live message ${kind}` : 'live message';
    if (!kind) {
      this.status.replaceChildren();
      return;
    }
    const icon = { ok: 'check_circle', error: 'error' }[kind] || 'hourglass_top';
    this.status.replaceChildren(el('mdui-icon', { name: icon }),
      lines.length === 1 ? el('span', { class: 'text summary' }, lines[0])
        : el('ul', { class: 'text problems' }, lines.map((line) => el('li', {}, line))));
  }

  counts() {
    let ok = 0;
    let failed = 0;
    for (const uuid of Object.keys(this.results || {})) {
      if (this.results[uuid] && this.results[uuid].success) {
        ok++;
      } else {
        failed++;
      }
    }
    return { ok, failed };
  }

  renderResults() {
    const t = this.t;
    if (this.phase !== 'results' || !this.results) {
      this.resultBox.replaceChildren();
      return;
    }
    const keys = Object.keys(this.sent || {});
    const order = [...this.uuids.filter((uuid) => uuid in this.results),
      ...Object.keys(this.results).filter((uuid) => !this.uuids.includes(uuid))];
    const rows = order.map((uuid) => {
      const result = this.results[uuid] || {};
      const name = this.clientName(uuid);
      const outcome = result.success
        ? el('td', { class: 'outcome ok' }, el('mdui-icon', { name: 'check_circle' }),
          el('span', {}, t.done),
          Array.isArray(result.data && result.data.updated) && result.data.updated.length > 0
            ? el('span', { class: 'muted' }, ` · ${t.updated(t.list(result.data.updated))}`) : null)
        : el('td', { class: 'outcome failed' }, el('mdui-icon', { name: 'error' }),
          el('span', {}, t.failedLabel), el('span', { class: 'error-text' }, String(result.error || '')),
          result.code ? el('code', {}, ` ${result.code}`) : null);
      return el('tr', { 'data-client': uuid, class: result.success ? 'ok' : 'failed' },
        el('td', { class: 'client' }, el('div', {}, name),
          name !== uuid ? el('div', { class: 'muted uuid' }, uuid) : null),
        outcome);
    });
    this.resultBox.replaceChildren(
      el('p', { class: 'muted' }, t.sent(t.list(keys))),
      el('table', { class: 'outcomes' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t.client), el('th', { scope: 'col' }, t.outcome))),
        el('tbody', {}, rows)));
  }

  renderFooter(canChange) {
    const t = this.t;
    const buttons = [];
    if (this.phase === 'results') {
      buttons.push(el('mdui-button', { variant: 'text', 'data-action': 'back', onclick: () => this.back() }, t.back));
      if (this.counts().failed > 0) {
        buttons.push(el('mdui-button', { variant: 'tonal', icon: 'replay', 'data-action': 'retry', onclick: () => this.retry() },
          t.retry));
      }
      buttons.push(el('mdui-button', { variant: 'filled', 'data-action': 'close', onclick: () => this.close() }, t.close));
    } else {
      buttons.push(el('mdui-button', {
        variant: 'text', 'data-action': 'close', disabled: this.phase === 'sending', onclick: () => this.close(),
      }, canChange ? t.cancel : t.close));
      if (canChange) {
        const apply = el('mdui-button', {
          variant: 'filled', icon: 'send', 'data-action': 'apply', onclick: () => this.apply(),
        }, t.apply);
        apply.loading = this.phase === 'sending';
        apply.disabled = this.phase === 'sending';
        accessibleName(apply, t.applyAria(this.uuids.length));
        buttons.push(apply);
      }
    }
    this.footer.replaceChildren(...buttons);
  }

  // ---- validation and sending ----

  /** The settings of the rows, or null after showing what is wrong. */
  collect() {
    const problems = [];
    const settings = {};
    const firstRow = new Map();
    let filled = 0;
    this.rows.forEach((row, i) => {
      const n = i + 1;
      const key = String(row.keyField.value || '').trim();
      const value = String(row.valueField.value ?? '');
      row.keyField.setCustomValidity('');
      if (!key && !value) {
        return; // an empty row is left out
      }
      filled++;
      let problem = null;
      let short = null;
      if (!key) {
        problem = (t) => t.keyMissing(n);
        short = (t) => t.fieldMissing;
      } else if (key.length > MAX_KEY_LENGTH) {
        problem = (t) => t.keyTooLong(n);
        short = (t) => t.fieldTooLong;
      // eslint-disable-next-line no-control-regex
      } else if (/[\u0000-\u001f\u007f-\u009f]/.test(key)) {
        problem = (t) => t.keyControl(n);
        short = (t) => t.fieldControl;
      } else if (firstRow.has(key)) {
        const first = firstRow.get(key);
        problem = (t) => t.duplicate(n, key, first);
        short = (t) => t.fieldDuplicate(first);
      }
      if (problem) {
        problems.push({ problem, short, row });
        return;
      }
      firstRow.set(key, n);
      settings[key] = value;
    });
    if (filled === 0) {
      problems.push({ problem: (t) => t.nothing, short: (t) => t.fieldMissing, row: this.rows[0] });
    }
    this.problems = problems.map((p) => p.problem);
    this.problemFields = problems.map((p) => ({ field: p.row.keyField, short: p.short }));
    this.markProblems();
    if (problems.length > 0) {
      focusLater(problems[0].row.keyField);
      return null;
    }
    return settings;
  }

  markProblems() {
    const t = this.t;
    for (const { field, short } of this.problemFields || []) {
      field.setCustomValidity(short(t));
    }
  }

  async apply() {
    if (this.phase !== 'form' || isViewer(this) || this.uuids.length === 0) {
      return;
    }
    this.failure = null;
    const settings = this.collect();
    if (!settings) {
      this.render();
      return;
    }
    await this.send(this.uuids, settings, null);
  }

  async retry() {
    if (this.phase !== 'results' || !this.results || !this.sent) {
      return;
    }
    const failed = Object.keys(this.results).filter((uuid) => !this.results[uuid].success);
    if (failed.length > 0) {
      await this.send(failed, this.sent, this.results);
    }
  }

  /** POSTs the settings to `clients`; the answers are merged into `previous` (a retry) or replace it. */
  async send(clients, settings, previous) {
    this.phase = 'sending';
    this.sendingTo = clients.length;
    this.failure = null;
    this.problems = [];
    this.render();
    try {
      const data = await api('POST', '/api/settings/batch', { clients, settings });
      this.sent = settings;
      this.results = { ...(previous || {}), ...((data && data.results) || {}) };
      this.phase = 'results';
    } catch (error) {
      this.failure = error;
      this.phase = previous ? 'results' : 'form';
    }
    this.render();
    const focus = this.footer.querySelector(this.phase === 'results' ? '[data-action=close]' : '[data-action=apply]');
    if (focus) {
      focusLater(focus);
    }
  }

  back() {
    this.phase = 'form';
    this.results = null;
    this.failure = null;
    this.render();
    if (this.rows.length > 0) {
      focusLater(this.rows[0].keyField);
    }
  }

  close() {
    this.dispatchEvent(new CustomEvent('classtop-close', { bubbles: true, composed: true }));
  }
}

const BATCH_STYLE = `
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .intro { margin: 0 0 4px; }
  ul.clients { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 12px; padding: 0; }
  ul.clients li { display: inline-flex; align-items: center; gap: 4px; padding: 2px 10px; border-radius: 8px;
                  font-size: 0.875rem; border: 1px solid rgb(var(--mdui-color-outline-variant, 202, 196, 208)); }
  ul.clients li mdui-icon { font-size: 18px; }
  ul.clients li.more { border-style: dashed; }
  ul.clients li.offline { color: rgb(var(--mdui-color-on-surface-variant, 73, 69, 79)); }
  table.rows td, table.rows th { border-bottom: 0; padding: 4px 8px 4px 0; }
  table.rows td.key, table.rows td.value { width: 50%; font-family: inherit; }
  table.rows mdui-text-field { width: 100%; }
  .footer { justify-content: flex-end; margin-top: 16px; }
  .problems { margin: 0; padding-left: 1.2em; }
  td.outcome mdui-icon { font-size: 18px; vertical-align: -4px; margin-right: 4px; }
  td.outcome.ok mdui-icon { color: rgb(var(--mdui-color-primary, 103, 80, 164)); }
  td.outcome.failed mdui-icon, td.outcome.failed .error-text { color: rgb(var(--mdui-color-error, 179, 38, 30)); }
  td.outcome code { font-size: 0.75rem; color: rgb(var(--mdui-color-on-surface-variant, 73, 69, 79)); }
  td.client .uuid { font-family: ui-monospace, Consolas, monospace; font-size: 0.75rem; }
`;

if (!customElements.get(TAG)) {
  customElements.define(TAG, ClassTopSettingsBatch);
}
