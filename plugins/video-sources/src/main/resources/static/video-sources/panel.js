// The "Video" page: <classtop-video-sources lang="en|zh-CN" user-role="admin|viewer">.
// Lists the video sources with their status (connected, fps, frames, bytes/s, last error) and their
// subscribers with the frames each dropped; a live view per source (the MJPEG stream in an <img>); an
// admin adds and deletes sources. Refreshes every 2 s while shown, and at once on video-sources.* events.
// API strings go into the page with textContent only.

import { api, formatAge, formatBytes, lang, onEvent, onReconnect, strings } from '/ui/kit.js';

const TAG = 'classtop-video-sources';

const TEXT = {
  en: {
    title: 'Video sources', add: 'Add source', id: 'Id', url: 'URL', format: 'Format', formatAuto: 'automatic',
    urlHint: 'tcp://host:port, rtsp://…, /path/to/file.mp4 or lavfi:testsrc=size=640x480:rate=25',
    empty: 'No video sources yet.', loading: 'Loading…', failedLoad: 'The video sources could not be loaded',
    connected: 'connected', connecting: 'connecting', fps: 'fps', frames: 'frames', perSecond: '/s',
    subscribers: 'Subscribers', noSubscribers: 'Nobody is watching.', kind: 'Kind', name: 'Who', delivered: 'Delivered',
    dropped: 'Dropped', lastError: 'Last error', lastFrame: 'Last frame', never: 'never',
    watch: 'Live view', stopWatching: 'Stop live view', remove: 'Delete',
    confirmRemove: (id) => `Delete the video source "${id}"? Its camera connection closes and every viewer stops.`,
    added: (id) => `Source "${id}" added.`, removed: (id) => `Source "${id}" deleted.`,
    viewerNote: 'You can watch the sources; only administrators can add or delete them.',
  },
  'zh-CN': {
    title: '视频源', add: '添加视频源', id: 'ID', url: '地址', format: '格式', formatAuto: '自动',
    urlHint: 'tcp://主机:端口、rtsp://…、/文件路径.mp4 或 lavfi:testsrc=size=640x480:rate=25',
    empty: '还没有视频源。', loading: '正在加载…', failedLoad: '无法加载视频源',
    connected: '已连接', connecting: '正在连接', fps: '帧/秒', frames: '帧', perSecond: '/秒',
    subscribers: '订阅者', noSubscribers: '没有人在观看。', kind: '类型', name: '订阅者', delivered: '已送达',
    dropped: '丢弃', lastError: '最后错误', lastFrame: '最后一帧', never: '从未',
    watch: '实时画面', stopWatching: '关闭实时画面', remove: '删除',
    confirmRemove: (id) => `删除视频源“${id}”？摄像头连接将关闭，所有观看者都会停止。`,
    added: (id) => `已添加视频源“${id}”。`, removed: (id) => `已删除视频源“${id}”。`,
    viewerNote: '您可以观看视频源；只有管理员可以添加或删除。',
  },
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  children.filter(Boolean).forEach((child) => node.append(child));
  return node;
}

function button(label, onClick, attrs = {}) {
  const tag = customElements.get('mdui-button') ? 'mdui-button' : 'button';
  return el(tag, { text: label, onclick: onClick, ...attrs });
}

class VideoSourcesPage extends HTMLElement {
  static observedAttributes = ['lang', 'user-role'];

  constructor() {
    super();
    this.sources = null;
    this.error = null;
    this.notice = null;
    this.watching = new Set();
    this.images = new Map(); // id -> <img>, kept across renders so a live view does not reconnect
  }

  connectedCallback() {
    const stops = [
      onEvent('video-sources.*', () => this.load(), this),
      onReconnect(() => this.load(), this),
    ];
    this.timer = setInterval(() => { if (!document.hidden) this.load(); }, 2000);
    this.stop = () => { stops.forEach((s) => s()); clearInterval(this.timer); };
    this.load();
  }

