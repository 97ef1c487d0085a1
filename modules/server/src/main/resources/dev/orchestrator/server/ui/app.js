// The orchestrator dashboard: plain JavaScript over the same-origin /api (docs/api.md), no
// build step. Every text that comes from the server (names, messages, log lines) goes into the
// page through textContent, never as HTML. The browser sends the basic-auth credentials it used
// for /ui with these requests, EventSource's included.
'use strict';

const REFRESH_MS = 3000;
const LOG_POLL_MS = 2000;
const MAX_EVENTS = 200;
const MAX_LOG_LINES = 1000;

const $ = (id) => document.getElementById(id);

/** An element with text content and optional class; children appended in order. */
function el(tag, text, cls, ...children) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  for (const c of children) e.append(c);
  return e;
}

function button(label, action) {
  const b = el('button', label);
  b.type = 'button';
  b.addEventListener('click', action);
  return b;
}

// ---- API ---------------------------------------------------------------------------------

/** The API's {"error","message"} (or the status line) of a failed answer. */
async function failure(res) {
  try {
    const body = await res.json();
    if (body && body.message) return `${body.error}: ${body.message}`;
  } catch (e) { /* not JSON */ }
  return `HTTP ${res.status} ${res.statusText}`;
}

async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (!res.ok) throw new Error(await failure(res));
  return res.status === 204 ? null : res.json();
}

function showError(message) {
  $('error-text').textContent = message;
  $('error').hidden = false;
}

/** Runs an action after the user confirmed it; its failure is shown, then everything refreshed. */
async function act(question, action) {
  if (!window.confirm(question)) return;
  try {
    await action();
    $('error').hidden = true;
  } catch (e) {
    showError(e.message);
  }
  refresh();
}

const enc = encodeURIComponent;

// ---- services ----------------------------------------------------------------------------

function healthClass(c) {
  if (c.status === 'running' && (c.health === 'healthy' || c.health === 'none')) return 'good';
  if (c.status === 'pending' || c.status === 'starting' || c.health === 'starting') return 'warn';
  return 'bad';
}

function statusClass(s) {
  return s === 'running' ? 'good' : s === 'converging' || s === 'stopped' ? 'warn' : 'bad';
}

function containerChip(c) {
  const chip = el('span', c.name, 'chip ' + healthClass(c));
  let title = `${c.status}, health ${c.health}, node ${c.node_id || '-'}, restarts ${c.restarts}`;
  if (typeof c.cpu_percent === 'number') title += `, CPU ${c.cpu_percent.toFixed(1)} %`;
  if (typeof c.memory_bytes === 'number') title += `, memory ${mib(c.memory_bytes)}`;
  if (c.message) title += ` — ${c.message}`;
  chip.title = title;
  return chip;
}

function scale(svc) {
  const answer = window.prompt(`Replicas for ${svc.name} (now ${svc.replicas}):`, String(svc.replicas));
  if (answer === null) return;
  const replicas = Number(answer.trim());
  if (!Number.isInteger(replicas) || replicas < 0) {
    showError(`not a replica count: ${answer}`);
    return;
  }
  act(`Scale ${svc.name} from ${svc.replicas} to ${replicas} replicas?`,
    () => api('POST', `/api/services/${enc(svc.name)}/scale`, { replicas }));
}

async function rollback(svc) {
  let previous;
  try {
    const revisions = await api('GET', `/api/services/${enc(svc.name)}/revisions`);
    previous = revisions.find((r) => !r.current);
  } catch (e) {
    showError(e.message);
    return;
  }
  if (!previous) {
    showError(`${svc.name} has no earlier revision to roll back to`);
    return;
  }
  act(`Roll ${svc.name} back to revision ${previous.revision} (${previous.image})?`,
    () => api('POST', `/api/services/${enc(svc.name)}/rollback`, { to: previous.revision }));
}

function renderServices(services) {
  const rows = services.map((s) => {
    const tr = el('tr', null, null,
      el('td', s.name, 'name'),
      el('td', s.image),
      el('td', s.revision),
      el('td', null, null, el('span', s.status, statusClass(s.status))),
      el('td', `${s.running} running, ${s.healthy} healthy / ${s.replicas}`),
      el('td', null, null, ...s.containers.map(containerChip)),
      el('td', null, null,
        button('scale', () => scale(s)),
        button('rollback', () => rollback(s)),
        button('logs', () => followLogs(s.name))));
    tr.dataset.service = s.name;
    return tr;
  });
  $('services').replaceChildren(...rows);
  $('no-services').hidden = services.length > 0;
}

// ---- nodes -------------------------------------------------------------------------------

