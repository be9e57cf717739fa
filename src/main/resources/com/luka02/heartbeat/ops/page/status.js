// The status page: fetches JSON from the agent that served it and draws it. No libraries, no build step.
'use strict';

(function () {
  // With an API token, open the page as /#token=...: a fragment never leaves the browser.
  const TOKEN_KEY = 'heartbeat-ingester.token';
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('token')) {
    sessionStorage.setItem(TOKEN_KEY, hash.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = sessionStorage.getItem(TOKEN_KEY);

  async function get(path) {
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    const res = await fetch(path, { headers, cache: 'no-store' });
    if (res.status === 401) {
      throw new Error('this agent needs its API token: open the page as /#token=<the token in apiTokenFile>');
    }
    const body = await res.json();
    if (!res.ok && res.status !== 503) {
      throw new Error(path + ': ' + (body.error || res.status));
    }
    return body;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'style') Object.assign(e.style, v);
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  const pad = (n) => String(n).padStart(2, '0');
  const clock = (ms) => { const d = new Date(ms); return pad(d.getHours()) + ':' + pad(d.getMinutes()); };
  const stamp = (iso) => iso ? new Date(iso).toLocaleString(undefined, { hour12: false }) : 'none';
  function human(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + pad(Math.floor(s / 60) % 60) + 'm';
    return Math.floor(s / 86400) + 'd ' + pad(Math.floor(s / 3600) % 24) + 'h';
  }
  function bytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1024 / 1024).toFixed(1) + ' MiB';
  }

  function renderTimeline(t) {
    const box = document.getElementById('timeline');
    const from = Date.parse(t.from);
    const to = Date.parse(t.to);
    const span = to - from;
    const cadence = t.cadenceSeconds * 1000;
    const pct = (ms) => (Math.min(Math.max(ms, from), to) - from) / span * 100 + '%';
    const width = (a, b) => (Math.min(b, to) - Math.max(a, from)) / span * 100 + '%';
    const at = t.reports.map((r) => Date.parse(r.at));
    box.replaceChildren();

    for (const lane of t.lanes) {
      const track = el('div', { class: 'track' });
      t.reports.forEach((r, i) => {
        const status = lane.section === null ? r.status : r.checks[lane.name];
        if (status === undefined) return; // the report has no such check
        const start = at[i];
        const end = Math.min(i + 1 < at.length ? at[i + 1] : to, start + cadence);
        track.append(el('div', {
          class: 'cell', 'data-status': status, 'data-at': r.at,
          title: stamp(r.at) + '  ' + lane.name + ': ' + status + '\n' + r.file,
          // A pixel of overlap, so that rounding leaves no hairline between neighbours.
          style: { left: pct(start), width: 'calc(' + width(start, end) + ' + 1px)' },
        }));
      });
      for (const g of t.gaps) {
        track.append(el('div', {
          class: 'gap', 'data-from': g.from, 'data-to': g.to,
          title: 'no heartbeat from ' + stamp(g.from) + ' to ' + stamp(g.to) + ' (' + human(g.seconds) + ')',
          style: { left: pct(Date.parse(g.from)), width: width(Date.parse(g.from), Date.parse(g.to)) },
        }));
      }
      box.append(el('div', { class: 'lane', 'data-lane': lane.name },
        el('div', { class: 'lane-name', title: lane.name, text: lane.name }), track));
    }

    const axis = el('div', { class: 'axis' });
    const step = span > 36 * 3600e3 ? 6 * 3600e3 : span > 6 * 3600e3 ? 3 * 3600e3 : 3600e3;
    const first = new Date(from);
    first.setMinutes(0, 0, 0);
    for (let tick = first.getTime() + 3600e3; tick < to - step / 3; tick += 3600e3) {
      if (new Date(tick).getHours() % (step / 3600e3) === 0) {
        axis.append(el('span', { style: { left: pct(tick) }, text: clock(tick) }));
      }
    }
    axis.append(el('span', { class: 'now', style: { left: '100%' }, text: 'now ' + clock(to) }));
    box.append(axis);
    if (t.reports.length === 0) {
      box.append(el('p', { class: 'empty muted', text: 'No heartbeat in this window.' }));
    }
    box.dataset.state = 'ready';

    const total = t.gaps.reduce((s, g) => s + g.seconds, 0);
    document.getElementById('gaps').textContent = t.reports.length + ' reports; ' + t.gaps.length
      + (t.gaps.length === 1 ? ' gap' : ' gaps') + (t.gaps.length ? ' (' + human(total) + ' without a heartbeat)' : '')
      + '; expected every ' + human(t.cadenceSeconds) + '.';
  }

  function renderLatest(body) {
    const box = document.getElementById('latest');
    const r = body.report;
    if (!r) {
      box.replaceChildren(el('p', { class: 'muted', text: 'No report staged yet.' }));
      box.dataset.state = 'ready';
      return;
    }
    const facts = el('dl', { class: 'facts' },
      el('dt', { text: 'taken' }), el('dd', { text: stamp(r.timestamp) }),
      el('dt', { text: 'status' }), el('dd', {}, el('span', { class: 'status', 'data-status': r.status, text: r.status })),
      el('dt', { text: 'duration' }), el('dd', { text: r.durationMs === null ? 'not stated' : r.durationMs + ' ms' }),
      el('dt', { text: 'summary' }), el('dd', { text: (r.summary || '').replaceAll('**', '') }),
      el('dt', { text: 'file' }), el('dd', { text: r.sourcePath }),
      el('dt', { text: 'staged' }), el('dd', { text: stamp(r.ingestedAt) }));
    const rows = r.checks.map((c) => el('tr', { 'data-section': c.section },
      el('td', { text: c.section }), el('td', { text: c.label }),
      el('td', {}, el('span', { class: 'status', 'data-status': c.status || 'unknown', text: c.status || 'unknown' })),
      el('td', {}, el('pre', { text: c.message }))));
    const table = el('table', { id: 'checks' },
      el('thead', {}, el('tr', {}, ...['section', 'check', 'status', 'message'].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows));
    box.replaceChildren(facts, table);
    box.dataset.state = 'ready';
  }

  function renderRollovers(body, status) {
    const tbody = document.querySelector('#rollovers tbody');
    tbody.replaceChildren(...body.exports.map((e) => el('tr', { 'data-day': e.day },
      el('td', { text: e.day }), el('td', { text: e.rows }), el('td', { text: e.file }),
      el('td', { text: bytes(e.bytes) }), el('td', { text: e.durationMs + ' ms' }), el('td', { text: stamp(e.exportedAt) }))));
    if (body.exports.length === 0) {
      tbody.append(el('tr', {}, el('td', { colspan: 6, class: 'muted', text: 'No day exported yet.' })));
    }
    const err = document.getElementById('rollover-error');
    err.hidden = !body.lastError;
    err.textContent = body.lastError ? 'Last rollover failed at ' + stamp(body.lastErrorAt) + ': ' + body.lastError : '';
    document.getElementById('rollover-next').textContent = status
      ? 'Last rollover: ' + stamp(status.lastRollover) + '. Next: ' + stamp(status.nextRollover) + '.' : '';
  }

  function renderHealth(h, status) {
    const badge = document.getElementById('health');
    badge.dataset.state = h.status;
    badge.textContent = h.status === 'ok' ? 'healthy' : 'unhealthy: ' + h.problems.join('; ');
    document.getElementById('agent').textContent = status
      ? 'pid ' + status.pid + ' · ' + status.rowsToday + ' reports today, ' + status.rowsTotal + ' staged · last report '
        + stamp(status.lastReport) + ' · ' + status.quarantined + ' quarantined'
      : '';
  }

  async function refresh() {
    const error = document.getElementById('error');
    try {
      const [health, status, timeline, latest, rollovers] = await Promise.all([
        get('/health'), get('/status').catch(() => null), get('/api/timeline?hours=24'), get('/api/latest'),
        get('/api/rollovers')]);
      renderHealth(health, status);
      renderTimeline(timeline);
      renderLatest(latest);
      renderRollovers(rollovers, status);
      error.hidden = true;
    } catch (e) {
      error.hidden = false;
      error.textContent = 'Cannot reach the agent: ' + e.message;
    }
  }

  refresh();
  setInterval(refresh, 60000);
})();
