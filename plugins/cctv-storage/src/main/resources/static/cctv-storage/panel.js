// The Storage tab of a client's page: <cctv-storage-panel client-uuid="..." lang="en|zh-CN" user-role="admin|viewer">.
// A gauge of the recordings disk (used / free), bytes and recordings per camera, the retention in force
// and the last cleanup; an admin starts a cleanup and watches its progress, which comes as
// cctv-storage.cleanup_progress events ({done, total, freed_bytes}) of this client.
// API strings go into the page with textContent only.

import { api, formatBytes, formatTime, onEvent, onReconnect, strings, el, button } from '/ui/kit.js';

const TAG = 'cctv-storage-panel';

const TEXT = {
  en: {
    title: 'Storage', loading: 'Loading storage…', failed: (why) => `The storage could not be loaded: ${why}`,
    disk: (used, total, free) => `${used} used of ${total}, ${free} free`,
    recordings: (bytes, n) => `Recordings: ${bytes} in ${n} files`,
    camera: 'Camera', bytes: 'Size', files: 'Files', oldest: 'Oldest', newest: 'Newest', noCameras: 'No recordings yet.',
    retention: 'Retention', maxAge: (d) => (d ? `older than ${d} days` : 'no age limit'),
    maxTotal: (b) => (b ? `above ${b} in all` : 'no size limit'), minFree: (b) => (b ? `until ${b} are free` : 'no free-space limit'),
    lastRun: (at) => `Last cleanup: ${at}`, never: 'never',
    cleanup: 'Clean up now', running: 'A cleanup is running…',
    progress: (done, total, freed) => `Cleanup: ${done} of ${total} checked, ${freed} freed`,
    finished: (n, freed) => `Cleanup finished: ${n} recordings deleted, ${freed} freed.`,
  },
  'zh-CN': {
    title: '存储', loading: '正在加载存储信息…', failed: (why) => `无法加载存储信息：${why}`,
    disk: (used, total, free) => `已用 ${used}，共 ${total}，剩余 ${free}`,
    recordings: (bytes, n) => `录像：${n} 个文件，共 ${bytes}`,
    camera: '摄像头', bytes: '大小', files: '文件数', oldest: '最早', newest: '最新', noCameras: '还没有录像。',
    retention: '保留策略', maxAge: (d) => (d ? `超过 ${d} 天` : '不限时间'),
    maxTotal: (b) => (b ? `总量超过 ${b}` : '不限总量'), minFree: (b) => (b ? `保持至少 ${b} 剩余空间` : '不限剩余空间'),
    lastRun: (at) => `上次清理：${at}`, never: '从未',
    cleanup: '立即清理', running: '正在清理…',
    progress: (done, total, freed) => `清理中：已检查 ${done}/${total}，已释放 ${freed}`,
    finished: (n, freed) => `清理完成：删除了 ${n} 个录像，释放了 ${freed}。`,
  },
};

const STYLE = `
  ${TAG} .gauge { height: 18px; border-radius: 9px; background: rgba(128,128,128,.25); overflow: hidden; max-width: 480px; }
  ${TAG} .gauge > div { height: 100%; }
  ${TAG} .gauge .used { background: #7e57c2; float: left; } ${TAG} .gauge .recordings { background: #c62828; float: left; }
  ${TAG} table { border-collapse: collapse; margin: 8px 0; }
  ${TAG} th, ${TAG} td { text-align: left; padding: 4px 8px; border-bottom: 1px solid rgba(128,128,128,.3); }
  ${TAG} progress { width: 100%; max-width: 480px; }
`;

class StoragePanel extends HTMLElement {
  static observedAttributes = ['lang', 'client-uuid', 'user-role'];

  get uuid() { return this.getAttribute('client-uuid'); }

  get admin() { return (this.getAttribute('user-role') || '').toLowerCase() === 'admin'; }

  path(rest = '') { return `/api/cctv/${encodeURIComponent(this.uuid)}${rest}`; }

  connectedCallback() {
    const mine = (fn) => (m) => m.client_uuid === this.uuid && fn(m);
    const stops = [
      onEvent('cctv-storage.cleanup_progress', mine((m) => { this.progress = m.data || {}; this.render(); }), this),
      onEvent('cctv-storage.cleanup_finished', mine(() => { this.progress = null; this.load(); }), this),
      onEvent('cctv-recording.segment_finished', mine(() => this.load()), this),
      onReconnect(() => this.load(), this),
    ];
    this.stop = () => stops.forEach((s) => s());
    this.load();
  }

