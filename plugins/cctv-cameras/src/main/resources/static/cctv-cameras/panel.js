// The Cameras tab of a client's page: <cctv-cameras-panel client-uuid="..." lang="en|zh-CN" user-role="admin|viewer">.
// One card per camera of the client: a live thumbnail (the server's MJPEG live view in an <img>, open only
// while the tab is on screen), its state (connected, fps, recording, streaming, last error) and, for
// admins, start/stop recording and streaming and remove. Admins add cameras with the form (device, URL,
// file or an FFmpeg lavfi test pattern) and can list the devices the client detects. Reloads on the
// cctv-cameras.* and cctv-recording.* events of this client, and every 5 s while shown.
// API strings go into the page with textContent only.

import { api, formatAge, onEvent, onReconnect, strings, el, button } from '/ui/kit.js';

const TAG = 'cctv-cameras-panel';
const EXAMPLE = 'lavfi:testsrc=size=320x240:rate=10';

const TEXT = {
  en: {
    title: 'Cameras', loading: 'Loading cameras…', empty: 'This client has no cameras yet.',
    failed: (why) => `The cameras could not be loaded: ${why}`,
    connected: 'connected', disconnected: 'not connected', recording: 'recording', streaming: (url) => `streaming to ${url}`,
    fps: (n) => `${n} fps`, lastError: (why, age) => `Last error (${age}): ${why}`,
    startRecording: 'Start recording', stopRecording: 'Stop recording',
    startStreaming: 'Start streaming', stopStreaming: 'Stop streaming', streamUrl: 'rtmp:// or rtsp:// URL',
    remove: 'Remove', confirmRemove: (id) => `Remove the camera "${id}" from this client? Its recordings stay.`,
    add: 'Add camera', addTitle: 'Add a camera', cameraId: 'Camera id', name: 'Name (optional)', source: 'Source',
    sourceHint: `/dev/video0, rtsp://…, a video file, or ${EXAMPLE}`, width: 'Width', height: 'Height', fpsLabel: 'fps',
    example: 'Use a test pattern', detect: 'Detect devices', detecting: 'Looking for devices…',
    noDevices: 'The client found no camera devices.', useDevice: 'Use',
    added: (id) => `Camera "${id}" added.`, removed: (id) => `Camera "${id}" removed.`, done: 'Done.',
    viewerNote: 'You can watch the cameras; only administrators can change them.',
  },
  'zh-CN': {
    title: '摄像头', loading: '正在加载摄像头…', empty: '此客户端还没有摄像头。',
    failed: (why) => `无法加载摄像头：${why}`,
    connected: '已连接', disconnected: '未连接', recording: '正在录像', streaming: (url) => `正在推流到 ${url}`,
    fps: (n) => `${n} 帧/秒`, lastError: (why, age) => `最后错误（${age}）：${why}`,
    startRecording: '开始录像', stopRecording: '停止录像',
    startStreaming: '开始推流', stopStreaming: '停止推流', streamUrl: 'rtmp:// 或 rtsp:// 地址',
    remove: '移除', confirmRemove: (id) => `从此客户端移除摄像头“${id}”？录像会保留。`,
    add: '添加摄像头', addTitle: '添加摄像头', cameraId: '摄像头 ID', name: '名称（可选）', source: '来源',
    sourceHint: `/dev/video0、rtsp://…、视频文件或 ${EXAMPLE}`, width: '宽', height: '高', fpsLabel: '帧率',
    example: '使用测试图案', detect: '检测设备', detecting: '正在查找设备…',
    noDevices: '客户端没有找到摄像头设备。', useDevice: '使用',
    added: (id) => `已添加摄像头“${id}”。`, removed: (id) => `已移除摄像头“${id}”。`, done: '完成。',
    viewerNote: '您可以观看摄像头；只有管理员可以更改。',
  },
};

const STYLE = `
  ${TAG} .cameras { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
  ${TAG} section.camera { border: 1px solid rgba(128,128,128,.4); border-radius: 12px; padding: 12px; }
  ${TAG} img.live { width: 100%; aspect-ratio: 4 / 3; object-fit: contain; background: #000; border-radius: 8px; }
  ${TAG} .state.on { color: #2e7d32; } ${TAG} .state.off { color: #c62828; }
  ${TAG} .badge { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 8px; background: #c62828; color: #fff; font-size: .8em; }
  ${TAG} .last-error { color: #c62828; font-size: .9em; }
  ${TAG} .actions, ${TAG} form { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 8px; }
  ${TAG} .form-error { color: #c62828; } ${TAG} input { padding: 6px; }
`;

