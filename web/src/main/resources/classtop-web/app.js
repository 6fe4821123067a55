// The ClassTop admin shell: session, navigation (hash routes), top bar, live feed, language.
import { api, csrf, onUnauthorized } from './js/api.js';
import { h, fill, relabel, refreshTimes, setText, setAttr, icon, throttle } from './js/dom.js';
import { formatTime } from './js/i18n.js';
import { t, getLang, setLang, initialLang, LANGUAGES } from './js/i18n.js';
import { startAccessibleNames } from './js/a11y.js';
import { startLive, stopLive, liveState } from './js/live.js';
import { loadClients, resetClients, subscribe as subscribeClients, counts } from './js/clients.js';
import { panelsOf, resetPanels, reloadPanels, loadedPanels, relabelPanels, panelTitleText, panelId } from './js/panels.js';
import { notify, busy, openDialog, textField, announce } from './js/ui.js';
import { startCardTables } from './js/responsive.js';
import * as loginPage from './js/pages/login.js';
import * as dashboardPage from './js/pages/dashboard.js';
import * as clientsPage from './js/pages/clients.js';
import * as clientPage from './js/pages/client.js';
import * as enrolmentPage from './js/pages/enrolment.js';
import * as consolePage from './js/pages/console.js';
import * as pluginsPage from './js/pages/plugins.js';
import * as usersPage from './js/pages/users.js';
import * as auditPage from './js/pages/audit.js';
import * as panelPage from './js/pages/panel-page.js';

/** Hash routes: pattern over the path after '#', the page module, the navigation entry it belongs to. */
const ROUTES = [
  { pattern: /^\/?$/, page: dashboardPage, nav: 'dashboard' },
  { pattern: /^\/dashboard$/, page: dashboardPage, nav: 'dashboard' },
  { pattern: /^\/clients$/, page: clientsPage, nav: 'clients' },
  { pattern: /^\/clients\/([^/]+)$/, page: clientPage, nav: 'clients', keys: ['uuid'] },
  { pattern: /^\/enrolment$/, page: enrolmentPage, nav: 'enrolment' },
  { pattern: /^\/console$/, page: consolePage, nav: 'console' },
  { pattern: /^\/plugins$/, page: pluginsPage, nav: 'plugins' },
  { pattern: /^\/users$/, page: usersPage, nav: 'users', admin: true },
  { pattern: /^\/audit$/, page: auditPage, nav: 'audit', admin: true },
  { pattern: /^\/page\/([^/]+)\/([^/]+)$/, page: panelPage, nav: null, keys: ['plugin', 'name'] },
];

const NAV = [
  { key: 'dashboard', href: '#/', icon: 'dashboard', label: 'nav.dashboard' },
  { key: 'clients', href: '#/clients', icon: 'computer', label: 'nav.clients' },
  { key: 'enrolment', href: '#/enrolment', icon: 'how_to_reg', label: 'nav.enrolment' },
  { key: 'console', href: '#/console', icon: 'terminal', label: 'nav.console' },
  { key: 'plugins', href: '#/plugins', icon: 'extension', label: 'nav.plugins' },
  { key: 'users', href: '#/users', icon: 'group', label: 'nav.users', admin: true },
  { key: 'audit', href: '#/audit', icon: 'policy', label: 'nav.audit', admin: true },
];

const app = document.getElementById('app');
let session = null;
let shell = null;
let view = null;

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const [path, queryString] = raw.split('?');
  const query = Object.fromEntries(new URLSearchParams(queryString || ''));
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) {
      const params = {};
      (route.keys || []).forEach((key, i) => { params[key] = match[i + 1]; });
      return { route, params, query };
    }
  }
  return { route: null, params: {}, query };
}

// ---------------------------------------------------------------------------------------------- session

async function boot() {
  window.mdui?.setColorScheme('#1f5fbf'); // the Material palette generated from ClassTop's blue
  startAccessibleNames();
  startCardTables();
  setLang(initialLang());
  document.documentElement.lang = getLang();
  onUnauthorized(() => {
    if (session) signedOut(true);
  });
  if (!mayBeSignedIn()) {
    showLogin(); // no session to ask about: no 401 in the console on a signed-out page load
    return;
  }
  try {
    const me = await api('/api/auth/me', { anonymous: true });
    if (me.csrf_token) csrf.set(me.csrf_token);
    signedIn({ username: me.username, role: me.role, passwordGenerated: me.password_generated === true });
  } catch (error) {
    if (error.status === 401) {
      rememberSignedIn(false);
      showLogin();
    } else showBootFailure(error);
  }
}

