/* simulator.js - the Simulator page: a person's interventions as bars on a
 * 12- or 24-week timeline; dragging a bar re-runs the scenario on the
 * server (POST /api/v1/simulate, a few milliseconds) and redraws the gut,
 * body and skin curves while the pointer moves.  Runs never pile up: one
 * request is in flight at a time, and the latest state is sent next.
 * Pointing at a panel or a bar lists the model's links behind it with
 * their evidence grade (GET /api/v1/model/links). */
'use strict';

(() => {
  /* Series per panel, by preference; the first of each that the person's
   * model has are drawn (the same lists as the PNG figure, figure.c). */
  const PANELS = {
    gut: ['barrier.integrity', 'barrier.permeability', 'metabolites.butyrate_relative',
          'metabolites.endotoxin_lumen', 'microbiome.pathobionts', 'microbiome.probiotic'],
    systemic: ['systemic.crp', 'oxidative.oxidative_stress', 'hormones.igf1'],
    skin: ['skin_acne.inflammatory_count', 'skin_acne.comedone_count', 'skin_acne.total_lesions',
           'skin_ad.easi', 'skin_ad.scorad', 'skin_rosacea.erythema_score',
           'skin_rosacea.papule_count', 'skin_ageing.collagen'],
  };
  const COLOURS = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1', '#b83280', '#4a5568'];
  const S = {
    scenario: null,      // the person's scenario (JSON), schedule edited in place
    days: 84,
    interventions: {},   // name -> {unit, min, max, usual}
    links: [],
    columns: null,       // the columns drawn, in panel order
    units: {},
    plots: {},           // panel -> uPlot
    inFlight: false, again: false, runs: 0,
  };
  const $ = (id) => document.getElementById(id);

  function status(text) { $('sim-status').textContent = text; }

  async function init() {
    const [sc, iv, ln] = await Promise.all([gs.api('GET', '/scenarios'),
      gs.api('GET', '/model/interventions'), gs.api('GET', '/model/links')]);
    if (sc.status !== 200) { status(sc.body.error || 'cannot list the scenarios'); return; }
    for (const i of iv.body) S.interventions[i.name] = i;
    S.links = ln.body || [];
    const pick = $('sim-scenario');
    for (const s of sc.body) pick.append(gs.el('option', { value: s.name }, s.title || s.name));
    if (sc.body.some((s) => s.name === 'seed-story')) pick.value = 'seed-story';
    const add = $('sim-add-name');
    for (const i of iv.body) add.append(gs.el('option', { value: i.name }, i.name));
    add.addEventListener('change', addDefaults);
    addDefaults();
    pick.addEventListener('change', loadScenario);
    $('sim-weeks').addEventListener('change', () => { S.days = 7 * Number($('sim-weeks').value); clampSchedule(); drawTimeline(); rebuild(); });
    $('sim-add').addEventListener('submit', addSpan);
    for (const f of document.querySelectorAll('#sim-charts figure'))
      f.addEventListener('mouseenter', () => explainPanel(f.dataset.panel));
    await loadScenario();
  }

  function addDefaults() {
    const i = S.interventions[$('sim-add-name').value];
    if (!i) return;
    const dose = $('sim-add-dose');
    dose.min = i.min; dose.max = i.max;
    dose.value = i.usual > 0 ? i.usual : Math.min(i.max, Math.max(i.min, (i.max - i.min) / 10));
    $('sim-add-unit').textContent = `${i.unit} (${i.min} to ${i.max})`;
  }

  async function loadScenario() {
    const r = await gs.api('GET', '/scenarios/' + encodeURIComponent($('sim-scenario').value));
    if (r.status !== 200) { status(r.body.error); return; }
    S.scenario = r.body;
    S.scenario.schedule = S.scenario.schedule || [];
    clampSchedule();
    drawTimeline();
    await rebuild();
  }

  /* Spans are shown on [0, days]; a span that starts later is left out of
   * this run, one that runs past the end is cut at it. */
  function clampSchedule() {
    S.scenario.days = S.days;
    if (S.scenario.every === undefined || S.scenario.every > 1) S.scenario.every = 1;
    for (const sp of S.scenario.schedule) {
      if (sp.days !== undefined) { sp.stop = sp.start + sp.days; delete sp.days; }
    }
  }

  function visibleSchedule() {
    return S.scenario.schedule.filter((sp) => sp.start < S.days)
      .map((sp) => Object.assign({}, sp, { stop: Math.min(sp.stop, S.days) }));
  }

  /* ---- the timeline ------------------------------------------------------ */

  function drawTimeline() {
    const box = $('sim-timeline');
    box.replaceChildren();
    const weeks = S.days / 7, ticks = gs.el('div', { class: 'ticks' });
    for (let w = 0; w <= weeks; w += weeks > 12 ? 4 : 2) ticks.append(gs.el('span', {}, `wk ${w}`));
    box.append(gs.el('div', { class: 'axis' }, gs.el('span', {}, ''), ticks, gs.el('span', {}, '')));
    S.scenario.schedule.forEach((sp, i) => {
      if (sp.start >= S.days) return;
      const iv = S.interventions[sp.intervention] || { unit: '' };
      const bar = gs.el('div', { class: 'span', 'data-index': i, tabindex: 0,
        'aria-label': `${sp.intervention}: drag to move, arrow keys move by a day` },
        gs.el('span', { class: 'grip start' }), gs.el('span', { class: 'grip stop' }));
      const track = gs.el('div', { class: 'track' }, bar);
      const label = gs.el('span', { class: 'lane-label' });
      const remove = gs.el('button', { class: 'remove', type: 'button', 'aria-label': `remove ${sp.intervention}` }, '×');
      remove.addEventListener('click', () => { S.scenario.schedule.splice(i, 1); drawTimeline(); run(); });
      box.append(gs.el('div', { class: 'lane', 'data-intervention': sp.intervention }, label, track, remove));
      place(bar, label, sp, iv);
      bar.addEventListener('pointerdown', (e) => startDrag(e, bar, label, sp, iv, track));
      bar.addEventListener('keydown', (e) => nudge(e, bar, label, sp, iv));
      bar.addEventListener('mouseenter', () => explainIntervention(sp.intervention));
      bar.addEventListener('focus', () => explainIntervention(sp.intervention));
    });
    if (!S.scenario.schedule.length) box.append(gs.el('p', { class: 'empty' }, 'No interventions yet: add one below.'));
  }

  function place(bar, label, sp, iv) {
    const stop = Math.min(sp.stop, S.days);
    bar.style.left = (100 * sp.start / S.days) + '%';
    bar.style.width = (100 * (stop - sp.start) / S.days) + '%';
    label.textContent = `${sp.intervention} ${sp.dose} ${iv.unit}, days ${sp.start}–${sp.stop}`;
  }

  /* Drag the bar (move) or a grip (one end); whole days, inside the run. */
  function startDrag(e, bar, label, sp, iv, track) {
    e.preventDefault();
    const mode = e.target.classList.contains('start') ? 'start' : e.target.classList.contains('stop') ? 'stop' : 'move';
    const x0 = e.clientX, start0 = sp.start, stop0 = sp.stop;
    const perDay = track.getBoundingClientRect().width / S.days;
    bar.setPointerCapture(e.pointerId);
    bar.classList.add('dragging');
    const move = (ev) => {
      const d = Math.round((ev.clientX - x0) / perDay);
      if (mode === 'move') {
        const len = stop0 - start0;
        sp.start = Math.max(0, Math.min(S.days - 1, start0 + d));
        sp.stop = sp.start + len;
      } else if (mode === 'start') {
        sp.start = Math.max(0, Math.min(sp.stop - 1, start0 + d));
      } else {
        sp.stop = Math.max(sp.start + 1, Math.min(S.days, stop0 + d));
      }
      if (sp.start !== start0 || sp.stop !== stop0) { place(bar, label, sp, iv); run(); }
    };
    const up = () => {
      bar.classList.remove('dragging');
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
      bar.removeEventListener('pointercancel', up);
      run();
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
    bar.addEventListener('pointercancel', up);
  }

  function nudge(e, bar, label, sp, iv) {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const len = sp.stop - sp.start;
    sp.start = Math.max(0, Math.min(S.days - 1, sp.start + d));
    sp.stop = sp.start + len;
    place(bar, label, sp, iv);
    run();
  }

  function addSpan(e) {
    e.preventDefault();
    const name = $('sim-add-name').value, dose = Number($('sim-add-dose').value);
    const start = Math.min(14, S.days - 1);
    S.scenario.schedule.push({ intervention: name, start, stop: Math.min(S.days, start + 28), dose });
    drawTimeline();
    run();
  }

  /* ---- evidence on hover -------------------------------------------------- */

  function linkList(title, links) {
    const box = $('sim-evidence');
    box.replaceChildren(gs.el('strong', {}, title));
    if (!links.length) { box.append(gs.el('p', {}, 'No modelled link.')); return; }
    const ul = gs.el('ul');
    for (const l of links)
      ul.append(gs.el('li', {}, `${l.from} → ${l.to} `, gs.el('span', { class: 'grade ' + l.grade }, l.grade),
        ` — ${l.why} (${l.source})`));
    box.append(ul);
  }

  function explainIntervention(name) {
    linkList(`What ${name} acts on in the model:`, S.links.filter((l) => l.from === 'dose.' + name));
  }

  function explainPanel(panel) {
    const blocks = new Set((S.columns || []).filter((c) => PANELS[panel].includes(c)).map((c) => c.split('.')[0]));
    linkList(`Links into the ${panel} curves (${[...blocks].join(', ')}):`,
      S.links.filter((l) => blocks.has(l.to.split('.')[0]) && !blocks.has(l.from.split('.')[0])));
  }

  /* ---- runs and charts ------------------------------------------------------ */

  function request() {
    return Object.assign({}, S.scenario, { days: S.days, schedule: visibleSchedule() });
  }

  /* A new person or horizon: ask for every column once, choose the series,
   * and build the charts. */
  async function rebuild() {
    status('running…');
    const r = await gs.api('POST', '/simulate', request());
    if (r.status !== 200) { status(r.body.error); return; }
    S.columns = [];
    for (const names of Object.values(PANELS))
      for (const n of names) if (r.body.columns.includes(n) && S.columns.length < 32) S.columns.push(n);
    r.body.columns.forEach((c, i) => { S.units[c] = r.body.units[i]; });
    const data = pick(r.body);
    for (const [panel, names] of Object.entries(PANELS)) {
      const fig = $('chart-' + panel);
      if (S.plots[panel]) S.plots[panel].destroy();
      const cols = S.columns.filter((c) => names.includes(c)).slice(0, 4);
      const series = [{ label: 'day' }];
      cols.forEach((c, k) => series.push({ label: `${c} (day 0: ${gs.num(data[c][0])} ${S.units[c]})`, stroke: COLOURS[k], width: 2 }));
      const opts = { width: Math.max(300, fig.clientWidth - 12), height: 190, series,
        scales: { x: { time: false } }, axes: [{ label: 'day' }, { label: '% of day 0' }], legend: { live: true } };
      S.plots[panel] = new uPlot(opts, panelData(data, cols), fig);
      S.plots[panel].gsColumns = cols;
    }
    done(r.body);
  }

  function pick(body) {
    const out = { day: body.data[0] };
    body.columns.forEach((c, i) => { out[c] = body.data[i]; });
    return out;
  }

  function panelData(data, cols) {
    return [data.day, ...cols.map((c) => data[c].map((v) => (data[c][0] ? 100 * v / data[c][0] : v)))];
  }

  function done(body) {
    S.runs++;
    const charts = $('sim-charts');
    charts.dataset.runs = S.runs;
    // a fingerprint of the drawn curves, for people checking that a drag
    // changed something (and for the browser test)
    const skin = S.plots.skin && S.plots.skin.data[1];
    charts.dataset.skinEnd = skin ? skin[skin.length - 1].toFixed(6) : '';
    status(`${body.scenario}: ${body.days} days, burn-in ${Math.round(body.burn_in_days)} days to a steady state`);
  }

  /* Re-run with the current schedule: at most one request in flight. */
  async function run() {
    if (S.inFlight) { S.again = true; return; }
    S.inFlight = true;
    try {
      do {
        S.again = false;
        const r = await gs.api('POST', '/simulate?columns=' + S.columns.join(','), request());
        if (r.status !== 200) { status(r.body.error); continue; }
        const data = pick(r.body);
        for (const p of Object.values(S.plots)) p.setData(panelData(data, p.gsColumns));
        done(r.body);
      } while (S.again);
    } finally { S.inFlight = false; }
  }

  gs.page('simulator', { init });
})();
