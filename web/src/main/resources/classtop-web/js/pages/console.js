// Command console: run one command on many clients (at most 8 calls in flight), see each client's answer,
// and browse the command history. Targets, command and last results survive leaving the page.
import { api, seg, runPool } from '../api.js';
import { h, fill, statusChip, mono, placeholder, loading, setText, throttle } from '../dom.js';
import { loadClients, allClients, getClient, clientName, clientStatus, subscribe } from '../clients.js';
import { notify, notifyError, busy, openDialog, textField } from '../ui.js';
import { commandDescription, readCommandNames } from '../commands.js';
import { clientLink } from './dashboard.js';

export const titleKey = 'nav.console';

const IN_FLIGHT = 8;
const HISTORY_PAGE = 25;
const SHOWN_TARGET_CHIPS = 40;

const state = { targets: [], command: '', params: '{}', mode: 'form', timeout: '30', results: [], running: false, onResult: null };

/** Opens the console with these clients as targets (from the clients list's selection). */
export function openConsoleWith(uuids) {
  state.targets = [...new Set(uuids)];
  state.results = [];
  location.hash = '#/console';
}

export function mount(root, ctx) {
  const admin = ctx.isAdmin;
  root.append(h('div', { class: 'page-header' }, h('div', {}, h('h1', { i18n: 'nav.console', tabindex: '-1' }),
    h('p', { class: 'page-sub', i18n: admin ? 'console.intro' : 'console.introViewer' }))));
  if (admin) mountSender(root, ctx);
  mountHistory(root, ctx);
  return {};
}

// ------------------------------------------------------------------------------------------------ sender

