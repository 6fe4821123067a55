// The Greetings tab of a client's page: <${pluginId}-panel client-uuid="..." lang="en|zh-CN" user-role="admin|viewer">.
// Admins ask the client to greet; everyone sees what it said. Reloads when the client greets and when the
// live feed reconnects. Built with the shell's UI kit; server text goes into the page as text only.
import { api, t, el, button, onEvent, onReconnect, formatTime } from '/ui/kit.js';

const PLUGIN = '${pluginId}';
const TEXT = {
  en: {
    text: 'Greeting', greet: 'Greet', none: 'This client has not greeted yet.',
    loading: 'Loading…', failed: 'Could not load the greetings: {why}', viewer: 'Only administrators can ask for a greeting.',
  },
  'zh-CN': {
    text: '问候语', greet: '问候', none: '此客户端还没有问候过。',
    loading: '正在加载…', failed: '无法加载问候：{why}', viewer: '只有管理员可以请求问候。',
  },
};

class GreetingsPanel extends HTMLElement {
  static observedAttributes = ['lang', 'client-uuid'];

  connectedCallback() {
    onEvent(PLUGIN + '.greeted', (m) => { if (m.client_uuid === this.uuid) this.load(); }, this);
    onReconnect(() => this.load(), this);
    this.load();
  }

  attributeChangedCallback(name) {
    if (this.isConnected) name === 'lang' ? this.render() : this.load();
  }

  get uuid() { return this.getAttribute('client-uuid'); }

  get base() { return '/api/' + PLUGIN + '/' + encodeURIComponent(this.uuid); }

  async load() {
    try {
      this.greetings = await api('GET', this.base + '/greetings');
      this.error = null;
    } catch (error) {
      this.error = error.message; // the server's sentence
    }
    this.render();
  }

  async greet(input) {
    try {
      await api('POST', this.base + '/greet', { text: input.value });
      input.value = '';
      this.error = null;
    } catch (error) {
      this.error = error.message;
    }
    this.load();
  }

  render() {
    const admin = this.getAttribute('user-role') === 'admin';
    const input = el('input', { class: 'text', placeholder: t(TEXT, 'text'), maxlength: '200' });
    const form = admin
      ? el('div', {}, input, button(t(TEXT, 'greet'), { class: 'greet', onclick: () => this.greet(input) }))
      : el('p', { text: t(TEXT, 'viewer') });
    const list = this.greetings === undefined ? el('p', { text: t(TEXT, 'loading') })
      : this.greetings.length === 0 ? el('p', { class: 'none', text: t(TEXT, 'none') })
        : el('ul', {}, ...this.greetings.map((g) => el('li', { text: formatTime(g.at) + ': ' + g.said })));
    const error = this.error ? el('p', { class: 'error', role: 'alert', text: t(TEXT, 'failed', { why: this.error }) }) : null;
    this.replaceChildren(form, error, list);
  }
}
customElements.define(PLUGIN + '-panel', GreetingsPanel);
