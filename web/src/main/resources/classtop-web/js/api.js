// The one way the shell talks to the ClassTop API: JSON envelope in, data or ApiError out.
import { t } from './i18n.js';
import { localizeError } from './errors.js';

const CSRF_KEY = 'classtop.csrf';

/**
 * A failed call: message is the API's sentence in the UI's language (translated by code, see errors.js; or ours
 * for a network failure), serverMessage the API's own; status 0 = no answer.
 */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(localizeError(code, message));
    this.name = 'ApiError';
    this.status = status;
    this.code = code || null;
    this.serverMessage = message;
  }
}

let unauthorizedHandler = () => {};

/** Called when any call answers 401 (the session ended): the shell shows the sign-in page. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export const csrf = {
  get: () => sessionStorage.getItem(CSRF_KEY),
  set: (token) => (token ? sessionStorage.setItem(CSRF_KEY, token) : sessionStorage.removeItem(CSRF_KEY)),
};

/**
 * Calls the API. Resolves to the envelope's data; rejects with ApiError carrying the envelope's error sentence.
 * options: method (GET), body (sent as JSON), signal, anonymous (a 401 is an answer, not the end of the session).
 */
export async function api(path, { method = 'GET', body, signal, anonymous = false } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf.get()) {
    headers['X-CSRF-Token'] = csrf.get();
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(t('error.network'), 0, 'NETWORK');
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON (e.g. a proxy's error page)
  }
  if (response.ok && json && json.success !== false) {
    return json.data;
  }
  const sentence = json && typeof json.error === 'string' && json.error
    ? json.error
    : t('error.http', { status: response.status });
  const error = new ApiError(sentence, response.status, json && json.code);
  if (response.status === 401 && !anonymous) {
    unauthorizedHandler(error);
  }
  throw error;
}

/** encodeURIComponent for path segments. */
export const seg = encodeURIComponent;

/** Runs task(item) for every item, at most `limit` at a time; resolves when all are done. */
export async function runPool(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
