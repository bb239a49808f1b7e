/* timeline.js - the Timeline page: daily means of the skin, gut and body
 * scores over a range of journal days (uPlot), interventions as bands
 * across the chart, and the days a chosen exposure (a food tag) was eaten
 * as marks along the bottom.  Drag across the chart to zoom, double click
 * to zoom out; the range boxes fetch another stretch of the journal.
 * A table below gives the same days in numbers. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const el = (...a) => gs.el(...a);
  const SERIES = [
    { key: 'skin', label: 'skin (mean 0-10)', colour: '#c05621' },
    { key: 'gut', label: 'gut (mean 0-10)', colour: '#2b6cb0' },
    { key: 'body', label: 'body (mean 0-10)', colour: '#6b46c1' },
  ];
  const BANDS = ['rgba(47,133,90,.16)', 'rgba(183,121,31,.16)', 'rgba(43,108,176,.14)', 'rgba(184,50,128,.14)'];
  const S = { plot: null, days: [], interventions: [], marks: {}, dayStart: 240 };

  const secs = (day) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 1000;

  function mean(a) { return a.length ? a.reduce((x, y) => x + y, 0) / a.length : null; }

  /* entries -> one row per journal day of the range */
  function aggregate(entries, from, to) {
    const byDay = new Map();
    for (let d = from; d <= to; d = gs.addDays(d, 1))
      byDay.set(d, { day: d, skin: [], gut: [], body: [], stool: [], sleep: [], stress: [], foods: [], tags: new Set() });
    for (const e of entries) {
      const row = byDay.get(e.day);
      if (!row || e.value === null && e.kind !== 'food') continue;
      if (e.kind === 'skin' && e.name !== 'lesions') row.skin.push(e.value);
      else if (e.kind === 'gut') row.gut.push(e.value);
      else if (e.kind === 'body') row.body.push(e.value);
      else if (e.kind === 'stool') row.stool.push(e.value);
      else if (e.kind === 'sleep') row.sleep.push(e.value);
      else if (e.kind === 'stress') row.stress.push(e.value);
      else if (e.kind === 'food') { row.foods.push(e.name); for (const t of e.tags || []) row.tags.add(t); }
    }
    return [...byDay.values()];
  }

  function status(t) { $('tl-status').textContent = t; }

  /* interventions as bands, exposure days as marks (uPlot draw hook) */
  function drawOverlays(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    S.interventions.forEach((iv, k) => {
      const x0 = u.valToPos(secs(iv.start_day) - 43200, 'x', true);
      const x1 = iv.stop_day ? u.valToPos(secs(iv.stop_day) + 43200, 'x', true) : left + width;
      ctx.fillStyle = BANDS[k % BANDS.length];
      ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
    });
    const tag = $('tl-exposure').value;
    if (tag) {
      ctx.fillStyle = '#c53030';
      for (const row of S.days) {
        if (!row.tags.has(tag)) continue;
        const x = u.valToPos(secs(row.day), 'x', true);
        ctx.beginPath();
        ctx.moveTo(x, top + height);
        ctx.lineTo(x - 5, top + height - 9);
        ctx.lineTo(x + 5, top + height - 9);
        ctx.fill();
      }
    }
    ctx.restore();
  }

  function draw() {
    const fig = $('tl-chart');
    const xs = S.days.map((r) => secs(r.day));
    const data = [xs, ...SERIES.map((s) => S.days.map((r) => mean(r[s.key])))];
    if (S.plot) S.plot.destroy();
    fig.replaceChildren();
    const width = Math.max(300, Math.min(1060, fig.clientWidth || 1000));
    S.plot = new uPlot({
      width, height: 300,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
      scales: { x: { time: true, range: (u, min, max) => [min - 43200, max + 43200] }, y: { range: [0, 10] } },
      series: [{ label: 'day' }, ...SERIES.map((s) => ({ label: s.label, stroke: s.colour, width: 2, spanGaps: true, points: { show: true, size: 5 } }))],
      axes: [{}, { label: 'score' }],
      hooks: { draw: [drawOverlays] },
    }, data, fig);
    const logged = S.days.filter((r) => SERIES.some((s) => r[s.key].length)).length;
    fig.dataset.days = String(logged);
    const legend = $('tl-legend');
    legend.replaceChildren(...S.interventions.map((iv, k) => el('span', { class: `band band-${k % BANDS.length}` },
      `${iv.name}: ${iv.start_day} to ${iv.stop_day || 'now'}`)));
    if ($('tl-exposure').value) legend.append(el('span', { class: 'mark' }, `▲ days with ${$('tl-exposure').value}`));
  }

  function table() {
    const tb = $('tl-days').tBodies[0];
    tb.replaceChildren();
    for (const r of S.days) {
      const any = ['skin', 'gut', 'body', 'stool', 'sleep', 'stress', 'foods'].some((k) => r[k].length);
      if (!any) continue;
      const cell = (a) => el('td', { class: 'num' }, a.length ? gs.num(mean(a)) : '');
      tb.append(el('tr', { 'data-day': r.day }, el('td', {}, r.day), cell(r.skin), cell(r.gut), cell(r.body),
        cell(r.stool), cell(r.sleep), cell(r.stress), el('td', {}, r.foods.join('; '))));
    }
  }

  async function load() {
    let from = $('tl-from').value, to = $('tl-to').value;
    if (!from || !to || to < from) { status('Choose a From day on or before the To day.'); return; }
    status('loading');
    const [r, iv] = await Promise.all([gs.api('GET', `/entries?from=${from}&to=${to}&tags=1`), gs.api('GET', '/interventions')]);
    if (r.status !== 200) { status(r.body.error); return; }
    S.days = aggregate(r.body.entries, from, to);
    S.interventions = iv.status === 200
      ? [...iv.body.past, ...iv.body.running].filter((x) => x.start_day <= to && (!x.stop_day || x.stop_day >= from)) : [];
    const tags = new Set();
    for (const d of S.days) for (const t of d.tags) tags.add(t);
    const sel = $('tl-exposure'), keep = sel.value;
    sel.replaceChildren(el('option', { value: '' }, 'none'), ...[...tags].sort().map((t) => el('option', { value: t }, t)));
    if (tags.has(keep)) sel.value = keep;
    draw();
    table();
    status(`${r.body.count} entries from ${from} to ${to}`);
  }

  function lastDays(n) {
    const to = gs.journalDay(new Date(), S.dayStart);
    $('tl-to').value = to;
    $('tl-from').value = gs.addDays(to, -(n - 1));
    load();
  }

  async function init() {
    const cfg = await gs.api('GET', '/config');
    if (cfg.status === 200) S.dayStart = cfg.body.day_start_minutes;
    $('tl-range').addEventListener('submit', (e) => { e.preventDefault(); load(); });
    for (const b of $('tl-range').querySelectorAll('button[data-days]'))
      b.addEventListener('click', () => lastDays(Number(b.dataset.days)));
    $('tl-exposure').addEventListener('change', draw);
    lastDays(28);
  }

  gs.page('timeline', { init, show: () => { if ($('tl-from').value) load(); } });
})();
