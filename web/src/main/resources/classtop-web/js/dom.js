// DOM building without HTML strings: every text from the API goes in as textContent.
import { t, formatTime, formatDuration } from './i18n.js';

/**
 * Creates an element. opts:
 *   class, text (plain text), i18n (key or [key, params]: translated text that follows language changes),
 *   t ({attribute: key | [key, params]}: translated attributes), time (ISO date shown per language; timeStyle
 *   'datetime' | 'relative' | 'date'), duration (milliseconds, '—' when null), on ({event: handler}), props ({property: value}), dataset, style,
 *   and any other key as an attribute (true: present, false/null/undefined: absent).
 * children: nodes, strings (text), arrays, or null/false (skipped).
 */
export function h(tag, opts = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(opts)) {
    if (value === undefined || value === null || value === false) continue;
    switch (key) {
      case 'class': el.className = value; break;
      case 'text': el.textContent = String(value); break;
      case 'i18n': setText(el, value); break;
      case 't': for (const [attr, k] of Object.entries(value)) setAttr(el, attr, k); break;
      case 'time': setTime(el, value, opts.timeStyle || 'datetime'); break;
      case 'timeStyle': break;
      case 'duration': setDuration(el, value); break;
      case 'on': for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn); break;
      case 'props': Object.assign(el, value); break;
      case 'dataset': Object.assign(el.dataset, value); break;
      case 'style': el.style.cssText = value; break;
      default: el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Translated text content that relabel() keeps in the current language. */
export function setText(el, keyOrPair) {
  const [key, params] = Array.isArray(keyOrPair) ? keyOrPair : [keyOrPair];
  el.dataset.i18n = key;
  if (params) el.dataset.i18nParams = JSON.stringify(params);
  else delete el.dataset.i18nParams;
  el.textContent = t(key, params);
  return el;
}

/** A translated attribute (label, aria-label, headline, ...) that relabel() keeps in the current language. */
export function setAttr(el, attr, keyOrPair) {
  const [key, params] = Array.isArray(keyOrPair) ? keyOrPair : [keyOrPair];
  const map = el.dataset.i18nAttr ? JSON.parse(el.dataset.i18nAttr) : {};
  map[attr] = params ? [key, params] : key;
  el.dataset.i18nAttr = JSON.stringify(map);
  el.setAttribute(attr, t(key, params));
  return el;
}

/** A date shown in the current language (title holds the full date and time). */
export function setTime(el, iso, style = 'datetime') {
  if (!iso) {
    el.textContent = '—';
    delete el.dataset.time;
    return el;
  }
  el.dataset.time = iso;
  el.dataset.timeStyle = style;
  el.textContent = formatTime(iso, style);
  el.title = formatTime(iso, 'datetime');
  return el;
}

/** "Last seen" of a client: "Online now" while it is connected (the exact time as tooltip), else how long ago. */
export function setLastSeen(el, client) {
  if (client && client.online && client.enrollment !== 'pending') {
    delete el.dataset.time;
    setText(el, 'lastSeen.online');
    el.title = client.last_seen ? formatTime(client.last_seen, 'datetime') : '';
    return el;
  }
  delete el.dataset.i18n;
  return setTime(el, client && client.last_seen, 'relative');
}

/** A duration shown in the current language's units. */
function setDuration(el, ms) {
  el.dataset.duration = String(ms);
  el.textContent = formatDuration(ms);
  return el;
}

/** Re-applies every translated text, attribute, date and duration under root (after a language change). */
export function relabel(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n, el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : undefined);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const [attr, k] of Object.entries(JSON.parse(el.dataset.i18nAttr))) {
      const [key, params] = Array.isArray(k) ? k : [k];
      el.setAttribute(attr, t(key, params));
    }
  }
  for (const el of root.querySelectorAll('[data-duration]')) el.textContent = formatDuration(Number(el.dataset.duration));
  refreshTimes(root);
}

/** Re-formats dates (relative ones drift: "2 minutes ago"). */
export function refreshTimes(root = document) {
  for (const el of root.querySelectorAll('[data-time]')) {
    el.textContent = formatTime(el.dataset.time, el.dataset.timeStyle);
    el.title = formatTime(el.dataset.time, 'datetime');
  }
}

/** An mdui-icon (decorative: hidden from assistive technology). */
export function icon(name, cls) {
  return h('mdui-icon', { name, class: cls, 'aria-hidden': 'true' });
}

/** A one-line empty or error message inside a list or table. */
export function placeholder(i18nOrText, { error = false } = {}) {
  const p = h('p', { class: error ? 'placeholder error-text' : 'placeholder' });
  if (error) p.setAttribute('role', 'alert');
  if (typeof i18nOrText === 'string' || Array.isArray(i18nOrText)) setText(p, i18nOrText);
  else p.textContent = i18nOrText.text;
  return p;
}

/** Shows "Loading…" with a progress bar until replaced. */
export function loading() {
  return h('div', { class: 'loading', role: 'status' },
    h('mdui-linear-progress', { t: { 'aria-label': 'common.loading' } }),
    h('span', { class: 'visually-hidden', i18n: 'common.loading' }));
}

/** Clears el and appends children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Runs fn once per animation frame at most, however often it is asked for. */
export function frameThrottle(fn) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

/** Runs fn at most once per `ms` (the last call within a window runs at its end). */
export function throttle(fn, ms) {
  let timer = null;
  let last = 0;
  return () => {
    const wait = last + ms - Date.now();
    if (wait <= 0 && !timer) {
      last = Date.now();
      fn();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, Math.max(wait, 0));
    }
  };
}

/** A status chip (online, offline, pending, ok, failed, timeout, ...). */
export function statusChip(status) {
  const chip = h('span', { class: `status status-${status}`, dataset: { status } });
  chip.append(icon(STATUS_ICONS[status] || 'help_outline'), h('span', { i18n: `status.${status}` }));
  return chip;
}

const STATUS_ICONS = {
  online: 'check_circle', offline: 'cancel', pending: 'hourglass_top', rejected: 'block',
  ok: 'check_circle', failed: 'error', timeout: 'timer_off', error: 'error', running: 'sync', started: 'check_circle',
  disabled: 'pause_circle', stopped: 'stop_circle', created: 'radio_button_unchecked', resolved: 'radio_button_unchecked',
  active: 'check_circle', revoked: 'block', expired: 'schedule', restart_required: 'restart_alt',
  platform_mismatch: 'devices_other',
};

/** One row of a <dl class="facts">: a translated term and its value (text or nodes; '—' when missing). */
export function fact(labelKey, value) {
  return [h('dt', { i18n: labelKey }), h('dd', {}, value ?? '—')];
}

/** Monospace text (uuids, routes, JSON). */
export function mono(text, tag = 'span') {
  return h(tag, { class: 'mono', text });
}
