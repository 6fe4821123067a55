// The site-wide Cameras page: <cctv-cameras-page lang="en|zh-CN" user-role="admin|viewer">.
// Every camera of every client, from what the agents last reported (GET /api/cctv/cameras, no command
// sent): client, camera, connected or not, recording or not, and a thumbnail (a snapshot, refreshed every
// 10 s while the page is shown and the client online). A card links to the client's Cameras tab.
// Reloads on cctv-cameras.*, cctv-recording.* and client.* events. API strings go in with textContent only.

import { api, onEvent, onReconnect, strings, el } from '/ui/kit.js';

const TAG = 'cctv-cameras-page';
const THUMB_EVERY_MS = 10000;

const TEXT = {
  en: {
    title: 'Every camera of every client', loading: 'Loading…', empty: 'No client has reported a camera yet.',
    failed: (why) => `The cameras could not be loaded: ${why}`, offline: 'client offline',
    connected: 'connected', disconnected: 'not connected', recording: 'recording', notRecording: 'not recording',
    count: (n) => (n === 1 ? '1 camera' : `${n} cameras`), noCameras: 'No cameras on this client.', open: 'Open',
  },
  'zh-CN': {
    title: '所有客户端的摄像头', loading: '正在加载…', empty: '还没有客户端报告摄像头。',
    failed: (why) => `无法加载摄像头：${why}`, offline: '客户端离线',
    connected: '已连接', disconnected: '未连接', recording: '正在录像', notRecording: '未录像',
    count: (n) => `${n} 个摄像头`, noCameras: '此客户端没有摄像头。', open: '打开',
  },
};

const STYLE = `
  ${TAG} .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; margin-bottom: 16px; }
  ${TAG} .card { border: 1px solid rgba(128,128,128,.4); border-radius: 12px; padding: 10px; }
  ${TAG} img.thumb { width: 100%; aspect-ratio: 4 / 3; object-fit: contain; background: #000; border-radius: 8px; }
  ${TAG} .on { color: #2e7d32; } ${TAG} .off { color: #c62828; }
  ${TAG} .rec { color: #c62828; font-weight: 600; }
`;

class CamerasPage extends HTMLElement {
  static observedAttributes = ['lang'];

  connectedCallback() {
    const reload = () => this.load();
    const stops = [onEvent('cctv-cameras.*', reload, this), onEvent('cctv-recording.*', reload, this),
      onEvent('client.*', reload, this), onReconnect(reload, this)];
    this.thumbsAt = Date.now();
    this.timer = setInterval(() => {
      if (document.hidden) return;
      this.thumbsAt = Date.now();
      this.load();
    }, THUMB_EVERY_MS);
    this.stop = () => { stops.forEach((s) => s()); clearInterval(this.timer); };
    this.load();
  }

  disconnectedCallback() { this.stop(); }

  attributeChangedCallback() { if (this.isConnected) this.render(); }

  async load() {
    try {
      this.clients = await api('GET', '/api/cctv/cameras');
      this.error = null;
    } catch (error) {
      this.error = error;
    }
    this.render();
  }

  /** The thumbnail of a camera, kept across renders: a new snapshot is asked only every THUMB_EVERY_MS. */
  thumb(uuid, id) {
    this.thumbs = this.thumbs || new Map();
    const src = `/api/cctv/${uuid}/cameras/${id}/snapshot?at=${this.thumbsAt}`;
    let img = this.thumbs.get(`${uuid}/${id}`);
    if (!img) {
      img = el('img', { class: 'thumb', alt: decodeURIComponent(id) });
      this.thumbs.set(`${uuid}/${id}`, img);
    }
    if (img.getAttribute('src') !== src) img.src = src;
    return img;
  }

  card(client, camera, s) {
    const uuid = encodeURIComponent(client.client_uuid);
    const id = encodeURIComponent(camera.camera_id);
    const thumb = client.online && camera.connected ? this.thumb(uuid, id)
      : el('div', { class: 'thumb off', text: client.online ? s.disconnected : s.offline });
    return el('div', { class: 'card camera', 'data-client': client.client_uuid, 'data-id': camera.camera_id },
      thumb,
      el('div', { class: 'name', text: camera.name && camera.name !== camera.camera_id ? `${camera.name} (${camera.camera_id})` : camera.camera_id }),
      el('div', { class: `state ${camera.connected && client.online ? 'on' : 'off'}`,
        text: client.online ? (camera.connected ? s.connected : s.disconnected) : s.offline }),
      el('div', { class: camera.recording ? 'recording rec' : 'recording', text: camera.recording ? s.recording : s.notRecording }),
      el('a', { href: `#/clients/${uuid}?tab=panel-cctv-cameras-cameras`, text: s.open }));
  }

  render() {
    const s = strings(TEXT);
    const body = [el('style', { text: STYLE }), el('h2', { text: s.title })];
    if (this.error) body.push(el('div', { class: 'load-error', text: s.failed(this.error.message) }));
    else if (!this.clients) body.push(el('div', { class: 'loading', text: s.loading }));
    else if (this.clients.length === 0) body.push(el('div', { class: 'empty', text: s.empty }));
    else {
      for (const client of this.clients) {
        body.push(el('h3', { class: 'client', 'data-client': client.client_uuid,
          text: `${client.client_name || client.client_uuid} · ${s.count(client.cameras.length)}${client.online ? '' : ` · ${s.offline}`}` }));
        body.push(client.cameras.length === 0 ? el('div', { class: 'none', text: s.noCameras })
          : el('div', { class: 'grid' }, ...client.cameras.map((camera) => this.card(client, camera, s))));
      }
    }
    this.replaceChildren(...body);
  }
}

customElements.define(TAG, CamerasPage);
