// Plugins: every plugin with its state and everything it registers; admins install (upload or drop a jar),
// upgrade, enable, disable, remove and configure plugins here (SPEC section 7). The list follows the live
// event plugins.changed, so what another admin changes shows up at once.
import { api, seg, upload } from '../api.js';
import { h, fill, statusChip, mono, placeholder, loading, setText, icon, throttle } from '../dom.js';
import { t, getLang, hasKey } from '../i18n.js';
import { notify, busy, openDialog, announce } from '../ui.js';
import { commandDescription } from '../commands.js'; // also fits a plugin: description + descriptions

export const titleKey = 'nav.plugins';

/** How long a freshly installed or upgraded plugin's card stays highlighted. */
const HIGHLIGHT_MS = 8000;

export function mount(root, ctx) {
  const admin = ctx.isAdmin;
  const body = h('div', { class: 'plugin-list', dataset: { list: 'plugins' } }, loading());
  let installed = new Map(); // id → the entry last shown
  let highlightId = null;
  let highlightTimer = null;
  /** What the last settings save said, by plugin: the list is drawn again (plugins.changed) right after it. */
  const settingsNotes = new Map();

  const uploader = admin ? uploadCard() : null;
  root.append(
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { i18n: 'nav.plugins', tabindex: '-1' }),
      h('p', { class: 'page-sub', i18n: admin ? 'plugins.introAdmin' : 'plugins.intro' }))),
    uploader ? uploader.card : null,
    body);

  async function load() {
    try {
      const plugins = await api('/api/plugins', { signal: ctx.signal });
      installed = new Map(plugins.map((p) => [p.id, p]));
      if (plugins.length === 0) {
        fill(body, placeholder('plugins.none'));
        return;
      }
      const edits = unsavedSettings(body);
      fill(body, plugins.map((plugin) => pluginCard(plugin, { admin, highlighted: plugin.id === highlightId, reload: load,
        settingsNotes, edits: edits.get(plugin.id) })));
    } catch (error) {
      if (error.name !== 'AbortError') fill(body, placeholder({ text: error.message }, { error: true }));
    }
  }

  function highlight(id) {
    highlightId = id;
    clearTimeout(highlightTimer);
    highlightTimer = setTimeout(() => {
      highlightId = null;
      body.querySelector('.plugin-card-new')?.classList.remove('plugin-card-new');
    }, HIGHLIGHT_MS);
    const card = body.querySelector(`mdui-card[data-plugin="${CSS.escape(id)}"]`);
    card?.classList.add('plugin-card-new');
    card?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
  ctx.signal.addEventListener('abort', () => clearTimeout(highlightTimer));

  // ---- upload: a file picker, and a jar dropped anywhere on the page
  function uploadCard() {
    const input = h('input', { type: 'file', accept: '.jar,application/java-archive', class: 'visually-hidden',
      dataset: { field: 'plugin-jar' }, tabindex: '-1', t: { 'aria-label': 'plugins.choose' } });
    const choose = h('mdui-button', { variant: 'filled', icon: 'upload_file', i18n: 'plugins.choose',
      dataset: { action: 'choose-jar' }, on: { click: () => input.click() } });
    const progress = h('mdui-linear-progress', { class: 'upload-progress', hidden: true, max: 1, value: 0,
      t: { 'aria-label': 'plugins.uploading' } });
    // Not live regions: the outcome of the admin's own upload is said once, by notify().
    const result = h('p', { class: 'upload-result', dataset: { uploadResult: '' } });
    const error = h('p', { class: 'error-text', dataset: { uploadError: '' } });
    const card = h('mdui-card', { class: 'card upload-card', variant: 'outlined', dataset: { card: 'plugin-upload' } },
      h('h2', { class: 'card-title', i18n: 'plugins.uploadTitle' }),
      h('div', { class: 'upload-row' }, choose, h('span', { class: 'muted', i18n: 'plugins.dropHint' })),
      input, progress, result, error);
    input.addEventListener('change', () => {
      const file = input.files[0];
      input.value = ''; // the same file again is a new choice
      if (file) send(file);
    });

    // The largest jar the server takes (--plugin-max-bytes): a larger one is refused here, before a byte is sent.
    const limit = api('/api/system/status', { signal: ctx.signal })
      .then((status) => (Number(status.plugin_max_bytes) > 0 ? Number(status.plugin_max_bytes) : null), () => null);

    let sending = false;
    async function send(file) {
      if (sending) return;
      say(error, '');
      say(result, '');
      if (!/\.jar$/i.test(file.name)) {
        refuse(['plugins.notJarName', { name: file.name }]);
        return;
      }
      sending = true;
      choose.loading = true;
      choose.disabled = true;
      try {
        const maxBytes = await limit;
        if (maxBytes !== null && file.size > maxBytes) {
          refuse(['plugins.tooLargeLocal', { name: file.name, size: mebibytes(file.size), limit: mebibytes(maxBytes) }]);
          return;
        }
        progress.hidden = false;
        progress.value = 0;
        const before = new Map([...installed].map(([id, p]) => [id, p.version]));
        const { status, data: entry } = await uploadJar(file, (fraction) => { progress.value = fraction; });
        const sentence = uploadSentence(status, entry, before.get(entry.id));
        say(result, sentence);
        notify(sentence, entry.state === 'failed' ? 'error' : 'success');
        await load();
        highlight(entry.id);
      } catch (e) {
        refuse(e.message);
      } finally {
        sending = false;
        choose.loading = false;
        choose.disabled = false;
        progress.hidden = true;
      }
    }

    /** The refusal under the button, said once (the snackbar's live region): text, or [key, params]. */
    function refuse(sentence) {
      say(error, sentence);
      notify(sentence, 'error');
    }

    // Dropping a file anywhere on the page installs it (the browser would otherwise open the jar).
    let depth = 0;
    document.addEventListener('dragenter', (event) => {
      if (!hasFiles(event)) return;
      depth += 1;
      root.classList.add('drop-active');
    }, { signal: ctx.signal });
    document.addEventListener('dragleave', (event) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) root.classList.remove('drop-active');
    }, { signal: ctx.signal });
    document.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }, { signal: ctx.signal });
    document.addEventListener('drop', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      root.classList.remove('drop-active');
      const file = event.dataTransfer.files[0];
      if (file) send(file);
    }, { signal: ctx.signal });
    return { card };
  }

  if (!admin) refuseDrops(ctx.signal);
  load();
  const refresh = throttle(load, 300);
  window.addEventListener('classtop-live', (event) => {
    const message = event.detail;
    if (message.type === 'event' && message.name === 'plugins.changed') refresh();
  }, { signal: ctx.signal });
  window.addEventListener('classtop-lang', load, { signal: ctx.signal }); // descriptions per language
  return { reload: load };
}

