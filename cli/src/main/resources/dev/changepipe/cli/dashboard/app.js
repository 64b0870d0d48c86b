// The changepipe dashboard: one snapshot when the page opens, then the pipeline's server-sent events.
// Charts are inline SVG built here; no library, no CDN.
'use strict';

const state = { snapshot: null, files: new Map(), tasks: [], latencies: new Map(), summary: null, analysisAt: 0 };
const SVG_NS = 'http://www.w3.org/2000/svg';
const COLORS = { loaded: '#2f9e6b', loaded_with_rejects: '#e0912f', refused: '#d64545', redelivered: '#9aa1af',
  vanished: '#6b7385', succeeded: '#2f9e6b', failed: '#d64545' };
const TASKS = ['ingest', 'current', 'history'];

const $ = (id) => document.getElementById(id);
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const num = (v) => (v === null || v === undefined) ? '–' : Number(v).toLocaleString('en-US');
const ms = (v) => (v === null || v === undefined) ? '–' : (v >= 10000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms');
const time = (t) => t ? new Date(t).toLocaleTimeString('en-GB') : '–';

// ---- live data ----------------------------------------------------------------------------------------------
function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => { $('live').textContent = 'live'; $('live').className = 'live on'; });
  events.addEventListener('error', () => { $('live').textContent = 'reconnecting…'; $('live').className = 'live off'; });
  events.addEventListener('snapshot', (e) => {
    const s = JSON.parse(e.data);
    state.snapshot = s;
    state.summary = s.summary;
    state.files = new Map(s.files.map((f) => [f.fileId, f]));
    state.tasks = s.tasks;
    state.latencies = new Map(s.latencies.map((l) => [l.fileId, l]));
    $('pipeline-name').textContent = s.pipeline;
    $('nav-analysis').hidden = !s.analysis;
    setupHistoryForm(s.keys);
    render();
  });
  events.addEventListener('file', (e) => { const f = JSON.parse(e.data); state.files.set(f.fileId, f); trim(state.files); render(); });
  events.addEventListener('task', (e) => {
    const t = JSON.parse(e.data);
    // The snapshot may already hold a run published while the page subscribed.
    if (!state.tasks.some((x) => x.task === t.task && x.started === t.started && x.attempt === t.attempt)) {
      state.tasks.push(t);
      if (state.tasks.length > 500) state.tasks.shift();
    }
    if (t.task === 'history' && page() === 'analysis') loadAnalysis(false);
    render();
  });
  events.addEventListener('latency', (e) => { const l = JSON.parse(e.data); state.latencies.set(l.fileId, l); trim(state.latencies); render(); });
  events.addEventListener('summary', (e) => { state.summary = JSON.parse(e.data); render(); });
}

function trim(map) {
  while (map.size > 500) map.delete(map.keys().next().value);
}

let renderQueued = false;
function render() {
  // Events can come in bursts; draw at most once a frame.
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    if (!state.snapshot) return;
    const p = page();
    ({ pipeline: renderPipeline, files: renderFiles, tasks: renderTasks, latency: renderLatency,
      history: () => {}, analysis: () => {} })[p]();
  });
}

// ---- navigation -----------------------------------------------------------------------------------------------
function page() {
  const name = location.hash.replace('#', '') || 'pipeline';
  return ['pipeline', 'files', 'tasks', 'latency', 'history', 'analysis'].includes(name) ? name : 'pipeline';
}

function show() {
  const p = page();
  document.querySelectorAll('.page').forEach((s) => { s.hidden = s.id !== 'page-' + p; });
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === p));
  if (p === 'analysis') loadAnalysis(true);
  render();
}

// ---- SVG ------------------------------------------------------------------------------------------------------
function svg(width, height) {
  const el = document.createElementNS(SVG_NS, 'svg');
  el.setAttribute('viewBox', `0 0 ${width} ${height}`);
  el.setAttribute('width', '100%');
  el.setAttribute('preserveAspectRatio', 'xMinYMin meet');
  return el;
}

