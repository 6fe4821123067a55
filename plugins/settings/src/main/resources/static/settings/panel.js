// The settings tab of a client's page: <classtop-settings-panel client-uuid="..." lang="en|zh-CN" user-role="admin|viewer">.
// Lists every setting of the client, sorted by key, with a filter when there are many. An admin changes a
// value in its row (Enter saves, Escape cancels), deletes one (after a confirmation) and adds new settings;
// a viewer only reads. While the client is offline, Edit, Save, Delete and Add are disabled. Refreshes on
// the live events settings.changed and client.connected of its client. MDUI 2 components, loaded by the shell.

import { api, onEvent, onReconnect, strings } from '/ui/kit.js';
import {
  STYLE, accessibleName, el, focusLater, isPlainEnter, isViewer,
} from './common.js';

const TAG = 'classtop-settings-panel';
/** From this many settings on, a filter box is shown. */
const FILTER_FROM = 8;
const MAX_KEY_LENGTH = 128;

const STRINGS = {
  en: {
    loading: 'Loading settings…',
    empty: 'This client has no settings yet.',
    emptyAdmin: 'This client has no settings yet. Add the first one below.',
    key: 'Key', value: 'Value', actions: 'Actions',
    count: (n) => (n === 1 ? '1 setting' : `${n} settings`),
    countFiltered: (shown, n) => `${shown} of ${n} settings`,
    filter: 'Filter settings', filterHelp: 'Part of a key or a value',
    noMatch: (q) => `No setting matches "${q}".`,
    refresh: 'Reload the settings',
    loadFailed: (why) => `The settings could not be loaded: ${why}`,
    retry: 'Try again',
    edit: (key) => `Edit ${key}`,
    valueOf: (key) => `New value of ${key}`,
    save: 'Save', cancel: 'Cancel',
    saveKey: (key) => `Save ${key}`, cancelKey: (key) => `Cancel editing ${key}`,
    saving: (key) => `Saving ${key}…`,
    saved: (key) => `${key} saved.`,
    unchanged: (key) => `${key} was not changed.`,
    saveFailed: (key, why) => `${key} could not be saved: ${why}`,
    addTitle: 'Add a setting',
    newKey: 'New key', newValue: 'Value', add: 'Add', addAria: 'Add the new setting',
    adding: (key) => `Adding ${key}…`,
    added: (key) => `${key} added.`,
    addFailed: (key, why) => `${key} could not be added: ${why}`,
    keyMissing: 'Enter a key for the new setting.',
    keyTooLong: `A key can have at most ${MAX_KEY_LENGTH} characters.`,
    keyControl: 'A key cannot contain control characters (such as a line break).',
    keyExists: (key) => `${key} already exists: change it in its row.`,
    readOnly: 'You can look at the settings; only administrators can change them.',
    offline: 'This client is offline: the settings shown may be out of date and cannot be changed until it reconnects.',
    dismiss: 'Dismiss',
    noClient: 'No client is selected.',
    deleteKey: (key) => `Delete ${key}`,
    confirmDelete: (key) => `Delete the setting ${key} from this client?`,
    deleting: (key) => `Deleting ${key}…`,
    deleted: (key) => `${key} deleted.`,
    deleteFailed: (key, why) => `${key} could not be deleted: ${why}`,
    offlineAction: 'The client is offline: settings can be changed once it reconnects.',
  },
  'zh-CN': {
    loading: '正在加载设置…',
    empty: '此客户端还没有设置。',
    emptyAdmin: '此客户端还没有设置。可在下方添加第一个设置。',
    key: '键', value: '值', actions: '操作',
    count: (n) => `${n} 个设置`,
    countFiltered: (shown, n) => `显示 ${shown} / ${n} 个设置`,
    filter: '筛选设置', filterHelp: '键或值的一部分',
    noMatch: (q) => `没有与“${q}”匹配的设置。`,
    refresh: '重新加载设置',
    loadFailed: (why) => `无法加载设置：${why}`,
    retry: '重试',
    edit: (key) => `编辑 ${key}`,
    valueOf: (key) => `${key} 的新值`,
    save: '保存', cancel: '取消',
    saveKey: (key) => `保存 ${key}`, cancelKey: (key) => `取消编辑 ${key}`,
    saving: (key) => `正在保存 ${key}…`,
    saved: (key) => `已保存 ${key}。`,
    unchanged: (key) => `${key} 未改变。`,
    saveFailed: (key, why) => `无法保存 ${key}：${why}`,
    addTitle: '添加设置',
    newKey: '新键', newValue: '值', add: '添加', addAria: '添加新设置',
    adding: (key) => `正在添加 ${key}…`,
    added: (key) => `已添加 ${key}。`,
    addFailed: (key, why) => `无法添加 ${key}：${why}`,
    keyMissing: '请输入新设置的键。',
    keyTooLong: `键最多 ${MAX_KEY_LENGTH} 个字符。`,
    keyControl: '键不能包含控制字符（例如换行）。',
    keyExists: (key) => `${key} 已存在：请在它所在的行中修改。`,
    readOnly: '您可以查看设置；只有管理员可以修改。',
    offline: '此客户端已离线：显示的设置可能不是最新的，重新连接之前无法修改。',
    dismiss: '关闭',
    noClient: '未选择客户端。',
    deleteKey: (key) => `删除 ${key}`,
    confirmDelete: (key) => `要从此客户端删除设置 ${key} 吗？`,
    deleting: (key) => `正在删除 ${key}…`,
    deleted: (key) => `已删除 ${key}。`,
    deleteFailed: (key, why) => `无法删除 ${key}：${why}`,
    offlineAction: '客户端已离线：重新连接后才能修改设置。',
  },
};

