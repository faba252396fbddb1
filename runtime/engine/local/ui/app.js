// Switchyard's local web page: the graph as a diagram with live replicas, where each router sends requests and
// what it learned; recent traces; a trace's waterfall. Plain browser JavaScript, no dependencies, no build step; everything comes from
// this engine's own API (/_switchyard/*). Text from the API is only ever set with textContent.

const REFRESH_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 236;
const BOX_H = 76;
const GAP_X = 90;
const GAP_Y = 26;
const PALETTE = ['#5b8def', '#3fa56b', '#d9a21b', '#9461d6', '#e0663a', '#2aa5b8', '#c2477a', '#7a8699'];

const state = { graph: null, status: null, routers: null, routersNote: '', shadows: null, traces: [], selected: null };

const $ = (id) => document.getElementById(id);

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.error || `${path} answered ${response.status}`), { status: response.status });
  return body;
}

function el(tag, attrs = {}, text) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function colorOf(service) {
  let hash = 0;
  for (const ch of service) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

function ms(value) {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  return value < 10 ? `${value.toFixed(2)} ms` : value < 1000 ? `${value.toFixed(1)} ms` : `${(value / 1000).toFixed(2)} s`;
}

function clock(epochMs) {
  const d = new Date(epochMs);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function showProblem(message) {
  const node = $('problem');
  node.hidden = !message;
  node.textContent = message || '';
}

// ---- graph diagram -------------------------------------------------------------------------------------------

function layout(graph) {
  const positions = new Map();
  let row = 0;
  const place = (name, depth) => {
    const node = graph.nodes.find((n) => n.name === name);
    // A node's shadows sit below its children, one column to the right, as children do.
    const children = node ? [...node.children, ...(node.shadows || [])] : [];
    let y;
    if (children.length === 0) y = row++;
    else {
      const ys = children.map((child) => place(child, depth + 1));
      y = (ys[0] + ys[ys.length - 1]) / 2;
    }
    positions.set(name, { x: depth * (BOX_W + GAP_X), y: y * (BOX_H + GAP_Y) });
    return y;
  };
  place(graph.root, 0);
  return { positions, rows: Math.max(row, 1) };
}

// What runs the node, short enough for its box: the built-in's name, the remote server's protocol, the batcher.
const PROTOCOL_LABELS = { seldon: 'seldon', 'seldon-grpc': 'seldon grpc', 'seldon-deployment': 'graph', v2: 'v2', 'grpc-v2': 'v2 grpc', 'kserve-v1': 'v1' };
function implementationLine(node) {
  if (node.router || node.combiner) return node.router || node.combiner;
  if (node.remote) return `remote ${PROTOCOL_LABELS[node.protocol] || node.protocol || ''}`.trim();
  if (node.batch) return `${node.implementation} · batch ${node.batch}`;
  return node.implementation;
}

function replicasLine(node) {
  // A remote node runs on its own server: the engine has no replicas of it.
  if (node.remote) return `remote ${node.remote.replace(/^https?:\/\//, '')}`;
  const fn = state.status?.functions.find((f) => f.function === node.function);
  const where = node.function === 'orchestrator' && node.name !== 'orchestrator' ? 'in orchestrator' : `fn ${node.function}`;
  if (!fn) return `${where}`;
  const dots = '●'.repeat(Math.min(fn.ready, 8)) + '○'.repeat(Math.min(fn.starting, 8));
  const parts = [`${fn.ready} ready`];
  if (fn.starting) parts.push(`${fn.starting} starting`);
  if (fn.inflight) parts.push(`${fn.inflight} busy`);
  if (fn.queued) parts.push(`${fn.queued} queued`);
  return `${where}: ${dots ? dots + ' ' : ''}${parts.join(', ')}`;
}

// A function whose replicas keep failing to start: a short line for the box, and the error for its tooltip.
function startFailure(node) {
  const fn = state.status?.functions.find((f) => f.function === node.function);
  if (!fn || !(fn.startFailures > 0)) return null;
  const times = fn.startFailures === 1 ? 'once' : `${fn.startFailures}× in a row`;
  return { line: `fn ${node.function}: failed to start ${times}`, error: fn.lastStartError || 'no message' };
}

function routerOf(name) {
  return state.routers?.find((r) => r.node === name);
}

// Where a router sent the recent traced requests: a trace's route lists the nodes that request visited, and a
// request that passes a router visits exactly one of its children. Null for a node that is not a router or
// has no traced request yet.
function routedShares(name) {
  const node = state.graph?.nodes.find((n) => n.name === name);
  if (!node || node.type !== 'ROUTER') return null;
  const counts = new Map(node.children.map((child) => [child, 0]));
  let total = 0;
  for (const trace of state.traces) {
    const visited = typeof trace.route === 'string' ? trace.route.split(' > ') : [];
    if (!visited.includes(name)) continue;
    const child = node.children.find((c) => visited.includes(c));
    if (child === undefined) continue;
    counts.set(child, counts.get(child) + 1);
    total++;
  }
  return total === 0 ? null : { total, share: (child) => counts.get(child) / total };
}

const percent = (fraction) => `${Math.round(fraction * 100)}%`;

function drawGraph() {
  const graph = state.graph;
  const host = $('graph');
  if (!graph) return;
  const { positions, rows } = layout(graph);
  const depth = Math.max(...[...positions.values()].map((p) => p.x)) / (BOX_W + GAP_X);
  const width = (depth + 1) * (BOX_W + GAP_X) - GAP_X + 24;
  const height = rows * (BOX_H + GAP_Y) - GAP_Y + 24;
  const svg = el('svg:svg', { width, height, viewBox: `-12 -12 ${width} ${height}`, role: 'img', 'aria-label': `graph ${graph.graph}` });
  // Each router's shares, counted once per drawing (edges and the note below both use them).
  const shares = new Map(graph.nodes.map((n) => [n.name, routedShares(n.name)]));

  // An edge from one box to another, with a label by its end (or none).
  const drawEdge = (from, to, kind, label) => {
    const a = positions.get(from);
    const b = positions.get(to);
    if (!a || !b) return;
    const x1 = a.x + BOX_W, y1 = a.y + BOX_H / 2, x2 = b.x, y2 = b.y + BOX_H / 2;
    const mid = (x1 + x2) / 2;
    svg.append(el('svg:path', { class: `edge${kind}`, d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` }));
    if (label !== null) svg.append(el('svg:text', { class: `edge-label${kind}`, x: x2 - 8, y: y2 - 6, 'text-anchor': 'end' }, label));
  };
  // A shadow's edge: dashed, labelled; the shadow gets a copy of its node's input and its answer goes nowhere.
  // Once its answers have been compared with its node's, the label says how often they agree.
  for (const [of, shadow] of graph.shadows || []) {
    const seen = (state.shadows || []).find((v) => v.node === of && v.shadow === shadow);
    drawEdge(of, shadow, ' shadow', seen && seen.agreement !== null ? `shadow · ${percent(seen.agreement)} agree` : 'shadow');
  }
  for (const [parent, child] of graph.edges) {
    // A router's edges are labelled with the share of the recent traced requests that took them.
    const routed = shares.get(parent);
    drawEdge(parent, child, '', routed ? percent(routed.share(child)) : null);
  }

  for (const node of graph.nodes) {
    const p = positions.get(node.name);
    if (!p) continue;
    const g = el('svg:g', { transform: `translate(${p.x},${p.y})`, 'data-node': node.name });
    g.append(el('svg:rect', { class: `node-box ${node.type.toLowerCase()}`, width: BOX_W, height: BOX_H, rx: 8 }));
    g.append(el('svg:text', { class: 'node-name', x: 12, y: 22 }, node.name));
    g.append(el('svg:text', { class: 'node-line', x: 12, y: 40 }, `${node.type} · ${implementationLine(node)}`));
    const failing = startFailure(node);
    const replicas = el('svg:text', { class: failing ? 'node-replicas failing' : 'node-replicas', x: 12, y: 58 }, failing ? failing.line : replicasLine(node));
    g.append(replicas);
    if (failing) {
      // The whole error, on hovering the box: it has room for the count only.
      g.prepend(el('svg:title', {}, failing.error));
      g.querySelector('.node-box').classList.add('failing');
    }
    const router = routerOf(node.name);
    if (router?.learns) {
      // One bar per arm: what the router learned of it from feedback, its mean reward (empty: no reward yet).
      const barW = (BOX_W - 24) / router.arms.length;
      router.arms.forEach((arm, i) => {
        const learned = arm.meanReward === null ? 'no reward yet' : `mean reward ${arm.meanReward.toFixed(3)} from ${arm.pulls} pulls`;
        const track = el('svg:rect', { class: 'share-track', x: 12 + i * barW, y: 64, width: barW - 4, height: 6, rx: 2 });
        track.append(el('svg:title', {}, `${arm.child}: ${learned}`));
        g.append(track);
        g.append(el('svg:rect', { class: 'share-bar', x: 12 + i * barW, y: 64, width: Math.max(0, (barW - 4) * (arm.meanReward ?? 0)), height: 6, rx: 2 }));
      });
    }
    svg.append(g);
  }
  host.replaceChildren(svg);

  const notes = (state.routers || []).map((r) => {
    const routed = shares.get(r.node);
    const parts = [
      routed
        ? `routed ${r.arms.map((a) => `${a.child} ${percent(routed.share(a.child))}`).join(' · ')} of the last ${routed.total} traced requests`
        : 'no traced request yet',
    ];
    if (r.learns) {
      const arms = r.arms.map((a) => `${a.child} ${a.pulls} pulls${a.meanReward === null ? '' : `, mean reward ${a.meanReward.toFixed(3)}`}`);
      parts.push(`learned from feedback: ${arms.join(' · ')}`);
    }
    return `${r.node} (${r.router}): ${parts.join('; ')}`;
  });
  // A graph without built-in routers has nothing to say here.
  const hasRouters = graph.nodes.some((n) => n.type === 'ROUTER' && n.router);
  $('routers-note').textContent = notes.length ? `Routers — ${notes.join(' | ')}` : hasRouters ? state.routersNote : '';
}

// ---- traces list ----------------------------------------------------------------------------------------------

function drawTraces() {
  const body = $('traces').querySelector('tbody');
  const rows = state.traces.map((t) => {
    const tr = el('tr', { 'data-trace': t.traceId, title: `trace ${t.traceId}` });
    if (t.traceId === state.selected) tr.classList.add('selected');
    tr.append(el('td', { class: 'mono' }, clock(t.startMs)));
    tr.append(el('td', { class: 'num' }, ms(t.requestMs ?? t.durationMs)));
    tr.append(el('td', {}, t.route ? t.route.split(' > ').join(' → ') : t.name));
    // A request that succeeded with a failed span under it (a shadow's) says so.
    const status = (t.httpStatus !== undefined ? `${t.httpStatus} ${t.status}` : t.status) + (t.status === 'ok' && t.errorCount > 0 ? ` · ${t.errorCount} failed` : '');
    tr.append(el('td', { class: t.status === 'error' ? 'status-error' : 'status-ok' }, status));
    tr.append(el('td', { class: 'mono muted' }, t.traceId.slice(0, 12) + '…'));
    tr.addEventListener('click', () => selectTrace(t.traceId));
    return tr;
  });
  body.replaceChildren(...rows);
  $('traces-empty').hidden = state.traces.length > 0;
}

// ---- waterfall ------------------------------------------------------------------------------------------------

function attr(span, key) {
  return span.attributes ? span.attributes[key] : undefined;
}

function detailOf(span) {
  const lines = [];
  const chosen = attr(span, 'switchyard.router.chosen');
  if (chosen !== undefined) {
    const arms = attr(span, 'switchyard.router.arms') || [];
    const estimates = attr(span, 'switchyard.router.estimates') || [];
    const explore = attr(span, 'switchyard.router.explore');
    const parts = [`chose ${chosen}`];
    if (explore !== undefined) parts.push(explore ? 'explore' : 'exploit');
    if (estimates.length) parts.push('estimates ' + estimates.map((e, i) => `${arms[i] ?? i} ${typeof e === 'number' ? e.toFixed(3) : e}`).join(', '));
    const reason = attr(span, 'switchyard.router.reason');
    if (reason) parts.push(reason);
    lines.push({ text: '↳ ' + parts.join(' · '), error: false });
  }
  if (attr(span, 'switchyard.cold_start') === true) lines.push({ text: `↳ cold start: waited ${ms(attr(span, 'switchyard.queue_ms'))} for replica ${attr(span, 'switchyard.replica') ?? '?'}`, error: false });
  if (span.status === 'error') {
    const exception = span.events.find((e) => e.name === 'exception');
    const message = (exception && exception.attributes['exception.message']) || span.statusMessage || 'failed';
    lines.push({ text: `✖ ${message}`, error: true });
  }
  return lines;
}

function drawWaterfall(view) {
  const host = $('waterfall');
  const t0 = view.summary.startMs;
  const total = Math.max(view.summary.durationMs, 0.001);
  const services = [];
  const rows = [];
  for (const span of view.spans) {
    services[span.depth] = span.service;
    const parentService = span.depth > 0 ? services[span.depth - 1] : undefined;
    const row = el('div', { class: 'wf-row' + (span.status === 'error' ? ' error' : ''), 'data-span': span.spanId });
    const name = el('div', { class: 'wf-name', title: `${span.name} (${span.kind}, ${span.service})` });
    name.style.paddingLeft = `${span.depth * 16}px`;
    name.append(document.createTextNode(span.name));
    if (span.service !== parentService) name.append(el('span', { class: 'wf-service' }, `[${span.service}]`));
    const track = el('div', { class: 'wf-track' });
    const bar = el('div', { class: 'wf-bar' + (span.status === 'error' ? ' error' : '') });
    bar.style.left = `${((span.startMs - t0) / total) * 100}%`;
    bar.style.width = `${((span.endMs - span.startMs) / total) * 100}%`;
    bar.style.background = colorOf(span.service);
    track.append(bar);
    row.append(name, el('div', { class: 'wf-duration' }, ms(span.endMs - span.startMs)), track);
    for (const line of detailOf(span)) {
      const detail = el('div', { class: 'wf-detail' + (line.error ? ' error' : '') }, line.text);
      detail.style.paddingLeft = `${span.depth * 16 + 16}px`;
      row.append(detail);
    }
    rows.push(row);
  }
  host.replaceChildren(...rows);
  const s = view.summary;
  $('trace-id').textContent = s.traceId;
  $('trace-meta').textContent =
    `${new Date(s.startMs).toLocaleString()} · ${ms(s.durationMs)} · ${s.spanCount} spans` +
    (s.route ? ` · route ${s.route.split(' > ').join(' → ')}` : '') +
    (s.puid ? ` · puid ${s.puid}` : '') +
    (s.httpStatus !== undefined ? ` · HTTP ${s.httpStatus}` : '') +
    (s.errorCount ? ` · ${s.errorCount} failed` : '');
  $('trace-section').hidden = false;
}

async function selectTrace(traceId) {
  state.selected = traceId;
  if (location.hash !== `#trace=${traceId}`) history.replaceState(null, '', `#trace=${traceId}`);
  drawTraces();
  try {
    drawWaterfall(await getJson(`/_switchyard/traces/${traceId}`));
    showProblem('');
  } catch (error) {
    showProblem(error.message);
  }
}

// ---- refresh loop ---------------------------------------------------------------------------------------------

async function refresh() {
  try {
    const [status, traces] = await Promise.all([getJson('/_switchyard/status'), getJson('/_switchyard/traces?limit=50')]);
    state.status = status;
    state.traces = traces.traces;
    $('engine-info').textContent = `${status.url} · up ${status.uptimeSeconds} s`;
    $('traces-count').textContent = `(${traces.held} kept of at most ${traces.capacity})`;
    try {
      state.routers = (await getJson('/_switchyard/routers')).routers;
    } catch (error) {
      state.routersNote = error.message;
    }
    if (state.graph?.shadows?.length) {
      try {
        state.shadows = (await getJson('/_switchyard/shadows')).shadows;
      } catch {
        // Until the orchestrator runs, a shadow's edge says only "shadow".
      }
    }
    showProblem('');
  } catch (error) {
    showProblem(`the engine did not answer: ${error.message}`);
  }
  drawGraph();
  drawTraces();
}

async function start() {
  try {
    state.graph = await getJson('/_switchyard/graph');
    $('graph-name').textContent = state.graph.graph;
    document.title = `Switchyard · ${state.graph.graph}`;
  } catch (error) {
    showProblem(`could not read the graph: ${error.message}`);
  }
  await refresh();
  const match = /^#trace=([0-9a-f]{32})$/i.exec(location.hash);
  if (match) await selectTrace(match[1].toLowerCase());
  setInterval(refresh, REFRESH_MS);
}

start();