class CamerasPanel extends HTMLElement {
  static observedAttributes = ['lang', 'client-uuid', 'user-role'];

  constructor() {
    super();
    this.cameras = null;
    this.cards = new Map(); // camera_id -> card, updated in place so the live <img> does not reconnect
    this.visible = false;
  }

  get uuid() { return this.getAttribute('client-uuid'); }

  get admin() { return (this.getAttribute('user-role') || '').toLowerCase() === 'admin'; }

  path(rest = '') { return `/api/cctv/${encodeURIComponent(this.uuid)}${rest}`; }

  connectedCallback() {
    const mine = (m) => m.client_uuid === this.uuid && this.load();
    const stops = [onEvent('cctv-cameras.*', mine, this), onEvent('cctv-recording.*', mine, this),
      onReconnect(() => this.load(), this)];
    // Live thumbnails and polling only while the tab is on screen (a hidden tab stays mounted).
    this.observer = new IntersectionObserver((entries) => this.setVisible(entries.some((e) => e.isIntersecting)));
    this.observer.observe(this);
    this.timer = setInterval(() => { if (this.visible && !document.hidden) this.load(); }, 5000);
    this.stop = () => { stops.forEach((s) => s()); clearInterval(this.timer); this.observer.disconnect(); };
    this.load();
  }

  disconnectedCallback() {
    this.stop();
    this.setVisible(false);
  }

  attributeChangedCallback(name) {
    if (!this.isConnected) return;
    if (name === 'client-uuid') this.load();
    else { // rebuilt in the new language
      this.cards.forEach((card) => card.parts.live.removeAttribute('src'));
      this.cards.clear();
      this.formBox = null;
      this.render();
    }
  }

  setVisible(visible) {
    this.visible = visible;
    for (const card of this.cards.values()) {
      const img = card.parts.live;
      if (visible && !img.getAttribute('src')) img.src = this.path(`/cameras/${encodeURIComponent(card.dataset.id)}/live`);
      if (!visible) img.removeAttribute('src'); // closes the MJPEG stream: the agent stops its preview
    }
  }

  async load() {
    try {
      this.cameras = (await api('GET', this.path('/state'))).cameras || [];
      this.error = null;
    } catch (error) {
      this.error = error;
    }
    this.render();
  }

  async act(run, done) {
    try {
      await run();
      this.notice = done;
    } catch (error) {
      this.notice = error.message;
    }
    await this.load();
  }

  control(camera, action, extra = {}) {
    return this.act(() => api('POST', this.path('/control'), { camera_id: camera.camera_id, action, ...extra }),
      strings(TEXT).done);
  }

  remove(camera) {
    const s = strings(TEXT);
    if (!window.confirm(s.confirmRemove(camera.camera_id))) return;
    this.act(() => api('DELETE', this.path(`/cameras/${encodeURIComponent(camera.camera_id)}`)), s.removed(camera.camera_id));
  }

  async add(form) {
    const body = { camera_id: form.camera_id.value.trim(), source: form.source.value.trim() };
    if (form.name.value.trim()) body.name = form.name.value.trim();
    for (const key of ['width', 'height', 'fps']) if (form[key].value) body[key] = Number(form[key].value);
    try {
      await api('POST', this.path('/cameras'), body);
      this.notice = strings(TEXT).added(body.camera_id);
      this.formError = null;
      form.reset();
    } catch (error) {
      this.formError = error.message;
    }
    await this.load();
  }

  async detect(form, list) {
    const s = strings(TEXT);
    list.textContent = s.detecting;
    try {
      const found = (await api('GET', this.path('/cameras'))).cameras || [];
      list.replaceChildren(...(found.length === 0 ? [s.noDevices] : found.map((device) => el('div', { class: 'device' },
        `${device.name} (${device.source}, ${device.kind}) `,
        button(s.useDevice, { class: 'use', onclick: () => { form.source.value = device.source; } })))));
    } catch (error) {
      list.textContent = error.message;
    }
  }

