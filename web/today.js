/* today.js - the Today page: log food (with the lexicon's tags and
 * completions as you type), the day's scores in one batch, start and stop
 * interventions, and see and delete what this journal day holds.
 * Everything goes through the journal API (POST /api/v1/entries, ...),
 * which checks every value exactly as `gutskin log` does. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const el = (...a) => gs.el(...a);
  const BRISTOL = ['', 'separate hard lumps', 'lumpy and sausage-shaped', 'a sausage with cracks on it',
    'a smooth, soft sausage', 'soft blobs with clear edges', 'mushy, ragged pieces', 'watery, no solid pieces'];
  const S = { dayStart: 240, day: null, suggestSeq: 0 };

  function error(msg) {
    const e = $('today-error');
    e.textContent = msg || '';
    e.hidden = !msg;
  }

  /* the time of a new entry: the "When" box, else now */
  function when() {
    const v = $('today-when').value;
    return gs.stamp(v ? new Date(v) : new Date());
  }

  /* "1 bowl" -> {value: 1, unit: "bowl"}; "half a bowl" -> {value: null, unit: ...} */
  function amount(text) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(.*)$/.exec(text);
    if (m) return { value: Number(m[1]), unit: m[2].trim() };
    return { value: null, unit: text.trim() };
  }

  function describe(e) {
    if (e.kind === 'stool' && e.value !== null) return [`type ${e.value}`, BRISTOL[e.value] || ''];
    if (e.kind === 'food' || e.kind === 'start' || e.kind === 'stop') {
      const v = e.value === null ? e.unit : `${gs.num(e.value)} ${e.unit}`.trim();
      return [e.name, v];
    }
    return [e.name, e.value === null ? '' : gs.num(e.value) + (e.unit ? ' ' + e.unit : '')];
  }

  async function refresh() {
    const cfg = await gs.api('GET', '/config');
    if (cfg.status === 200) S.dayStart = cfg.body.day_start_minutes;
    S.day = gs.journalDay(new Date(), S.dayStart);
    $('today-day').textContent = `${S.day} (days start at ${cfg.body.day_start || '04:00'})`;
    const r = await gs.api('GET', `/entries?from=${S.day}&to=${S.day}`);
    const tb = $('today-entries').tBodies[0];
    tb.replaceChildren();
    if (r.status !== 200) { error(r.body.error); return; }
    for (const e of r.body.entries) {
      const [what, value] = describe(e);
      const del = el('button', { type: 'button', 'aria-label': `delete entry ${e.id}` }, 'delete');
      del.addEventListener('click', async () => {
        const d = await gs.api('DELETE', `/entries/${e.id}`);
        if (d.status !== 200) error(d.body.error); else { error(''); refresh(); }
      });
      tb.append(el('tr', { 'data-kind': e.kind, 'data-id': e.id }, el('td', {}, e.timestamp.slice(11, 16)),
        el('td', {}, e.kind), el('td', {}, what), el('td', {}, value), el('td', {}, del)));
    }
    const iv = await gs.api('GET', '/interventions');
    const ul = $('today-running');
    ul.replaceChildren();
    if (iv.status === 200) {
      if (!iv.body.running.length) ul.append(el('li', { class: 'status' }, 'Nothing running.'));
      for (const x of iv.body.running) {
        const stop = el('button', { type: 'button', 'data-stop': x.name }, 'Stop');
        stop.addEventListener('click', async () => {
          const s = await gs.api('POST', '/interventions/stop', { name: x.name, timestamp: when() });
          if (s.status !== 201) error(s.body.error); else { error(''); refresh(); }
        });
        const dose = x.dose === null ? x.unit : `${gs.num(x.dose)} ${x.unit}`;
        ul.append(el('li', { 'data-running': x.name }, `${x.name} ${dose ? '(' + dose + ') ' : ''}since ${x.start_day} `, stop));
      }
    }
  }

  /* tags and completions for the food text while it is typed; only the
   * answer to the latest keystroke is shown */
  async function suggest() {
    const text = $('today-food').value;
    const seq = ++S.suggestSeq;
    const box = $('today-food-tags'), list = $('today-food-suggest');
    if (!text.trim()) { box.textContent = ''; list.replaceChildren(); return; }
    const r = await gs.api('GET', '/foods/suggest?q=' + encodeURIComponent(text));
    if (seq !== S.suggestSeq || r.status !== 200) return;
    box.textContent = r.body.matches.length
      ? `Found ${r.body.matches.map((m) => m.food).join(', ')} - tags: ${r.body.tags.join(', ') || 'none'}`
      : 'No food of the lexicon in this text yet; it will be kept untagged (give it a tag under Export, Foods without tags).';
    list.replaceChildren();
    for (const s of r.body.suggestions) {
      const b = el('button', { type: 'button', class: 'suggestion' }, s.food);
      b.title = s.tags.join(', ');
      b.addEventListener('click', () => {
        const t = $('today-food').value;
        const cut = t.lastIndexOf(' ') + 1;
        $('today-food').value = t.slice(0, cut) + s.food;
        $('today-food').focus();
        suggest();
      });
      list.append(el('li', {}, b));
    }
  }

  async function logFood(ev) {
    ev.preventDefault();
    const a = amount($('today-portion').value);
    const body = { kind: 'food', name: $('today-food').value.trim(), timestamp: when() };
    if ($('today-portion').value.trim()) { body.value = a.value; body.unit = a.unit; }
    const r = await gs.api('POST', '/entries', body);
    if (r.status !== 201) { error(`${r.body.field ? r.body.field + ': ' : ''}${r.body.error}`); return; }
    error('');
    $('today-status').textContent = `logged ${r.body.name}` + (r.body.tags.length ? ` (tags: ${r.body.tags.join(', ')})` : ' (untagged)');
    $('today-food').value = '';
    $('today-portion').value = '';
    suggest();
    refresh();
  }

  async function logScores(ev) {
    ev.preventDefault();
    const at = when();
    const entries = [];
    for (const input of $('today-scores').querySelectorAll('[data-kind]')) {
      if (input.value === '') continue;
      entries.push({ kind: input.dataset.kind, name: input.dataset.name, value: Number(input.value), timestamp: at });
    }
    if (!entries.length) { error('Fill in at least one box to log.'); return; }
    const r = await gs.api('POST', '/entries', { entries });
    if (r.status !== 201) {
      // name the box: entries[i].value -> the i-th filled box's label
      const m = /^entries\[(\d+)\]/.exec(r.body.field || '');
      const what = m ? `${entries[m[1]].kind} ${entries[m[1]].name}` : '';
      error(`${what ? what + ': ' : ''}${r.body.error.replace(/^entries\[\d+\]\.\w+: /, '')}. Nothing was logged.`);
      return;
    }
    error('');
    for (const input of $('today-scores').querySelectorAll('[data-kind]')) input.value = '';
    $('today-status').textContent = `logged ${r.body.count} entr${r.body.count === 1 ? 'y' : 'ies'}`;
    refresh();
  }

  async function start(ev) {
    ev.preventDefault();
    const body = { name: $('today-iv-name').value.trim(), timestamp: when() };
    if ($('today-iv-dose').value !== '') body.value = Number($('today-iv-dose').value);
    if ($('today-iv-unit').value.trim()) body.unit = $('today-iv-unit').value.trim();
    const r = await gs.api('POST', '/interventions/start', body);
    if (r.status !== 201) { error(r.body.error); return; }
    error('');
    $('today-iv-name').value = $('today-iv-dose').value = $('today-iv-unit').value = '';
    refresh();
  }

  function init() {
    $('today-food').addEventListener('input', suggest);
    $('today-food-form').addEventListener('submit', logFood);
    $('today-scores').addEventListener('submit', logScores);
    $('today-start').addEventListener('submit', start);
    // Enter in a number box submits its form (browsers do this for forms with a submit button)
  }

  gs.page('today', { init, show: refresh });
})();
