/* analyze.js - the Triggers and Effects pages: the statistics of
 * `gutskin analyze triggers|effect` (GET /api/v1/analyze/...), shown with
 * their intervals, q-values and the days behind them, a plain reading of
 * each, and "not enough data yet: about N more days" where a test could
 * not be run yet. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const el = (...a) => gs.el(...a);
  const n2 = (x) => (x === null || x === undefined ? '—' : Number(x).toFixed(2));

  function showError(id, msg) {
    $(id).textContent = msg || '';
    $(id).hidden = !msg;
  }

  function lagWords(lag) { return lag === 0 ? 'the same day' : lag === 1 ? 'the day before' : `${lag} days before`; }

  function reading(r, qLevel) {
    const dir = r.effect > 0 ? 'higher' : 'lower';
    const sure = r.q < qLevel ? 'a possible trigger worth testing' : 'could be chance';
    return `On days after ${r.tag} (${lagWords(r.lag)}), ${r.outcome} was ${Math.abs(r.effect).toFixed(2)} points ${dir}; ${sure}` +
      (r.together_with ? `; ${r.tag} nearly always came with ${r.together_with}, so the two cannot be told apart` : '') + '.';
  }

  async function triggers(ev) {
    ev && ev.preventDefault();
    showError('trig-error', '');
    $('trig-status').textContent = 'analysing…';
    const q = new URLSearchParams({ lags: $('trig-lags').value, permutations: $('trig-perm').value });
    if ($('trig-outcome').value) q.set('outcome', $('trig-outcome').value);
    const r = await gs.api('GET', '/analyze/triggers?' + q);
    $('trig-status').textContent = '';
    if (r.status !== 200) {
      showError('trig-error', /no entries yet|at least/.test(r.body.error) ? `Not enough data yet: ${r.body.error}` : r.body.error);
      $('trig-table').hidden = true;
      $('trig-more').textContent = '';
      return;
    }
    const d = r.body;
    const outcomes = [...new Set(d.rows.map((x) => x.outcome))];
    const sel = $('trig-outcome'), keep = sel.value;
    sel.replaceChildren(el('option', { value: '' }, 'every score logged'), ...outcomes.map((o) => el('option', { value: o }, o)));
    sel.value = outcomes.includes(keep) ? keep : '';
    const tested = d.rows.filter((x) => x.tested).sort((a, b) => a.q - b.q);
    const found = tested.filter((x) => x.q < d.q_level && x.effect > 0);
    $('trig-summary').replaceChildren(el('p', { id: 'trig-verdict' },
      `${d.days} days (${d.first_day} to ${d.last_day}), ${d.tests} tests, ${d.permutations} shifts each. ` +
      (found.length ? `${found.length} possible trigger${found.length > 1 ? 's' : ''} at q < ${d.q_level}.` : `No possible trigger at q < ${d.q_level}.`)),
      el('p', { class: 'status' }, d.disclaimer));
    const tb = $('trig-table').tBodies[0];
    // the possible triggers, then the ten closest of the rest: hundreds of
    // rows that could be chance would bury the few that matter
    const shown = tested.filter((x) => x.q < d.q_level).length + 10;
    $('trig-more').textContent = tested.length > shown
      ? `${tested.length - shown} further tests, every one of which could be chance, are not listed (gutskin analyze triggers lists them all).`
      : '';
    tb.replaceChildren(...tested.slice(0, shown).map((x) => el('tr', { class: x.q < d.q_level ? 'hit' : '' },
      el('td', {}, x.tag), el('td', {}, x.outcome), el('td', { class: 'num' }, x.lag),
      el('td', { class: 'num' }, `${n2(x.effect)} (${n2(x.low)} to ${n2(x.high)})`), el('td', { class: 'num' }, n2(x.q)),
      el('td', { class: 'num' }, `${x.days_with} / ${x.days_without}`), el('td', {}, reading(x, d.q_level)))));
    $('trig-table').hidden = tested.length === 0;
    const gated = d.rows.filter((x) => !x.tested);
    const byTag = new Map();
    for (const x of gated) if (!byTag.has(x.tag) || (x.more_days ?? 1e9) < (byTag.get(x.tag).more_days ?? 1e9)) byTag.set(x.tag, x);
    $('trig-gated-h').hidden = byTag.size === 0;
    $('trig-gated').replaceChildren(...[...byTag.values()].map((x) => el('li', {},
      `${x.tag}: not enough data yet` + (x.more_days !== null ? `: about ${x.more_days} more days` : ' (no complete day with it yet)') +
      ` (${x.days_with} days with it, ${x.days_without} without)`)));
  }

  async function effects(ev) {
    ev && ev.preventDefault();
    showError('eff-error', '');
    const name = $('eff-name').value;
    if (!name) { showError('eff-error', 'Start an intervention on the Today page first; its effect is measured from its start.'); return; }
    const q = new URLSearchParams({ name, washin: $('eff-washin').value || '0' });
    if ($('eff-outcome').value.trim()) q.set('outcome', $('eff-outcome').value.trim());
    if ($('eff-runno').value) q.set('run', $('eff-runno').value);
    $('eff-status').textContent = 'analysing…';
    const r = await gs.api('GET', '/analyze/effect?' + q);
    const box = $('eff-result');
    box.replaceChildren();
    if (r.status !== 200) { $('eff-status').textContent = ''; showError('eff-error', r.body.error); return; }
    const d = r.body, c = d.coefficients;
    // the power answer first, so the result appears whole
    const unsettled = c && c.level && c.level.low <= 0 && c.level.high >= 0;
    const power = unsettled ? await powerAnswer(d) : null;
    $('eff-status').textContent = '';
    box.append(el('p', { id: 'eff-runs', class: 'status' },
      `Run ${d.run} of ${d.runs}: ${d.run_start} to ${d.run_last_day}${d.run_stopped ? '' : ' (still running)'}; compared with the days from ${d.before_from}.`));
    box.append(el('p', { id: 'eff-reading', class: 'reading' }, d.reading));
    if (power)
      box.append(el('p', { id: 'eff-power', class: 'notice' }, power));
    else if (d.more_days_reading)
      box.append(el('p', { id: 'eff-more', class: 'notice' }, d.more_days === null
        ? d.more_days_reading : `Not enough data yet: about ${d.more_days} more days. ${d.more_days_reading}`));
    if (c && c.level)
      box.append(el('table', { class: 'data' },
        el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'estimate'), el('th', {}, '95% interval'))),
        el('tbody', {},
          el('tr', {}, el('td', {}, 'level change (points)'), el('td', { class: 'num' }, n2(c.level.estimate)), el('td', { class: 'num' }, `${n2(c.level.low)} to ${n2(c.level.high)}`)),
          el('tr', {}, el('td', {}, 'trend change (points a week)'), el('td', { class: 'num' }, n2(7 * c.slope.estimate)), el('td', { class: 'num' }, `${n2(7 * c.slope.low)} to ${n2(7 * c.slope.high)}`)))));
    box.append(el('p', { class: 'status' }, `${d.outcome}: ${d.days_before} days before, ${d.days_after} after${d.washin ? `, wash-in ${d.washin} days` : ''}. ${d.disclaimer}`));
  }

  // "not enough data yet: about N more days ..." as a sentence of its own
  const sentence = (t) => t.charAt(0).toUpperCase() + t.slice(1) + (/[.]$/.test(t) ? '' : '.');

  // The power answer for an effect whose interval includes no change: the
  // change estimated (at least a quarter of the day-to-day sd, as the
  // effect's own "more days" uses), with the fit's sd and correlation (the
  // journal's own would count the intervention's change as noise) and the
  // days already logged before and since the start.  null when it fails.
  async function powerAnswer(d) {
    const change = d.more_days_for_change ?? Math.abs(d.coefficients.level.estimate);
    if (!(change > 0) || d.sigma === null) return null;
    const q = new URLSearchParams({ outcome: d.outcome, change: Number(change.toPrecision(3)),
      sd: Number(Math.max(d.sigma, 1e-6).toPrecision(6)), phi: Math.min(0.99, Math.max(-0.99, d.phi)).toFixed(4),
      before: Math.max(3, d.days_before), days_so_far: d.days_after });
    const r = await gs.api('GET', '/analyze/power?' + q);
    if (r.status !== 200) return null;
    const p = r.body;
    return `If ${d.intervention} changes ${d.outcome} by ${p.change} points (the size estimated): ` + sentence(p.reading);
  }

  async function powerForm(ev) {
    ev && ev.preventDefault();
    showError('pow-error', '');
    $('pow-answer').textContent = '';
    const q = new URLSearchParams({ change: $('pow-change').value });
    if ($('pow-outcome').value.trim()) q.set('outcome', $('pow-outcome').value.trim());
    $('pow-status').textContent = 'simulating…';
    const r = await gs.api('GET', '/analyze/power?' + q);
    $('pow-status').textContent = '';
    if (r.status !== 200) { showError('pow-error', r.body.error); return; }
    const p = r.body;
    $('pow-answer').textContent = `${sentence(p.reading)} (${p.outcome}: day-to-day sd ${n2(p.sd)}, correlation ${n2(p.phi)}, ` +
      `from ${p.days_before} days of the journal.) ${p.disclaimer}`;
  }

  async function effectsShow() {
    const r = await gs.api('GET', '/interventions');
    if (r.status !== 200) return;
    const names = [...new Set([...r.body.past, ...r.body.running].map((x) => x.name))];
    const sel = $('eff-name'), keep = sel.value;
    sel.replaceChildren(...names.map((n) => el('option', { value: n }, n)));
    if (names.includes(keep)) sel.value = keep;
  }

  gs.page('triggers', { init: () => $('trig-form').addEventListener('submit', triggers) });
  gs.page('effects', {
    init: () => {
      $('eff-form').addEventListener('submit', effects);
      $('pow-form').addEventListener('submit', powerForm);
    },
    show: effectsShow
  });
})();