  card(camera, s) {
    let card = this.cards.get(camera.camera_id);
    if (!card) {
      card = el('section', { class: 'camera', 'data-id': camera.camera_id });
      card.parts = {
        title: el('h3'), state: el('div', { class: 'state' }), error: el('div', { class: 'last-error' }),
        live: el('img', { class: 'live', alt: camera.camera_id }), actions: el('div', { class: 'actions' }),
      };
      if (this.visible) card.parts.live.src = this.path(`/cameras/${encodeURIComponent(camera.camera_id)}/live`);
      card.append(card.parts.title, card.parts.live, card.parts.state, card.parts.error, card.parts.actions);
      this.cards.set(camera.camera_id, card);
    }
    const p = card.parts;
    p.title.textContent = camera.name && camera.name !== camera.camera_id ? `${camera.name} (${camera.camera_id})` : camera.camera_id;
    const parts = [camera.connected ? s.connected : s.disconnected];
    if (camera.connected && camera.measured_fps != null) parts.push(s.fps(camera.measured_fps));
    if (camera.streaming) parts.push(s.streaming(camera.streaming_url || ''));
    p.state.className = `state ${camera.connected ? 'on' : 'off'}`;
    p.state.replaceChildren(parts.join(' · '), camera.recording ? el('span', { class: 'badge recording', text: s.recording }) : null);
    p.error.textContent = camera.last_error ? s.lastError(camera.last_error, formatAge(camera.last_error_at)) : '';
    const signature = `${this.admin}|${camera.recording}|${camera.streaming}`;
    if (this.admin && p.actions.dataset.signature !== signature) { // rebuilt only on change: a typed URL stays
      p.actions.dataset.signature = signature;
      const url = el('input', { class: 'stream-url', placeholder: s.streamUrl, 'aria-label': s.streamUrl });
      p.actions.replaceChildren(
        button(camera.recording ? s.stopRecording : s.startRecording, { class: 'record',
          onclick: () => this.control(camera, camera.recording ? 'stop_recording' : 'start_recording') }),
        ...(camera.streaming ? [] : [url]),
        button(camera.streaming ? s.stopStreaming : s.startStreaming, { class: 'stream',
          onclick: () => (camera.streaming ? this.control(camera, 'stop_streaming')
            : this.control(camera, 'start_streaming', { url: url.value.trim() })) }),
        button(s.remove, { class: 'remove', onclick: () => this.remove(camera) }));
    }
    return card;
  }

  /** The add form, built once per language so that what is typed survives the refreshes. */
  form(s) {
    if (this.formBox) {
      this.formErrorEl.textContent = this.formError || '';
      return this.formBox;
    }
    const form = el('form', { class: 'add-camera' });
    const field = (name, label, extra = {}) => el('input', { name, placeholder: label, 'aria-label': label, ...extra });
    const devices = el('div', { class: 'devices' });
    form.append(field('camera_id', s.cameraId, { size: 12 }), field('name', s.name, { size: 14 }),
      field('source', s.sourceHint, { size: 40 }), field('width', s.width, { type: 'number', min: 16, style: 'width:6em' }),
      field('height', s.height, { type: 'number', min: 16, style: 'width:6em' }),
      field('fps', s.fpsLabel, { type: 'number', min: 1, style: 'width:5em' }),
      button(s.add, { class: 'add', onclick: () => this.add(form) }),
      button(s.example, { class: 'example', onclick: () => { form.source.value = EXAMPLE; } }),
      button(s.detect, { class: 'detect', onclick: () => this.detect(form, devices) }));
    form.addEventListener('submit', (event) => { event.preventDefault(); this.add(form); });
    this.formErrorEl = el('div', { class: 'form-error', text: this.formError || '' });
    this.formBox = el('div', {}, el('h3', { text: s.addTitle }), form, devices, this.formErrorEl);
    return this.formBox;
  }

  render() {
    const s = strings(TEXT);
    const body = [el('style', { text: STYLE }), el('h2', { text: s.title })];
    if (this.notice) body.push(el('div', { class: 'notice', text: this.notice }));
    if (!this.admin) body.push(el('div', { class: 'viewer-note', text: s.viewerNote }));
    if (this.error) body.push(el('div', { class: 'load-error', text: s.failed(this.error.message) }));
    if (this.cameras === null && !this.error) body.push(el('div', { class: 'loading', text: s.loading }));
    if (this.cameras) {
      const ids = new Set(this.cameras.map((c) => c.camera_id));
      for (const [id, card] of this.cards) if (!ids.has(id)) { card.parts.live.removeAttribute('src'); this.cards.delete(id); }
      body.push(this.cameras.length === 0 ? el('div', { class: 'empty', text: s.empty })
        : el('div', { class: 'cameras' }, ...this.cameras.map((camera) => this.card(camera, s))));
    }
    if (this.admin) body.push(this.form(s));
    const focused = document.activeElement;
    this.replaceChildren(...body);
    if (focused && focused !== document.activeElement && this.contains(focused)) focused.focus(); // typing goes on
  }
}

customElements.define(TAG, CamerasPanel);