/** Whether this browser signed in and did not sign out since (the session cookie itself is HttpOnly). */
const SIGNED_IN_KEY = 'classtop.signedIn';
function mayBeSignedIn() {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return true; // no storage: ask the server
  }
}
function rememberSignedIn(yes) {
  try {
    if (yes) localStorage.setItem(SIGNED_IN_KEY, '1');
    else localStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // private mode without storage: the next load asks the server
  }
}

function showBootFailure(error) {
  const retry = h('mdui-button', { variant: 'filled', i18n: 'common.retry', on: { click: () => location.reload() } });
  fill(app, h('main', { class: 'boot-failure', id: 'main' },
    h('h1', { i18n: 'boot.failed' }),
    h('p', { class: 'error-text', role: 'alert', text: error.message }),
    retry));
}

function showLogin(expired = false) {
  document.title = `${t('login.title')} · ClassTop`;
  view = null;
  shell = null;
  fill(app, loginPage.render({
    expired,
    languageSwitch: languageSwitch(),
    onSignedIn: (data) => {
      csrf.set(data.csrf_token);
      signedIn({ username: data.username, role: data.role, passwordGenerated: data.password_generated === true });
    },
  }));
}

function signedIn(me) {
  session = me;
  rememberSignedIn(true);
  resetPanels(me.role);
  buildShell();
  startLive({ onStateChange: showLiveState, onReconnected: () => { loadClients(true).catch(() => {}); view?.reload?.(); } });
  loadClients().catch((error) => notify(error.message, 'error'));
  route();
}

/** The session ended (sign-out, or a 401 from any call). */
function signedOut(expired) {
  session = null;
  rememberSignedIn(false);
  view?.destroy();
  view = null;
  shell?.unsubscribe();
  stopLive();
  resetClients();
  resetPanels();
  panelsAsked += 1; // an answer still on its way belongs to the ended session
  panelsFollowed = null;
  csrf.set(null);
  showLogin(expired);
}

async function signOut(button) {
  await busy(button, async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } catch (error) {
      if (error.status !== 401) throw error;
    }
    signedOut(false);
    notify(['account.signedOut'], 'success');
  });
}

// ------------------------------------------------------------------------------------------------ shell

function buildShell() {
  const title = h('span', { class: 'page-title' });
  const liveIndicator = h('div', { class: 'live-indicator', role: 'status', dataset: { state: liveState() } },
    icon('sensors'), h('span', { class: 'live-text' }));
  const rail = h('mdui-navigation-rail', { class: 'nav-rail', divider: true, t: { 'aria-label': 'nav.label' } });
  // Phones: the rail gives way to a drawer behind a menu button (app.css decides by width).
  const drawerList = h('mdui-list', { class: 'nav-drawer-list' });
  const drawer = h('mdui-navigation-drawer', { class: 'nav-drawer', modal: true, 'close-on-esc': true,
    'close-on-overlay-click': true, t: { 'aria-label': 'nav.label' } },
  h('div', { class: 'nav-drawer-brand' }, icon('school', 'brand-icon'), 'ClassTop'), drawerList);
  const menuButton = h('mdui-button-icon', { icon: 'menu', class: 'nav-toggle', dataset: { action: 'menu' },
    t: { 'aria-label': 'nav.menu' }, on: { click: () => { drawer.open = !drawer.open; } } });
  drawerList.addEventListener('click', (event) => {
    if (event.target.closest('mdui-list-item')) drawer.open = false;
  });
  const main = h('mdui-layout-main', { id: 'main', class: 'main', tabindex: '-1' });
  const topBar = h('mdui-top-app-bar', { class: 'top-bar', variant: 'small' },
    menuButton,
    h('mdui-top-app-bar-title', {}, h('div', { class: 'brand' },
      h('a', { href: '#/', class: 'brand-link', t: { 'aria-label': 'nav.home' } }, icon('school', 'brand-icon'), 'ClassTop'),
      h('span', { class: 'brand-sep', 'aria-hidden': 'true', text: '/' }),
      title)),
    h('div', { class: 'grow' }),
    liveIndicator,
    languageSwitch(),
    accountMenu());
  const layout = h('mdui-layout', { class: 'shell', 'full-height': true }, topBar, rail, main);
  const skip = h('a', { class: 'skip-link', href: '#main', i18n: 'nav.skip',
    on: { click: (event) => { event.preventDefault(); main.focus(); } } });
  fill(app, skip, layout, drawer);
  // Shown while the live feed is down after having been live: the page's data may be out of date.
  const staleBanner = h('div', { class: 'stale-banner', role: 'status', hidden: true, dataset: { banner: 'stale' } },
    icon('cloud_off'), h('span', { class: 'stale-text' }));
  // After the first sign-in with the password generated at the first start: ask for one's own (not modal).
  const passwordBanner = h('div', { class: 'password-banner', role: 'note', hidden: !session.passwordGenerated,
    dataset: { banner: 'password' } },
  icon('key'), h('span', { class: 'grow', i18n: 'password.generatedInUse' }),
  h('mdui-button', { variant: 'filled', dataset: { action: 'change-generated-password' }, i18n: 'account.changePassword',
    on: { click: changePasswordDialog } }));
  shell = { title, liveIndicator, rail, drawer, drawerList, main, staleBanner, passwordBanner, staleSince: null,
    pendingBadge: null, drawerBadge: null,
    unsubscribe: subscribeClients(updatePendingBadge) };
  fillNav();
  showLiveState(liveState());
}