  disconnectedCallback() {
    this.stop();
    this.images.forEach((img) => img.removeAttribute('src')); // closes the MJPEG streams
    this.images.clear();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }

  get admin() {
    return (this.getAttribute('user-role') || '').toLowerCase() !== 'viewer';
  }

  async load() {
    try {
      this.sources = await api('GET', '/api/video/sources');
      this.error = null;
    } catch (error) {
      this.error = error;
    }
    this.render();
  }

  async add(form) {
    const body = { id: form.id.value.trim(), url: form.url.value.trim() };
    if (form.format.value) body.format = form.format.value;
    try {
      await api('POST', '/api/video/sources', body);
      this.notice = strings(TEXT).added(body.id);
      this.formError = null;
      form.reset();
    } catch (error) {
      this.formError = error.message;
    }
    await this.load();
  }

  async remove(id) {
    const s = strings(TEXT);
    if (!window.confirm(s.confirmRemove(id))) return;
    try {
      await api('DELETE', `/api/video/sources/${encodeURIComponent(id)}`);
      this.watching.delete(id);
      this.notice = s.removed(id);
    } catch (error) {
      this.notice = error.message;
    }
    await this.load();
  }

  toggleWatch(id) {
    if (this.watching.has(id)) {
      this.watching.delete(id);
      const img = this.images.get(id);
      if (img) img.removeAttribute('src');
      this.images.delete(id);
    } else {
      this.watching.add(id);
    }
    this.render();
  }

  liveImage(id) {
    let img = this.images.get(id);
    if (!img) {
      img = el('img', { class: 'live', alt: id, 'data-source': id, src: `/api/video/${encodeURIComponent(id)}/mjpeg` });
      img.style.maxWidth = '100%';
      img.style.background = '#000';
      this.images.set(id, img);
    }
    return img;
  }