function mib(bytes) {
  return bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GiB` : `${Math.round(bytes / (1 << 20))} MiB`;
}

/** A bar of used/total and its figures. */
function usage(used, total, text) {
  const fill = el('span');
  fill.style.width = `${total > 0 ? Math.min(100, (100 * used) / total) : 0}%`;
  return el('td', null, null, el('span', null, 'bar', fill), el('span', text));
}

function renderNodes(nodes) {
  const rows = nodes.map((n) => {
    const cpuTotal = n.cpus * 1024; // cpu_shares: 1024 is one CPU
    const actions = el('td');
    if (n.availability === 'active') {
      actions.append(button('drain', () => act(
        `Drain ${n.id}? Its replicas move to other nodes.`,
        () => api('POST', `/api/nodes/${enc(n.id)}/drain`))));
    } else {
      actions.append(button('uncordon', () => act(
        `Make ${n.id} active again?`, () => api('POST', `/api/nodes/${enc(n.id)}/uncordon`))));
    }
    const tr = el('tr', null, null,
      el('td', n.id + (n.local ? ' (server)' : ''), 'name'),
      el('td', null, null, el('span', n.status, n.status === 'ready' ? 'good' : 'bad')),
      el('td', null, null, el('span', n.availability, n.availability === 'active' ? 'good' : 'warn')),
      el('td', null, null, el('span', n.engine || 'ok', !n.engine || n.engine === 'ok' ? 'good' : 'bad')),
      usage(n.allocated_cpu_shares, cpuTotal, `${(n.allocated_cpu_shares / 1024).toFixed(2)} / ${n.cpus} CPUs`),
      usage(n.allocated_memory_bytes, n.memory_bytes, `${mib(n.allocated_memory_bytes)} / ${mib(n.memory_bytes)}`),
      el('td', n.containers),
      actions);
    tr.dataset.node = n.id;
    return tr;
  });
  $('nodes').replaceChildren(...rows);
}

// ---- refresh -----------------------------------------------------------------------------

let refreshing = false;

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const [services, nodes] = await Promise.all([api('GET', '/api/services'), api('GET', '/api/nodes')]);
    renderServices(services);
    renderNodes(nodes);
    $('status').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    $('status').textContent = `cannot read the API: ${e.message}`;
  } finally {
    refreshing = false;
  }
}

// ---- events ------------------------------------------------------------------------------

function addEvent(e) {
  const li = el('li', null, null, el('time', e.timestamp.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')),
    el('span', e.type, 'chip'), el('span', e.message));
  li.dataset.id = e.id;
  li.dataset.type = e.type;
  const list = $('events');
  list.prepend(li);
  while (list.childElementCount > MAX_EVENTS) list.lastElementChild.remove();
}

function followEvents() {
  // EventSource resumes after the last id it saw by itself (Last-Event-ID).
  const source = new EventSource('/api/events?follow=true&limit=50');
  source.addEventListener('event', (m) => {
    addEvent(JSON.parse(m.data));
    refresh(); // something changed: show it now rather than at the next tick
  });
  source.addEventListener('open', () => { $('events-state').textContent = 'live'; });
  source.addEventListener('error', () => {
    $('events-state').textContent = source.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting…';
  });
}

// ---- logs --------------------------------------------------------------------------------

let logs = null; // { source, timer } of the service being shown

function stopLogs() {
  if (logs && logs.source) logs.source.close();
  if (logs && logs.timer) clearInterval(logs.timer);
  logs = null;
}

function appendLog(text) {
  const pre = $('logs');
  const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  pre.append(document.createTextNode(text + '\n'));
  while (pre.childNodes.length > MAX_LOG_LINES) pre.firstChild.remove();
  if (stick) pre.scrollTop = pre.scrollHeight;
}

/** Streams a service's logs; falls back to polling the tail when the server cannot follow. */
function followLogs(name) {
  stopLogs();
  $('logs').replaceChildren();
  $('logs-service').textContent = name;
  $('logs-state').textContent = 'connecting…';
  const current = { source: null, timer: null };
  logs = current;
  const source = new EventSource(`/api/services/${enc(name)}/logs?follow=true&tail=100`);
  current.source = source;
  let opened = false;
  const line = (m) => {
    const l = JSON.parse(m.data);
    appendLog(`${l.replica} | ${l.line}`);
  };
  source.addEventListener('message', line);
  source.addEventListener('line', line);
  source.addEventListener('notice', (m) => {
    const n = JSON.parse(m.data);
    appendLog(`-- ${n.node}: ${n.message}`);
  });
  source.addEventListener('open', () => {
    opened = true;
    $('logs-state').textContent = 'live';
  });
  source.addEventListener('error', () => {
    if (logs !== current) return;
    if (!opened && source.readyState === EventSource.CLOSED) {
      // Refused (404/400: a server without log streaming): read the tail every 2 s instead.
      source.close();
      current.source = null;
      pollLogs(name, current);
    } else {
      $('logs-state').textContent = 'reconnecting…';
    }
  });
}

function pollLogs(name, current) {
  $('logs-state').textContent = `polling every ${LOG_POLL_MS / 1000} s`;
  const read = async () => {
    try {
      const res = await fetch(`/api/services/${enc(name)}/logs?tail=200`, { headers: { Accept: 'text/plain' } });
      if (!res.ok) throw new Error(await failure(res));
      const text = await res.text();
      if (logs !== current) return;
      $('logs').textContent = text;
      $('logs').scrollTop = $('logs').scrollHeight;
    } catch (e) {
      if (logs === current) $('logs-state').textContent = `cannot read logs: ${e.message}`;
    }
  };
  read();
  current.timer = setInterval(read, LOG_POLL_MS);
}

// ---- start -------------------------------------------------------------------------------

$('error-close').addEventListener('click', () => { $('error').hidden = true; });
refresh();
setInterval(refresh, REFRESH_MS);
followEvents();
