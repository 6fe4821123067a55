// Narrow screens: every data table becomes a list of cards (app.css, max-width 720px), one card per row, each
// cell led by its column's name. This keeps data-label on every cell equal to its column header's text,
// for every table the pages draw, including after a language switch (the headers' text changes).
import { frameThrottle } from './dom.js';

function labelTable(table) {
  const headers = table.tHead?.rows[0]?.cells;
  if (!headers) return;
  const names = [...headers].map((th) => th.textContent.replace(/\s+/g, ' ').trim());
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      [...row.cells].forEach((cell, i) => {
        const name = names[i] || '';
        if (cell.dataset.label !== name) cell.dataset.label = name;
      });
    }
  }
}

/** Starts labelling (once, at boot). */
export function startCardTables() {
  const labelAll = frameThrottle(() => {
    for (const table of document.querySelectorAll('table.data-table')) labelTable(table);
  });
  new MutationObserver(labelAll).observe(document.body, { subtree: true, childList: true, characterData: true });
  labelAll();
}