/** Whether a drag carries files (not text or a link dragged within the page). */
function hasFiles(event) {
  return [...(event.dataTransfer?.types || [])].includes('Files');
}

/** A viewer cannot install: a file dropped on the page is neither uploaded nor opened by the browser. */
function refuseDrops(signal) {
  for (const type of ['dragover', 'drop']) {
    document.addEventListener(type, (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'none';
    }, { signal });
  }
}

/** Shows text (a server's sentence) or [key, params] (ours, which follows a language switch) in el. */
function say(el, sentence) {
  if (Array.isArray(sentence)) {
    setText(el, sentence);
    return;
  }
  delete el.dataset.i18n;
  delete el.dataset.i18nParams;
  el.textContent = sentence;
}

/**
 * What the upload did, by the answer's status: 201 installed, 200 upgraded (or stored for the next restart when the
 * running version cannot be replaced); a plugin that failed to start is installed, with its sentence.
 */
function uploadSentence(status, entry, previousVersion) {
  if (entry.state === 'failed') {
    return ['plugins.installedFailed', { id: entry.id, version: entry.version, error: entry.error || '?' }];
  }
  if (entry.pending && entry.pending.action === 'upgrade') {
    return ['plugins.upgradeStored', { id: entry.id, version: entry.pending.version || '?' }];
  }
  if (status === 201) return ['plugins.installed', { id: entry.id, version: entry.version }];
  return previousVersion && previousVersion !== entry.version
    ? ['plugins.upgraded', { id: entry.id, from: previousVersion, to: entry.version }]
    : ['plugins.upgradedTo', { id: entry.id, version: entry.version }];
}

/** Bytes in MiB, as the server's --plugin-max-bytes is usually thought of (at most 2 decimals). */
function mebibytes(bytes) {
  return new Intl.NumberFormat(getLang(), { maximumFractionDigits: 2 }).format(bytes / (1024 * 1024));
}