function fillNav() {
  const { rail } = shell;
  for (const item of NAV) {
    if (item.admin && session.role !== 'admin') continue;
    const entry = h('mdui-navigation-rail-item', { value: item.key, href: item.href, icon: item.icon,
      dataset: { nav: item.key } }, setText(h('span'), item.label));
    if (item.key === 'enrolment') {
      shell.pendingBadge = h('mdui-badge', { slot: 'badge', hidden: true });
      entry.append(shell.pendingBadge);
    }
    rail.append(entry);
    const drawerEntry = drawerItem(item.key, item.href, item.icon, setText(h('span'), item.label));
    if (item.key === 'enrolment') {
      shell.drawerBadge = h('mdui-badge', { slot: 'end-icon', hidden: true });
      drawerEntry.append(shell.drawerBadge);
    }
    shell.drawerList.append(drawerEntry);
  }
  // Plugins' pages come after the shell's own.
  panelsOf('page').then((pages) => {
    if (shell && shell.rail === rail) fillPluginNav(pages);
  }, (error) => notify(error.message, 'error'));
}

/** The navigation entries of plugins' pages (again, when the plugins changed). */
function fillPluginNav(pages) {
  const { rail, drawerList } = shell;
  for (const old of [...rail.children, ...drawerList.children]) {
    if (old.dataset.nav?.startsWith('page:')) old.remove();
  }
  for (const panel of pages) {
    const key = `page:${panelId(panel)}`;
    const href = `#/page/${encodeURIComponent(panel.plugin)}/${encodeURIComponent(panel.name)}`;
    rail.append(h('mdui-navigation-rail-item', { value: key, icon: 'web', href, dataset: { nav: key } },
      panelTitleText(panel)));
    drawerList.append(drawerItem(key, href, 'web', panelTitleText(panel)));
  }
  highlightNav();
}

/** The panel slot each shell page shows panels of: the page is mounted again when its panels come or go. */
const PANEL_SLOTS = new Map([[dashboardPage, 'dashboard-card'], [clientPage, 'client-detail'],
  [clientsPage, 'clients-batch'], [panelPage, 'page']]);

/** The ids of the panels the current view shows: its slot's, or, on a plugin's page, that page alone. */
function viewPanelIds(list) {
  const slot = view && PANEL_SLOTS.get(view.page);
  if (!slot) return null;
  const own = view.page === panelPage ? `${view.params.plugin}/${view.params.name}` : null;
  return list.filter((panel) => panel.slot === slot && (own === null || panelId(panel) === own))
    .map(panelId).sort().join('\n');
}

/** Each reload of the panel list is numbered: a slower, older answer is dropped. */
let panelsAsked = 0;
/** The panel list the shell last followed (null: the one the pages were mounted with). */
let panelsFollowed = null;

/**
 * A plugin was installed, upgraded, enabled, disabled or removed (live event plugins.changed): the navigation
 * follows its pages, and the open page is mounted again only when one of its own panels came or went (a form
 * half filled elsewhere is not lost to an unrelated plugin's change).
 */
const followPlugins = throttle(async () => {
  if (!session) return;
  const asked = ++panelsAsked;
  const before = panelsFollowed ?? loadedPanels();
  let after;
  try {
    after = await reloadPanels();
  } catch {
    return; // the next event or a page load tries again
  }
  if (asked !== panelsAsked || !shell || !session) return;
  panelsFollowed = after;
  fillPluginNav(after.filter((panel) => panel.slot === 'page'));
  const shown = viewPanelIds(before);
  if (shown !== null && shown !== viewPanelIds(after)) route({ keepFocus: true });
}, 300);