class ClassTopSettingsPanel extends HTMLElement {
  static get observedAttributes() {
    return ['client-uuid', 'lang', 'user-role'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.settings = null; // {key: value} once loaded
    this.loadError = null;
    this.loading = false;
    this.request = 0;
    this.offline = false;
    this.editing = null; // {key, field, save, cancel, saving}
    this.adding = false;
    this.deleting = null; // the key being deleted
    this.message = null; // {kind, say: (t) => string}
    this.messageTimer = null;
    this.reloadTimer = null;
    this.rows = new Map(); // key -> <tr>
    this.unsubscribe = null; // from the live feed, while connected
    this.build();
  }

  get uuid() {
    return this.getAttribute('client-uuid') || '';
  }

  get t() {
    return strings(STRINGS);
  }

  connectedCallback() {
    this.unsubscribe?.();
    const stops = [
      onEvent('settings.changed', (message) => this.live(message), this),
      onEvent('client.*', (message) => this.live(message), this),
      onReconnect(() => this.reloadSoon(), this), // events may have been missed
    ];
    this.unsubscribe = () => stops.forEach((stop) => stop());
    this.render();
    this.load();
  }

  disconnectedCallback() {
    this.unsubscribe?.();
    this.unsubscribe = null;
    clearTimeout(this.reloadTimer);
    clearTimeout(this.messageTimer);
    this.reloadTimer = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected) {
      return;
    }
    if (name === 'client-uuid') {
      this.settings = null;
      this.offline = false;
      this.editing = null;
      this.rows.clear();
      this.tbody.replaceChildren();
      this.say(null);
      this.render();
      this.load();
    } else {
      if (name === 'user-role' && isViewer(this)) {
        this.editing = null;
        if (this.message && this.message.kind !== 'ok') {
          this.say(null);
        }
        this.newKey.setCustomValidity('');
      }
      this.render();
    }
  }

  // ---- data ----

