/* app.js - the shell of gutskin's pages: the API helper, the page router
 * (one <section data-page> per nav entry, chosen by the URL's #hash), and
 * small DOM helpers.  Pages register with gs.page(name, {show}) and are
 * shown when their hash is; the first show initialises them. */
'use strict';

const gs = (() => {
  const pages = {};
  const started = new Set();

  /* Call the API; resolves to {status, body}.  The login cookie travels
   * with same-origin requests, so no token is handled here.  A 401 shows
   * the notice that says how to get access. */
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch('/api/v1' + path, init);
    let doc = null;
    try { doc = await r.json(); } catch (e) { doc = { error: 'the server sent no JSON (' + r.status + ')' }; }
    document.getElementById('auth-needed').hidden = r.status !== 401;
    return { status: r.status, body: doc };
  }

  /* el('td', {class: 'num'}, 'text', child...) */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  /* A number for people: 3 significant digits, no exponent for everyday sizes. */
  function num(x) {
    if (x === null || x === undefined) return '—';
    if (typeof x === 'string') return x;
    const a = Math.abs(x);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(2);
    return Number(x.toPrecision(3)).toString();
  }

  function page(name, def) { pages[name] = def; }

  /* A Date as the journal writes time: local wall clock plus UTC offset,
   * "2026-03-01T21:30:00+01:00". */
  function stamp(d) {
    const p = (n) => String(n).padStart(2, '0');
    const off = -d.getTimezoneOffset();
    const sign = off >= 0 ? '+' : '-';
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:` +
      `${p(d.getMinutes())}:${p(d.getSeconds())}${sign}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  }

  /* The journal day ("YYYY-MM-DD") of a Date: its local date after going
   * back by the day start (minutes), so 01:30 counts to the day before. */
  function journalDay(d, dayStartMin) {
    const b = new Date(d.getTime() - dayStartMin * 60000);
    const p = (n) => String(n).padStart(2, '0');
    return `${b.getFullYear()}-${p(b.getMonth() + 1)}-${p(b.getDate())}`;
  }

  /* "YYYY-MM-DD" n days after the day text. */
  function addDays(day, n) {
    const t = new Date(day + 'T12:00:00Z');
    t.setUTCDate(t.getUTCDate() + n);
    return t.toISOString().slice(0, 10);
  }

  function route() {
    const name = (location.hash || '#simulator').slice(1);
    const known = document.querySelector(`section[data-page="${CSS.escape(name)}"]`) ? name : 'simulator';
    for (const s of document.querySelectorAll('section[data-page]')) s.hidden = s.dataset.page !== known;
    for (const a of document.querySelectorAll('nav a')) {
      if (a.getAttribute('href') === '#' + known) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const p = pages[known];
    if (p && !started.has(known)) { started.add(known); p.init && p.init(); }
    if (p && p.show) p.show();
  }

  window.addEventListener('hashchange', route);
  document.addEventListener('DOMContentLoaded', route);
  return { api, el, num, page, stamp, journalDay, addDays };
})();
