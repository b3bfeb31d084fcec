// The netanomaly dashboard: live feed (Server-Sent Events), charts from /api/v1/alerts/summary,
// alert detail, a prediction form generated from the model's schema and the model page.
// Every value that came from traffic is put in the page with textContent, never as HTML.
'use strict';

const API = '/api/v1';
const FEED_ROWS = 200;
// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'];

const state = {
  model: null,
  filter: { type: '', minScore: null },
  storeAvailable: true,
  selectedId: null,
  alertsById: new Map(),
  unstored: 0,
  charts: {},
  liveCount: 0,
  summaryTimer: null,
};

// ---- small DOM helpers ---------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fmt(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (typeof x !== 'number') return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(2);
  return Number(x.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

function timeLabel(iso) {
  // "2026-01-05T08:00:01.250Z" -> "2026-01-05 08:00:01"
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, '').replace(/Z$/, '') : '–';
}

async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const err = new Error(body && body.error ? body.error : r.status + ' ' + r.statusText);
    err.status = r.status;
    err.body = body;
    throw err;
  }
  return body;
}

// ---- tabs ----------------------------------------------------------------------------------

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const show = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
    if (tab.id === 'tab-live') Object.values(state.charts).forEach(c => c.resize());
    history.replaceState(null, '', '#' + tab.id.slice(4));
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => show(t, false));
    t.addEventListener('keydown', ev => {
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
      else if (ev.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = tabs.length - 1;
      if (j !== null) { ev.preventDefault(); show(tabs[j], true); }
    });
  });
  const fromHash = () => {
    const t = tabs.find(x => '#' + x.id.slice(4) === location.hash);
    if (t && t.getAttribute('aria-selected') !== 'true') show(t, false);
  };
  // links and the back button move between sections by the URL's #fragment
  window.addEventListener('hashchange', fromHash);
  fromHash();
}

// ---- live feed -----------------------------------------------------------------------------

function matchesFilter(a) {
  if (state.filter.type && a.anomaly_type !== state.filter.type) return false;
  if (state.filter.minScore !== null && !(a.score >= state.filter.minScore)) return false;
  return true;
}

function filterQuery() {
  const p = new URLSearchParams();
  if (state.filter.type) p.set('type', state.filter.type);
  if (state.filter.minScore !== null) p.set('min_score', String(state.filter.minScore));
  return p;
}

function levelBadge(level) {
  return el('span', { class: 'level level-' + level, text: level.toLowerCase() });
}

/** The feed's key of an alert: its store id, or a key of its own when the server keeps no alerts. */
function keyOf(a) {
  if (!a._key) a._key = a.id ? 'id-' + a.id : 'live-' + (++state.unstored);
  return a._key;
}

function feedRow(a) {
  const t = a.explanation && a.explanation.threat ? a.explanation.threat : { level: 'LOW' };
  const src = (a.src_ip || '–') + (a.src_port !== undefined ? ':' + a.src_port : '');
  const dst = (a.dst_ip || '–') + (a.dst_port !== undefined ? ':' + a.dst_port : '');
  const open = el('button', { type: 'button', class: 'link', text: timeLabel(a.event_time),
    'aria-label': 'Show alert ' + (a.id || '') + ': ' + a.anomaly_type + ' from ' + src });
  const tr = el('tr', { 'data-id': a.id, 'data-key': keyOf(a), 'data-type': a.anomaly_type, class: 'fresh' },
    el('td', {}, open), el('td', { text: a.anomaly_type }), el('td', { text: src }), el('td', { text: dst }),
    el('td', { class: 'num', text: fmt(a.score) }), el('td', {}, levelBadge(t.level)));
  const select = () => showDetail(keyOf(a));
  tr.addEventListener('click', select);
  open.addEventListener('click', ev => { ev.stopPropagation(); select(); });
  return tr;
}

