// MDUI 2 components keep their focusable element (button, input, link) in a shadow root, where it has no
// accessible name of its own (an icon button's name would be its icon's ligature, e.g. "delete_outline").
// This copies each component's name (aria-label, label, or its text) onto that inner element, and keeps it
// current when the host's label changes (language switch) or new components appear.

const COMPONENTS = ['mdui-button', 'mdui-button-icon', 'mdui-text-field', 'mdui-select', 'mdui-checkbox', 'mdui-chip',
  'mdui-segmented-button', 'mdui-navigation-rail-item', 'mdui-tab', 'mdui-menu-item', 'mdui-switch', 'mdui-list-item'];
const SELECTOR = COMPONENTS.join(',');
const FOCUSABLE = 'button, a[href], input, textarea, [tabindex]';

/** The name a person sees: aria-label, the field's label, or the text (slotted parts by their own aria-label). */
function nameOf(host) {
  const explicit = (host.hasAttribute('data-auto-name') ? null : host.getAttribute('aria-label')) || host.getAttribute('label');
  if (explicit) return explicit;
  let text = '';
  for (const node of host.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
    else if (node.nodeType === Node.ELEMENT_NODE && !node.hidden) {
      if (node.hasAttribute('slot')) text += node.getAttribute('aria-label') ? ` (${node.getAttribute('aria-label')})` : '';
      else if (node.getAttribute('aria-hidden') !== 'true') text += node.textContent;
    }
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** The element inside host (through nested MDUI components) that takes the focus. */
function innerFocusable(host) {
  let root = host.shadowRoot;
  for (let depth = 0; root && depth < 3; depth += 1) {
    const inner = root.querySelector(FOCUSABLE);
    if (!inner) return null;
    if (inner.tagName.startsWith('MDUI-') && inner.shadowRoot) root = inner.shadowRoot;
    else return inner;
  }
  return null;
}

async function bridge(host) {
  if (host.updateComplete) await host.updateComplete;
  const inner = innerFocusable(host);
  const name = nameOf(host);
  if (!name) return;
  if (inner) {
    if (inner.getAttribute('aria-label') !== name) inner.setAttribute('aria-label', name);
  } else if (host.tabIndex >= 0 && (host.hasAttribute('data-auto-name') || !host.hasAttribute('aria-label'))) {
    // The host itself takes the focus: name it (marked, so that a later text change renames it).
    host.setAttribute('data-auto-name', '');
    if (host.getAttribute('aria-label') !== name) host.setAttribute('aria-label', name);
  }
}

function bridgeTree(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  if (node.matches(SELECTOR)) bridge(node);
  for (const el of node.querySelectorAll(SELECTOR)) bridge(el);
}

/** Starts watching the document (once, at boot). */
export function startAccessibleNames() {
  const pending = new Set();
  let queued = false;
  const flush = () => {
    queued = false;
    for (const node of pending) if (node.isConnected) bridgeTree(node);
    pending.clear();
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'childList') {
        m.addedNodes.forEach((n) => pending.add(n));
        // Text of a component changed (e.g. translated): its name changes.
        const host = m.target.nodeType === Node.ELEMENT_NODE ? m.target.closest(SELECTOR) : null;
        if (host) pending.add(host);
      } else if (m.type === 'attributes') {
        pending.add(m.target.closest(SELECTOR) || m.target);
      }
    }
    if (!queued && pending.size) {
      queued = true;
      requestAnimationFrame(flush);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label', 'label'] });
  bridgeTree(document.body);
}