function mountSender(root, ctx) {
  let commands = [];

  // -- targets
  const chips = h('div', { class: 'chip-row', dataset: { list: 'targets' } });
  const addField = textField('console.addTarget', { type: 'search', icon: 'add', class: 'target-search',
    dataset: { field: 'add-target' }, autocomplete: 'off' });
  const suggestions = h('div', { class: 'suggestions', role: 'listbox', hidden: true });
  const addOnline = h('mdui-button', { variant: 'text', icon: 'wifi', i18n: 'console.addOnline', dataset: { action: 'add-online' },
    on: { click: () => { addTargets(allClients().filter((c) => clientStatus(c) === 'online').map((c) => c.uuid)); } } });
  const clearTargets = h('mdui-button', { variant: 'text', icon: 'clear_all', i18n: 'console.clearTargets',
    on: { click: () => { state.targets = []; renderTargets(); } } });
  addField.addEventListener('input', renderSuggestions);
  addField.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      suggestions.querySelector('button')?.click();
    }
  });

  // -- command
  const commandField = textField('console.command', { name: 'command', class: 'mono-field',
    dataset: { field: 'command' }, autocomplete: 'off', value: state.command });
  commandField.value = state.command;
  const commandChips = h('div', { class: 'chip-row command-chips', role: 'group' });
  const description = h('p', { class: 'command-description' });
  const capabilityWarning = h('p', { class: 'warning-text', role: 'status' });
  const paramsField = textField('console.params', { name: 'params', rows: 4, class: 'mono-field', dataset: { field: 'params' },
    t: { label: 'console.params', helper: 'console.paramsHelp' }, spellcheck: false });
  paramsField.value = state.params;
  const paramsError = h('p', { class: 'error-text', role: 'alert', dataset: { error: 'params' } });
  // Parameters as a form built from the command's example (one field per key), or as JSON (advanced).
  const paramsForm = h('div', { class: 'params-form', dataset: { form: 'params' } });
  const modeGroup = h('mdui-segmented-button-group', { selects: 'single', value: state.mode, class: 'params-mode',
    dataset: { field: 'params-mode' }, t: { 'aria-label': 'console.paramsMode' } },
  h('mdui-segmented-button', { value: 'form', icon: 'list_alt', dataset: { mode: 'form' } }, setText(h('span'), 'console.modeForm')),
  h('mdui-segmented-button', { value: 'json', icon: 'data_object', dataset: { mode: 'json' } }, setText(h('span'), 'console.modeJson')));
  modeGroup.addEventListener('change', () => {
    if (!modeGroup.value) {
      modeGroup.value = state.mode; // one is always chosen
      return;
    }
    if (modeGroup.value === state.mode) return;
    if (modeGroup.value === 'form') {
      const params = parseParams();
      if (!params) {
        modeGroup.value = 'json';
        return;
      }
      state.mode = 'form';
      renderParamsForm(params);
    } else {
      const params = formParams();
      if (!params) {
        modeGroup.value = 'form';
        return;
      }
      paramsField.value = state.params = JSON.stringify(params, null, 2);
      state.mode = 'json';
    }
    showMode();
  });
  const timeoutField = textField('console.timeout', { type: 'number', min: 1, max: 600, step: 1, name: 'timeout',
    class: 'timeout-field', dataset: { field: 'timeout' }, t: { label: 'console.timeout', suffix: 'console.seconds' } });
  timeoutField.value = state.timeout;
  const sendButton = h('mdui-button', { variant: 'filled', icon: 'send', type: 'submit', dataset: { action: 'send' },
    i18n: 'console.send' });
  const progress = h('span', { class: 'send-progress', role: 'status' });

  // The form's values survive leaving the page (kept as the JSON text, like the advanced mode's).
  const keepFormValues = () => {
    const params = formParams();
    if (!params) return;
    paramsField.value = state.params = JSON.stringify(params, null, 2);
    paramsError.textContent = '';
  };
  paramsForm.addEventListener('input', keepFormValues);
  paramsForm.addEventListener('change', keepFormValues);
  commandField.addEventListener('input', () => {
    state.command = commandField.value;
    describeCommand();
    if (state.mode === 'form') renderParamsForm(parseParamsQuietly());
  });
  paramsField.addEventListener('input', () => { state.params = paramsField.value; paramsError.textContent = ''; });
  timeoutField.addEventListener('input', () => { state.timeout = timeoutField.value; });

  // -- results
  const resultsSummary = h('p', { class: 'results-summary', role: 'status' });
  const resultsList = h('ul', { class: 'result-list', dataset: { list: 'results' } });
  const noResults = h('p', { class: 'placeholder', i18n: 'console.noResults' });
  const resultsCard = h('mdui-card', { class: 'card results-card', variant: 'outlined' },
    h('h2', { class: 'card-title', i18n: 'console.results' }), noResults, resultsSummary, resultsList);

  const form = h('form', { class: 'console-form', novalidate: true },
    h('mdui-card', { class: 'card', variant: 'outlined' },
      h('div', { class: 'card-head' }, h('h2', { class: 'card-title', i18n: 'console.targets' }),
        h('span', { class: 'target-count' })),
      chips,
      h('div', { class: 'target-add' }, h('div', { class: 'target-search-wrap' }, addField, suggestions), addOnline, clearTargets)),
    h('mdui-card', { class: 'card', variant: 'outlined' },
      h('h2', { class: 'card-title', i18n: 'console.commandTitle' }),
      commandField, commandChips, description, capabilityWarning,
      h('div', { class: 'params-head' }, h('h3', { i18n: 'console.paramsTitle' }), modeGroup),
      paramsForm, paramsField, paramsError,
      h('div', { class: 'send-row' }, timeoutField, h('span', { class: 'grow' }), progress, sendButton)));
  root.append(h('div', { class: 'console-grid' }, form, resultsCard));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });

  function addTargets(uuids) {
    const known = new Set(state.targets);
    for (const uuid of uuids) if (!known.has(uuid)) { state.targets.push(uuid); known.add(uuid); }
    renderTargets();
  }

  function renderTargets() {
    const shown = state.targets.slice(0, SHOWN_TARGET_CHIPS);
    fill(chips, shown.map((uuid) => {
      const client = getClient(uuid);
      const chip = h('mdui-chip', { variant: 'input', deletable: true, dataset: { target: uuid },
        class: `target-chip target-${client ? clientStatus(client) : 'unknown'}`, icon: 'computer',
        t: { 'aria-label': ['console.targetChip', { name: client ? clientName(client) : uuid }] } },
      client ? clientName(client) : uuid);
      chip.addEventListener('delete', () => {
        state.targets = state.targets.filter((u) => u !== uuid);
        renderTargets();
      });
      return chip;
    }), state.targets.length > shown.length
      ? h('span', { class: 'more-chips', i18n: ['console.moreTargets', { n: state.targets.length - shown.length }] }) : null,
    state.targets.length === 0 ? h('span', { class: 'placeholder', i18n: 'console.noTargets' }) : null);
    setText(root.querySelector('.target-count'), ['console.targetCount', { n: state.targets.length }]);
    clearTargets.hidden = state.targets.length === 0;
    describeCommand();
  }

  function renderSuggestions() {
    const q = addField.value.trim().toLowerCase();
    if (!q) {
      suggestions.hidden = true;
      return;
    }
    const chosen = new Set(state.targets);
    const found = allClients().filter((c) => !chosen.has(c.uuid) && ((c.name || '').toLowerCase().includes(q)
      || c.uuid.toLowerCase().includes(q) || (c.ip_address || '').includes(q))).slice(0, 8);
    fill(suggestions, found.length === 0 ? h('p', { class: 'placeholder', i18n: 'console.noSuggestion' })
      : found.map((c) => h('button', { type: 'button', class: 'suggestion', role: 'option', dataset: { suggest: c.uuid },
        on: { click: () => { addTargets([c.uuid]); addField.value = ''; suggestions.hidden = true; addField.focus(); } } },
      statusChip(clientStatus(c)), h('span', { text: clientName(c) }), mono(c.ip_address || '', 'span'))));
    suggestions.hidden = false;
  }

  function renderCommandChips() {
    fill(commandChips, commands.map((command) => {
      const chip = h('mdui-chip', { variant: 'suggestion', dataset: { command: command.name }, title: commandDescription(command) },
        command.name);
      chip.addEventListener('click', () => chooseCommand(command));
      return chip;
    }));
  }

  function chooseCommand(command) {
    const previous = commands.find((c) => c.name === state.command);
    commandField.value = state.command = command.name;
    // Replace the parameters only when the user has not written their own.
    const current = paramsField.value.trim();
    if (!current || current === '{}' || (previous && current === (previous.params_example || '{}'))) {
      paramsField.value = state.params = prettyExample(command.params_example);
    }
    paramsError.textContent = '';
    describeCommand();
    if (state.mode === 'form') {
      renderParamsForm(parseParamsQuietly());
      (paramsForm.querySelector('[data-param]') || paramsField).focus();
    } else {
      paramsField.focus();
    }
  }

  function showMode() {
    paramsForm.hidden = state.mode !== 'form';
    paramsField.hidden = state.mode !== 'json';
    paramsError.textContent = '';
  }

  function parseParamsQuietly() {
    try {
      const value = JSON.parse(paramsField.value.trim() || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch {
      return {};
    }
  }

  /** One field per key of the command's example and of params: the example's value type decides the field. */
  function renderParamsForm(params) {
    const command = commands.find((c) => c.name === commandField.value.trim());
    let example = {};
    try {
      const parsed = JSON.parse(command?.params_example || '{}');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) example = parsed;
    } catch {
      // an unreadable example: the form shows what params hold
    }
    const keys = [...new Set([...Object.keys(example), ...Object.keys(params)])];
    if (keys.length === 0) {
      fill(paramsForm, h('p', { class: 'placeholder', i18n: command ? 'console.noParams' : 'console.chooseCommandFirst' }));
      return;
    }
    fill(paramsForm, keys.map((key) => {
      const sample = key in example ? example[key] : params[key];
      const value = key in params ? params[key] : sample;
      const kind = typeof sample === 'boolean' ? 'boolean' : typeof sample === 'number' ? 'number'
        : typeof sample === 'string' ? 'string' : 'json';
      if (kind === 'boolean') {
        return h('mdui-checkbox', { class: 'param-check', checked: value === true, dataset: { param: key, kind } }, key);
      }
      const field = h('mdui-text-field', { variant: 'outlined', label: kind === 'json' ? `${key} (JSON)` : key,
        type: kind === 'number' ? 'number' : 'text', class: kind === 'json' ? 'mono-field' : null,
        dataset: { param: key, kind }, spellcheck: false, autocomplete: 'off' });
      field.value = kind === 'json' ? JSON.stringify(value ?? null) : value == null ? '' : String(value);
      return field;
    }));
  }

  /** The form's values as params, or null (with the reason shown) when a JSON field is not valid. */
  function formParams() {
    const params = {};
    for (const field of paramsForm.querySelectorAll('[data-param]')) {
      const key = field.dataset.param;
      const kind = field.dataset.kind;
      if (kind === 'boolean') params[key] = field.checked;
      else if (kind === 'number') {
        if (field.value.trim() === '') continue;
        const n = Number(field.value);
        if (!Number.isFinite(n)) {
          setText(paramsError, ['console.paramNotNumber', { key }]);
          field.focus();
          return null;
        }
        params[key] = n;
      } else if (kind === 'json') {
        try {
          params[key] = JSON.parse(field.value.trim() || 'null');
        } catch (error) {
          setText(paramsError, ['console.paramInvalid', { key, error: error.message }]);
          field.focus();
          return null;
        }
      } else {
        params[key] = field.value;
      }
    }
    return params;
  }

  function describeCommand() {
    const command = commands.find((c) => c.name === commandField.value.trim());
    const text = command ? commandDescription(command) : '';
    description.textContent = text ? `${command.plugin} · ${text}` : '';
    const name = commandField.value.trim();
    const lacking = name ? state.targets.filter((uuid) => {
      const client = getClient(uuid);
      return client && client.capabilities && !client.capabilities.includes(name);
    }).length : 0;
    if (lacking > 0) setText(capabilityWarning, ['console.lacking', { n: lacking, command: name }]);
    else capabilityWarning.textContent = '';
  }

  function parseParams() {
    const text = paramsField.value.trim() || '{}';
    try {
      const value = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        setText(paramsError, 'console.paramsNotObject');
        return null;
      }
      return value;
    } catch (error) {
      setText(paramsError, ['console.paramsInvalid', { error: error.message }]);
      return null;
    }
  }

  async function send() {
    paramsError.textContent = '';
    const command = commandField.value.trim();
    if (state.targets.length === 0) {
      notify(['console.needTargets'], 'error');
      addField.focus();
      return;
    }
    if (!command) {
      notify(['console.needCommand'], 'error');
      commandField.focus();
      return;
    }
    const params = state.mode === 'form' ? formParams() : parseParams();
    if (!params) {
      if (state.mode === 'json') paramsField.focus();
      return;
    }
    if (state.mode === 'form') state.params = paramsField.value = JSON.stringify(params, null, 2);
    const timeout = Number(timeoutField.value || 30);
    if (!(timeout > 0 && timeout <= 600)) {
      notify(['console.badTimeout'], 'error');
      timeoutField.focus();
      return;
    }
    state.results = state.targets.map((uuid) => ({ uuid, outcome: 'running' }));
    renderResults();
    state.running = true;
    await busy(sendButton, async () => {
      await runPool(state.results, IN_FLIGHT, async (result) => {
        const started = performance.now();
        try {
          result.data = await api(`/api/clients/${seg(result.uuid)}/command`, { method: 'POST',
            body: { command, params, timeout } });
          result.outcome = 'ok';
        } catch (error) {
          result.outcome = 'failed';
          result.error = error.message;
          result.code = error.code;
        }
        result.ms = performance.now() - started;
        state.onResult?.(result); // the page shown now (the user may have left and come back)
      });
    });
    state.running = false;
    const failed = state.results.filter((r) => r.outcome === 'failed').length;
    notify(failed === 0 ? ['console.allOk', { n: state.results.length }]
      : ['console.someFailed', { failed, n: state.results.length }], failed === 0 ? 'success' : 'error');
  }

  const resultRows = new Map();
  function renderResults() {
    noResults.hidden = state.results.length > 0;
    resultsSummary.hidden = state.results.length === 0;
    resultRows.clear();
    fill(resultsList, state.results.map((result) => {
      const li = h('li', { class: 'result', dataset: { resultClient: result.uuid } });
      resultRows.set(result.uuid, li);
      paintResult(li, result);
      return li;
    }));
    summarize();
  }

  function updateResult(result) {
    const li = resultRows.get(result.uuid);
    if (li) paintResult(li, result);
    summarize();
  }

  // Back on the page while a send is still under way: the button shows it until the last answer.
  if (state.running) {
    sendButton.loading = true;
    sendButton.disabled = true;
    const idle = setInterval(() => {
      if (state.running) return;
      clearInterval(idle);
      sendButton.loading = false;
      sendButton.disabled = false;
    }, 200);
    ctx.signal.addEventListener('abort', () => clearInterval(idle));
  }

  function paintResult(li, result) {
    li.dataset.outcome = result.outcome;
    const head = h('div', { class: 'result-head' }, statusChip(result.outcome), clientLink(result.uuid),
      result.ms != null ? h('span', { class: 'muted', dataset: { timing: 'round-trip' }, t: { title: 'console.roundTripHint' } },
        h('span', { i18n: 'console.roundTrip' }), ' ', h('span', { duration: result.ms })) : null);
    let body = null;
    if (result.outcome === 'ok') {
      body = h('pre', { class: 'json', dataset: { result: 'data' }, text: JSON.stringify(result.data, null, 2) });
    } else if (result.outcome === 'failed') {
      body = h('p', { class: 'error-text result-error', dataset: { result: 'error' } }, result.error,
        result.code ? h('span', { class: 'code', text: ` (${result.code})` }) : null);
    } else {
      body = h('mdui-linear-progress', { class: 'result-progress', t: { 'aria-label': 'console.running' } });
    }
    fill(li, head, body);
  }

  function summarize() {
    const n = { ok: 0, failed: 0, running: 0 };
    for (const r of state.results) n[r.outcome] += 1;
    setText(resultsSummary, ['console.summary', { ok: n.ok, failed: n.failed, running: n.running }]);
    setText(progress, n.running > 0 ? ['console.progress', { done: state.results.length - n.running, n: state.results.length }]
      : 'common.empty');
  }

  api('/api/plugins', { signal: ctx.signal }).then((plugins) => {
    commands = plugins.flatMap((plugin) => (plugin.commands || []).map((c) => ({ ...c, plugin: plugin.id })))
      .sort((a, b) => a.name.localeCompare(b.name));
    renderCommandChips();
    describeCommand();
    if (state.mode === 'form') renderParamsForm(parseParamsQuietly());
  }, notifyError);
  window.addEventListener('classtop-lang', () => { renderCommandChips(); describeCommand(); }, { signal: ctx.signal });
  const unsubscribe = subscribe((changed) => {
    if (!changed || state.targets.some((uuid) => changed.has(uuid))) renderTargets();
  });
  state.onResult = updateResult;
  ctx.signal.addEventListener('abort', () => {
    unsubscribe();
    if (state.onResult === updateResult) state.onResult = null;
  });
  loadClients().catch(() => {});
  renderTargets();
  renderResults();
  renderParamsForm(parseParamsQuietly());
  showMode();
}