function addToFeed(alerts, prepend) {
  const body = document.querySelector('#feed tbody');
  for (const a of alerts) {
    if (state.alertsById.has(keyOf(a))) continue;
    state.alertsById.set(keyOf(a), a);
    const row = feedRow(a);
    if (prepend) body.prepend(row); else body.append(row);
  }
  while (body.rows.length > FEED_ROWS) {
    const last = body.rows[body.rows.length - 1];
    state.alertsById.delete(last.dataset.key);
    last.remove();
  }
  document.getElementById('feed-empty').hidden = body.rows.length > 0;
  markSelected();
}

function markSelected() {
  for (const tr of document.querySelectorAll('#feed tbody tr')) {
    tr.setAttribute('aria-selected', String(tr.dataset.key === state.selectedId));
  }
}

async function loadRecentAlerts() {
  const body = document.querySelector('#feed tbody');
  body.replaceChildren();
  state.alertsById.clear();
  const q = filterQuery();
  q.set('limit', '100');
  try {
    const page = await getJson(API + '/alerts?' + q);
    addToFeed(page.alerts, false);
    state.storeAvailable = true;
  } catch (e) {
    if (e.status === 404) {
      state.storeAvailable = false;
      const note = document.getElementById('store-note');
      note.textContent = 'This server keeps no alerts (started with --db none): the feed shows live alerts only '
        + 'and the charts stay empty.';
      note.hidden = false;
    }
  }
  document.getElementById('feed-empty').hidden = body.rows.length > 0;
}

function connectFeed() {
  const status = document.getElementById('feed-status');
  const source = new EventSource(API + '/alerts/stream');
  source.addEventListener('open', () => {
    status.textContent = 'live feed connected';
    status.className = 'live';
  });
  source.addEventListener('error', () => {
    status.textContent = 'live feed disconnected, retrying…';
    status.className = 'down';
  });
  source.addEventListener('alert', ev => {
    const a = JSON.parse(ev.data);
    state.liveCount++;
    document.getElementById('kpi-live').textContent = state.liveCount.toLocaleString('en-US');
    addTypeOption(a.anomaly_type);
    if (matchesFilter(a)) {
      addToFeed([a], true);
      scheduleSummary();
    }
  });
  source.addEventListener('alert_update', ev => {
    const a = JSON.parse(ev.data);
    if (state.alertsById.has(keyOf(a))) state.alertsById.set(keyOf(a), a);
    if (state.selectedId === keyOf(a)) renderDetail(a);
  });
}

function addTypeOption(type) {
  const select = document.getElementById('filter-type');
  if (!type || [...select.options].some(o => o.value === type)) return;
  select.append(el('option', { value: type, text: type }));
}

function setupFilters() {
  const form = document.getElementById('filters');
  const apply = () => {
    state.filter.type = document.getElementById('filter-type').value;
    const s = document.getElementById('filter-score').value.trim();
    state.filter.minScore = s === '' || Number.isNaN(Number(s)) ? null : Number(s);
    loadRecentAlerts();
    refreshSummary();
  };
  form.addEventListener('submit', ev => { ev.preventDefault(); apply(); });
  document.getElementById('filter-type').addEventListener('change', apply);
  document.getElementById('filter-clear').addEventListener('click', () => {
    document.getElementById('filter-type').value = '';
    document.getElementById('filter-score').value = '';
    apply();
  });
}

// ---- alert detail --------------------------------------------------------------------------

async function showDetail(key) {
  state.selectedId = key;
  markSelected();
  let a = state.alertsById.get(key);
  if (a && a.id) {
    try {
      a = await getJson(API + '/alerts/' + a.id);
    } catch (e) {
      // the feed's copy is shown; the stored one could not be read
    }
  }
  if (!a) {
    renderDetailError('That alert is no longer in the feed.');
    return;
  }
  renderDetail(a);
  document.getElementById('detail').focus({ preventScroll: true });
}

function renderDetailError(message) {
  const box = document.getElementById('detail');
  box.replaceChildren(el('h2', { id: 'detail-title', text: 'Alert detail' }), el('p', { class: 'error', text: message }));
}

