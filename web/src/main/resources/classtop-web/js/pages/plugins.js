// Plugins: every plugin with its state and everything it registers.
import { api } from '../api.js';
import { h, fill, statusChip, mono, placeholder, loading } from '../dom.js';
import { commandDescription } from '../commands.js'; // also fits a plugin: description + descriptions

export const titleKey = 'nav.plugins';

export function mount(root, ctx) {
  const body = h('div', { class: 'plugin-list' }, loading());
  root.append(
    h('div', { class: 'page-header' }, h('div', {}, h('h1', { i18n: 'nav.plugins', tabindex: '-1' }),
      h('p', { class: 'page-sub', i18n: 'plugins.intro' }))),
    body);

  async function load() {
    try {
      const plugins = await api('/api/plugins', { signal: ctx.signal });
      fill(body, plugins.map(pluginCard));
    } catch (error) {
      if (error.name !== 'AbortError') fill(body, placeholder({ text: error.message }, { error: true }));
    }
  }
  load();
  window.addEventListener('classtop-lang', load, { signal: ctx.signal }); // command descriptions per language
  return { reload: load };
}

function pluginCard(plugin) {
  const commands = plugin.commands || [];
  const routes = plugin.routes || [];
  const panels = plugin.panels || [];
  const listeners = plugin.listeners || [];
  return h('mdui-card', { class: 'card plugin-card', variant: 'outlined', dataset: { plugin: plugin.id } },
    h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, mono(plugin.id), h('span', { class: 'muted', text: ` ${plugin.version || ''}` })),
      statusChip(plugin.state || 'created')),
    plugin.description || plugin.descriptions ? h('p', { class: 'card-sub', text: commandDescription(plugin) }) : null,
    h('dl', { class: 'facts compact' },
      h('dt', { i18n: 'plugins.source' }), h('dd', {}, mono(plugin.source || '—'))),
    plugin.error ? h('p', { class: 'error-text', role: 'alert', dataset: { pluginError: plugin.id }, text: plugin.error }) : null,
    section('plugins.commands', commands.length, commands.length === 0 ? null
      : h('dl', { class: 'facts compact' }, commands.map((c) => [h('dt', {}, mono(c.name)),
        h('dd', { class: 'command-text', dataset: { command: c.name } }, commandDescription(c))]))),
    section('plugins.routes', routes.length, routes.length === 0 ? null
      : h('ul', { class: 'mono-list' }, routes.map((r) => h('li', {}, mono(r))))),
    section('plugins.panels', panels.length, panels.length === 0 ? null
      : h('ul', { class: 'mono-list' }, panels.map((p) => h('li', {}, mono(typeof p === 'string' ? p : JSON.stringify(p)))))),
    section('plugins.listeners', listeners.length, listeners.length === 0 ? null
      : h('ul', { class: 'mono-list' }, listeners.map((l) => h('li', {}, mono(typeof l === 'string' ? l : JSON.stringify(l)))))));
}

/** A collapsible list with its count in the summary (native <details>: keyboard-usable). */
function section(labelKey, count, content) {
  if (!content) {
    return h('p', { class: 'plugin-section-empty' }, h('span', { i18n: labelKey }), ': 0');
  }
  return h('details', { class: 'plugin-section' },
    h('summary', {}, h('span', { i18n: labelKey }), ` (${count})`),
    content);
}