  disconnectedCallback() { this.stop(); }

  attributeChangedCallback() { if (this.isConnected) this.load(); }

  async load() {
    try {
      this.info = await api('GET', this.path('/storage'));
      this.error = null;
    } catch (error) {
      this.error = error;
    }
    this.render();
  }

  async cleanup() {
    const s = strings(TEXT);
    this.cleaning = true;
    this.notice = s.running;
    this.render();
    try {
      const result = await api('POST', this.path('/storage/cleanup'), {});
      this.notice = s.finished(result.deleted ?? 0, formatBytes(result.freed_bytes ?? 0));
    } catch (error) {
      this.notice = error.message;
    }
    this.cleaning = false;
    this.progress = null;
    await this.load();
  }

  gauge(info) {
    const total = info.total_bytes || 1;
    const used = Math.max(0, total - info.free_bytes);
    const pct = (n) => `${Math.min(100, (100 * n) / total).toFixed(1)}%`;
    const other = Math.max(0, used - info.recordings_bytes);
    return el('div', { class: 'gauge', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(total), 'aria-valuenow': String(used) },
      el('div', { class: 'recordings', style: `width:${pct(info.recordings_bytes)}` }), el('div', { class: 'used', style: `width:${pct(other)}` }));
  }

  render() {
    const s = strings(TEXT);
    const body = [el('style', { text: STYLE }), el('h2', { text: s.title })];
    const info = this.info;
    if (this.error) body.push(el('div', { class: 'load-error', text: s.failed(this.error.message) }));
    else if (!info) body.push(el('div', { class: 'loading', text: s.loading }));
    else {
      const used = Math.max(0, info.total_bytes - info.free_bytes);
      body.push(this.gauge(info),
        el('div', { class: 'disk', text: s.disk(formatBytes(used), formatBytes(info.total_bytes), formatBytes(info.free_bytes)) }),
        el('div', { class: 'recordings-total', text: s.recordings(formatBytes(info.recordings_bytes), info.recordings_count) }));
      const cameras = info.per_camera || [];
      body.push(cameras.length === 0 ? el('div', { class: 'none', text: s.noCameras }) : el('table', { class: 'per-camera' },
        el('tr', {}, ...[s.camera, s.bytes, s.files, s.oldest, s.newest].map((h) => el('th', { text: h }))),
        ...cameras.map((c) => el('tr', { 'data-camera': c.camera_id }, el('td', { text: c.camera_id }),
          el('td', { text: formatBytes(c.bytes) }), el('td', { text: String(c.count) }),
          el('td', { text: c.oldest ? formatTime(c.oldest) : '' }), el('td', { text: c.newest ? formatTime(c.newest) : '' })))));
      const r = info.retention || {};
      body.push(el('div', { class: 'retention', text: `${s.retention}: ${[s.maxAge(r.max_age_days),
        s.maxTotal(r.max_total_bytes ? formatBytes(r.max_total_bytes) : 0), s.minFree(r.min_free_bytes ? formatBytes(r.min_free_bytes) : 0)].join(' · ')}` }));
      const last = info.cleanup && info.cleanup.last_run_at;
      body.push(el('div', { class: 'last-run', text: s.lastRun(last ? formatTime(last) : s.never) }));
    }
    if (this.progress) {
      const p = this.progress;
      body.push(el('progress', { class: 'cleanup-progress', max: String(p.total || 1), value: String(p.done || 0) }),
        el('div', { class: 'progress-text', text: s.progress(p.done || 0, p.total || 0, formatBytes(p.freed_bytes || 0)) }));
    }
    if (this.notice) body.push(el('div', { class: 'notice', text: this.notice }));
    const running = this.cleaning || (info && info.cleanup && info.cleanup.running);
    if (this.admin) {
      const cleanup = button(s.cleanup, { class: 'cleanup', onclick: () => this.cleanup() });
      if (running) cleanup.setAttribute('disabled', '');
      body.push(cleanup);
    }
    this.replaceChildren(...body);
  }
}

customElements.define(TAG, StoragePanel);
