// Every client the server knows, kept current from the live feed: loaded once from GET /api/clients/, then
// upserted from the `client` view that client.* events carry (null = forgotten). Pages subscribe.
import { api } from './api.js';

const clients = new Map();
const subscribers = new Set();
let loaded = null;
let inFlight = null;
let changed = new Set();
let everything = false;
let queued = false;

/** What the UI calls a client's status: pending / rejected (enrolment) or online / offline. */
export function clientStatus(client) {
  if (client.enrollment === 'pending') return 'pending';
  if (client.enrollment === 'rejected') return 'rejected';
  return client.online ? 'online' : 'offline';
}

/** The client's name, or its uuid when it has none. */
export function clientName(client) {
  return client && client.name ? client.name : client ? client.uuid : '';
}

/** Loads the list once (again when `force`, joining a load under way); resolves when it is there. */
export function loadClients(force = false) {
  if (inFlight) return inFlight;
  if (!loaded || force) {
    const request = api('/api/clients/').then((list) => {
      clients.clear();
      for (const client of list) clients.set(client.uuid, client);
      notify(null);
    });
    inFlight = request;
    request.then(() => { inFlight = null; }, () => {
      inFlight = null;
      if (loaded === request) loaded = null;
    });
    loaded = request;
  }
  return loaded;
}

export function getClient(uuid) {
  return clients.get(uuid);
}

export function allClients() {
  return [...clients.values()];
}

export function counts() {
  const result = { online: 0, offline: 0, pending: 0, rejected: 0, total: clients.size };
  for (const client of clients.values()) result[clientStatus(client)] += 1;
  return result;
}

/** Replaces one client's view (e.g. from an approve call's answer). */
export function upsertClient(view) {
  if (!view || !view.uuid) return;
  clients.set(view.uuid, view);
  notify(view.uuid);
}

export function removeClient(uuid) {
  if (clients.delete(uuid)) notify(uuid);
}

/** fn(changedUuids: Set | null) at most once per frame; null means the whole list changed. Answers unsubscribe. */
export function subscribe(fn) {
  subscribers.add(fn);
  return () => subscribers.delete(fn);
}

/** Forgets everything (sign-out). */
export function resetClients() {
  clients.clear();
  loaded = null;
}

function notify(uuid) {
  if (uuid === null) everything = true;
  else changed.add(uuid);
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => {
    queued = false;
    const detail = everything ? null : changed;
    everything = false;
    changed = new Set();
    for (const fn of [...subscribers]) {
      try {
        fn(detail);
      } catch (error) {
        console.error(error);
      }
    }
  });
}

window.addEventListener('classtop-live', (event) => {
  const message = event.detail;
  if (message.type !== 'event' || !message.name || !message.name.startsWith('client.') || !message.client_uuid) return;
  if (message.client) upsertClient(message.client);
  else removeClient(message.client_uuid);
});