function add(parent, name, attributes, text) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  parent.appendChild(el);
  return el;
}

function title(el, text) {
  add(el, 'title', {}, text);
  return el;
}

/** Axes for a time × value chart; returns the scales. */
function axes(el, box, x0, x1, yMax, yLabel) {
  const sx = (t) => box.left + (x1 === x0 ? 0 : (t - x0) / (x1 - x0)) * (box.width);
  const sy = (v) => box.top + box.height - (yMax === 0 ? 0 : v / yMax) * box.height;
  add(el, 'line', { x1: box.left, y1: box.top + box.height, x2: box.left + box.width, y2: box.top + box.height, stroke: '#c5cad3' });
  for (let i = 0; i <= 4; i++) {
    const v = yMax * i / 4;
    const y = sy(v);
    add(el, 'line', { x1: box.left, y1: y, x2: box.left + box.width, y2: y, stroke: '#eef0f3' });
    add(el, 'text', { x: box.left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#6b7385' }, yLabel(v));
  }
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = x0 + (x1 - x0) * i / ticks;
    add(el, 'text', { x: sx(t), y: box.top + box.height + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#6b7385' }, time(t));
  }
  return { sx, sy };
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}

// ---- pipeline -------------------------------------------------------------------------------------------------
function renderPipeline() {
  const s = state.summary;
  const t = state.snapshot.tables;
  const cur = s.tasks.current;
  const his = s.tasks.history;
  $('stat-files').textContent = num(s.lastFileId);
  $('stat-raw').textContent = num(s.rows.raw);
  $('stat-rejects').textContent = num(s.rows.rejects);
  $('stat-latency').textContent = ms(s.lastLatencyMillis);
  $('stat-backlog').textContent = `${num(cur.backlog)} / ${num(his.backlog)}`;

  const el = svg(1000, 295);
  el.id = 'graph-svg';
  const node = (id, x, y, label, table, rows) => {
    const g = add(el, 'g', { 'data-node': id });
    add(g, 'rect', { x, y, width: 150, height: 64, rx: 8, fill: '#f7f9fc', stroke: '#9fb1d9' });
    add(g, 'text', { x: x + 75, y: y + 20, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 600, fill: '#1d2330' }, label);
    add(g, 'text', { x: x + 75, y: y + 36, 'text-anchor': 'middle', 'font-size': 11, fill: '#6b7385' }, table);
    add(g, 'text', { x: x + 75, y: y + 54, 'text-anchor': 'middle', 'font-size': 13, fill: '#1d2330', class: 'rows', id: 'node-' + id + '-rows' }, rows);
  };
  const edge = (x1, y1, x2, y2, label) => {
    add(el, 'line', { x1, y1, x2, y2, stroke: '#7f8ca8', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)' });
    add(el, 'text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 8, 'text-anchor': 'middle', 'font-size': 11, fill: '#3867d6' }, label);
  };
  // A raw consumer's position, under the table it feeds (clear of the arrows).
  const position = (id, x, y, p) => add(el, 'text', { x, y, 'text-anchor': 'middle', 'font-size': 11, fill: '#6b7385', id: 'position-' + id },
    `offset ${num(p.offset)} · backlog ${num(p.backlog)} · lag ${ms(p.lagMillis)}`);
  const defs = add(el, 'defs', {});
  const marker = add(defs, 'marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  add(marker, 'path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#7f8ca8' });
  node('landing', 10, 110, 'landing', 'files', num(s.lastFileId) + ' files');
  node('raw', 230, 110, 'raw', t.raw, num(s.rows.raw) + ' rows');
  node('rejects', 230, 226, 'rejects', t.rejects, num(s.rows.rejects) + ' rows');
  node('current', 560, 20, 'current (SCD1)', t.current, num(s.rows.current) + ' rows');
  node('feed', 830, 20, 'change feed', t.changes, num(s.rows.changes) + ' rows');
  node('history', 560, 200, 'history (SCD2)', t.history, num(s.rows.history) + ' rows');
  edge(160, 142, 228, 142, 'ingest');
  edge(305, 174, 305, 224, '');
  edge(380, 130, 558, 55, 'current task');
  edge(380, 155, 558, 230, 'history task');
  position('current', 635, 102, cur);
  position('history', 635, 282, his);
  edge(710, 52, 828, 52, 'appends');
  const graph = $('graph');
  graph.replaceChildren(el);

  const chips = $('status-counts');
  chips.innerHTML = Object.entries(s.filesByStatus)
    .map(([k, v]) => `<span class="badge ${esc(k)}" data-status="${esc(k)}">${esc(k)}: ${num(v)}</span>`).join('')
    + '<span class="muted">(since this process started)</span>';
}

// ---- files ----------------------------------------------------------------------------------------------------
function renderFiles() {
  const files = [...state.files.values()].sort((a, b) => a.fileId - b.fileId);
  const el = svg(1000, 240);
  const box = { left: 60, top: 10, width: 920, height: 190 };
  if (files.length) {
    const x0 = files[0].ingestedAt;
    const x1 = Math.max(files[files.length - 1].ingestedAt, x0 + 1000);
    const yMax = niceMax(Math.max(...files.map((f) => f.rowsLoaded + f.rowsRejected)));
    const { sx, sy } = axes(el, box, x0, x1, yMax, num);
    const w = Math.max(2, Math.min(14, box.width / files.length - 1));
    for (const f of files) {
      const x = sx(f.ingestedAt) - w / 2;
      const h = box.top + box.height - sy(f.rowsLoaded);
      if (f.rowsLoaded > 0) {
        title(add(el, 'rect', { x, y: sy(f.rowsLoaded), width: w, height: h, fill: COLORS[f.status] || '#9aa1af', class: 'file-bar', 'data-file-id': f.fileId }),
          `${f.name}: ${f.status}, ${f.rowsLoaded} loaded, ${f.rowsRejected} rejected${(f.checks || []).length ? '; checks failed: ' + checksText(f) : ''}`);
      } else {
        // No rows: a marker on the axis, so refused and re-delivered files still show.
        title(add(el, 'path', { d: `M ${x + w / 2} ${box.top + box.height - 12} l 6 10 l -12 0 z`, fill: COLORS[f.status] || '#9aa1af', class: 'file-bar', 'data-file-id': f.fileId }),
          `${f.name}: ${f.status}${f.firstError ? ' (' + f.firstError + ')' : ''}`);
      }
    }
    let lx = box.left;
    for (const status of ['loaded', 'loaded_with_rejects', 'refused', 'redelivered', 'vanished']) {
      add(el, 'rect', { x: lx, y: 222, width: 10, height: 10, fill: COLORS[status] });
      add(el, 'text', { x: lx + 14, y: 231, 'font-size': 11, fill: '#6b7385' }, status);
      lx += 150;
    }
  } else {
    add(el, 'text', { x: 500, y: 110, 'text-anchor': 'middle', fill: '#6b7385' }, 'no file has landed yet');
  }
  $('files-chart').replaceChildren(el);

  const selected = $('file-detail').dataset.fileId;
  replaceRows($('files-table'), files.slice(-200).reverse().map((f) => `
    <tr class="file-row${String(f.fileId) === selected ? ' selected' : ''}" data-file-id="${f.fileId}">
      <td class="n">${f.fileId}</td><td>${esc(f.name)}</td><td><span class="badge ${esc(f.status)}">${esc(f.status)}</span></td>
      <td class="n">${num(f.rowsLoaded)}</td><td class="n">${num(f.rowsRejected)}</td>
      <td class="wrap checks">${esc(checksText(f))}</td><td class="wrap drift">${esc(f.headerDrift)}</td><td class="wrap">${esc(f.firstError)}</td><td>${time(f.ingestedAt)}</td></tr>`).join(''));
}

/** A file's quality-check failures as the ledger keeps them: "city_known: 2 dropped, age_known: 1 warned". */
function checksText(f) {
  const done = { warn: 'warned', drop: 'dropped' };
  return (f.checks || []).map((c) => c.onFail === 'refuse' ? `${c.check}: refused the file`
    : `${c.check}: ${num(c.rows)} ${done[c.onFail] || c.onFail}`).join(', ');
}

/** Rows change only when a file or a run is added: leave them alone otherwise, so that a click never hits a row being replaced. */
function replaceRows(table, html) {
  if (table.dataset.rows !== html) {
    table.dataset.rows = html;
    table.tBodies[0].innerHTML = html;
  }
}

async function openFile(fileId) {
  const detail = $('file-detail');
  detail.dataset.fileId = fileId;
  const answer = await fetch('/api/rejects?file=' + encodeURIComponent(fileId));
  const body = await answer.json();
  detail.hidden = false;
  if (!answer.ok) {
    $('file-detail-title').textContent = 'file ' + fileId;
    $('file-detail-summary').textContent = body.error;
    $('rejects-table').tBodies[0].innerHTML = '';
    return;
  }
  $('file-detail-title').textContent = `${body.file.name} (file ${body.file.fileId})`;
  $('file-detail-summary').textContent = `${body.file.status}: ${num(body.file.rowsLoaded)} rows loaded, `
    + `${num(body.file.rowsRejected)} rejected${body.rejects.length ? '' : ' — no rejected line'} · ${body.location}`;
  $('rejects-table').tBodies[0].innerHTML = body.rejects.map((r) => `
    <tr class="reject-row"><td class="n">${esc(r.line ?? 'file')}</td><td>${esc(r.column ?? '')}</td>
    <td class="wrap">${esc(r.reason)}</td><td class="wrap"><code>${esc(r.text)}</code></td></tr>`).join('');
  render();
}

// ---- task runs ------------------------------------------------------------------------------------------------
function renderTasks() {
  const runs = state.tasks.slice(-300);
  const cards = TASKS.map((task) => {
    const mine = runs.filter((r) => r.task === task);
    const ok = mine.filter((r) => r.status === 'succeeded');
    const mean = ok.length ? ok.reduce((a, r) => a + (r.ended - r.started), 0) / ok.length : null;
    const failed = mine.length - ok.length;
    return `<div class="card" data-task="${task}"><div class="label">${task}</div><div class="value">${num(mine.length)} runs</div>
      <div class="muted">mean ${ms(mean)} · ${num(failed)} failed</div></div>`;
  });
  $('task-cards').innerHTML = cards.join('');

  const el = svg(1000, 60 + TASKS.length * 44);
  const box = { left: 80, top: 10, width: 900, height: TASKS.length * 44 };
  if (runs.length) {
    const x0 = Math.min(...runs.map((r) => r.started));
    const x1 = Math.max(Math.max(...runs.map((r) => r.ended)), x0 + 1000);
    const sx = (t) => box.left + (t - x0) / (x1 - x0) * box.width;
    TASKS.forEach((task, i) => {
      const y = box.top + i * 44;
      add(el, 'text', { x: box.left - 8, y: y + 26, 'text-anchor': 'end', 'font-size': 12, fill: '#1d2330' }, task);
      add(el, 'line', { x1: box.left, y1: y + 40, x2: box.left + box.width, y2: y + 40, stroke: '#eef0f3' });
      for (const r of runs.filter((x) => x.task === task)) {
        const x = sx(r.started);
        const w = Math.max(2, sx(r.ended) - x);
        title(add(el, 'rect', { x, y: y + 8, width: w, height: 26, rx: 2, fill: COLORS[r.status] || '#9aa1af', class: 'task-bar', 'data-task': task }),
          `${task} at ${time(r.started)}: ${r.ended - r.started} ms, ${r.rowsIn} rows in, ${r.rowsOut} out, attempt ${r.attempt}, ${r.status}${r.error ? ': ' + r.error : ''}`);
        if (r.attempt > 1) add(el, 'text', { x: x + w / 2, y: y + 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#d64545' }, '↻');
      }
    });
    for (let i = 0; i <= 6; i++) {
      const t = x0 + (x1 - x0) * i / 6;
      add(el, 'text', { x: sx(t), y: box.top + box.height + 18, 'text-anchor': 'middle', 'font-size': 11, fill: '#6b7385' }, time(t));
    }
  } else {
    add(el, 'text', { x: 500, y: 70, 'text-anchor': 'middle', fill: '#6b7385' }, 'no task has run yet');
  }
  $('tasks-timeline').replaceChildren(el);

  replaceRows($('tasks-table'), runs.slice(-100).reverse().map((r) => `
    <tr class="task-row"><td>${esc(r.task)}</td><td>${time(r.started)}</td><td class="n">${ms(r.ended - r.started)}</td>
    <td class="n">${num(r.rowsIn)}</td><td class="n">${num(r.rowsOut)}</td><td class="n">${r.attempt}</td>
    <td><span class="badge ${esc(r.status)}">${esc(r.status)}</span></td><td class="wrap">${esc(r.error)}</td></tr>`).join(''));
}

// ---- latency --------------------------------------------------------------------------------------------------
function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(p / 100 * sorted.length) - 1)];
}

function renderLatency() {
  const points = [...state.latencies.values()].sort((a, b) => a.fileId - b.fileId);
  const sorted = points.map((p) => p.millis).sort((a, b) => a - b);
  $('latency-count').textContent = num(points.length);
  $('latency-p50').textContent = ms(percentile(sorted, 50));
  $('latency-p99').textContent = ms(percentile(sorted, 99));
  $('latency-max').textContent = ms(sorted[sorted.length - 1] ?? null);
  const el = svg(1000, 260);
  el.id = 'latency-svg';
  const box = { left: 70, top: 10, width: 910, height: 220 };
  if (points.length) {
    const x0 = Math.min(...points.map((p) => p.at));
    const x1 = Math.max(Math.max(...points.map((p) => p.at)), x0 + 1000);
    const { sx, sy } = axes(el, box, x0, x1, niceMax(sorted[sorted.length - 1]), ms);
    add(el, 'polyline', { points: points.map((p) => `${sx(p.at)},${sy(p.millis)}`).join(' '), fill: 'none', stroke: '#3867d6', 'stroke-width': 1.5 });
    for (const p of points) {
      title(add(el, 'circle', { cx: sx(p.at), cy: sy(p.millis), r: 2.5, fill: '#3867d6', class: 'latency-point' }),
        `file ${p.fileId}: ${p.millis} ms, applied at ${time(p.at)}`);
    }
  } else {
    add(el, 'text', { x: 500, y: 120, 'text-anchor': 'middle', fill: '#6b7385' }, 'no file has reached the history table yet');
  }
  $('latency-chart').replaceChildren(el);
}

// ---- a key's history ------------------------------------------------------------------------------------------
function setupHistoryForm(keys) {
  const inputs = $('history-inputs');
  if (inputs.childElementCount === keys.length) return;
  inputs.innerHTML = keys.map((k) => `<input name="key" placeholder="${esc(k)}" aria-label="${esc(k)}">`).join('');
}

async function showHistory(event) {
  event.preventDefault();
  const values = [...document.querySelectorAll('#history-inputs input')].map((i) => i.value.trim());
  const query = values.map((v) => 'key=' + encodeURIComponent(v)).join('&');
  const answer = await fetch('/api/history?' + query);
  const body = await answer.json();
  const versions = $('versions');
  if (!answer.ok) {
    $('history-message').textContent = body.error;
    versions.replaceChildren();
    return;
  }
  $('history-message').textContent = body.versions.length
    ? `${body.versions.length} version(s), oldest first; what changed from the version before is marked.`
    : 'No version of this key in the history table.';
  const hidden = new Set([...body.keys, body.start, body.end, body.current, body.deleted]);
  versions.innerHTML = '<div class="versions">' + body.versions.map((v, i) => {
    const previous = i > 0 ? body.versions[i - 1].values : null;
    const current = v.values[body.current] === true;
    const deleted = body.deleted !== null && v.values[body.deleted] === true;
    const changes = v.changed.map((c) => `<span class="change"><b>${esc(c)}</b> <span class="old">${esc(previous[c])}</span> → <span class="new">${esc(v.values[c])}</span></span>`).join('');
    const rest = Object.entries(v.values).filter(([k]) => !hidden.has(k)).map(([k, val]) => `${esc(k)}=${esc(val)}`).join(' · ');
    return `<div class="version${current ? ' is-current' : ''}" data-version="${i + 1}">
      <div class="when">version ${i + 1}: ${esc(v.values[body.start])} → ${esc(v.values[body.end] ?? 'now')}
      ${current ? '<span class="badge current">current</span>' : ''}${deleted ? '<span class="badge deleted">deleted</span>' : ''}</div>
      <div class="changes">${i === 0 ? '<span class="muted">first version</span>' : (changes || '<span class="muted">no value changed (a delete or a re-insert)</span>')}</div>
      <div class="values">${rest}</div></div>`;
  }).join('') + '</div>';
}

// ---- analysis (the built-in customer pipeline) ---------------------------------------------------------------
async function loadAnalysis(now) {
  // On opening, and then at most every 10 s while history commits: two small queries, never on a timer.
  if (!now && Date.now() - state.analysisAt < 10000) return;
  state.analysisAt = Date.now();
  const answer = await fetch('/api/analysis');
  const body = await answer.json();
  if (!answer.ok) {
    $('analysis-note').textContent = body.error;
    return;
  }
  $('analysis-note').textContent = 'Read from the tables at ' + time(Date.now()) + '.';
  const places = body.places;
  const el = svg(600, 24 + places.length * 20);
  el.id = 'places-svg';
  const max = Math.max(1, ...places.map((p) => p[2]));
  places.forEach(([country, st, n], i) => {
    const y = 10 + i * 20;
    const place = `${st ?? '(none)'}, ${country ?? '(none)'}`;
    title(add(el, 'text', { x: 214, y: y + 12, 'text-anchor': 'end', 'font-size': 11, fill: '#1d2330' },
      place.length > 34 ? place.slice(0, 33) + '…' : place), place);
    title(add(el, 'rect', { x: 220, y, width: Math.max(1, n / max * 330), height: 15, fill: '#3867d6', class: 'place-bar' }), `${n} customers`);
    add(el, 'text', { x: 224 + n / max * 330, y: y + 12, 'font-size': 11, fill: '#6b7385' }, num(n));
  });
  $('analysis-places').replaceChildren(el);

  const minutes = body.perMinute.slice().reverse();
  const chart = svg(600, 260);
  chart.id = 'minutes-svg';
  const box = { left: 60, top: 10, width: 520, height: 210 };
  if (minutes.length) {
    const yMax = niceMax(Math.max(...minutes.map((m) => m[1])));
    const w = Math.min(40, box.width / minutes.length - 4);
    minutes.forEach(([minute, n], i) => {
      const x = box.left + i * (box.width / minutes.length) + 2;
      const h = n / yMax * box.height;
      title(add(chart, 'rect', { x, y: box.top + box.height - h, width: w, height: h, fill: '#2f9e6b', class: 'minute-bar' }), `${minute}: ${n} changes`);
      add(chart, 'text', { x: x + w / 2, y: box.top + box.height + 16, 'text-anchor': 'middle', 'font-size': 10, fill: '#6b7385' }, String(minute).slice(11, 16));
    });
    for (let i = 0; i <= 4; i++) {
      const v = yMax * i / 4;
      add(chart, 'text', { x: box.left - 6, y: box.top + box.height - v / yMax * box.height + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#6b7385' }, num(v));
    }
  }
  $('analysis-minutes').replaceChildren(chart);
}

// ---- start ----------------------------------------------------------------------------------------------------
$('files-table').addEventListener('click', (e) => {
  const row = e.target.closest('tr.file-row');
  if (row) openFile(row.dataset.fileId);
});
$('history-form').addEventListener('submit', showHistory);
window.addEventListener('hashchange', show);
show();
connect();