function featureTable(features) {
  const rows = features.map(f => {
    const lo = f.normal_low, hi = f.normal_high, v = f.value;
    const bar = el('div', { class: 'range', role: 'img',
      'aria-label': f.feature + ' ' + fmt(v) + (lo !== null && hi !== null ? ', normal ' + fmt(lo) + ' to ' + fmt(hi) : '') });
    if ([lo, hi, v].every(x => typeof x === 'number' && Number.isFinite(x))) {
      const min = Math.min(lo, v), max = Math.max(hi, v), span = max - min || 1;
      const normal = el('div', { class: 'normal' });
      normal.style.left = ((lo - min) / span * 100) + '%';
      normal.style.width = Math.max(1, (hi - lo) / span * 100) + '%';
      const marker = el('div', { class: 'value' + (f.outside_normal_range ? ' outside' : '') });
      marker.style.left = ((v - min) / span * 100) + '%';
      bar.append(normal, marker);
    }
    return el('tr', {},
      el('th', { scope: 'row', text: f.feature }),
      el('td', { class: 'num', text: fmt(v) }),
      el('td', { class: 'num', text: fmt(lo) + ' – ' + fmt(hi) }),
      el('td', {}, bar),
      el('td', { class: 'num', text: fmt(f.contribution * 100, 0) + '%' }));
  });
  return el('div', { class: 'features-wrap' }, el('table', { class: 'features' },
    el('caption', { class: 'visually-hidden', text: 'Top contributing features' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Feature' }), el('th', { scope: 'col', class: 'num', text: 'Observed' }),
      el('th', { scope: 'col', class: 'num', text: 'Normal range (training p1–p99)' }),
      el('th', { scope: 'col', text: 'Observed vs normal' }), el('th', { scope: 'col', class: 'num', text: 'Share' }))),
    el('tbody', {}, ...rows)));
}

function threatList(t) {
  return el('dl', {},
    el('dt', { text: 'Level' }), el('dd', {}, levelBadge(t.level)),
    el('dt', { text: 'Attack type' }), el('dd', { text: t.attack_type }),
    el('dt', { text: 'Impact' }), el('dd', { text: t.impact }),
    el('dt', { text: 'Recommended action' }), el('dd', { text: t.recommended_action }),
    el('dt', { text: 'MITRE ATT&CK' }), el('dd', { text: t.mitre_technique + ' ' + t.mitre_name }));
}

function llmBlock(a) {
  if (a.llm_analysis) return el('div', { class: 'llm', id: 'detail-llm', text: a.llm_analysis });
  const off = !state.model || state.model.llm === 'off' || /^none/.test(state.model.llm || '');
  return el('p', { class: 'note', id: 'detail-llm',
    text: off ? 'The LLM analyst is off (start serve with --llm ollama or --llm openai).'
      : 'Waiting for the LLM analyst… the analysis appears here when it arrives.' });
}

function renderDetail(a) {
  const box = document.getElementById('detail');
  const x = a.explanation || {};
  const fields = el('dl', {});
  for (const [k, v] of Object.entries(a.fields || {})) {
    fields.append(el('dt', { text: k }), el('dd', { text: v === null ? '(missing)' : v }));
  }
  box.replaceChildren(
    el('h2', { id: 'detail-title', text: (a.id ? 'Alert ' + a.id : 'Live alert (not stored)') + ': ' + a.anomaly_type }),
    el('p', { class: 'summary', text: x.summary || '' }),
    el('dl', {},
      el('dt', { text: 'Event time' }), el('dd', { text: timeLabel(a.event_time) + ' UTC' }),
      el('dt', { text: 'Detected' }), el('dd', { text: timeLabel(a.detected_at) + ' UTC' }),
      el('dt', { text: 'Score / threshold' }), el('dd', { text: fmt(a.score, 4) + ' / ' + fmt(a.threshold, 4) }),
      el('dt', { text: 'Detector' }), el('dd', { text: a.detector })),
    el('h3', { text: 'Why: features against their normal range' }),
    x.top_features && x.top_features.length ? featureTable(x.top_features) : el('p', { class: 'note', text: 'No feature attribution.' }),
    el('h3', { text: 'Threat assessment' }),
    x.threat ? threatList(x.threat) : el('p', { class: 'note', text: '–' }),
    el('h3', { text: 'LLM analysis' }),
    llmBlock(a),
    el('details', {}, el('summary', { text: 'All fields of the record' }), fields));
}