/** POSTs the jar (api.js upload: progress, CSRF, envelope). Resolves to {status, data: the plugin's entry}. */
function uploadJar(file, onProgress) {
  return upload('/api/plugins', file, { contentType: 'application/java-archive', onProgress,
    fallback: (status) => (status === 413 ? t('plugins.tooLarge') : null) });
}

function pluginCard(plugin, { admin, highlighted, reload, settingsNotes, edits }) {
  const commands = plugin.commands || [];
  const routes = plugin.routes || [];
  const panels = plugin.panels || [];
  const listeners = plugin.listeners || [];
  const state = plugin.state || 'created';
  // Part of the server itself (no jar): neither switched off nor removed from here.
  const builtIn = plugin.removable === false;
  return h('mdui-card', { class: `card plugin-card${highlighted ? ' plugin-card-new' : ''}`, variant: 'outlined',
    dataset: { plugin: plugin.id, state } },
  h('div', { class: 'card-head' },
    h('h2', { class: 'card-title' }, mono(plugin.id), h('span', { class: 'muted', dataset: { pluginVersion: plugin.id },
      text: ` ${plugin.version || ''}` })),
    h('div', { class: 'card-actions' }, stateChip(state), admin && !builtIn ? enableSwitch(plugin, reload) : null,
      admin && !builtIn ? removeButton(plugin, reload) : null)),
  plugin.description || plugin.descriptions ? h('p', { class: 'card-sub', text: commandDescription(plugin) }) : null,
  // A failure is an error; a restart_required sentence says what waits for the restart.
  plugin.error ? h('p', { class: state === 'restart_required' ? 'warning-text' : 'error-text',
    // A note, not an alert: the list is drawn again on every plugins.changed, and a screen reader must not
    // read out every failed plugin each time.
    role: 'note', dataset: { pluginError: plugin.id }, text: plugin.error }) : null,
  pendingLine(plugin),
  h('dl', { class: 'facts compact' },
    h('dt', { i18n: 'plugins.version' }), h('dd', {}, mono(plugin.version || '—')),
    h('dt', { i18n: 'plugins.origin' }), h('dd', { dataset: { pluginOrigin: plugin.id } },
      plugin.bundled === undefined ? '—'
        : setText(h('span'), builtIn ? 'plugins.builtIn' : plugin.bundled ? 'plugins.bundled' : 'plugins.uploaded')),
    h('dt', { i18n: 'plugins.source' }), h('dd', {}, mono(plugin.source || '—')),
    (plugin.dependencies || []).length ? [h('dt', { i18n: 'plugins.dependencies' }),
      h('dd', {}, mono(plugin.dependencies.map((d) => (typeof d === 'string' ? d : d.id || JSON.stringify(d))).join(', ')))] : null),
  agentSide(plugin),
  settingsForm(plugin, admin, settingsNotes, edits),
  section('plugins.commands', commands.length, commands.length === 0 ? null
    : h('dl', { class: 'facts compact' }, commands.map((c) => [h('dt', {}, mono(c.name)),
      h('dd', { class: 'command-text', dataset: { command: c.name } }, commandDescription(c))]))),
  section('plugins.routes', routes.length, routes.length === 0 ? null
    : h('ul', { class: 'mono-list' }, routes.map((r) => h('li', {}, mono(r))))),
  section('plugins.panels', panels.length, panels.length === 0 ? null
    : h('ul', { class: 'mono-list' }, panels.map((p) => h('li', {}, mono(typeof p === 'string' ? p : JSON.stringify(p)))))),
  section('plugins.listeners', listeners.length, listeners.length === 0 ? null
    : h('ul', { class: 'mono-list' }, listeners.map((l) => h('li', {}, mono(typeof l === 'string' ? l : JSON.stringify(l)))))));
}

/** What waits for the next restart (a plugin that cannot be replaced or removed while running). */
function pendingLine(plugin) {
  const pending = plugin.pending;
  if (!pending || !pending.action) return null;
  const key = pending.action === 'upgrade' ? ['plugins.pendingUpgrade', { version: pending.version || '?' }]
    : pending.action === 'remove' ? 'plugins.pendingRemove' : null;
  if (!key) return null;
  return h('p', { class: 'warning-text', role: 'note', dataset: { pluginPending: plugin.id } },
    icon('restart_alt'), setText(h('span'), key));
}