  async load() {
    const uuid = this.uuid;
    if (!uuid) {
      this.render();
      return;
    }
    const request = ++this.request;
    this.loading = true;
    this.renderProgress();
    try {
      const data = await api('GET', `/api/settings/${encodeURIComponent(uuid)}`);
      if (request !== this.request) {
        return; // a newer load is under way
      }
      this.settings = { ...((data && data.settings) || {}) };
      this.loadError = null;
      this.offline = false;
    } catch (error) {
      if (request !== this.request) {
        return;
      }
      this.loadError = error;
      if (error.code === 'CLIENT_OFFLINE') {
        this.offline = true;
      }
    } finally {
      if (request === this.request) {
        this.loading = false;
      }
    }
    this.render();
  }

  /** Several events close together cause one reload. */
  reloadSoon() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => this.load(), 250);
  }

  live(message) {
    if (!message || !this.isConnected) {
      return;
    }
    if (message.client_uuid !== this.uuid) {
      return;
    }
    if (message.name === 'settings.changed' || message.name === 'client.connected') {
      this.offline = false;
      this.reloadSoon();
    } else if (message.name === 'client.disconnected') {
      this.offline = true;
      this.render();
    }
  }

  // ---- messages (an aria-live region) ----

  say(kind, say) {
    clearTimeout(this.messageTimer);
    this.message = kind ? { kind, say } : null;
    if (kind === 'ok') {
      this.messageTimer = setTimeout(() => this.say(null), 8000);
    }
    this.renderMessage();
  }

  // ---- building and rendering ----

  build() {
    this.progress = el('mdui-linear-progress', { class: 'loading-bar', hidden: true });
    this.countText = el('span', { class: 'muted grow', 'aria-live': 'polite' });
    this.filterField = el('mdui-text-field', {
      name: 'filter', variant: 'outlined', clearable: true, icon: 'search', hidden: true,
      oninput: () => this.renderRows(),
      onchange: () => this.renderRows(),
      onclear: () => this.renderRows(),
    });
    this.refreshButton = el('mdui-button-icon', { icon: 'refresh', 'data-action': 'refresh', onclick: () => this.load() });
    this.notice = el('div', { class: 'message info', role: 'note', hidden: true });
    this.status = el('div', { class: 'live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.loadBox = el('div', { class: 'message error', role: 'alert', hidden: true });
    this.noteText = el('p', { class: 'muted' });
    this.table = el('table', { class: 'settings', hidden: true });
    this.thead = el('thead');
    this.tbody = el('tbody');
    this.table.append(this.thead, this.tbody);
    this.emptyText = el('p', { class: 'muted', hidden: true });
    this.body = el('div', { class: 'body' }, this.loadBox, this.noteText, this.table, this.emptyText);

    this.addTitle = el('h3');
    this.newKey = el('mdui-text-field', {
      name: 'new-key', variant: 'outlined', maxlength: MAX_KEY_LENGTH, autocomplete: 'off', spellcheck: false,
      onkeydown: (event) => this.addKeydown(event, true),
      oninput: () => this.newKey.setCustomValidity(''),
    });
    this.newValue = el('mdui-text-field', {
      name: 'new-value', variant: 'outlined', autocomplete: 'off',
      onkeydown: (event) => this.addKeydown(event),
    });
    this.addButton = el('mdui-button', { 'data-action': 'add', variant: 'tonal', icon: 'add', onclick: () => this.add() });
    this.addForm = el('section', { class: 'add' },
      this.addTitle,
      el('div', { class: 'add-row' }, this.newKey, this.newValue, this.addButton));

    this.shadowRoot.replaceChildren(
      el('style', {}, STYLE, PANEL_STYLE, PHONE_STYLE),
      el('div', { class: 'toolbar' }, this.countText, this.filterField, this.refreshButton),
      this.progress,
      this.notice,
      this.status,
      this.body,
      this.addForm,
    );
  }

  render() {
    const t = this.t;
    const viewer = isViewer(this);
    accessibleName(this.refreshButton, t.refresh);
    this.refreshButton.disabled = !this.uuid;
    this.filterField.label = t.filter;
    this.filterField.helper = t.filterHelp;
    accessibleName(this.filterField, t.filter);
    this.renderProgress();

    // the read-only or offline note
    const note = !viewer ? (this.offline && this.settings ? t.offline : null) : t.readOnly;
    this.notice.hidden = !note;
    this.notice.replaceChildren(...(note ? [el('mdui-icon', { name: viewer ? 'visibility' : 'cloud_off' }),
      el('span', { class: 'text' }, note)] : []));

    this.renderMessage();
    this.renderBody();

    // the add form
    this.addForm.hidden = viewer || this.settings === null;
    this.addTitle.textContent = t.addTitle;
    this.newKey.label = t.newKey;
    this.newValue.label = t.newValue;
    accessibleName(this.newKey, t.newKey);
    if (this.newKey.invalid) {
      this.newKey.setCustomValidity(this.checkNewKey(String(this.newKey.value || '').trim(), t) || '');
    }
    accessibleName(this.newValue, t.newValue);
    this.addButton.textContent = t.add;
    accessibleName(this.addButton, t.addAria);
    this.addButton.loading = this.adding;
    this.addButton.disabled = this.adding || this.offline;
    this.newKey.disabled = this.adding;
    this.newValue.disabled = this.adding;
  }

  renderProgress() {
    this.progress.hidden = !(this.loading || (this.editing && this.editing.saving) || this.adding);
  }

  renderMessage() {
    const t = this.t;
    const m = this.message;
    this.status.className = m ? `live message ${m.kind}` : 'live message';
    if (!m) {
      this.status.replaceChildren();
      return;
    }
    const icon = { ok: 'check_circle', error: 'error', info: 'info' }[m.kind] || 'hourglass_top';
    const close = el('mdui-button-icon', { icon: 'close', class: 'dismiss', onclick: () => this.say(null) });
    accessibleName(close, t.dismiss);
    this.status.replaceChildren(el('mdui-icon', { name: icon }), el('span', { class: 'text' }, m.say(t)),
      ...(m.kind === 'progress' ? [] : [close]));
  }

  /** The table stays in the page (hidden when unused), so a field being edited is never moved. */
  renderBody() {
    const t = this.t;
    let problem = null; // the text of the error box
    let retry = false;
    let note = null; // a muted line instead of the table
    if (!this.uuid) {
      note = t.noClient;
    } else if (this.settings === null) {
      if (this.loadError) {
        problem = t.loadFailed(this.loadError.message);
        retry = true;
      } else {
        note = t.loading;
      }
    } else if (this.loadError && !this.offline) {
      problem = t.loadFailed(this.loadError.message); // a reload failed: the last list stays
    }
    this.loadBox.hidden = !problem;
    this.loadBox.replaceChildren(...(problem ? [el('mdui-icon', { name: 'error' }), el('span', { class: 'text' }, problem),
      ...(retry ? [el('mdui-button', { variant: 'text', 'data-action': 'retry', onclick: () => this.load() }, t.retry)] : [])]
      : []));
    this.noteText.hidden = !note;
    this.noteText.textContent = note || '';
    if (this.settings === null || !this.uuid) {
      this.countText.textContent = '';
      this.filterField.hidden = true;
      this.table.hidden = true;
      this.emptyText.hidden = true;
      return;
    }
    const viewer = isViewer(this);
    const head = [t.key, t.value].concat(viewer ? [] : [t.actions]);
    this.thead.replaceChildren(el('tr', {}, head.map((label, i) => el('th', {
      scope: 'col', class: i === 2 ? 'actions' : null,
    }, i === 2 ? el('span', { class: 'visually-hidden' }, label) : label))));
    this.renderRows();
  }

  /** Updates the rows in place, so the row being edited keeps its field, its text and the focus. */
  renderRows() {
    if (this.settings === null) {
      return;
    }
    const t = this.t;
    const all = Object.keys(this.settings).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.filterField.hidden = all.length < FILTER_FROM && !this.filterField.value;
    const query = (this.filterField.hidden ? '' : String(this.filterField.value || '')).trim().toLowerCase();
    const keys = all.filter((key) => !query || key.toLowerCase().includes(query)
      || String(this.settings[key]).toLowerCase().includes(query) || (this.editing && this.editing.key === key));
    this.countText.textContent = query ? t.countFiltered(keys.length, all.length) : t.count(all.length);

    const wanted = new Set(keys);
    for (const [key, row] of this.rows) {
      if (!wanted.has(key)) {
        row.remove();
        this.rows.delete(key);
      }
    }
    keys.forEach((key, index) => {
      let row = this.rows.get(key);
      if (!row) {
        row = el('tr', { 'data-key': key });
        this.rows.set(key, row);
      }
      this.fillRow(row, key);
      const at = this.tbody.children[index];
      if (at !== row) {
        this.tbody.insertBefore(row, at || null);
      }
    });
    while (this.tbody.children.length > keys.length) {
      this.tbody.lastElementChild.remove();
    }
    this.table.hidden = keys.length === 0;
    this.emptyText.textContent = all.length === 0 ? (isViewer(this) ? t.empty : t.emptyAdmin)
      : keys.length === 0 ? t.noMatch(query) : '';
    this.emptyText.hidden = !this.emptyText.textContent;
  }

  fillRow(row, key) {
    const t = this.t;
    const viewer = isViewer(this);
    const editing = this.editing && this.editing.key === key ? this.editing : null;
    let keyCell = row.querySelector('td.key');
    let valueCell = row.querySelector('td.value');
    let actionCell = row.querySelector('td.actions');
    if (!keyCell) {
      keyCell = el('td', { class: 'key' }, key);
      valueCell = el('td', { class: 'value' });
      actionCell = el('td', { class: 'actions' });
      row.append(keyCell, valueCell, actionCell);
    }
    actionCell.hidden = viewer;
    row.classList.toggle('editing', !!editing);

    if (editing) {
      // keep the field (and what is typed) if it is already there
      if (!valueCell.contains(editing.field)) {
        valueCell.replaceChildren(editing.field);
        actionCell.replaceChildren(editing.saveButton, editing.cancelButton);
      }
      editing.field.label = t.value;
      accessibleName(editing.field, t.valueOf(key));
      editing.saveButton.textContent = t.save;
      editing.cancelButton.textContent = t.cancel;
      accessibleName(editing.saveButton, t.saveKey(key));
      accessibleName(editing.cancelButton, t.cancelKey(key));
      editing.field.disabled = editing.saving;
      editing.saveButton.loading = editing.saving;
      editing.saveButton.disabled = editing.saving || this.offline;
      editing.saveButton.title = this.offline ? t.offlineAction : '';
      editing.cancelButton.disabled = editing.saving;
      return;
    }
    const value = String(this.settings[key] ?? '');
    if (valueCell.firstChild && valueCell.firstChild.nodeType !== Node.TEXT_NODE) {
      valueCell.replaceChildren();
    }
    if (valueCell.textContent !== value) {
      valueCell.textContent = value;
    }
    if (viewer) {
      actionCell.replaceChildren();
      return;
    }
    let edit = actionCell.querySelector('[data-action=edit]');
    let remove = actionCell.querySelector('[data-action=delete]');
    if (!edit || !remove || actionCell.children.length !== 2) {
      edit = el('mdui-button-icon', { icon: 'edit', 'data-action': 'edit', onclick: () => this.startEdit(key) });
      remove = el('mdui-button-icon', { icon: 'delete', 'data-action': 'delete', onclick: () => this.remove(key) });
      actionCell.replaceChildren(edit, remove);
    }
    accessibleName(edit, t.edit(key));
    accessibleName(remove, t.deleteKey(key));
    const busy = !!(this.editing && this.editing.saving) || this.deleting !== null;
    edit.disabled = busy || this.offline;
    remove.disabled = busy || this.offline;
    remove.loading = this.deleting === key;
    edit.title = this.offline ? t.offlineAction : '';
    remove.title = this.offline ? t.offlineAction : '';
  }

  // ---- editing one value ----

  startEdit(key) {
    if (isViewer(this) || this.settings === null || this.offline || this.deleting !== null) {
      return;
    }
    if (this.editing) {
      if (this.editing.saving) {
        return;
      }
      this.endEdit(false);
    }
    const field = el('mdui-text-field', {
      name: 'value', variant: 'outlined', autocomplete: 'off',
      onkeydown: (event) => {
        if (isPlainEnter(event)) {
          event.preventDefault();
          this.save();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          this.cancelEdit();
        }
      },
    });
    field.value = String(this.settings[key] ?? '');
    const saveButton = el('mdui-button', { 'data-action': 'save', variant: 'filled', onclick: () => this.save() });
    const cancelButton = el('mdui-button', { 'data-action': 'cancel', variant: 'text', onclick: () => this.cancelEdit() });
    this.editing = { key, field, saveButton, cancelButton, saving: false };
    this.renderRows();
    focusLater(field, true);
  }

  cancelEdit() {
    if (!this.editing || this.editing.saving) {
      return;
    }
    this.endEdit(true);
  }

  endEdit(focusEdit) {
    const key = this.editing ? this.editing.key : null;
    this.editing = null;
    this.renderRows();
    this.renderProgress();
    if (focusEdit && key !== null) {
      const row = this.rows.get(key);
      const edit = row && row.querySelector('[data-action=edit]');
      if (edit) {
        focusLater(edit);
      }
    }
  }

  async save() {
    const editing = this.editing;
    if (!editing || editing.saving || this.offline) {
      return;
    }
    const key = editing.key;
    const value = String(editing.field.value ?? '');
    if (this.settings && Object.prototype.hasOwnProperty.call(this.settings, key) && String(this.settings[key]) === value) {
      this.endEdit(true);
      this.say('info', (t) => t.unchanged(key));
      return;
    }
    editing.saving = true;
    this.say('progress', (t) => t.saving(key));
    this.renderRows();
    this.renderProgress();
    try {
      const data = await api('PUT', `/api/settings/${encodeURIComponent(this.uuid)}/${encodeURIComponent(key)}`, { value });
      if (this.editing !== editing) {
        return;
      }
      this.settings[key] = data && data.value !== undefined ? String(data.value) : value;
      this.endEdit(true);
      this.say('ok', (t) => t.saved(key));
    } catch (error) {
      if (this.editing !== editing) {
        return;
      }
      editing.saving = false;
      this.say('error', (t) => t.saveFailed(key, error.message));
      this.renderRows();
      this.renderProgress();
      focusLater(editing.field);
    }
  }

  // ---- deleting a setting ----

  async remove(key) {
    if (isViewer(this) || this.settings === null || this.offline || this.deleting !== null
      || (this.editing && this.editing.saving)) {
      return;
    }
    if (!window.confirm(this.t.confirmDelete(key))) {
      return;
    }
    if (this.editing) {
      this.endEdit(false);
    }
    const uuid = this.uuid;
    this.deleting = key;
    this.say('progress', (t) => t.deleting(key));
    this.renderRows();
    try {
      await api('DELETE', `/api/settings/${encodeURIComponent(uuid)}/${encodeURIComponent(key)}`);
      if (uuid === this.uuid && this.settings) {
        delete this.settings[key];
      }
      this.say('ok', (t) => t.deleted(key));
    } catch (error) {
      if (error.code === 'SETTING_NOT_FOUND' && uuid === this.uuid && this.settings) {
        delete this.settings[key]; // already gone: show it so
      }
      this.say('error', (t) => t.deleteFailed(key, error.message));
    } finally {
      this.deleting = null;
      this.render();
    }
  }

  // ---- adding a setting ----

  /** Enter adds; in the key field with no value typed yet, it moves on to the value first. */
  addKeydown(event, inKeyField = false) {
    if (!isPlainEnter(event)) {
      return;
    }
    event.preventDefault();
    const key = String(this.newKey.value || '').trim();
    if (inKeyField && !this.checkNewKey(key, this.t) && String(this.newValue.value ?? '') === '') {
      focusLater(this.newValue);
      return;
    }
    this.add();
  }

  checkNewKey(key, t) {
    if (!key) {
      return t.keyMissing;
    }
    if (key.length > MAX_KEY_LENGTH) {
      return t.keyTooLong;
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f-\u009f]/.test(key)) {
      return t.keyControl;
    }
    if (this.settings && Object.prototype.hasOwnProperty.call(this.settings, key)) {
      return t.keyExists(key);
    }
    return null;
  }

  async add() {
    if (this.adding || isViewer(this) || this.settings === null || this.offline) {
      return;
    }
    const key = String(this.newKey.value || '').trim();
    const value = String(this.newValue.value ?? '');
    const problem = this.checkNewKey(key, this.t);
    if (problem) {
      this.newKey.setCustomValidity(problem);
      this.say('error', (t) => this.checkNewKey(key, t) || problem);
      focusLater(this.newKey);
      return;
    }
    this.newKey.setCustomValidity('');
    this.adding = true;
    this.say('progress', (t) => t.adding(key));
    this.render();
    const uuid = this.uuid;
    try {
      const data = await api('PUT', `/api/settings/${encodeURIComponent(uuid)}/${encodeURIComponent(key)}`, { value });
      if (uuid !== this.uuid || this.settings === null) {
        this.adding = false;
        this.render();
        return; // another client is shown now
      }
      this.settings[key] = data && data.value !== undefined ? String(data.value) : value;
      this.newKey.value = '';
      this.newValue.value = '';
      this.say('ok', (t) => t.added(key));
      this.adding = false;
      this.render();
      focusLater(this.newKey);
    } catch (error) {
      this.adding = false;
      this.say('error', (t) => t.addFailed(key, error.message));
      this.render();
      focusLater(this.newValue);
    }
  }
}

