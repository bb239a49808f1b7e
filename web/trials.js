/* trials.js - the Trials page: run an example trial or an uploaded trial
 * file as a job (POST /api/v1/trials), follow its progress, cancel it
 * (DELETE), and read the result as tables: screening, each arm's
 * endpoints, and each arm against the control with 95% intervals. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const T = { examples: [], job: null, timer: null };

  async function init() {
    const r = await gs.api('GET', '/trials');
    if (r.status !== 200) { showError(r.body.error); return; }
    T.examples = r.body.examples;
    for (const e of T.examples) $('trial-example').append(gs.el('option', { value: e.name }, e.title || e.name));
    $('trial-example').addEventListener('change', () => { $('trial-file').value = ''; prefill(); });
    $('trial-form').addEventListener('submit', submit);
    $('trial-cancel').addEventListener('click', cancel);
    prefill();
    listJobs(r.body.jobs);
  }

  function show() { if (T.examples.length) refreshJobs(); }

  function prefill() {
    const e = T.examples.find((x) => x.name === $('trial-example').value);
    if (e && e.patients) $('trial-patients').placeholder = `the file's (${e.patients})`;
  }

  function showError(text) {
    $('trial-error').hidden = !text;
    $('trial-error').textContent = text || '';
  }

  async function submit(ev) {
    ev.preventDefault();
    showError('');
    const body = {};
    const file = $('trial-file').files[0];
    if (file) { body.yaml = await file.text(); body.name = file.name; }
    else body.example = $('trial-example').value;
    if ($('trial-patients').value) body.patients = Number($('trial-patients').value);
    if ($('trial-seed').value) body.seed = Number($('trial-seed').value);
    const r = await gs.api('POST', '/trials', body);
    if (r.status !== 202) { showError(r.body.error); return; }
    $('trial-result').replaceChildren();
    follow(r.body);
  }

  function follow(job) {
    T.job = job;
    $('trial-job').hidden = false;
    $('trial-cancel').hidden = false;
    progress(job);
    clearTimeout(T.timer);
    T.timer = setTimeout(poll, 250);
  }

  function progress(job) {
    $('trial-progress').max = job.total || 1;
    $('trial-progress').value = job.done;
    $('trial-state').textContent = `${job.name}: ${job.state}, ${job.done} of ${job.total} ${job.unit}`;
    $('trial-job').dataset.state = job.state;
  }

  async function poll() {
    const r = await gs.api('GET', '/trials/' + T.job.id);
    if (r.status !== 200) { showError(r.body.error); return; }
    const job = r.body;
    progress(job);
    if (job.state === 'queued' || job.state === 'running') { T.timer = setTimeout(poll, 300); return; }
    $('trial-cancel').hidden = true;
    if (job.state === 'failed') showError(job.error);
    if (job.state === 'done') render(job.result);
    refreshJobs();
  }

  async function cancel() {
    if (!T.job) return;
    const r = await gs.api('DELETE', '/trials/' + T.job.id);
    if (r.status !== 200) showError(r.body.error);
  }

  async function refreshJobs() {
    const r = await gs.api('GET', '/trials');
    if (r.status === 200) listJobs(r.body.jobs);
  }

  function listJobs(jobs) {
    const tb = $('trial-jobs').tBodies[0];
    tb.replaceChildren();
    for (const j of jobs || []) {
      const open = gs.el('a', { href: '#trials' }, j.name);
      open.addEventListener('click', async (e) => {
        e.preventDefault();
        const r = await gs.api('GET', '/trials/' + j.id);
        if (r.status === 200) { progress(r.body); $('trial-job').hidden = false; if (r.body.result) render(r.body.result); else if (r.body.state === 'running' || r.body.state === 'queued') follow(r.body); }
      });
      tb.append(gs.el('tr', {}, gs.el('td', { class: 'num' }, j.id), gs.el('td', {}, open),
        gs.el('td', {}, j.state), gs.el('td', { class: 'num' }, `${j.done} / ${j.total}`)));
    }
  }

  /* ---- the result ------------------------------------------------------- */

  const ci = (c) => (Array.isArray(c) ? `${gs.num(c[0])} to ${gs.num(c[1])}` : '—');

  function armCell(ep) {
    if (ep.kind === 'responder') return `${ep.responders} of ${ep.n} (${gs.num(100 * ep.proportion)}%; 95% CI ${gs.num(100 * ep.ci[0])} to ${gs.num(100 * ep.ci[1])}%)`;
    if (ep.kind === 'time_to_response') return `median day ${gs.num(ep.median_day)} (95% CI ${ci(ep.ci)}), ${ep.responded} of ${ep.n} responded`;
    return `${gs.num(ep.mean)} (SD ${gs.num(ep.sd)}), n ${ep.n}`;
  }

  function comparisonCell(ep) {
    if (ep.kind === 'responder') return `${gs.num(100 * ep.proportion_difference)} points (95% CI ${gs.num(100 * ep.ci[0])} to ${gs.num(100 * ep.ci[1])})`;
    if (ep.kind === 'time_to_response') return `${gs.num(100 * ep.responded_difference)} points more responded (95% CI ${gs.num(100 * ep.ci[0])} to ${gs.num(100 * ep.ci[1])})`;
    return `${gs.num(ep.mean_difference)} (95% CI ${ci(ep.ci)}); SMD ${gs.num(ep.smd)} (${ci(ep.smd_ci)})`;
  }

  function render(res) {
    const box = $('trial-result');
    box.replaceChildren();
    const sc = res.screening;
    box.append(gs.el('h3', {}, res.trial),
      gs.el('p', {}, `${sc.screened} virtual patients screened, ${sc.included} included, ${sc.excluded} excluded, ` +
        `${sc.failed_at_screening + sc.failed_in_arm} failed; seed ${res.seed}, ${res.days} days.`));
    const arms = res.arms;
    const head = gs.el('tr', {}, gs.el('th', {}, 'endpoint'), ...arms.map((a) => gs.el('th', {}, a.name + (a.control ? ' (control)' : ''))));
    const t1 = gs.el('table', { class: 'data', id: 'trial-arms' }, gs.el('thead', {}, head));
    const b1 = gs.el('tbody');
    b1.append(gs.el('tr', {}, gs.el('td', {}, 'completed'), ...arms.map((a) => gs.el('td', { class: 'num' }, `${a.completed} of ${a.allocated}`))));
    arms[0].endpoints.forEach((ep, k) => {
      b1.append(gs.el('tr', {}, gs.el('td', {}, `${ep.name} (${ep.kind.replace(/_/g, ' ')}${ep.day !== undefined ? ', day ' + ep.day : ''})`),
        ...arms.map((a) => gs.el('td', { class: 'num' }, armCell(a.endpoints[k])))));
    });
    t1.append(b1);
    box.append(gs.el('h4', {}, 'Arms'), t1);
    const t2 = gs.el('table', { class: 'data', id: 'trial-comparisons' },
      gs.el('thead', {}, gs.el('tr', {}, gs.el('th', {}, 'arm vs control'), gs.el('th', {}, 'endpoint'), gs.el('th', {}, 'difference (95% CI)'))));
    const b2 = gs.el('tbody');
    for (const c of res.comparisons)
      for (const ep of c.endpoints)
        b2.append(gs.el('tr', {}, gs.el('td', {}, `${c.arm} vs ${c.control}`), gs.el('td', {}, ep.name),
          gs.el('td', { class: 'num' }, comparisonCell(ep))));
    t2.append(b2);
    box.append(gs.el('h4', {}, 'Against the control'), t2,
      gs.el('p', { class: 'disclaimer' }, 'Virtual patients from the model: this tests the model, not a treatment. ' + (res.disclaimer || '')));
  }

  gs.page('trials', { init, show });
})();