window.addEventListener('classtop-live', (event) => {
  const message = event.detail;
  if (message && message.type === 'event' && message.name === 'plugins.changed') followPlugins();
});

function drawerItem(key, href, iconName, label) {
  return h('mdui-list-item', { href, icon: iconName, rounded: true, class: 'nav-drawer-item', dataset: { nav: key } }, label);
}

function updatePendingBadge() {
  if (!shell || !shell.pendingBadge) return;
  const pending = counts().pending;
  for (const badge of [shell.pendingBadge, shell.drawerBadge]) {
    if (!badge) continue;
    badge.hidden = pending === 0;
    badge.textContent = pending > 99 ? '99+' : String(pending);
    setAttr(badge, 'aria-label', ['nav.pendingBadge', { n: pending }]);
  }
}

function showLiveState(state) {
  if (!shell) return;
  const { liveIndicator } = shell;
  liveIndicator.dataset.state = state;
  setText(liveIndicator.querySelector('.live-text'), `live.${state}`);
  setAttr(liveIndicator, 'title', `live.${state}Hint`);
  liveIndicator.querySelector('mdui-icon').name = { live: 'sensors', connecting: 'sync', reconnecting: 'sync',
    offline: 'sensors_off' }[state];
  const stale = state === 'reconnecting' || state === 'offline';
  if (stale && !shell.staleSince) shell.staleSince = new Date().toISOString();
  if (!stale) shell.staleSince = null;
  shell.staleBanner.hidden = !stale;
  shell.main.toggleAttribute('data-stale', stale);
  if (stale) {
    setText(shell.staleBanner.querySelector('.stale-text'), ['stale.banner', { time: formatTime(shell.staleSince, 'time') }]);
  }
}

function languageSwitch() {
  const menu = h('mdui-menu', { selects: 'single', value: getLang() },
    LANGUAGES.map((lang) => h('mdui-menu-item', { value: lang.code, lang: lang.code, text: lang.label })));
  const trigger = h('mdui-button', { slot: 'trigger', variant: 'text', icon: 'translate', class: 'lang-button',
    dataset: { action: 'language' }, t: { 'aria-label': ['lang.switch', { current: currentLabel() }] } },
  h('span', { class: 'lang-current', text: currentLabel() }));
  menu.addEventListener('change', () => {
    if (!menu.value) menu.value = getLang(); // choosing the current language again keeps it chosen
    else if (menu.value !== getLang()) switchLanguage(menu.value);
  });
  return h('mdui-dropdown', { class: 'lang-switch', placement: 'bottom-end' }, trigger, menu);
}

function currentLabel() {
  return LANGUAGES.find((l) => l.code === getLang()).label;
}

/** Every string of the shell, every date and every mounted panel follows the new language at once. */
function switchLanguage(code) {
  setLang(code);
  document.documentElement.lang = code;
  for (const dropdown of document.querySelectorAll('.lang-switch')) {
    dropdown.querySelector('mdui-menu').value = code;
    dropdown.querySelector('.lang-current').textContent = currentLabel();
    setAttr(dropdown.querySelector('[data-action=language]'), 'aria-label', ['lang.switch', { current: currentLabel() }]);
  }
  relabel(document);
  relabelPanels(document);
  // A screen reader must not find the old language's last sentence in the live regions.
  for (const id of ['announce-status', 'announce-alert']) document.getElementById(id).textContent = '';
  announce(t('lang.switched', { current: currentLabel() }));
  if (view) setPageTitle(view.titleKey, view.titleText?.());
  else document.title = `${t('login.title')} · ClassTop`;
  window.dispatchEvent(new CustomEvent('classtop-lang', { detail: { lang: code } }));
}

function accountMenu() {
  const signOutItem = h('mdui-menu-item', { icon: 'logout', dataset: { action: 'sign-out' }, i18n: 'account.signOut' });
  const menu = h('mdui-menu', {},
    h('mdui-menu-item', { class: 'account-who', disabled: true, icon: 'person' },
      h('span', { text: session.username }), ' · ', setText(h('span'), `role.${session.role}`)),
    h('mdui-divider'),
    h('mdui-menu-item', { icon: 'password', dataset: { action: 'change-password' }, i18n: 'account.changePassword',
      on: { click: changePasswordDialog } }),
    signOutItem);
  signOutItem.addEventListener('click', () => signOut(null));
  const trigger = h('mdui-button', { slot: 'trigger', variant: 'text', icon: 'account_circle', class: 'account-button',
    dataset: { action: 'account' }, t: { 'aria-label': ['account.menu', { user: session.username }] } },
  h('span', { class: 'account-name', text: session.username }));
  return h('mdui-dropdown', { class: 'account', placement: 'bottom-end' }, trigger, menu);
}

