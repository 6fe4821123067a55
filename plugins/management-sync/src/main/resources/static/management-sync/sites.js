customElements.define('management-sync-sites', class extends HTMLElement {});
