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
  const RANGES = { 24: 'Last 24 hours', 168: 'Last 7 days', 336: 'Last 14 days' };
  let hours = Number(new URLSearchParams(location.search).get('hours')) || 24;
  if (!RANGES[hours]) hours = 24;
  // Times are shown in the agent's configured zone, with the offset: the zone decides what a "day" is.
  let zone = 'UTC';

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
  function parts(ms) {
    const out = {};
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', timeZoneName: 'shortOffset',
    }).formatToParts(new Date(ms)).forEach((p) => { out[p.type] = p.value; });
    return out;
  }
  const clock = (ms) => { const p = parts(ms); return p.hour + ':' + p.minute; };
  const dayOf = (ms) => { const p = parts(ms); return p.month + '-' + p.day; };
  function stamp(iso) {
    if (!iso) return 'none';
    const p = parts(Date.parse(iso));
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ' ' + p.timeZoneName;
  }
  function human(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + pad(Math.floor(s / 60) % 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + pad(Math.floor(s / 3600) % 24) + ' h';
  }
  function bytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1024 / 1024).toFixed(1) + ' MiB';
  }
  const percent = (p) => p === null || p === undefined ? '–' : p.toFixed(1) + '%';

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
        el('div', { class: 'lane-name', title: lane.name, text: lane.name }),
        el('div', { class: 'uptime', 'data-uptime': lane.uptimePercent, title: 'ok in ' + percent(lane.uptimePercent)
          + ' of the reports in this range', text: percent(lane.uptimePercent) }),
        track));
    }
    box.append(axis(from, to, span, pct));
    if (t.reports.length === 0) {
      box.append(el('p', { class: 'empty muted', text: 'No heartbeat in this window.' }));
    }
    box.dataset.state = 'ready';
    box.dataset.hours = String(hours);

    const total = t.gaps.reduce((s, g) => s + g.seconds, 0);
    document.getElementById('gaps').textContent = t.reports.length + ' reports; ' + t.gaps.length
      + (t.gaps.length === 1 ? ' gap' : ' gaps') + (t.gaps.length ? ' (' + human(total) + ' without a heartbeat)' : '')
      + '; heartbeats covered ' + percent(t.coveragePercent) + ' of the range; expected every ' + human(t.cadenceSeconds) + '.';
  }

  function axis(from, to, span, pct) {
    const box = el('div', { class: 'axis' });
    const stepHours = span > 3 * 86400e3 ? 24 : span > 36 * 3600e3 ? 6 : span > 6 * 3600e3 ? 3 : 1;
    // Ticks on whole hours of the configured zone; a day tick is its local midnight.
    for (let tick = Math.ceil(from / 3600e3) * 3600e3 + 3600e3; tick < to - stepHours * 1200e3; tick += 3600e3) {
      const p = parts(tick);
      if (Number(p.hour) % stepHours === 0 && p.minute === '00') {
        box.append(el('span', { style: { left: pct(tick) }, text: stepHours === 24 ? dayOf(tick) : clock(tick) }));
      }
    }
    box.append(el('span', { class: 'now', style: { left: '100%' }, text: 'now ' + clock(to) }));
    return box;
  }

  function renderDurations(t) {
    const box = document.getElementById('durations');
    const from = Date.parse(t.from);
    const span = Date.parse(t.to) - from;
    const points = t.reports.filter((r) => r.durationMs !== null && r.durationMs !== undefined);
    box.replaceChildren();
    if (points.length === 0) {
      box.append(el('p', { class: 'muted', text: 'No report in this range states its duration.' }));
      box.dataset.state = 'ready';
      return;
    }
    const values = points.map((r) => r.durationMs).sort((a, b) => a - b);
    const max = Math.max(1, values[values.length - 1]);
    const median = values[Math.floor(values.length / 2)];
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 1000 100');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'duration-chart');
    // One line per stretch of heartbeats: a gap is not drawn over as if the monitor had run.
    const segments = [[]];
    points.forEach((r, i) => {
      if (i > 0 && Date.parse(r.at) - Date.parse(points[i - 1].at) > t.gapAfterSeconds * 1000) segments.push([]);
      segments[segments.length - 1].push(r);
    });
    for (const seg of segments) {
      const line = document.createElementNS(NS, 'polyline');
      line.setAttribute('points', seg.map((r) => ((Date.parse(r.at) - from) / span * 1000).toFixed(1) + ','
        + (100 - r.durationMs / max * 96).toFixed(1)).join(' '));
      line.setAttribute('vector-effect', 'non-scaling-stroke');
      svg.append(line);
    }
    box.append(el('div', { class: 'chart-scale' }, el('span', { text: max + ' ms' }), el('span', { text: '0' })), svg);
    box.append(el('p', { class: 'muted', id: 'duration-summary',
      text: points.length + ' runs: median ' + median + ' ms, slowest ' + max + ' ms.' }));
    box.dataset.state = 'ready';
    box.dataset.points = String(points.length);
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
      ? 'Last export: ' + stamp(body.exports.length ? body.exports[0].exportedAt : null) + '. Next rollover: '
        + (status.nextRollover || 'none') + '.' : '';
  }

  function renderOverview(o, status) {
    const health = document.getElementById('health');
    health.dataset.state = o.agent.status;
    health.textContent = o.agent.status === 'ok' ? 'healthy' : 'unhealthy: ' + o.agent.problems.join('; ');
    const m = o.monitored;
    const badge = document.getElementById('monitored');
    badge.dataset.state = m.state.replace(' ', '-');
    badge.textContent = m.state.toUpperCase();
    badge.title = m.statusSince ? m.lastReportStatus + ' since ' + stamp(m.statusSince) : '';
    document.getElementById('last-heartbeat').textContent = m.lastReport
      ? 'last heartbeat ' + human(m.lastReportAgoSeconds) + ' ago (' + stamp(m.lastReport) + ')' : 'no heartbeat yet';
    const alerts = document.getElementById('alerts');
    alerts.replaceChildren();
    if (m.silenceAlert.open) {
      alerts.append(el('li', { 'data-alert': 'silence', text: 'ALERT silence: no heartbeat since ' + stamp(m.silenceAlert.since) }));
    }
    if (m.criticalAlert.open) {
      alerts.append(el('li', { 'data-alert': 'critical', text: 'ALERT critical: every report says CRITICAL since '
        + stamp(m.statusSince) + ' (alert raised on the report of ' + stamp(m.criticalAlert.since) + ')' }));
    }
    document.getElementById('agent').textContent = status
      ? 'agent pid ' + status.pid + ' · ' + status.rowsToday + ' reports today · ' + status.rowsTotal + ' staged · days '
        + 'staged: ' + status.stagedDays + ' · only in Parquet: ' + status.parquetOnlyDays : '';
    document.getElementById('zone').textContent = 'Times in ' + o.zone + ' (UTC' + (o.offset === 'Z' ? '' : o.offset) + ').';
    renderQuarantine(o);
  }

  function renderQuarantine(o) {
    document.getElementById('quarantine-count').textContent = o.quarantineTotal === 0 ? 'No file in quarantine.'
      : o.quarantineTotal + (o.quarantineTotal === 1 ? ' file' : ' files') + ' could not become rows'
        + (o.quarantineTotal > o.quarantine.length ? ' (the newest ' + o.quarantine.length + ' below)' : '') + '.';
    document.querySelector('#quarantine tbody').replaceChildren(...o.quarantine.map((q) => el('tr', { 'data-path': q.path },
      el('td', { text: q.path }), el('td', { text: q.reason }), el('td', { text: stamp(q.seenAt) }))));
  }

  function renderRange() {
    document.getElementById('range-title').textContent = RANGES[hours];
    for (const b of document.querySelectorAll('#range button')) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.hours) === hours));
    }
  }

  async function refresh() {
    const error = document.getElementById('error');
    renderRange();
    try {
      const [overview, status, timeline, latest, rollovers] = await Promise.all([
        get('/api/overview'), get('/status').catch(() => null), get('/api/timeline?hours=' + hours), get('/api/latest'),
        get('/api/rollovers')]);
      zone = overview.zone;
      renderOverview(overview, status);
      renderTimeline(timeline);
      renderDurations(timeline);
      renderLatest(latest);
      renderRollovers(rollovers, status);
      error.hidden = true;
    } catch (e) {
      error.hidden = false;
      error.textContent = 'Cannot reach the agent: ' + e.message;
    }
  }

  for (const b of document.querySelectorAll('#range button')) {
    b.addEventListener('click', () => {
      hours = Number(b.dataset.hours);
      history.replaceState(null, '', location.pathname + '?hours=' + hours);
      refresh();
    });
  }
  refresh();
  setInterval(refresh, 60000);
})();
