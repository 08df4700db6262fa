/* global document, window, history, fetch, DOMParser, FormData, URLSearchParams, HTMLInputElement */
// The time picker without a page load (#24 item 5): where JavaScript runs, choosing an office swaps
// in that office's earliest time, calendar and times at once, and the „Standort übernehmen“ button
// goes away. Nothing else changes: the radio keeps the focus (arrow keys move through the offices
// without leaving the page, WCAG 3.2.2), the address bar shows the office's own link, and a short
// status tells screen readers what changed. Without JavaScript the form and its button work as before.

const form = document.querySelector('form[data-picker-form]');
const results = document.getElementById('zeiten-auswahl');
const status = document.getElementById('zeiten-status');

if (form && results && status && typeof fetch === 'function' && typeof DOMParser === 'function') {
  for (const button of form.querySelectorAll('[data-picker-submit]')) button.hidden = true;
  let timer = 0;
  let latest = 0;
  form.addEventListener('change', (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.name !== 'office') return;
    window.clearTimeout(timer);
    // Arrow keys change the choice on every press: wait until the choice rests.
    timer = window.setTimeout(() => void show(new URLSearchParams(new FormData(form))), 250);
  });

  async function show(params) {
    const request = ++latest;
    const url = `${form.getAttribute('action')}?${params.toString()}`;
    results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (!response.ok) throw new Error(String(response.status));
      const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('zeiten-auswahl');
      if (!next || request !== latest) return;
      results.replaceChildren(...next.childNodes);
      history.replaceState(null, '', url);
      status.textContent = next.dataset.announce ?? '';
    } catch {
      // The page as it would load without JavaScript: never leave the person with stale times.
      window.location.assign(url);
    } finally {
      if (request === latest) results.removeAttribute('aria-busy');
    }
  }
}