// ---- charts --------------------------------------------------------------------------------

function barChart(id, horizontal, xTitle, yTitle) {
  return new Chart(document.getElementById(id), {
    type: 'bar',
    data: { labels: [], datasets: [{ data: [], backgroundColor: PALETTE[0], borderWidth: 0 }] },
    options: {
      indexAxis: horizontal ? 'y' : 'x', maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { title: { display: true, text: xTitle, font: { size: 13 } }, ticks: { font: { size: 12 }, maxRotation: 45 },
          beginAtZero: horizontal },
        y: { title: { display: true, text: yTitle, font: { size: 13 } }, ticks: { font: { size: 12 }, precision: 0 },
          beginAtZero: !horizontal },
      },
    },
  });
}

function setupCharts() {
  if (typeof Chart === 'undefined') return;
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.color = '#1b1f24';
  state.charts.timeline = barChart('chart-timeline', false, 'event time (UTC)', 'alerts per bucket');
  state.charts.types = barChart('chart-types', true, 'alerts', 'anomaly type');
  state.charts.scores = barChart('chart-scores', false, 'anomaly score (bin start)', 'alerts');
  state.charts.src = barChart('chart-src', true, 'alerts', 'source address');
  state.charts.dst = barChart('chart-dst', true, 'alerts', 'destination address');
  state.charts.types.data.datasets[0].backgroundColor = PALETTE;
  state.charts.proto = new Chart(document.getElementById('chart-proto'), {
    type: 'doughnut',
    data: { labels: [], datasets: [{ data: [], backgroundColor: PALETTE }] },
    options: { maintainAspectRatio: false, animation: false,
      plugins: { legend: { position: 'right', labels: { font: { size: 13 } } } } },
  });
}

function scheduleSummary() {
  if (state.summaryTimer) return;
  state.summaryTimer = setTimeout(() => { state.summaryTimer = null; refreshSummary(); }, 1500);
}

function setBars(chart, items, key) {
  chart.data.labels = items.map(i => i[key]);
  chart.data.datasets[0].data = items.map(i => i.count);
  chart.update();
}

async function refreshSummary() {
  if (!state.storeAvailable || !state.charts.timeline) return;
  let s;
  try {
    s = await getJson(API + '/alerts/summary?' + filterQuery());
  } catch (e) {
    return;
  }
  document.getElementById('kpi-total').textContent = s.total.toLocaleString('en-US');
  s.by_type.forEach(t => addTypeOption(t.type));
  const t = s.timeline;
  const width = t.bucket_ms;
  document.getElementById('cap-timeline').textContent = 'Alerts over time (per ' + durationLabel(width) + ', event time)';
  state.charts.timeline.data.labels = t.counts.map((_, i) => {
    const iso = new Date(t.start_ms + i * width).toISOString();
    return width >= 86400000 ? iso.slice(0, 10) : iso.slice(11, 19);
  });
  state.charts.timeline.data.datasets[0].data = t.counts;
  state.charts.timeline.update();
  setBars(state.charts.types, s.by_type, 'type');
  setBars(state.charts.src, s.top_src_ip, 'address');
  setBars(state.charts.dst, s.top_dst_ip, 'address');
  const sc = s.scores;
  state.charts.scores.data.labels = sc.counts.map((_, i) => fmt(sc.low + i * sc.bin_width, 3));
  state.charts.scores.data.datasets[0].data = sc.counts;
  state.charts.scores.update();
  setBars(state.charts.proto, s.by_protocol, 'protocol');
}

function durationLabel(ms) {
  if (ms % 86400000 === 0) return (ms / 86400000) + ' d';
  if (ms % 3600000 === 0) return (ms / 3600000) + ' h';
  if (ms % 60000 === 0) return (ms / 60000) + ' min';
  return (ms / 1000) + ' s';
}

// ---- prediction form -----------------------------------------------------------------------

const INPUT_HINT = {
  numeric: 'number', port: 'port 0–65535', categorical: 'category', timestamp: 'ISO-8601 time or epoch seconds',
  address: 'IP address', ignored: 'text (not scored)',
};

