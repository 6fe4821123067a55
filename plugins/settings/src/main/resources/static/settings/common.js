// Shared by the settings panels (panel.js, batch.js): a small DOM builder that only ever inserts text,
// accessible names for MDUI controls, and the common styles. Loaded as an ES module from the same folder
// (/plugins/settings/common.js). The API, the language and the live feed come from the core's /ui/kit.js.

/** True when the element is shown to a viewer (read-only); anything else is treated as an admin. */
export function isViewer(element) {
  return (element.getAttribute('user-role') || '').toLowerCase() === 'viewer';
}

/**
 * Creates an element. Attributes: `class`, `on<event>` listeners, `props` (an object of properties set
 * directly), anything else as an attribute (true = present, false/null/undefined = absent). Children
 * are nodes or text; text is always inserted as text, never parsed as HTML.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      node.className = value;
    } else if (name === 'props') {
      Object.assign(node, value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/**
 * Gives an MDUI control an accessible name: `aria-label` on the element and, once it has rendered, on
 * the native button or input inside its shadow root (MDUI 2 does not pass it on by itself). Call again
 * when the label changes (another language).
 */
export function accessibleName(node, label) {
  node.setAttribute('aria-label', label);
  const tag = node.localName;
  if (!tag.includes('-')) {
    return;
  }
  customElements.whenDefined(tag)
    .then(() => node.updateComplete)
    .then(() => {
      const inner = node.shadowRoot && node.shadowRoot.querySelector('button, input, textarea, a');
      if (inner && node.getAttribute('aria-label') === label) {
        inner.setAttribute('aria-label', label);
      }
    })
    .catch(() => {});
}

/** Focuses an MDUI control (or a native one) once it has rendered. */
export function focusLater(node, select = false) {
  const tag = node.localName;
  const ready = tag.includes('-')
    ? customElements.whenDefined(tag).then(() => node.updateComplete)
    : Promise.resolve();
  ready.then(() => {
    if (!node.isConnected) {
      return;
    }
    node.focus();
    if (select && typeof node.select === 'function') {
      node.select();
    }
  }).catch(() => {});
}

/** True for a plain Enter (no modifier, not while an input method composes). */
export function isPlainEnter(event) {
  return event.key === 'Enter' && !event.isComposing && !event.shiftKey && !event.ctrlKey && !event.altKey
    && !event.metaKey;
}

/** Styles both panels share; MDUI's theme variables when the shell defines them, sober defaults otherwise. */
export const STYLE = `
  :host { display: block; color: rgb(var(--mdui-color-on-surface, 28, 27, 31)); font: inherit; }
  [hidden] { display: none !important; }
  .muted { color: rgb(var(--mdui-color-on-surface-variant, 73, 69, 79)); font-size: 0.875rem; }
  .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin: 0 0 8px; }
  .toolbar .grow { flex: 1 1 auto; }
  .toolbar mdui-text-field { max-width: 22rem; }
  table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
  th, td { text-align: left; padding: 6px 8px; vertical-align: middle;
           border-bottom: 1px solid rgb(var(--mdui-color-outline-variant, 202, 196, 208)); }
  th { font-weight: 500; color: rgb(var(--mdui-color-on-surface-variant, 73, 69, 79)); white-space: nowrap; }
  td.key { font-family: ui-monospace, "SFMono-Regular", Consolas, "Liberation Mono", monospace; word-break: break-all; }
  td.value { word-break: break-word; white-space: pre-wrap; }
  td.actions { width: 1%; white-space: nowrap; text-align: right; }
  .message { display: flex; align-items: flex-start; gap: 8px; padding: 8px 12px; margin: 8px 0; border-radius: 8px;
             font-size: 0.875rem; }
  .message:empty { display: none; }
  .message mdui-icon { flex: none; font-size: 20px; }
  .message.ok { background: rgb(var(--mdui-color-secondary-container, 232, 222, 248));
                color: rgb(var(--mdui-color-on-secondary-container, 29, 25, 43)); }
  .message.error { background: rgb(var(--mdui-color-error-container, 249, 222, 220));
                   color: rgb(var(--mdui-color-on-error-container, 65, 14, 11)); }
  .message.info, .message.progress { background: rgb(var(--mdui-color-surface-container-high, 236, 230, 240)); }
  .message .text { flex: 1 1 auto; white-space: pre-wrap; }
  mdui-linear-progress { display: block; width: 100%; }
  .loading-bar { height: 4px; margin: 4px 0; }
  .buttons { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
`;
