// The settings panel of a client's page: <classtop-settings-panel client-uuid="...">.
// Plain JavaScript, no imports: it lists the client's settings as a table of keys and values.

const TAG = 'classtop-settings-panel';

const TEXT = {
  en: { loading: 'Loading settings…', empty: 'This client has no settings yet.', key: 'Key', value: 'Value',
        failed: 'The settings could not be loaded', reload: 'Reload' },
  zh: { loading: '正在加载设置…', empty: '此客户端还没有设置。', key: '键', value: '值',
        failed: '无法加载设置', reload: '刷新' },
};

function text() {
  const lang = (document.documentElement.lang || navigator.language || 'en').toLowerCase();
  return lang.startsWith('zh') ? TEXT.zh : TEXT.en;
}

class ClassTopSettingsPanel extends HTMLElement {
  static get observedAttributes() {
    return ['client-uuid'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.request = 0;
  }

  connectedCallback() {
    this.load();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (this.isConnected && oldValue !== newValue) {
      this.load();
    }
  }

  async load() {
    const uuid = this.getAttribute('client-uuid');
    if (!uuid) {
      return;
    }
    const request = ++this.request;
    const t = text();
    this.show(this.message(t.loading));
    try {
      const response = await fetch(`/api/settings/${encodeURIComponent(uuid)}`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      const body = await response.json().catch(() => ({}));
      if (request !== this.request) {
        return; // a newer load is under way
      }
      if (!response.ok || body.success === false) {
        throw new Error(body.error || `HTTP ${response.status}`);
      }
      const settings = (body.data && body.data.settings) || {};
      this.show(this.table(settings, t));
    } catch (error) {
      if (request === this.request) {
        this.show(this.failure(`${t.failed}: ${error.message}`, t));
      }
    }
  }

  table(settings, t) {
    const keys = Object.keys(settings).sort();
    if (keys.length === 0) {
      return this.message(t.empty);
    }
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const label of [t.key, t.value]) {
      const cell = document.createElement('th');
      cell.textContent = label;
      head.appendChild(cell);
    }
    const body = table.createTBody();
    for (const key of keys) {
      const row = body.insertRow();
      row.insertCell().textContent = key;
      row.insertCell().textContent = String(settings[key]);
    }
    return table;
  }

  message(content) {
    const paragraph = document.createElement('p');
    paragraph.textContent = content;
    return paragraph;
  }

  failure(content, t) {
    const box = this.message(content);
    box.className = 'error';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = t.reload;
    button.addEventListener('click', () => this.load());
    box.append(' ', button);
    return box;
  }

  show(content) {
    const style = document.createElement('style');
    style.textContent = `
      :host { display: block; font: inherit; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
      td:last-child { word-break: break-word; white-space: pre-wrap; }
      .error { color: #b00020; }
    `;
    this.shadowRoot.replaceChildren(style, content);
  }
}

if (!customElements.get(TAG)) {
  customElements.define(TAG, ClassTopSettingsPanel);
}