function changePasswordDialog() {
  const current = textField('account.currentPassword', { type: 'password', 'toggle-password': true, required: true,
    autocomplete: 'current-password', name: 'current-password' });
  const next = textField('account.newPassword', { type: 'password', 'toggle-password': true, required: true,
    minlength: 10, maxlength: 200, autocomplete: 'new-password', name: 'new-password', t: { label: 'account.newPassword',
      helper: 'account.newPasswordHelp' } });
  const repeat = textField('account.repeatPassword', { type: 'password', 'toggle-password': true, required: true,
    autocomplete: 'new-password', name: 'repeat-password' });
  const error = h('p', { class: 'error-text', role: 'alert' });
  const save = h('mdui-button', { variant: 'filled', type: 'submit', i18n: 'account.savePassword',
    dataset: { action: 'save-password' } });
  const form = h('form', { class: 'form-stack', novalidate: true }, current, next, repeat, error, h('div', { class: 'row-end' }, save));
  const { dialog } = openDialog(form, { headline: 'account.changePassword', closeLabel: 'common.cancel' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!current.value || next.value.length < 10 || next.value.length > 200) {
      setText(error, 'account.passwordLength');
      return;
    }
    if (next.value !== repeat.value) {
      setText(error, 'account.passwordMismatch');
      return;
    }
    busy(save, async () => {
      await api('/api/auth/password', { method: 'POST',
        body: { current_password: current.value, new_password: next.value } });
      dialog.open = false;
      if (shell) shell.passwordBanner.hidden = true;
      notify(['account.passwordChanged'], 'success');
    }, { onError: (e) => { error.textContent = e.message; } });
  });
}

// ------------------------------------------------------------------------------------------------ views

function setPageTitle(key, text) {
  const label = text || t(key);
  if (shell) {
    if (text) {
      shell.title.textContent = text;
      delete shell.title.dataset.i18n;
    } else {
      setText(shell.title, key);
    }
  }
  document.title = `${label} · ClassTop`;
}

function highlightNav() {
  if (!shell || !view) return;
  shell.rail.value = view.navKey;
  for (const item of shell.drawerList.children) item.active = item.dataset.nav === view.navKey;
}

function route({ keepFocus = false } = {}) {
  if (!session || !shell) return;
  const { route: match, params, query } = parseHash();
  const firstView = view === null;
  view?.destroy();
  const controller = new AbortController();
  const page = h('div', { class: 'page' });
  fill(shell.main, shell.staleBanner, shell.passwordBanner, page);
  shell.main.scrollTop = 0;
  if (!match || (match.admin && session.role !== 'admin')) {
    view = { titleKey: 'nav.notFound', navKey: null, destroy: () => controller.abort() };
    setPageTitle('nav.notFound');
    page.append(h('h1', { i18n: 'nav.notFound', tabindex: '-1' }),
      h('p', {}, h('a', { href: '#/', i18n: 'nav.backHome' })));
    highlightNav();
    return;
  }
  const navKey = match.nav || (params.plugin ? `page:${params.plugin}/${params.name}` : null);
  view = { page: match.page, params, titleKey: match.page.titleKey, titleText: null, navKey,
    destroy: () => controller.abort(), reload: null };
  const ctx = {
    session,
    isAdmin: session.role === 'admin',
    params,
    query,
    signal: controller.signal,
    /** A page named after its data (a client, a plugin's panel): text is a string or a function of nothing. */
    setTitle: (key, text) => {
      if (key) view.titleKey = key;
      view.titleText = typeof text === 'function' ? text : text ? () => text : null;
      setPageTitle(view.titleKey, view.titleText?.());
    },
  };
  setPageTitle(match.page.titleKey || 'app.name');
  highlightNav();
  const mounted = match.page.mount(page, ctx) || {};
  view.reload = mounted.reload || null;
  if (!firstView && !keepFocus) {
    // Move focus to the new page's heading so keyboard and screen-reader users start there.
    requestAnimationFrame(() => page.querySelector('h1')?.focus({ preventScroll: true }));
  }
}

window.addEventListener('hashchange', () => route());
setInterval(() => { if (shell) refreshTimes(shell.main); }, 30000);

boot();