  renderForm(s) {
    const form = el('form', { class: 'add-source' });
    form.style.display = 'flex';
    form.style.flexWrap = 'wrap';
    form.style.gap = '8px';
    form.style.alignItems = 'center';
    const id = el('input', { name: 'id', placeholder: s.id, 'aria-label': s.id});
    const url = el('input', { name: 'url', placeholder: s.urlHint, 'aria-label': s.url});
    url.style.minWidth = '28em';
    const format = el('select', { name: 'format', 'aria-label': s.format },
      el('option', { value: '', text: s.formatAuto }),
      el('option', { value: 'jpeg-length-prefixed', text: 'jpeg-length-prefixed' }),
      el('option', { value: 'mjpeg', text: 'mjpeg' }));
    form.append(id, url, format, el('button', { type: 'submit', class: 'add', text: s.add }));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.add(form); });
    return form;
  }

  /** A source's card: built once per source (and language), then updated in place, so buttons and the live view stay. */
  card(source, s) {
    let card = this.cards.get(source.id);
    if (!card) {
      card = el('section', { class: 'source', 'data-id': source.id });
      card.style.border = '1px solid rgba(128,128,128,.4)';
      card.style.borderRadius = '12px';
      card.style.padding = '12px 16px';
      card.style.margin = '12px 0';
      card.parts = {
        state: el('span', { class: 'state' }),
        url: el('div', { class: 'url' }),
        figures: el('div', { class: 'figures' }),
        error: el('div', { class: 'last-error' }),
        watch: button(s.watch, () => this.toggleWatch(source.id), { class: 'watch' }),
        live: el('div', { class: 'live-view' }),
        heading: el('h4'),
        subscribers: el('div', { class: 'subscriber-area' }),
      };
      const actions = el('div', { class: 'actions' }, card.parts.watch);
      if (this.admin) actions.append(button(s.remove, () => this.remove(source.id), { class: 'remove' }));
      card.append(el('h3', {}, el('span', { class: 'id', text: source.id }), ' · ', card.parts.state),
        card.parts.url, card.parts.figures, card.parts.error, actions, card.parts.live, card.parts.heading,
        card.parts.subscribers);
      this.cards.set(source.id, card);
    }
    const p = card.parts;
    p.state.textContent = source.connected ? s.connected : s.connecting;
    p.state.style.color = source.connected ? '#2e7d32' : '#c62828';
    p.url.textContent = `${source.url}${source.format ? ` (${source.format})` : ''}`;
    p.figures.textContent = `${source.fps} ${s.fps} · ${source.frames} ${s.frames} · ${formatBytes(source.bytes_per_second)}${s.perSecond}`
      + ` · ${s.lastFrame}: ${source.last_frame_at ? formatAge(source.last_frame_at) : s.never}`;
    p.error.textContent = source.last_error
      ? `${s.lastError}: ${source.last_error}${source.last_error_at ? ` (${formatAge(source.last_error_at)})` : ''}` : '';
    p.error.hidden = !source.last_error;
    p.watch.textContent = this.watching.has(source.id) ? s.stopWatching : s.watch;
    if (this.watching.has(source.id)) {
      if (!p.live.firstChild) p.live.append(this.liveImage(source.id));
    } else {
      p.live.replaceChildren();
    }
    p.heading.textContent = `${s.subscribers} (${source.subscribers})`;
    if (!source.subscriber_list.length) {
      p.subscribers.replaceChildren(el('p', { class: 'no-subscribers', text: s.noSubscribers }));
    } else {
      const table = el('table', { class: 'subscribers' },
        el('tr', {}, ...[s.kind, s.name, s.delivered, s.dropped].map((h) => el('th', { text: h }))));
      for (const sub of source.subscriber_list) {
        table.append(el('tr', { 'data-kind': sub.kind },
          el('td', { text: sub.kind }), el('td', { text: sub.name }),
          el('td', { class: 'delivered', text: String(sub.delivered) }), el('td', { class: 'dropped', text: String(sub.dropped) })));
      }
      p.subscribers.replaceChildren(table);
    }
    return card;
  }

  /** The title and the form are built once per language and role, so a refresh never disturbs typing. */
  buildShell(s) {
    this.shellKey = `${lang()}|${this.admin}`;
    this.cards = new Map();
    this.noticeArea = el('div', { class: 'notices' });
    this.formErrorArea = el('div', { class: 'form-errors' });
    this.listArea = el('div', { class: 'sources' });
    this.replaceChildren(el('h2', { text: s.title }),
      this.admin ? this.renderForm(s) : el('p', { class: 'viewer-note', text: s.viewerNote }),
      this.formErrorArea, this.noticeArea, this.listArea);
  }

  render() {
    const s = strings(TEXT);
    if (this.shellKey !== `${lang()}|${this.admin}`) this.buildShell(s);
    this.formErrorArea.replaceChildren(...(this.formError ? [el('p', { class: 'form-error', role: 'alert', text: this.formError })] : []));
    this.noticeArea.replaceChildren(...(this.notice ? [el('p', { class: 'notice', role: 'status', text: this.notice })] : []));
    let children;
    if (this.error) {
      children = [el('p', { class: 'error', role: 'alert', text: `${s.failedLoad}: ${this.error.message}` })];
    } else if (this.sources === null) {
      children = [el('p', { text: s.loading })];
    } else if (!this.sources.length) {
      children = [el('p', { class: 'empty', text: s.empty })];
    } else {
      children = this.sources.map((source) => this.card(source, s));
      const ids = new Set(this.sources.map((source) => source.id));
      [...this.cards.keys()].filter((id) => !ids.has(id)).forEach((id) => this.cards.delete(id));
    }
    // Only add, move or remove what changed: a card that stays is the same element (no stale buttons).
    const current = [...this.listArea.children];
    if (current.length !== children.length || current.some((node, i) => node !== children[i])) {
      this.listArea.replaceChildren(...children);
    }
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, VideoSourcesPage);
