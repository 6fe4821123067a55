// Changes to a client that several pages offer: approve or reject its enrolment, forget it.
import { api, seg } from './api.js';
import { clientName, upsertClient, removeClient } from './clients.js';
import { notify, busy, confirmAction } from './ui.js';

/** Approves or rejects (after a confirmation) a pending client; answers whether it was done. */
export async function decideEnrolment(button, client, decision) {
  if (decision === 'reject') {
    const ok = await confirmAction({ headline: ['enrolment.rejectTitle', { name: clientName(client) }],
      description: 'enrolment.rejectText', confirm: 'enrolment.reject', danger: true });
    if (!ok) return false;
  }
  return busy(button, async () => {
    upsertClient(await api(`/api/clients/${seg(client.uuid)}/${decision}`, { method: 'POST' }));
    notify([`enrolment.${decision}d`, { name: clientName(client) }], 'success');
    return true;
  }).then((done) => done === true);
}

/**
 * Re-enrols a client after a confirmation: its credential (or address pin) is void and its next
 * connection enrols like a new client's. Answers whether it was done.
 */
export async function reenrolClient(button, client) {
  const ok = await confirmAction({ headline: ['clients.reenrolTitle', { name: clientName(client) }],
    description: 'clients.reenrolText', confirm: 'clients.reenrol', danger: true });
  if (!ok) return false;
  return busy(button, async () => {
    upsertClient(await api(`/api/clients/${seg(client.uuid)}/re-enroll`, { method: 'POST' }));
    notify(['clients.reenrolled', { name: clientName(client) }], 'success');
    return true;
  }).then((done) => done === true);
}

/** Forgets an offline client after a confirmation; answers whether it was done. */
export async function forgetClient(button, client) {
  const ok = await confirmAction({ headline: ['clients.forgetTitle', { name: clientName(client) }],
    description: 'clients.forgetText', confirm: 'clients.forgetConfirm', danger: true });
  if (!ok) return false;
  return busy(button, async () => {
    await api(`/api/clients/${seg(client.uuid)}`, { method: 'DELETE' });
    removeClient(client.uuid);
    notify(['clients.forgotten', { name: clientName(client) }], 'success');
    return true;
  }).then((done) => done === true);
}