/** An admin's on/off switch: on = enabled (started, or failed and meant to run). */
function enableSwitch(plugin, reload) {
  const enabled = plugin.state !== 'disabled';
  const toggle = h('mdui-switch', { checked: enabled, dataset: { action: 'toggle-plugin', pluginId: plugin.id },
    t: { 'aria-label': [enabled ? 'plugins.disableName' : 'plugins.enableName', { id: plugin.id }] } });
  toggle.addEventListener('change', async () => {
    const action = toggle.checked ? 'enable' : 'disable';
    toggle.disabled = true;
    try {
      const entry = await api(`/api/plugins/${seg(plugin.id)}/${action}`, { method: 'POST' });
      const failed = entry && entry.state === 'failed';
      notify(failed ? ['plugins.enabledFailed', { id: plugin.id, error: entry.error || '?' }]
        : [`plugins.${action}d`, { id: plugin.id }], failed ? 'error' : 'success');
    } catch (error) {
      toggle.checked = !toggle.checked;
      notify(error.message, 'error');
    } finally {
      toggle.disabled = false;
    }
    reload();
  });
  return h('label', { class: 'switch-label' }, toggle, h('span', { i18n: 'plugins.switchLabel' }));
}

function removeButton(plugin, reload) {
  return h('mdui-button', { variant: 'text', icon: 'delete_outline', class: 'danger', i18n: 'plugins.remove',
    dataset: { action: 'remove-plugin', pluginId: plugin.id }, t: { 'aria-label': ['plugins.removeName', { id: plugin.id }] },
    on: { click: () => removeDialog(plugin, reload) } });
}

/** Asks before removing; a checkbox also deletes the plugin's data (?purge=true). */
function removeDialog(plugin, reload) {
  const purge = h('mdui-checkbox', { dataset: { field: 'purge' } }, setText(h('span'), 'plugins.purge'));
  const error = h('p', { class: 'error-text', role: 'alert' });
  const confirm = h('mdui-button', { slot: 'action', variant: 'filled', class: 'danger', i18n: 'plugins.remove',
    dataset: { action: 'confirm-remove' } });
  const { dialog } = openDialog(h('div', { class: 'form-stack' },
    // A bundled jar cannot be deleted (the server's own folder): the removal is remembered instead.
    setText(h('p', { class: 'dialog-text', dataset: { removeText: plugin.bundled ? 'bundled' : 'uploaded' } }),
      [plugin.bundled ? 'plugins.removeTextBundled' : 'plugins.removeText', { id: plugin.id }]),
    purge,
    setText(h('p', { class: 'muted' }), 'plugins.purgeHint'),
    error), { headline: ['plugins.removeTitle', { id: plugin.id }], closeLabel: 'common.cancel',
    className: 'remove-plugin-dialog' });
  dialog.append(confirm);
  confirm.addEventListener('click', () => busy(confirm, async () => {
    const purged = purge.checked === true;
    const answer = await api(`/api/plugins/${seg(plugin.id)}${purged ? '?purge=true' : ''}`, { method: 'DELETE' });
    dialog.open = false;
    notify([answer && answer.purged ? 'plugins.removedPurged' : 'plugins.removed', { id: plugin.id }], 'success');
    reload();
  }, { onError: (e) => { error.textContent = e.message; } }));
}

/** The agent side the server hands to agents, and which agents run which version of it. */
function agentSide(plugin) {
  const side = plugin.agent_side;
  const agents = plugin.agents || [];
  if (!side && agents.length === 0) return null;
  const rows = agents.map((row) => {
    const other = side && (row.version !== side.version || (row.sha256 && side.sha256 && row.sha256 !== side.sha256));
    return h('li', { dataset: { agentVersion: row.version || '', agentState: row.state || '' } },
      mono(row.version || '?'), ' ', row.state ? stateChip(row.state) : null, ' ',
      setText(h('span'), ['plugins.agentCount', { n: row.count || 0 }]),
      other ? h('span', { class: 'muted', i18n: 'plugins.otherVersion' }) : null);
  });
  const others = agents.filter((row) => side && row.state !== 'rejected' && row.state !== 'failed'
    && (row.version !== side.version || (row.sha256 && side.sha256 && row.sha256 !== side.sha256)))
    .reduce((n, row) => n + (row.count || 0), 0);
  const refused = agents.filter((row) => row.state === 'rejected' || row.state === 'failed'
    || row.state === 'platform_mismatch').reduce((n, row) => n + (row.count || 0), 0);
  return h('div', { class: 'agent-side', dataset: { agentSide: plugin.id } },
    h('h3', { i18n: 'plugins.agentSide' }),
    side ? h('dl', { class: 'facts compact' },
      h('dt', { i18n: 'plugins.version' }), h('dd', {}, mono(side.version || '—')),
      h('dt', { i18n: 'plugins.sha256' }), h('dd', {}, h('span', { class: 'mono', title: side.sha256 || '',
        text: side.sha256 ? `${side.sha256.slice(0, 12)}…` : '—' })),
      h('dt', { i18n: 'plugins.platforms' }), h('dd', {}, (side.platforms || []).length ? mono(side.platforms.join(', '))
        : setText(h('span'), 'plugins.anyPlatform'))) : null,
    agents.length ? h('ul', { class: 'agent-versions' }, rows) : setText(h('p', { class: 'muted' }), 'plugins.noAgents'),
    others > 0 ? h('p', { class: 'warning-text', role: 'note', dataset: { agentWarning: 'version' } }, icon('warning'),
      setText(h('span'), ['plugins.agentsOtherVersion', { n: others, version: side.version }])) : null,
    refused > 0 ? h('p', { class: 'warning-text', role: 'note', dataset: { agentWarning: 'refused' } }, icon('warning'),
      setText(h('span'), ['plugins.agentsRefused', { n: refused }])) : null);
}

