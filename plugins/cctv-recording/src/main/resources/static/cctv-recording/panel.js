// The Recordings tab of a client's page: <cctv-recordings-panel client-uuid="..." lang="en|zh-CN" user-role="admin|viewer">.
// Lists the client's recordings (newest first) by camera and time range; Play opens the file in a <video>
// player (the server relays it from the agent with Range, so the player can seek); Download saves it; an
// admin deletes one. Reloads on the cctv-recording.* and cctv-storage.* events of this client.
// API strings go into the page with textContent only.

import { api, formatBytes, formatTime, onEvent, onReconnect, strings, el, button } from '/ui/kit.js';

const TAG = 'cctv-recordings-panel';

const TEXT = {
  en: {
    title: 'Recordings', loading: 'Loading recordings…', empty: 'No recordings match.',
    failed: (why) => `The recordings could not be loaded: ${why}`,
    camera: 'Camera', allCameras: 'all cameras', from: 'From', to: 'To', show: 'Show',
    start: 'Start', length: 'Length', size: 'Size', actions: 'Actions', seconds: (n) => `${n} s`,
    play: 'Play', download: 'Download', remove: 'Delete', playing: (what) => `Playing ${what}`,
    confirmRemove: (what) => `Delete the recording ${what}? The file is removed from the client.`,
    removed: (what) => `Recording ${what} deleted.`, count: (n) => (n === 1 ? '1 recording' : `${n} recordings`),
  },
  'zh-CN': {
    title: '录像', loading: '正在加载录像…', empty: '没有符合条件的录像。',
    failed: (why) => `无法加载录像：${why}`,
    camera: '摄像头', allCameras: '全部摄像头', from: '从', to: '到', show: '显示',
    start: '开始', length: '时长', size: '大小', actions: '操作', seconds: (n) => `${n} 秒`,
    play: '播放', download: '下载', remove: '删除', playing: (what) => `正在播放 ${what}`,
    confirmRemove: (what) => `删除录像 ${what}？文件将从客户端删除。`,
    removed: (what) => `已删除录像 ${what}。`, count: (n) => `${n} 个录像`,
  },
};

const STYLE = `
  ${TAG} form { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
  ${TAG} table { border-collapse: collapse; width: 100%; }
  ${TAG} th, ${TAG} td { text-align: left; padding: 4px 8px; border-bottom: 1px solid rgba(128,128,128,.3); }
  ${TAG} video.player { width: 100%; max-width: 640px; background: #000; border-radius: 8px; }
  ${TAG} tr.current { background: rgba(103, 80, 164, .12); }
`;

/** A datetime-local value (the browser's time zone) as ISO-8601 UTC, or null. */
function iso(value) {
  return value ? new Date(value).toISOString() : null;
}

class RecordingsPanel extends HTMLElement {
  static observedAttributes = ['lang', 'client-uuid', 'user-role'];

  get uuid() { return this.getAttribute('client-uuid'); }

  get admin() { return (this.getAttribute('user-role') || '').toLowerCase() === 'admin'; }

  path(rest = '') { return `/api/cctv/${encodeURIComponent(this.uuid)}${rest}`; }

  connectedCallback() {
    const mine = (m) => m.client_uuid === this.uuid && this.load();
    const stops = [onEvent('cctv-recording.*', mine, this), onEvent('cctv-storage.*', mine, this),
      onReconnect(() => this.load(), this)];
    this.stop = () => stops.forEach((s) => s());
    this.load();
  }

  disconnectedCallback() {
    this.stop();
    if (this.player) this.player.removeAttribute('src'); // ends the relayed download
  }

  attributeChangedCallback(name) {
    if (!this.isConnected) return;
    if (name === 'client-uuid') this.load();
    else { this.filterForm = null; this.render(); }
  }

