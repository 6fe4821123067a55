// The live feed: one EventSource per tab on /api/live. Every message is re-dispatched as the window event
// 'classtop-live' (detail = the message) for the shell's pages and the plugins' panels.
import { api } from './api.js';

const MAX_RETRY_MS = 30000;

let source = null;
let hellos = 0;
let retryTimer = null;
let retryDelay = 2000;
let handlers = {};
/** Bumped by stopLive(): a retry planned before it is dropped. */
let generation = 0;

/** 'connecting' | 'live' | 'reconnecting' | 'offline' */
let state = 'offline';

function setState(next) {
  if (state === next) return;
  state = next;
  handlers.onStateChange?.(state);
}

export function liveState() {
  return state;
}

/**
 * Opens the feed. handlers: onStateChange(state), onReconnected() (every hello after the first: the
 * current view reloads what it may have missed).
 */
export function startLive(newHandlers) {
  stopLive();
  handlers = newHandlers || {};
  hellos = 0;
  connect();
}

export function stopLive() {
  generation += 1;
  clearTimeout(retryTimer);
  retryTimer = null;
  if (source) {
    source.close();
    source = null;
  }
  setState('offline');
}

function connect() {
  setState(hellos === 0 ? 'connecting' : 'reconnecting');
  const es = new EventSource('/api/live');
  source = es;
  es.onmessage = (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === 'hello') {
      hellos += 1;
      retryDelay = 2000;
      setState('live');
      if (hellos > 1) handlers.onReconnected?.();
    }
    window.dispatchEvent(new CustomEvent('classtop-live', { detail: message }));
  };
  es.onerror = () => {
    if (source !== es) return;
    if (es.readyState === EventSource.CONNECTING) {
      setState('reconnecting'); // the browser retries by itself
      return;
    }
    // CLOSED: refused (session over, or no feed on this server). A 401 from /api/auth/me signs out.
    es.close();
    source = null;
    setState('offline');
    const planned = generation;
    const retryLater = () => {
      if (planned !== generation) return;
      retryTimer = setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    };
    // A 401 is handled by api() (sign-in page, stopLive); anything else: try again later.
    api('/api/auth/me').then(retryLater, (error) => { if (error.status !== 401) retryLater(); });
  };
}
