// The sign-in page: shown whenever /api/auth/me (or any call) answers 401.
import { api } from '../api.js';
import { h, setText, icon } from '../dom.js';
import { busy, textField } from '../ui.js';

export const titleKey = 'login.title';

/** Answers the page element. opts: expired (the session ended), languageSwitch, onSignedIn(data). */
export function render({ expired, languageSwitch, onSignedIn }) {
  const username = textField('login.username', { name: 'username', id: 'login-username', autocomplete: 'username',
    icon: 'person' });
  const password = textField('login.password', { name: 'password', id: 'login-password', type: 'password',
    'toggle-password': true, autocomplete: 'current-password', icon: 'lock' });
  const error = h('p', { id: 'login-error', class: 'error-text', role: 'alert' });
  const submit = h('mdui-button', { type: 'submit', variant: 'filled', 'full-width': true, id: 'login-submit',
    i18n: 'login.submit' });
  const form = h('form', { class: 'form-stack', id: 'login-form', novalidate: true },
    username, password, error, submit);
  if (expired) setText(error, 'login.expired');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!username.value.trim() || !password.value) {
      setText(error, 'login.missing');
      (username.value.trim() ? password : username).focus();
      return;
    }
    busy(submit, async () => {
      const data = await api('/api/auth/login', { method: 'POST', anonymous: true,
        body: { username: username.value.trim(), password: password.value } });
      // The page (and the password in it) is dropped now; MDUI fails on a field changed while it is removed.
      onSignedIn(data);
    }, {
      onError: (e) => {
        // The API's own sentence: wrong password, too many attempts (429), ...
        delete error.dataset.i18n;
        error.textContent = e.message;
        password.value = '';
        password.focus();
      },
    });
  });
  requestAnimationFrame(() => username.focus());

  return h('div', { class: 'login-screen' },
    h('div', { class: 'login-top' }, languageSwitch),
    h('main', { id: 'main', class: 'login-main' },
      h('mdui-card', { class: 'login-card', variant: 'elevated' },
        h('div', { class: 'login-brand' }, icon('school', 'login-logo'),
          h('div', {}, h('h1', { class: 'login-title', text: 'ClassTop' }),
            h('p', { class: 'login-subtitle', i18n: 'login.subtitle' }))),
        h('h2', { class: 'login-heading', i18n: 'login.title' }),
        form)));
}
