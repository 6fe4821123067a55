// Plugin panels (Gerrit-style slots, see GET /api/ui/panels): the shell imports each panel's module once,
// creates its element and keeps the `lang` and `user-role` attributes of every mounted panel current.
import { api } from './api.js';
import { h, placeholder } from './dom.js';
import { getLang } from './i18n.js';

let panels = null;
let loadedList = [];
const modules = new Map();
let role = 'viewer';

/** Every panel of every plugin, loaded once per session. */
export function loadPanels() {
  if (!panels) {
    const asked = api('/api/ui/panels').then((list) => {
      if (panels === asked) loadedList = list; // an older, slower answer does not overwrite a newer one
      return list;
    }, (error) => {
      if (panels === asked) panels = null;
      throw error;
    });
    panels = asked;
  }
  return panels;
}

/**
 * Loads the list again (a plugin was installed, upgraded, enabled, disabled or removed: event plugins.changed);
 * resolves to the new list. A panel's module already imported stays in this page: an upgraded panel's new
 * script runs after a page reload.
 */
export function reloadPanels() {
  panels = null;
  return loadPanels();
}

/** The list last loaded ([] before the first load). */
export function loadedPanels() {
  return loadedList;
}

export async function panelsOf(slot) {
  return (await loadPanels()).filter((panel) => panel.slot === slot);
}

/** Forgets the list (sign-out: another user may see other panels). */
export function resetPanels(userRole = 'viewer') {
  panels = null;
  loadedList = [];
  role = userRole;
}

/** The panel's title in the current language. */
export function panelTitle(panel) {
  const titles = panel.titles || {};
  return titles[getLang()] || titles.en || Object.values(titles)[0] || panel.name;
}

/** A stable id for a panel: "<plugin>/<name>". */
export function panelId(panel) {
  return `${panel.plugin}/${panel.name}`;
}

/** Whether a client-detail panel applies to a client (its capabilities include one of when_client_has). */
export function panelAppliesTo(panel, client) {
  const needs = panel.when_client_has || [];
  if (needs.length === 0) return true;
  const has = new Set(client.capabilities || []);
  return needs.some((command) => has.has(command));
}

/**
 * Creates the panel's element with lang, user-role and `attributes`; resolves to the element, or to an error
 * message element when the module cannot be loaded or does not define the element.
 */
export async function createPanel(panel, attributes = {}) {
  try {
    if (!modules.has(panel.script_url)) {
      const loading = import(panel.script_url);
      modules.set(panel.script_url, loading);
      loading.catch(() => modules.delete(panel.script_url));
    }
    await modules.get(panel.script_url);
    const element = document.createElement(panel.element);
    element.setAttribute('lang', getLang());
    element.setAttribute('user-role', role);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    element.dataset.panel = panelId(panel);
    element.classList.add('plugin-panel');
    return element;
  } catch (error) {
    const failed = placeholder(['panels.failed', { plugin: panel.plugin, name: panel.name, error: error.message }],
      { error: true });
    failed.dataset.panelFailed = panelId(panel);
    return failed;
  }
}

/** A text node holder showing a panel's title, kept in the current language by relabelPanels(). */
export function panelTitleText(panel, tag = 'span', cls) {
  return h(tag, { class: cls, text: panelTitle(panel), dataset: { panelTitle: panelId(panel) } });
}

/** The language changed: every mounted panel's lang attribute and every panel title follow. */
export function relabelPanels(root = document) {
  for (const element of root.querySelectorAll('[data-panel]')) element.setAttribute('lang', getLang());
  for (const element of root.querySelectorAll('[data-panel-title]')) {
    const panel = loadedList.find((p) => panelId(p) === element.dataset.panelTitle);
    if (panel) element.textContent = panelTitle(panel);
  }
}

/** A card holding a panel, with its title (dashboard cards). */
export function panelCard(panel, element) {
  return h('mdui-card', { class: 'card panel-card', variant: 'outlined' },
    panelTitleText(panel, 'h2', 'card-title'),
    element);
}
