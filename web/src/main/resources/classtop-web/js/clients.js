// Every client the server knows, kept current from the live feed: loaded once from GET /api/clients/, then
// upserted from the `client` view that client.* events carry (null = forgotten). Pages subscribe.
// Each view has a `version` that grows with every change (also across a server restart): a snapshot and a
// live event may arrive in either order, and the newer view wins, so a list fetched just before an agent
// connected can never hide the client.connected event that followed it.
import { api } from './api.js';

const clients = new Map();
const subscribers = new Set();
let loaded = null;
let inFlight = null;
let reloadAfter = null;
let changed = new Set();
let everything = false;
let queued = false;
/** uuid -> version of the view last known of clients forgotten (live event) while a snapshot loads. */
let forgotten = new Map();

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
  if (inFlight && force) {
    // the load under way may have been asked before what must be reloaded (a reconnection): load again after it
    reloadAfter ||= inFlight.catch(() => {}).then(() => {
      reloadAfter = null;
      return loadClients(true);
    });
    return reloadAfter;
  }
  if (inFlight) return inFlight;
  if (!loaded || force) {
    forgotten = new Map();
    const request = api('/api/clients/').then((list) => {
      const fresh = new Map();
      for (const client of list) {
        if (forgotten.has(client.uuid) && !isNewer(client, { version: forgotten.get(client.uuid) })) continue; // gone since
        const known = clients.get(client.uuid);
        fresh.set(client.uuid, known && isNewer(known, client) ? known : client);
      }
      clients.clear();
      for (const [uuid, client] of fresh) clients.set(uuid, client);
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

/** True when view a is a later state than view b (a view without a version is taken as newer). */
function isNewer(a, b) {
  if (typeof a.version !== 'number' || typeof b.version !== 'number') return true;
  return a.version > b.version;
}

/** Replaces one client's view (e.g. from an approve call's answer, or a live event), unless it is older. */
export function upsertClient(view) {
  if (!view || !view.uuid) return;
  const known = clients.get(view.uuid);
  if (known && known !== view && !isNewer(view, known) && view.version !== known.version) return;
  clients.set(view.uuid, view);
  notify(view.uuid);
}

export function removeClient(uuid) {
  forgotten.set(uuid, clients.get(uuid)?.version ?? Number.MAX_SAFE_INTEGER);
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
