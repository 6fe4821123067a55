// Feedback the user always gets: snackbars (announced to screen readers), confirmations, busy buttons, dialogs.
import { h, setText, setAttr } from './dom.js';
import { t } from './i18n.js';

/**
 * Shows a snackbar. kind: 'success' | 'info' | 'error'. message: text (e.g. the API's sentence) or
 * [i18nKey, params]. The same text goes to a live region so that screen readers say it.
 */
export function notify(message, kind = 'info') {
  const text = Array.isArray(message) ? t(message[0], message[1]) : String(message);
  const snackbar = h('mdui-snackbar', {
    class: `snackbar snackbar-${kind}`,
    dataset: { kind },
    closeable: true,
    placement: 'bottom-start', // away from the forms' buttons (Send, Save), which sit at the end
    'message-line': 2,
    'auto-close-delay': kind === 'error' ? 10000 : 5000,
  }, text);
  snackbar.addEventListener('closed', () => snackbar.remove());
  // One at a time: the newest replaces whatever is still shown.
  for (const old of document.querySelectorAll('mdui-snackbar.snackbar')) old.open = false;
  document.body.append(snackbar);
  requestAnimationFrame(() => { snackbar.open = true; });
  announce(text, kind === 'error');
  return snackbar;
}

/** Says text through the page's live regions (polite, or assertive for errors). */
export function announce(text, assertive = false) {
  const region = document.getElementById(assertive ? 'announce-alert' : 'announce-status');
  if (!region) return;
  region.textContent = '';
  // A new text node after a tick, so that the same sentence twice is announced twice.
  setTimeout(() => { region.textContent = text; }, 50);
}

/** Shows an error from a failed call (ApiError or any Error) as a snackbar. */
export function notifyError(error) {
  if (error && error.name === 'AbortError') return;
  notify(error && error.message ? error.message : String(error), 'error');
}

/**
 * Asks before a change that cannot be undone. Resolves true on confirm. opts: headline, description
 * (i18n key or [key, params]), confirm (i18n key of the confirming button), danger.
 */
export function confirmAction({ headline, description, confirm = 'common.confirm', danger = false }) {
  return new Promise((resolve) => {
    let answer = false;
    const ok = h('mdui-button', { slot: 'action', variant: 'filled', class: danger ? 'danger' : '', i18n: confirm,
      dataset: { action: 'confirm' } });
    const cancel = h('mdui-button', { slot: 'action', variant: 'text', i18n: 'common.cancel', dataset: { action: 'cancel' } });
    const dialog = h('mdui-dialog', { class: 'confirm-dialog', 'close-on-esc': true, 'close-on-overlay-click': true },
      cancel, ok);
    setAttr(dialog, 'headline', headline);
    if (description) dialog.append(setText(h('p', { class: 'dialog-text' }), description));
    ok.addEventListener('click', () => { answer = true; dialog.open = false; });
    cancel.addEventListener('click', () => { dialog.open = false; });
    dialog.addEventListener('closed', (event) => {
      if (event.target !== dialog) return;
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    requestAnimationFrame(() => { dialog.open = true; });
    dialog.addEventListener('opened', () => cancel.focus(), { once: true });
  });
}

/**
 * Opens an mdui-dialog holding content; resolves when it is closed (and removed). opts: headline
 * (i18n key or text via headlineText), wide, className, dataset, closeLabel, and closeAsIcon (a close icon in
 * the corner instead of a Close button: for content that has its own buttons, like a plugin's panel).
 * Answers {dialog, closed} so the caller can close it (dialog.open = false).
 */
export function openDialog(content, { headline, headlineText, wide = false, className = '', closeLabel = 'common.close',
  closeAsIcon = false, dataset } = {}) {
  const close = closeAsIcon
    ? h('mdui-button-icon', { icon: 'close', class: 'dialog-close', dataset: { action: 'close-dialog' }, t: { 'aria-label': closeLabel } })
    : h('mdui-button', { slot: 'action', variant: 'text', i18n: closeLabel, dataset: { action: 'close-dialog' } });
  const dialog = h('mdui-dialog', { class: `${wide ? 'wide-dialog ' : ''}${className}`, 'close-on-esc': true, dataset },
    content, close);
  if (headline) setAttr(dialog, 'headline', headline);
  if (headlineText) dialog.setAttribute('headline', headlineText);
  close.addEventListener('click', () => { dialog.open = false; });
  const closed = new Promise((resolve) => {
    dialog.addEventListener('closed', (event) => {
      if (event.target !== dialog) return;
      dialog.remove();
      resolve();
    });
  });
  document.body.append(dialog);
  requestAnimationFrame(() => { dialog.open = true; });
  return { dialog, closed };
}

/**
 * Runs an async action from a button: the button shows progress and is disabled until it ends.
 * A failure is shown with the API's sentence (unless onError handles it); answers the action's result.
 */
export async function busy(button, action, { onError } = {}) {
  if (button) {
    button.loading = true;
    button.disabled = true;
  }
  try {
    return await action();
  } catch (error) {
    if (onError) onError(error);
    else notifyError(error);
    return undefined;
  } finally {
    if (button) {
      button.loading = false;
      button.disabled = false;
    }
  }
}

/** Copies text to the clipboard (falls back to selecting it in `field` where the Clipboard API is missing). */
export async function copyText(text, field) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      notify(['common.copied'], 'success');
      return;
    }
  } catch {
    // fall through to the old way
  }
  const area = h('textarea', { class: 'visually-hidden', readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand && document.execCommand('copy');
  area.remove();
  if (ok) {
    notify(['common.copied'], 'success');
  } else {
    if (field) field.select?.();
    notify(['common.copyManually'], 'info');
  }
}

/** An outlined card with a translated title; headExtra (e.g. a link or a button) goes right of the title. */
export function card(titleKey, body, headExtra) {
  return h('mdui-card', { class: 'card', variant: 'outlined' },
    headExtra ? h('div', { class: 'card-head' }, h('h2', { class: 'card-title', i18n: titleKey }), headExtra)
      : h('h2', { class: 'card-title', i18n: titleKey }),
    body);
}

/** An mdui-text-field (label translated). opts are set as attributes/properties through h(). */
export function textField(labelKey, opts = {}) {
  return h('mdui-text-field', { variant: 'outlined', t: { label: labelKey }, ...opts });
}