function defaultValue(f) {
  if (f.type === 'timestamp') return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (f.type === 'address') return /dst|dest|resp/i.test(f.name) ? '93.184.216.34' : '10.0.0.5';
  if (f.choices && f.choices.length) return f.choices[0];
  if (f.type === 'port') return /src|orig/i.test(f.name) ? '50000' : '';
  if (typeof f.typical === 'number') return String(Number(f.typical.toPrecision(6)));
  return '';
}

function buildForm(model) {
  const box = document.getElementById('predict-fields');
  box.replaceChildren();
  for (const f of model.form) {
    const id = 'field-' + f.name.replace(/[^A-Za-z0-9_-]/g, '_');
    const input = el('input', { id, name: f.name, 'data-type': f.type,
      type: f.type === 'numeric' || f.type === 'port' ? 'number' : 'text',
      step: f.type === 'numeric' ? 'any' : null, min: f.type === 'port' ? '0' : null, max: f.type === 'port' ? '65535' : null,
      inputmode: f.type === 'numeric' || f.type === 'port' ? 'decimal' : null,
      'aria-describedby': id + '-hint' });
    let list = null;
    if (f.choices && f.choices.length) {
      list = el('datalist', { id: id + '-choices' }, ...f.choices.map(c => el('option', { value: c })));
      input.setAttribute('list', id + '-choices');
    }
    input.value = defaultValue(f);
    box.append(el('div', { class: 'field' }, el('label', { for: id, text: f.name }), input,
      el('span', { class: 'field-type', id: id + '-hint', text: INPUT_HINT[f.type] || f.type }), list));
  }
}

function readForm() {
  const record = {};
  for (const input of document.querySelectorAll('#predict-fields input')) {
    input.removeAttribute('aria-invalid');
    const v = input.value.trim();
    if (v === '') continue; // missing: the model imputes it
    const numeric = input.dataset.type === 'numeric' || input.dataset.type === 'port';
    record[input.name] = numeric && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return record;
}

async function predict(ev) {
  ev.preventDefault();
  const out = document.getElementById('verdict');
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const key = document.getElementById('api-key').value;
  if (key) headers['X-API-Key'] = key;
  const button = document.getElementById('predict-submit');
  button.disabled = true;
  try {
    const r = await fetch(API + '/predict', { method: 'POST', headers, body: JSON.stringify(readForm()) });
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      renderPredictError(body, r.status);
      return;
    }
    renderVerdict(body);
  } catch (e) {
    out.replaceChildren(el('h2', { id: 'verdict-title', text: 'Verdict' }), el('p', { class: 'error', role: 'alert', text: 'The server did not answer: ' + e.message }));
  } finally {
    button.disabled = false;
  }
}

function renderPredictError(body, status) {
  const out = document.getElementById('verdict');
  const parts = [el('h2', { id: 'verdict-title', text: 'Verdict' })];
  let message = (body && body.error) || 'HTTP ' + status;
  if (body && body.field) {
    const input = document.querySelector('#predict-fields input[name="' + CSS.escape(body.field) + '"]');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  }
  if (status === 401) message += ' Enter the server\'s API key under "API key".';
  parts.push(el('p', { class: 'error', role: 'alert', id: 'predict-error', text: message }));
  out.replaceChildren(...parts);
}

