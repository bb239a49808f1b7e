/* port.js - the Export page: the journal as CSV, JSON or FHIR (the bytes
 * of `gutskin export`, saved as a file), a CSV import (all or nothing;
 * the refused rows listed by line and field), the foods without tags
 * with a box to give each one, and the day start. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const el = (...a) => gs.el(...a);
  const EXT = { csv: 'csv', json: 'json', fhir: 'fhir.json' };

  async function exportAs(format) {
    $('export-status').textContent = 'exporting';
    const r = await fetch('/api/v1/export?format=' + format, { credentials: 'same-origin' });
    if (!r.ok) { $('export-status').textContent = (await r.json()).error; return; }
    const blob = await r.blob();
    const a = el('a', { href: URL.createObjectURL(blob), download: `gutskin-journal.${EXT[format]}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    $('export-status').textContent = `exported ${format.toUpperCase()} (${blob.size} bytes)`;
  }

  async function importFile(ev) {
    ev.preventDefault();
    const f = $('import-file').files[0];
    if (!f) return;
    const r = await fetch('/api/v1/import', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'text/csv' }, body: await f.text() });
    const doc = await r.json();
    const list = $('import-problems');
    list.replaceChildren();
    if (r.status !== 200) {
      $('import-result').textContent = `${f.name}: ${doc.error}`;
      for (const p of doc.problems || []) list.append(el('li', {}, p.error));
      return;
    }
    $('import-result').textContent = `${f.name}: imported ${doc.entries} entries, ${doc.responses} self-checks, ` +
      `${doc.tags} tags, ${doc.settings} settings.`;
    untagged();
  }

  async function untagged() {
    const r = await gs.api('GET', '/foods/untagged');
    const box = $('untagged');
    box.replaceChildren();
    if (r.status !== 200 || !r.body.length) { box.append(el('p', { class: 'status' }, 'Every food you logged has tags.')); return; }
    for (const u of r.body) {
      const input = el('input', { type: 'text', placeholder: 'tag, e.g. dairy', 'aria-label': `tag for ${u.food}`, size: '14' });
      const form = el('form', { class: 'controls' }, el('span', {}, `${u.food} (${u.times}x)`), input, el('button', { type: 'submit' }, 'Add tag'));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const t = await gs.api('POST', '/tags', { food: u.food, tag: input.value.trim() });
        if (t.status !== 201) { input.setCustomValidity(t.body.error); input.reportValidity(); input.setCustomValidity(''); return; }
        untagged();
      });
      box.append(form);
    }
  }

  async function init() {
    for (const b of document.querySelectorAll('[data-page="export"] button[data-format]'))
      b.addEventListener('click', () => exportAs(b.dataset.format));
    $('import-form').addEventListener('submit', importFile);
    const cfg = await gs.api('GET', '/config');
    if (cfg.status === 200) {
      $('export-where').textContent = `The journal: ${cfg.body.journal}`;
      $('daystart').value = cfg.body.day_start;
    }
    $('daystart-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      const r = await gs.api('PUT', '/config/day-start', { day_start: $('daystart').value.slice(0, 5) });
      $('daystart-status').textContent = r.status === 200 ? `saved: days start at ${r.body.day_start}` : r.body.error;
    });
  }

  gs.page('export', { init, show: untagged });
})();