function prettyExample(example) {
  try {
    return JSON.stringify(JSON.parse(example || '{}'), null, 2);
  } catch {
    return example || '{}';
  }
}

// ------------------------------------------------------------------------------------------------ history

function mountHistory(root, ctx) {
  const filters = { client: '', command: '', status: '', reads: false };
  let reads = new Set();
  let cursors = []; // `before` of each page shown before this one
  let before = null;
  let lastRows = [];

  const clientField = textField('history.client', { type: 'search', clearable: true, class: 'filter-field',
    dataset: { field: 'history-client' } });
  const commandField = textField('history.command', { type: 'search', clearable: true, class: 'filter-field',
    dataset: { field: 'history-command' } });
  const statusSelect = h('mdui-select', { variant: 'outlined', value: '', class: 'filter-field', clearable: true,
    dataset: { field: 'history-status' }, t: { label: 'history.status' } },
  ['ok', 'failed', 'timeout', 'offline', 'error'].map((s) => h('mdui-menu-item', { value: s, i18n: `status.${s}` })));
  const readsSwitch = h('mdui-checkbox', { class: 'reads-switch', dataset: { field: 'history-reads' } },
    setText(h('span'), 'history.showReads'));
  readsSwitch.addEventListener('change', () => { filters.reads = readsSwitch.checked; resetPaging(); load(); });
  const body = h('div', { class: 'table-scroll' }, loading());
  const newer = h('mdui-button', { variant: 'text', icon: 'chevron_left', i18n: 'history.newer', dataset: { action: 'newer' } });
  const older = h('mdui-button', { variant: 'text', 'end-icon': 'chevron_right', i18n: 'history.older', dataset: { action: 'older' } });
  const refresh = h('mdui-button-icon', { icon: 'refresh', dataset: { action: 'refresh-history' }, t: { 'aria-label': 'common.refresh' } });

  root.append(h('mdui-card', { class: 'card', variant: 'outlined' },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title', i18n: 'history.title' }), refresh),
    h('div', { class: 'toolbar' }, clientField, commandField, statusSelect, readsSwitch),
    body,
    h('div', { class: 'table-footer' }, newer, older)));

  const refilter = throttle(() => { resetPaging(); load(); }, 400);
  clientField.addEventListener('input', () => { filters.client = clientField.value.trim(); refilter(); });
  clientField.addEventListener('clear', () => { filters.client = ''; refilter(); });
  commandField.addEventListener('input', () => { filters.command = commandField.value.trim(); refilter(); });
  commandField.addEventListener('clear', () => { filters.command = ''; refilter(); });
  statusSelect.addEventListener('change', () => { filters.status = statusSelect.value || ''; resetPaging(); load(); });
  newer.addEventListener('click', () => { before = cursors.pop() ?? null; load(newer); });
  older.addEventListener('click', () => {
    if (lastRows.length === 0) return;
    cursors.push(before);
    before = lastRows[lastRows.length - 1].id;
    load(older);
  });
  refresh.addEventListener('click', () => { resetPaging(); load(refresh); });

  function resetPaging() {
    cursors = [];
    before = null;
  }

  /** A typed client name becomes its uuid; anything else is sent as typed (a uuid). */
  function clientFilter() {
    const q = filters.client.toLowerCase();
    if (!q) return '';
    const byName = allClients().find((c) => (c.name || '').toLowerCase() === q);
    return byName ? byName.uuid : filters.client;
  }

  async function load(button) {
    const params = new URLSearchParams({ limit: String(HISTORY_PAGE) });
    const client = clientFilter();
    if (client) params.set('client', client);
    if (filters.command) params.set('command', filters.command);
    if (filters.status) params.set('status', filters.status);
    if (!filters.reads) params.set('reads', 'false'); // reads left out by the server, so a page stays full
    if (before != null) params.set('before', String(before));
    await busy(button, async () => {
      try {
        [lastRows, reads] = await Promise.all([api(`/api/commands?${params}`, { signal: ctx.signal }), readCommandNames()]);
        render();
      } catch (error) {
        if (error.name !== 'AbortError') fill(body, placeholder({ text: error.message }, { error: true }));
      }
    });
  }

  function render() {
    newer.disabled = cursors.length === 0 && before == null;
    older.disabled = lastRows.length < HISTORY_PAGE;
    // Reads are hidden unless asked for (or searched for by name); paging still walks every logged command.
    const shown = lastRows;
    if (shown.length === 0) {
      fill(body, placeholder('history.none'));
      return;
    }
    fill(body, h('table', { class: 'data-table history-table', dataset: { table: 'history' } },
      h('thead', {}, h('tr', {}, ['history.time', 'history.clientCol', 'history.commandCol', 'history.statusCol',
        'history.agentTime', 'history.by'].map((k) => h('th', { scope: 'col', i18n: k,
        t: k === 'history.agentTime' ? { title: 'history.agentTimeHint' } : undefined })))),
      h('tbody', {}, shown.map((row) => h('tr', { dataset: { commandId: row.id, status: row.status } },
        h('td', {}, h('span', { time: row.sent_at })),
        h('td', {}, clientLink(row.client_uuid)),
        h('td', {}, h('button', { type: 'button', class: 'link-button mono', text: row.command,
          t: { 'aria-label': ['history.details', { command: row.command }] }, on: { click: () => details(row) } }),
        reads.has(row.command) ? h('span', { class: 'tag read-tag', i18n: 'history.readTag' }) : null),
        h('td', {}, statusChip(row.status)),
        h('td', {}, row.duration_ms != null ? h('span', { duration: row.duration_ms }) : '—'),
        h('td', { text: row.requested_by || '—' }))))));
  }

  function details(row) {
    const client = getClient(row.client_uuid);
    openDialog(h('div', { class: 'details' },
      h('dl', { class: 'facts' },
        h('dt', { i18n: 'history.clientCol' }), h('dd', { text: client ? `${clientName(client)} (${row.client_uuid})` : row.client_uuid }),
        h('dt', { i18n: 'history.statusCol' }), h('dd', {}, statusChip(row.status)),
        h('dt', { i18n: 'history.time' }), h('dd', {}, h('span', { time: row.sent_at })),
        h('dt', { i18n: 'history.answered' }), h('dd', {}, h('span', { time: row.answered_at })),
        h('dt', { i18n: 'history.agentTime' }), h('dd', {}, row.duration_ms != null ? h('span', { duration: row.duration_ms }) : '—'),
        h('dt', { i18n: 'history.by' }), h('dd', { text: row.requested_by || '—' }),
        h('dt', { i18n: 'history.requestId' }), h('dd', {}, mono(row.request_id || '—'))),
      h('h3', { i18n: 'console.params' }), h('pre', { class: 'json', text: JSON.stringify(row.params ?? {}, null, 2) }),
      row.error ? [h('h3', { i18n: 'history.error' }), h('p', { class: 'error-text', text: row.error })]
        : [h('h3', { i18n: 'history.response' }), h('pre', { class: 'json', text: JSON.stringify(row.response ?? null, null, 2) })]),
    { headlineText: row.command, wide: true });
  }

  const refreshFirstPage = throttle(() => { if (before == null) load(); }, 1000);
  window.addEventListener('classtop-live', (event) => {
    if (event.detail.type === 'commands') refreshFirstPage();
  }, { signal: ctx.signal });
  const unsubscribe = subscribe(() => { if (lastRows.length) render(); });
  ctx.signal.addEventListener('abort', unsubscribe);
  load();
}