function renderVerdict(v) {
  const out = document.getElementById('verdict');
  const x = v.explanation || {};
  const parts = [
    el('h2', { id: 'verdict-title', text: 'Verdict' }),
    el('p', { class: 'badge ' + (v.is_anomaly ? 'anomalous' : 'normal'), id: 'verdict-badge',
      'data-verdict': v.is_anomaly ? 'anomalous' : 'normal', text: v.is_anomaly ? 'Anomalous' : 'Normal' }),
    el('dl', {},
      el('dt', { text: 'Score / threshold' }), el('dd', { text: fmt(v.score, 4) + ' / ' + fmt(v.threshold, 4) }),
      el('dt', { text: 'Anomaly type' }), el('dd', { id: 'verdict-type', text: v.anomaly_type }),
      v.fired_by && v.fired_by !== 'none' ? el('dt', { text: 'Fired' }) : null,
      v.fired_by && v.fired_by !== 'none' ? el('dd', { id: 'verdict-fired', text: v.fired_by }) : null,
      v.predicted_class ? el('dt', { text: 'Predicted class' }) : null,
      v.predicted_class ? el('dd', { text: v.predicted_class }) : null),
    el('p', { class: 'summary', id: 'verdict-summary', text: x.summary || '' }),
  ];
  if (x.top_features && x.top_features.length) {
    parts.push(el('h3', { text: 'Why: features against their normal range' }), featureTable(x.top_features));
  }
  if (x.threat) parts.push(el('h3', { text: 'Threat assessment' }), threatList(x.threat));
  if (v.is_anomaly) parts.push(el('p', { class: 'note', text: 'Stored as an alert: it appears in the live feed.' }));
  out.replaceChildren(...parts);
}

// ---- model page ----------------------------------------------------------------------------

function flatten(prefix, value, into) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? prefix + '.' + k : k, v, into);
  } else {
    into.push([prefix, Array.isArray(value) ? value.join(', ') : value]);
  }
  return into;
}

function renderModel(m) {
  const box = document.getElementById('model-info');
  const facts = el('dl', {},
    el('dt', { text: 'Served model' }), el('dd', { text: m.origin }),
    el('dt', { text: 'Loaded at' }), el('dd', { text: timeLabel(m.loaded_at) + ' UTC' }),
    el('dt', { text: 'Detector' }), el('dd', { id: 'model-detector', text: m.detector.kind }),
    el('dt', { text: 'Schema' }), el('dd', { text: m.schema.name + ' (' + m.schema.fields.length + ' fields)' }),
    el('dt', { text: 'Features' }), el('dd', { text: String(m.detector.features) }),
    el('dt', { text: 'LLM analyst' }), el('dd', { text: m.llm }),
    el('dt', { text: 'Alert store' }), el('dd', { text: m.alert_store }),
    el('dt', { text: 'netanomaly version' }), el('dd', { text: m.netanomaly_version }));
  const threshold = el('dl', {});
  for (const [k, v] of flatten('', m.threshold, [])) threshold.append(el('dt', { text: k }), el('dd', { text: fmt(v, 6) }));
  const training = el('dl', {});
  for (const [k, v] of flatten('', m.training, [])) training.append(el('dt', { text: k }), el('dd', { text: fmt(v, 4) }));
  const parts = [el('h2', { text: 'Model' }), facts];
  if (m.report_url) {
    parts.push(el('p', {}, el('a', { href: m.report_url, id: 'report-link', text: 'Open the evaluation report (charts and metrics)' })));
  } else {
    parts.push(el('p', { class: 'note', text: 'No evaluation report is served: write one with "netanomaly evaluate --report DIR" and start serve with --report DIR.' }));
  }
  parts.push(el('h3', { text: 'Threshold' }), threshold, el('h3', { text: 'Training' }), training,
    el('details', {}, el('summary', { text: 'Feature names (' + m.features.length + ')' }),
      el('ol', {}, ...m.features.map(f => el('li', { text: f })))));
  box.replaceChildren(...parts);
}

// ---- start ---------------------------------------------------------------------------------

async function start() {
  setupTabs();
  setupFilters();
  setupCharts();
  document.getElementById('predict-form').addEventListener('submit', predict);
  document.getElementById('predict-reset').addEventListener('click', () => state.model && buildForm(state.model));
  try {
    state.model = await getJson(API + '/model');
    renderModel(state.model);
    buildForm(state.model);
  } catch (e) {
    document.getElementById('model-info').replaceChildren(el('p', { class: 'error', text: 'Cannot read the model: ' + e.message }));
  }
  await loadRecentAlerts();
  connectFeed();
  refreshSummary();
  // Charts also follow alerts stored by other servers sharing the database.
  setInterval(refreshSummary, 15000);
}

document.addEventListener('DOMContentLoaded', start);