  query() {
    const params = new URLSearchParams();
    const f = this.filterForm;
    if (f && f.camera_id.value.trim()) params.set('camera_id', f.camera_id.value.trim());
    if (f && iso(f.from.value)) params.set('from', iso(f.from.value));
    if (f && iso(f.to.value)) params.set('to', iso(f.to.value));
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  async load() {
    try {
      this.recordings = (await api('GET', this.path(`/recordings${this.query()}`))).recordings;
      this.error = null;
    } catch (error) {
      this.error = error;
    }
    this.render();
  }

  label(r) { return `${r.camera_id} ${formatTime(r.start)}`; }

  play(r) {
    this.playing = r;
    this.player = this.player || el('video', { class: 'player', controls: '', preload: 'metadata' });
    this.player.src = this.path(`/recordings/${encodeURIComponent(r.id)}/file`);
    this.player.play().catch(() => { /* autoplay refused: the controls are there */ });
    this.render();
  }

  async remove(r) {
    const s = strings(TEXT);
    if (!window.confirm(s.confirmRemove(this.label(r)))) return;
    try {
      if (this.playing && this.playing.id === r.id) {
        this.player.removeAttribute('src');
        this.playing = null;
      }
      await api('DELETE', this.path(`/recordings/${encodeURIComponent(r.id)}`));
      this.notice = s.removed(this.label(r));
    } catch (error) {
      this.notice = error.message;
    }
    await this.load();
  }

  filter(s) {
    if (!this.filterForm) { // built once per language: the chosen filter survives reloads
      const form = el('form', { class: 'filter' },
        el('input', { name: 'camera_id', placeholder: `${s.camera} (${s.allCameras})`, 'aria-label': s.camera, size: 14 }),
        el('label', { text: `${s.from} ` }, el('input', { name: 'from', type: 'datetime-local' })),
        el('label', { text: `${s.to} ` }, el('input', { name: 'to', type: 'datetime-local' })),
        button(s.show, { class: 'show', onclick: () => this.load() }));
      form.addEventListener('submit', (event) => { event.preventDefault(); this.load(); });
      this.filterForm = form;
    }
    return this.filterForm;
  }

  row(r, s) {
    const seconds = Math.max(0, Math.round((Date.parse(r.end) - Date.parse(r.start)) / 1000));
    const actions = el('td', { class: 'actions' },
      button(s.play, { class: 'play', onclick: () => this.play(r) }), ' ',
      el('a', { class: 'download', href: this.path(`/recordings/${encodeURIComponent(r.id)}/file?download=true`), download: '', text: s.download }));
    if (this.admin) actions.append(' ', button(s.remove, { class: 'delete', onclick: () => this.remove(r) }));
    return el('tr', { class: `recording${this.playing && this.playing.id === r.id ? ' current' : ''}`, 'data-id': String(r.id) },
      el('td', { text: formatTime(r.start) }), el('td', { text: r.camera_id }),
      el('td', { text: Number.isFinite(seconds) ? s.seconds(seconds) : '' }), el('td', { text: formatBytes(r.bytes) }), actions);
  }

  render() {
    const s = strings(TEXT);
    const body = [el('style', { text: STYLE }), el('h2', { text: s.title }), this.filter(s)];
    if (this.notice) body.push(el('div', { class: 'notice', text: this.notice }));
    if (this.playing && this.player) {
      body.push(el('div', { class: 'now-playing', text: s.playing(this.label(this.playing)) }), this.player);
    }
    if (this.error) body.push(el('div', { class: 'load-error', text: s.failed(this.error.message) }));
    else if (!this.recordings) body.push(el('div', { class: 'loading', text: s.loading }));
    else if (this.recordings.length === 0) body.push(el('div', { class: 'empty', text: s.empty }));
    else {
      body.push(el('div', { class: 'count', text: s.count(this.recordings.length) }), el('table', {},
        el('thead', {}, el('tr', {}, ...[s.start, s.camera, s.length, s.size, s.actions].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...this.recordings.map((r) => this.row(r, s)))));
    }
    this.replaceChildren(...body);
  }
}

customElements.define(TAG, RecordingsPanel);