/** A state chip; a state this UI has no word for (a newer agent's) is shown as the agent wrote it. */
function stateChip(state) {
  return hasKey(`status.${state}`) ? statusChip(state) : h('span', { class: 'status', dataset: { status: state } }, mono(state));
}

// ---- settings: a form generated from the plugin's declared settings

const NUMBER_TYPES = new Set(['int', 'long']);

function settingDescription(setting) {
  const texts = setting.descriptions || {};
  return texts[getLang()] || setting.description || texts.en || '';
}

/** The values typed but not saved yet, by plugin and setting: kept when the list is drawn again. */
function unsavedSettings(root) {
  const edits = new Map();
  for (const form of root.querySelectorAll('form[data-settings-form]')) {
    if (form.unsaved) edits.set(form.dataset.settingsForm, form.unsaved());
  }
  return edits;
}

function settingsForm(plugin, admin, notes = new Map(), edits = new Map()) {
  const settings = plugin.settings || [];
  if (settings.length === 0) return null;
  if (!admin) return settingsList(settings);
  const fields = new Map();
  const current = (s) => (s.value === undefined || s.value === null ? s.default : s.value);
  const rows = settings.map((setting) => {
    const value = current(setting);
    const fieldError = h('p', { class: 'error-text', role: 'alert', dataset: { settingError: setting.name } });
    let control;
    if (setting.type === 'bool') {
      control = h('mdui-switch', { checked: value === true || value === 'true', disabled: !admin,
        dataset: { setting: setting.name }, 'aria-label': setting.name });
    } else {
      control = h('mdui-text-field', { variant: 'outlined', label: setting.name, disabled: !admin,
        type: NUMBER_TYPES.has(setting.type) ? 'number' : 'text', dataset: { setting: setting.name } });
      control.value = value === undefined || value === null ? '' : String(value);
    }
    fields.set(setting.name, { setting, control, fieldError, initial: setting.type === 'bool' ? control.checked : control.value });
    return h('div', { class: 'setting-row', dataset: { settingRow: setting.name } },
      setting.type === 'bool' ? h('label', { class: 'switch-label' }, control, h('span', {}, mono(setting.name),
        settingDescription(setting) ? ` — ${settingDescription(setting)}` : '')) : control,
      h('div', { class: 'setting-meta muted' },
        setting.type !== 'bool' && settingDescription(setting) ? [h('span', { text: settingDescription(setting) }), ' · '] : null,
        setting.type === 'duration' ? [setText(h('span'), 'plugins.durationHint'), ' · '] : null,
        setText(h('span'), ['plugins.settingDefault', { value: setting.default === null || setting.default === undefined
          ? '—' : String(setting.default) }]),
        ' · ', setText(h('span'), setting.live ? 'plugins.settingLive' : 'plugins.settingReload')),
      fieldError);
  });
  // Not a live region: drawn again with the list; the save's outcome is said once, by notify().
  const result = h('p', { class: 'upload-result', dataset: { settingsResult: plugin.id } });
  if (notes.has(plugin.id)) setText(result, notes.get(plugin.id));
  for (const [name, value] of edits) {
    const field = fields.get(name);
    if (!field) continue;
    if (field.setting.type === 'bool') field.control.checked = value;
    else field.control.value = value;
  }
  const error = h('p', { class: 'error-text', role: 'alert', dataset: { settingsError: plugin.id } });
  const save = admin ? h('mdui-button', { variant: 'filled', type: 'submit', i18n: 'plugins.saveSettings',
    dataset: { action: 'save-settings', pluginId: plugin.id } }) : null;
  const form = h('form', { class: 'form-stack settings-form', novalidate: true, dataset: { settingsForm: plugin.id } },
    h('div', { class: 'settings-grid' }, rows), error, result, save ? h('div', { class: 'row-end' }, save) : null);
  form.unsaved = () => new Map([...fields].map(([name, f]) => [name, f.setting.type === 'bool' ? f.control.checked : f.control.value])
    .filter(([name, value]) => value !== fields.get(name).initial));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!admin) return;
    notes.delete(plugin.id);
    error.textContent = '';
    result.textContent = '';
    const values = {};
    for (const [name, { setting, control, fieldError, initial }] of fields) {
      fieldError.textContent = '';
      const now = setting.type === 'bool' ? control.checked : control.value;
      if (now === initial) continue;
      // An emptied field goes back to the default (null), except for text, where empty is a value.
      values[name] = setting.type === 'bool' ? now : setting.type !== 'string' && now.trim() === '' ? null
        : setting.type === 'string' ? now : now.trim();
    }
    if (Object.keys(values).length === 0) {
      setText(result, 'plugins.settingsUnchanged');
      announce(t('plugins.settingsUnchanged'));
      return;
    }
    busy(save, async () => {
      const answer = await api(`/api/plugins/${seg(plugin.id)}/settings`, { method: 'PUT', body: { values } });
      for (const field of fields.values()) {
        field.initial = field.setting.type === 'bool' ? field.control.checked : field.control.value;
      }
      const key = appliedKey(answer);
      notes.set(plugin.id, key);
      setText(result, key);
      notify([key], 'success');
    }, { onError: (e) => {
      // The answer names the setting (data.setting); an older server only in its sentence.
      const named = fields.has(e.data?.setting) ? e.data.setting : fieldNamedIn(e.serverMessage || e.message, fields);
      (named ? fields.get(named).fieldError : error).textContent = e.message;
    } });
  });
  // Closed like the other sections, unless it has something to say (an answer, values not saved).
  return h('details', { class: 'plugin-section settings-section', open: notes.has(plugin.id) || edits.size > 0 },
    h('summary', {}, h('span', { i18n: 'plugins.settings' }), ` (${settings.length})`),
    form);
}

