/* selfcheck.js - the Self-check page: the questions of the shipped
 * instrument (GET /api/v1/check/instrument), warning signs first.  If any
 * warning sign applies, the self-check stops there and the report says
 * "see a clinician now" before anything else; otherwise the skin, gut and
 * body questions follow, each shown only when its conditions on earlier
 * answers hold (the instrument's own rules).  The answers go to POST
 * /api/v1/check, which scores them exactly as `gutskin check` does and
 * stores them in the journal. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const el = (...a) => gs.el(...a);
  const S = { inst: null, items: {}, phase: 1 };

  /* the answer of item id as the instrument's numbers (yes 1, no 0,
   * choice index, number), or undefined */
  function value(id) {
    const it = S.items[id];
    const box = document.querySelector(`[data-item="${CSS.escape(id)}"]`);
    if (!box || box.hidden) return undefined;
    if (it.type === 'yes_no' || it.type === 'choice') {
      const c = box.querySelector('input:checked');
      return c ? Number(c.value) : undefined;
    }
    const v = box.querySelector('input').value;
    return v === '' ? undefined : Number(v);
  }

  function holds(rule) {
    const v = value(rule.item);
    if (v === undefined) return false;
    switch (rule.test) {
      case 'is': return v === rule.value;
      case 'in': return rule.set.includes(v);
      case 'at_least': return v >= rule.value;
      case 'at_most': return v <= rule.value;
    }
    return false;
  }

  const isRed = (it) => it.section === 'red_flags';

  /* show the items of this phase whose conditions hold, in order (an
   * item's conditions only name earlier items) */
  function update() {
    for (const it of S.inst.items) {
      const box = document.querySelector(`[data-item="${CSS.escape(it.id)}"]`);
      const inPhase = isRed(it) || S.phase === 2;
      box.hidden = !(inPhase && it.when.every(holds));
    }
    for (const fs of $('check-questions').querySelectorAll('fieldset[data-group]'))
      fs.hidden = !fs.querySelector('[data-item]:not([hidden])');
  }

  function question(it, k) {
    const box = el('div', { class: 'question', 'data-item': it.id });
    const name = 'q-' + it.id;
    if (it.type === 'yes_no' || it.type === 'choice') {
      const opts = it.type === 'yes_no' ? [['yes', 1], ['no', 0]] : it.choices.map((c, i) => [c.text, i]);
      const group = el('div', { role: 'radiogroup', 'aria-labelledby': name + '-t' });
      for (const [text, v] of opts) {
        const input = el('input', { type: 'radio', name, value: String(v), id: `${name}-${v}` });
        group.append(el('label', { for: `${name}-${v}`, class: 'choice' }, input, ' ' + text));
      }
      box.append(el('p', { id: name + '-t' }, `${k}. ${it.text}`), group);
    } else {
      const input = el('input', { type: 'number', id: name, min: String(it.min), max: String(it.max), step: it.whole ? '1' : 'any' });
      const hint = it.type === 'scale' ? `0 = ${it.low || 'none'}, 10 = ${it.high || 'the most'}` : `${it.min}-${it.max} ${it.unit || ''}`;
      box.append(el('label', { for: name }, `${k}. ${it.text} `), el('span', { class: 'status' }, `(${hint}) `), input);
    }
    box.addEventListener('change', update);
    box.addEventListener('input', update);
    return box;
  }

  function render() {
    const q = $('check-questions');
    q.replaceChildren();
    const groups = new Map(S.inst.groups.map((g) => [g.id, g]));
    let fs = null, current = null, k = 0;
    for (const it of S.inst.items) {
      if (it.group !== current) {
        current = it.group;
        fs = el('fieldset', { 'data-group': it.group, 'data-section': it.section }, el('legend', {}, groups.get(it.group).title));
        q.append(fs);
      }
      fs.append(question(it, ++k));
    }
    update();
  }

  /* the answers of the items shown, as the API takes them */
  function answers() {
    const out = {};
    for (const it of S.inst.items) {
      const v = value(it.id);
      if (v === undefined) continue;
      out[it.id] = it.type === 'yes_no' ? v === 1 : it.type === 'choice' ? it.choices[v].id : v;
    }
    return out;
  }

  function report(r) {
    const box = $('check-report');
    box.replaceChildren();
    if (r.action) {
      box.append(el('div', { class: 'red-flag', role: 'alert' },
        el('h3', {}, 'See a clinician now'),
        el('ul', {}, ...r.red_flags.map((f) => el('li', {}, f.sign))),
        el('p', {}, r.message || ''),
        el('p', { class: 'status' }, r.disclaimer)));
      return;
    }
    box.append(el('h3', {}, 'Your report'));
    const present = r.groups.filter((g) => g.present);
    box.append(el('p', {}, present.length ? 'Signs present: ' : 'No group of signs is present in your answers.'));
    if (present.length)
      box.append(el('ul', { class: 'groups' }, ...present.map((g) => el('li', { 'data-group': g.id },
        `${g.title}: ${g.strength}${g.duration ? ', ' + g.duration : ''}`))));
    box.append(el('h4', {}, 'What this means'), el('ul', {}, ...r.meaning.map((m) => el('li', {}, m))));
    box.append(el('h4', {}, 'What it does not mean'), el('ul', {}, ...r.not_meaning.map((m) => el('li', {}, m))));
    if (r.suggestion)
      box.append(el('h4', {}, `Track for ${r.suggestion.weeks} weeks`), el('p', {}, r.suggestion.why),
        el('p', {}, 'Log: ' + r.suggestion.log.join(', ') + ' (the Today page). ' + r.suggestion.then));
    box.append(el('p', { class: 'status' }, r.disclaimer));
  }

  async function submit(ev) {
    ev.preventDefault();
    $('check-error').hidden = true;
    const missing = S.inst.items.filter((it) => isRed(it) && value(it.id) === undefined &&
      !document.querySelector(`[data-item="${CSS.escape(it.id)}"]`).hidden);
    if (S.phase === 1 && missing.length) {
      $('check-error').textContent = `Please answer every warning-sign question (${missing.length} left).`;
      $('check-error').hidden = false;
      return;
    }
    const flagged = S.inst.items.some((it) => it.flag && value(it.id) !== undefined && holds(it.flag));
    if (S.phase === 1 && !flagged) {
      S.phase = 2;
      update();
      $('check-next').textContent = 'Get my report';
      const first = $('check-questions').querySelector('fieldset:not([data-section="red_flags"]):not([hidden]) input');
      if (first) first.focus();
      return;
    }
    const r = await gs.api('POST', '/check', { answers: answers() });
    if (r.status !== 201) {
      $('check-error').textContent = r.body.error;
      $('check-error').hidden = false;
      return;
    }
    report(r.body.report);
    const again = el('button', { type: 'button', id: 'check-again' }, 'Take the self-check again');
    again.addEventListener('click', restart);
    $('check-report').append(again);
    $('check-form').hidden = true;
    $('check-report').scrollIntoView();
    past();
  }

  function restart() {
    S.phase = 1;
    $('check-form').reset();
    $('check-next').textContent = 'Continue';
    $('check-report').replaceChildren();
    $('check-form').hidden = false;
    update();
    const first = $('check-questions').querySelector('input');
    if (first) first.focus();
  }

  async function past() {
    const r = await gs.api('GET', '/check/responses');
    const tb = $('check-past').tBodies[0];
    tb.replaceChildren();
    if (r.status !== 200) return;
    for (const x of r.body) {
      const rep = x.report || {};
      const what = rep.action ? `warning sign: ${rep.red_flags.map((f) => f.sign).join(', ')} - see a clinician now`
        : (rep.groups || []).filter((g) => g.present).map((g) => g.title).join(', ') || 'no group of signs present';
      tb.append(el('tr', {}, el('td', {}, x.timestamp.slice(0, 16).replace('T', ' ')), el('td', {}, what)));
    }
  }

  async function init() {
    const r = await gs.api('GET', '/check/instrument');
    if (r.status !== 200) { $('check-status').textContent = r.body.error; return; }
    S.inst = r.body;
    for (const it of S.inst.items) S.items[it.id] = it;
    $('check-intro').textContent = S.inst.intro;
    render();
    $('check-form').addEventListener('submit', submit);
    past();
  }

  gs.page('self-check', { init });
})();