const PANEL_STYLE = `
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  tr.editing td { background: rgb(var(--mdui-color-surface-container, 243, 237, 247)); }
  tr.editing td.value mdui-text-field { width: 100%; }
  td.value { min-width: 12rem; }
  /* Fixed columns: entering edit mode (a field, Save and Cancel) must not move them. */
  table.settings { table-layout: fixed; }
  table.settings th:first-child { width: 30%; }
  table.settings th.actions, table.settings td.actions { width: 13rem; }
  tr.editing td.actions mdui-button { margin-left: 0; }
  td.actions { overflow: hidden; }
  .add { margin-top: 20px; }
  .add h3 { margin: 0 0 8px; font-size: 1rem; font-weight: 500; }
  .add-row { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
  .add-row mdui-text-field { flex: 1 1 12rem; max-width: 24rem; }
  .live .dismiss { margin: -8px -8px -8px 0; }
`;

// Phones (issue 15): one block per setting, the key and its buttons on top, the value below at full width.
const PHONE_STYLE = `
  @media (max-width: 600px) {
    table, tbody, tr, td { display: block; }
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    tbody tr { display: grid; grid-template-columns: minmax(0, 1fr) auto; column-gap: 8px; padding: 6px 0;
      border-bottom: 1px solid rgb(var(--mdui-color-outline-variant)); }
    tbody td { border: 0; padding: 2px 4px; min-width: 0; }
    td.key { grid-column: 1; grid-row: 1; align-self: center; }
    td.actions { grid-column: 2; grid-row: 1; width: auto; }
    td.value { grid-column: 1 / -1; min-width: 0; }
    tr.editing td.actions { grid-column: 1 / -1; grid-row: 3; white-space: normal; }
    .add-row mdui-text-field { flex-basis: 100%; max-width: none; }
  }
`;

if (!customElements.get(TAG)) {
  customElements.define(TAG, ClassTopSettingsPanel);
}