/**
 * A viewer's view of the settings: what each is for and its default, never the value an admin stored (the server
 * leaves it out for viewers: it may be an address or a path of the school's network).
 */
function settingsList(settings) {
  return h('details', { class: 'plugin-section settings-section' },
    h('summary', {}, h('span', { i18n: 'plugins.settings' }), ` (${settings.length})`),
    h('dl', { class: 'facts compact', dataset: { settingsList: '' } }, settings.map((setting) => [
      h('dt', {}, mono(setting.name)),
      h('dd', { dataset: { settingInfo: setting.name } },
        settingDescription(setting) ? [h('span', { text: settingDescription(setting) }), ' · '] : null,
        setText(h('span'), ['plugins.settingDefault', { value: setting.default === null || setting.default === undefined
          ? '—' : String(setting.default) }]))])));
}

/** What the answer's `applied` says: "live" (applied at once), "reloaded" (the plugin restarted), "stored". */
function appliedKey(answer) {
  switch (answer && answer.applied) {
    case 'reloaded': return 'plugins.settingsReloaded';
    case 'stored': return 'plugins.settingsStored';
    default: return 'plugins.settingsApplied';
  }
}

/** The setting a server sentence names ('name' in quotes, or the bare name), the longest match first. */
function fieldNamedIn(sentence, fields) {
  const names = [...fields.keys()].sort((a, b) => b.length - a.length);
  return names.find((name) => sentence.includes(`'${name}'`) || sentence.includes(`"${name}"`))
    || names.find((name) => new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(sentence)) || null;
}

/** A collapsible list with its count in the summary (native <details>: keyboard-usable). */
function section(labelKey, count, content) {
  if (!content) {
    return h('p', { class: 'plugin-section-empty' }, h('span', { i18n: labelKey }), ': 0');
  }
  return h('details', { class: 'plugin-section' },
    h('summary', {}, h('span', { i18n: labelKey }), ` (${count})`),
    content);
}
