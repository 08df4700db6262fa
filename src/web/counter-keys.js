/* global document, HTMLElement, CSS */
// One key per action at the counter (documented on the page): the key of each button is in its
// data-key attribute. Ignored while typing in a field and with Ctrl/Alt/Meta held.
document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
  const button = document.querySelector(`[data-key="${CSS.escape(event.key.toLowerCase())}"]`);
  if (button instanceof HTMLElement && !button.hasAttribute('disabled')) {
    event.preventDefault();
    button.click();
  }
});
