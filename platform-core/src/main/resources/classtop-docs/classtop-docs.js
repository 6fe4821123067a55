// Swagger UI over /openapi.json. The document needs a session or a token like every route: a signed-in
// browser has its cookie; otherwise a bearer token typed here is kept for this tab and added to every
// request the page makes. A file of its own (not inline) so the page keeps the strict script policy.
const key = 'classtop.docs.token';
const input = document.getElementById('token');
input.value = sessionStorage.getItem(key) || '';

function load() {
  const token = sessionStorage.getItem(key);
  document.getElementById('auth-error').textContent = '';
  window.ui = SwaggerUIBundle({
    url: '/openapi.json', dom_id: '#swagger-ui', withCredentials: true, validatorUrl: null,
    requestInterceptor: (req) => { if (token) { req.headers['Authorization'] = 'Bearer ' + token; } return req; },
    responseInterceptor: (res) => {
      if (res.url.endsWith('/openapi.json') && res.status === 401) {
        document.getElementById('auth-error').textContent =
          (res.body && res.body.error) || 'Sign in or enter a token to see the API.';
      }
      return res;
    }
  });
}

document.getElementById('auth').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(key, input.value.trim());
  load();
});
load();
