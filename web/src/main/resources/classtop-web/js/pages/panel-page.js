// A plugin's page (slot `page`): the panel's element fills the page.
import { h, fill, placeholder, loading } from '../dom.js';
import { panelsOf, createPanel, panelTitle, panelTitleText, panelId } from '../panels.js';

export const titleKey = 'nav.pluginPage';

export function mount(root, ctx) {
  const id = `${ctx.params.plugin}/${ctx.params.name}`;
  const heading = h('h1', { tabindex: '-1' });
  const body = h('div', { class: 'panel-page' }, loading());
  root.append(h('div', { class: 'page-header' }, heading), body);

  panelsOf('page').then(async (pages) => {
    const panel = pages.find((p) => panelId(p) === id);
    if (!panel) {
      heading.append(h('span', { i18n: 'nav.notFound' }));
      fill(body, placeholder(['panels.noPage', { id }], { error: true }));
      return;
    }
    fill(heading, panelTitleText(panel));
    ctx.setTitle(null, () => panelTitle(panel));
    const element = await createPanel(panel);
    if (!ctx.signal.aborted) fill(body, element);
  }, (error) => fill(body, placeholder({ text: error.message }, { error: true })));
  return {};
}
