/**
 * ClassTop UI kit, version 1: the public API for plugin panels, served by the core at /ui/kit.js.
 *
 *   import { api, lang, t, onEvent, onReconnect, formatBytes, formatTime, formatAge, el, button } from '/ui/kit.js';
 *
 * A panel runs inside the admin shell, and so does this module: it shares the shell's session (CSRF token),
 * its language and its one live feed. Version 1 functions keep their names and meaning; a later version only
 * adds functions (docs/plugin-guide.md, "The UI kit").
 */
import { api as shellApi } from '../js/api.js';
import {
  getLang, formatTime as shellFormatTime, formatAge as shellFormatAge, formatBytes as shellFormatBytes,
} from '../js/i18n.js';

export const KIT_VERSION = 1;

/**
 * Calls the ClassTop API with the session (a change carries the X-CSRF-Token header). Resolves to the
 * envelope's `data`; rejects with an Error whose `message` is the server's sentence (or, when the server
 * cannot be reached, one in the shell's language), `status` the HTTP status (0 = no answer) and `code` the
 * API's error code (e.g. CLIENT_OFFLINE; 'NETWORK' with no answer; null when the answer had none).
 * A 401 means the session ended: the shell shows its sign-in page.
 */
export function api(method, path, body) {
  return shellApi(path, { method: String(method || 'GET').toUpperCase(), body });
}

/** The language the shell shows: 'zh-CN' or 'en' (the one key scheme of the shell and all dictionaries). */
export function lang() {
  return getLang();
}

/**
 * The text of `key` in `dict` ({en: {...}, 'zh-CN': {...}}) for lang(), English when missing, else the key.
 * A value is a string with {name} placeholders filled from `values`, an object {one, other} chosen by the
 * plural rules for values.n, or a function called with `values`.
 */
export function t(dict, key, values) {
  const code = lang();
  let value = dict?.[code]?.[key] ?? dict?.en?.[key];
  if (value === undefined || value === null) return key;
  if (typeof value === 'function') return String(value(values));
  if (typeof value === 'object') {
    const form = new Intl.PluralRules(code).select(Number(values?.n ?? 0));
    value = value[form] ?? value.other;
  }
  value = String(value);
  if (!values) return value;
  return value.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The whole string table of `dict` for lang() (English when the language has none). */
export function strings(dict) {
  return dict[lang()] || dict.en;
}

// ---- the live feed ----
// The shell's one EventSource re-dispatches every message as the window event 'classtop-live'. This module
// listens once and hands each message to the subscriptions that match; a panel never opens a second feed.

/** {matches(message), fn, owner} */
const subscriptions = new Set();
let listening = false;
let observer = null;

function globToRegExp(pattern) {
  const source = String(pattern).split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`);
}

/** Drops the subscriptions whose owner element has left the page. */
function dropRemovedOwners() {
  for (const subscription of subscriptions) {
    if (subscription.owner && !subscription.owner.isConnected) subscriptions.delete(subscription);
  }
  if (observer && ![...subscriptions].some((s) => s.owner)) {
    observer.disconnect();
    observer = null;
  }
}

function dispatch(event) {
  const message = event.detail;
  if (!message) return;
  dropRemovedOwners(); // also covers owners inside shadow roots, which the observer does not see
  for (const subscription of [...subscriptions]) {
    if (!subscriptions.has(subscription) || !subscription.matches(message)) continue;
    try {
      subscription.fn(message);
    } catch (error) {
      console.error('A live-event handler failed', error);
    }
  }
}

function subscribe(matches, fn, owner) {
  if (typeof fn !== 'function') throw new TypeError('onEvent needs a function');
  if (!listening) {
    window.addEventListener('classtop-live', dispatch);
    listening = true;
  }
  const subscription = { matches, fn, owner: owner || null };
  subscriptions.add(subscription);
  if (owner && !observer) {
    // Checked after each change of the page (a microtask later), so an element that is only moved stays subscribed.
    observer = new MutationObserver(dropRemovedOwners);
    observer.observe(document.documentElement, { childList: true, subtree: true });
  }
  return () => {
    subscriptions.delete(subscription);
  };
}

/**
 * Calls fn(message) for every platform or plugin event whose name matches `pattern` ('settings.changed',
 * 'client.*', '*'). The message is {type: 'event', name, client_uuid?, data?, client?, ...} as the feed sends
 * it. Returns the function that unsubscribes; when `owner` (the panel element) is given, the subscription is
 * also dropped once that element is removed from the page.
 */
export function onEvent(pattern, fn, owner) {
  const regex = globToRegExp(pattern);
  return subscribe((message) => message.type === 'event' && regex.test(String(message.name)), fn, owner);
}

/**
 * Calls fn() each time the live feed (re)connects: events may have been missed, reload what the panel shows.
 * Returns the function that unsubscribes; `owner` as for onEvent.
 */
export function onReconnect(fn, owner) {
  return subscribe((message) => message.type === 'hello', () => fn(), owner);
}

// ---- formatting in the shell's language ----

/** 512 B, 1.5 KiB, 20 MiB, 3.2 GiB. */
export function formatBytes(bytes) {
  return shellFormatBytes(bytes);
}

/** value: ISO text, Date or epoch ms; style 'datetime' (default), 'date', 'time' or 'relative' ("3 minutes ago"). */
export function formatTime(value, style = 'datetime') {
  return shellFormatTime(value, style);
}

/** How long ago, to the second ("12 sec. ago"); for values refreshed often. */
export function formatAge(value) {
  return shellFormatAge(value);
}

/**
 * A DOM element: `attrs.text` is its text (never parsed as HTML), `on<event>` keys add listeners
 * (`onclick: fn`), every other key is an attribute; null and undefined children are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  children.filter((c) => c !== null && c !== undefined).forEach((child) => node.append(child));
  return node;
}

/** A tonal MDUI button labelled `label` (a plain button where MDUI is missing), with `el`'s attrs. */
export function button(label, attrs = {}) {
  const tag = customElements.get('mdui-button') ? 'mdui-button' : 'button';
  return el(tag, { text: label, variant: 'tonal', ...attrs });
}
