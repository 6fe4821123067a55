// The one way the shell talks to the ClassTop API: JSON envelope in, data or ApiError out.
import { t } from './i18n.js';
import { localizeError } from './errors.js';

const CSRF_KEY = 'classtop.csrf';

/**
 * A failed call: message is the API's sentence in the UI's language (translated by code, see errors.js; or ours
 * for a network failure), serverMessage the API's own, data the envelope's data (what a refusal names); status 0 =
 * no answer.
 */
export class ApiError extends Error {
  constructor(message, status, code, data = null) {
    super(localizeError(code, message, undefined, data));
    this.name = 'ApiError';
    this.status = status;
    this.code = code || null;
    this.serverMessage = message;
    this.data = data;
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

/** The headers every call sends: JSON wanted, and the session's CSRF token on a change. */
function headersFor(method) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrf.get()) {
    headers['X-CSRF-Token'] = csrf.get();
  }
  return headers;
}

/**
 * The envelope of an answer: its data when it succeeded; otherwise an ApiError with the envelope's sentence (or
 * ours, from the status, for an answer that is not JSON, such as a proxy's error page), after telling the shell
 * about a 401. json is the parsed body or null.
 */
function unwrap(status, json, { anonymous = false, fallback } = {}) {
  if (status >= 200 && status < 300 && json && json.success !== false) {
    return json.data;
  }
  const sentence = json && typeof json.error === 'string' && json.error
    ? json.error
    : (fallback && fallback(status)) || t('error.http', { status });
  const error = new ApiError(sentence, status, json && json.code, json ? json.data ?? null : null);
  if (status === 401 && !anonymous) {
    unauthorizedHandler(error);
  }
  throw error;
}

/**
 * Calls the API. Resolves to the envelope's data; rejects with ApiError carrying the envelope's error sentence.
 * options: method (GET), body (sent as JSON), signal, anonymous (a 401 is an answer, not the end of the session).
 */
export async function api(path, { method = 'GET', body, signal, anonymous = false } = {}) {
  const headers = headersFor(method);
  const init = { method, headers, credentials: 'same-origin', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
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
  return unwrap(response.status, json, { anonymous });
}

/**
 * POSTs a file as the request body (XMLHttpRequest: fetch reports no upload progress), with the same envelope,
 * CSRF token and 401 handling as api(). Resolves to {status, data} (the status tells 201 Created from 200);
 * rejects with an ApiError, or an AbortError when signal aborts. options: contentType, onProgress(fraction 0..1),
 * signal, fallback(status) (our sentence for an answer that is not JSON, such as a proxy's 413 page).
 */
export function upload(path, blob, { contentType = 'application/octet-stream', onProgress, signal, fallback } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', contentType);
    for (const [name, value] of Object.entries(headersFor('POST'))) xhr.setRequestHeader(name, value);
    if (onProgress) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
      };
    }
    const abort = () => xhr.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    xhr.onload = () => {
      done();
      let json = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // not JSON (a proxy's error page)
      }
      try {
        resolve({ status: xhr.status, data: unwrap(xhr.status, json, { fallback }) });
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError(t('error.network'), 0, 'NETWORK'));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.send(blob);
  });
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
