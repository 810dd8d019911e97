// gpwh inspector: deliveries arrive by server-sent events from /api/stream
// (the browser reconnects by itself); a row opens into /api/deliveries/ID.
// Everything shown is put in the page as text, never as HTML.
'use strict';

const rows = new Map(); // id -> summary, as the stream sends them
const GROUPS = [
  ['valid', 'valid'],
  ['mismatch', 'signature mismatch'],
  ['stale', 'stale'],
  ['malformed', 'malformed'],
  ['refused', 'refused before judging'],
];
let config = { listener: '', forward: null, send: false, send_off: null };
let selected = null;
let catalog = null;
let stream = null;
let drawing = false;

const $ = (id) => document.getElementById(id);

// The token gpwh printed in the page's address, which the API asks for: kept
// for this tab (so that a reload works), and taken out of the address bar at
// once, so that it is in no later URL, history entry or Referer.
const TOKEN = (() => {
  const given = new URLSearchParams(location.search).get('token');
  if (given) {
    sessionStorage.setItem('gpwh-token', given);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem('gpwh-token') || '';
})();

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}), 'X-Gpwh-Token': TOKEN };
  const response = await fetch(path, { ...options, headers });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text.trim() };
  }
  // The guard's refusal says whether a token was missing or wrong.
  if (response.status === 403 && body && body.token) {
    const error = new Error('this page has no valid token: open the address gpwh printed, with its ?token=');
    error.noToken = true;
    throw error;
  }
  if (!response.ok) throw new Error((body && body.error) || `${response.status} ${response.statusText}`);
  return body;
}

// ---- the live list ----

function connect() {
  // EventSource sends no header: the stream alone takes the token in its URL.
  stream = new EventSource(`/api/stream?token=${encodeURIComponent(TOKEN)}`);
  stream.addEventListener('open', () => setConnection('live', true));
  stream.addEventListener('error', () => setConnection('reconnecting…', false));
  stream.addEventListener('delivery', (event) => {
    const summary = JSON.parse(event.data);
    rows.set(summary.id, summary);
    scheduleDraw();
  });
  stream.addEventListener('resync', () => {
    // Too far behind to catch up: start over from what the server keeps.
    stream.close();
    rows.clear();
    connect();
  });
}

function setConnection(text, live) {
  const node = $('connection');
  node.textContent = text;
  node.className = `connection ${live ? 'live' : 'down'}`;
}

function scheduleDraw() {
  if (drawing) return;
  drawing = true;
  requestAnimationFrame(() => {
    drawing = false;
    draw();
  });
}

function matches(summary) {
  const group = $('filter-verdict').value;
  const event = $('filter-event').value;
  const search = $('search').value.trim().toLowerCase();
  if (group && summary.group !== group) return false;
  if (event && summary.event !== event) return false;
  if (search) {
    const text = `${summary.path} ${summary.event ?? ''} ${summary.player ?? ''} ${JSON.stringify(summary.payload ?? '')}`;
    if (!text.toLowerCase().includes(search)) return false;
  }
  return true;
}

function draw() {
  const all = [...rows.values()].sort((a, b) => b.id - a.id);
  drawCounts(all);
  drawEventFilter(all);
  const tbody = $('deliveries').tBodies[0];
  const shown = all.filter(matches);
  const focusedId = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.id
    : undefined;
  tbody.replaceChildren(...shown.map(row));
  $('empty').hidden = shown.length > 0;
  $('empty').textContent = all.length === 0
    ? 'No deliveries yet. POST a webhook to the listener, or send a test event.'
    : 'No delivery matches the filters.';
  if (focusedId) {
    const again = tbody.querySelector(`tr[data-id="${focusedId}"]`);
    if (again) again.focus();
  }
}

function row(summary) {
  const time = summary.received.slice(11, 19);
  const verdict = element('span', { class: `verdict ${summary.group}`, text: summary.words });
  const cell = element('td', {}, verdict);
  if (summary.source !== 'received') cell.append(element('span', { class: 'tag', text: summary.source }));
  const tr = element(
    'tr',
    {
      tabindex: '0',
      'data-id': String(summary.id),
      'aria-selected': String(summary.id === selected),
      onclick: () => open(summary.id),
      onkeydown: (event) => rowKey(event, summary.id),
    },
    element('td', { class: 'time', text: time, title: summary.received }),
    element('td', { text: summary.method }),
    element('td', { class: 'path', text: summary.path, title: summary.path }),
    element('td', { text: String(summary.status) }),
    cell,
    element('td', { text: summary.event ?? '—' }),
    element('td', { text: summary.player === null || summary.player === undefined ? '—' : String(summary.player) }),
  );
  return tr;
}

function rowKey(event, id) {
  const here = event.currentTarget;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    open(id);
  } else if (event.key === 'ArrowDown' && here.nextElementSibling) {
    event.preventDefault();
    here.nextElementSibling.focus();
  } else if (event.key === 'ArrowUp' && here.previousElementSibling) {
    event.preventDefault();
    here.previousElementSibling.focus();
  }
}

function drawCounts(all) {
  const counts = new Map(GROUPS.map(([group]) => [group, 0]));
  for (const summary of all) counts.set(summary.group, (counts.get(summary.group) ?? 0) + 1);
  const current = $('filter-verdict').value;
  $('counts').replaceChildren(
    element('li', {}, countButton('', 'all', all.length, current)),
    ...GROUPS.map(([group, words]) => element('li', {}, countButton(group, words, counts.get(group), current))),
  );
}

function countButton(group, words, n, current) {
  return element(
    'button',
    {
      type: 'button',
      'data-group': group || 'all',
      'aria-pressed': String(group === current),
      onclick: () => {
        $('filter-verdict').value = group;
        draw();
      },
    },
    words,
    element('span', { class: 'n', text: String(n) }),
  );
}

function drawEventFilter(all) {
  const select = $('filter-event');
  const known = new Set([...select.options].map((o) => o.value));
  const events = [...new Set(all.map((s) => s.event).filter(Boolean))].sort();
  for (const event of events) {
    if (!known.has(event)) select.append(element('option', { value: event, text: event }));
  }
}

// ---- one delivery ----

async function open(id) {
  selected = id;
  for (const tr of $('deliveries').tBodies[0].rows) {
    tr.setAttribute('aria-selected', String(Number(tr.dataset.id) === id));
  }
  const pane = $('detail');
  try {
    const detail = await api(`/api/deliveries/${id}`);
    if (selected === id) pane.replaceChildren(...describe(detail));
  } catch (error) {
    pane.replaceChildren(element('p', { class: 'empty', text: `Delivery ${id}: ${error.message}` }));
  }
}

function describe(d) {
  const parts = [];
  const title = element('h2', {}, `#${d.id} `, element('span', { class: `verdict ${d.group}`, text: d.words }), ` · ${d.status}`);
  // The opened delivery is the log's record: no source means received.
  if (d.source) title.append(element('span', { class: 'tag', text: d.source }));
  parts.push(title);
  if (d.message) parts.push(element('p', { class: 'message', text: d.message }));
  if (d.hint) parts.push(element('p', { class: 'hint', text: `Hint: ${d.hint}` }));

  const facts = element('dl');
  const fact = (name, value) => facts.append(element('dt', { text: name }), element('dd', { text: value }));
  fact('Received', d.received);
  fact('From', d.remote);
  fact('Request', `${d.method} ${d.path}`);
  const claimed = d.payload && d.payload.event;
  if (d.event !== null && d.event !== undefined) fact('Event', typeof d.event === 'string' ? d.event : JSON.stringify(d.event));
  else if (typeof claimed === 'string') fact('Event', `${claimed} (not verified)`);
  if (d.secret) {
    const of = d.secrets > 1 ? `secret ${d.secret} of ${d.secrets}` : 'your secret';
    fact('Signature', `${of} matched; written as ${d.encoding}`);
  }
  if (d.forwarded) {
    const to = d.forwarded;
    fact('Forwarded', to.error ? `to ${to.url}: ${to.error}` : `to ${to.url}: the app answered ${to.status}`);
  }
  if (d.on_purpose) fact('Answered', `${d.status} on purpose (${d.on_purpose})`);
  if (d.delay_ms) fact('Held back', `${d.delay_ms} ms before answering`);
  parts.push(facts);

  const result = element('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const actions = element('div', { class: 'actions' });
  const body = d.body ?? null;
  const made = body === null ? null : curlCommand(d);
  const pasted = body === null ? null : copyableBody(body);
  actions.append(
    element('button', {
      type: 'button',
      disabled: !pasted || !pasted.text,
      title: pasted && pasted.why,
      onclick: () => copy(pasted.text, 'Body copied', result),
    }, 'Copy body'),
    element('button', {
      type: 'button',
      disabled: !made || !made.command,
      title: made && made.why,
      onclick: () => copy(made.command, 'curl command copied', result),
    }, 'Copy curl command'),
  );
  if (config.forward) {
    actions.append(element('button', {
      type: 'button',
      class: 'primary',
      disabled: d.body === null && !d.body_base64,
      title: `Forward this body to ${config.forward} again`,
      onclick: () => replay(d.id, result),
    }, 'Replay'));
  }
  parts.push(actions);
  if (pasted && pasted.why) parts.push(element('p', { class: 'note', text: pasted.why }));
  if (made && made.why) parts.push(element('p', { class: 'note', text: made.why }));
  parts.push(result);

  if (d.answer !== null && d.answer !== undefined) {
    parts.push(element('h3', { text: 'The app answered' }), element('pre', { text: d.answer || '(empty)' }));
  }
  if (d.payload !== null) {
    parts.push(element('h3', { text: d.group === 'valid' ? 'Payload' : 'Payload (not verified)' }));
    parts.push(element('div', { class: 'json' }, json(d.payload, null)));
  }
  parts.push(element('h3', { text: 'Headers' }));
  parts.push(element('table', { class: 'headers' }, element('tbody', {}, ...d.headers.map(([name, value]) =>
    element('tr', {}, element('td', { text: name }), element('td', { text: value }))))));
  parts.push(element('h3', { text: 'Raw body' }));
  parts.push(element('pre', { text: body ?? (d.body_base64 ? `(not text; base64) ${d.body_base64}` : '(not read)') }));
  if (d.body_cut) {
    parts.push(element('p', { class: 'note', text: `Refused, so only the first ${d.body ? new TextEncoder().encode(d.body).length : 4096} of its ${d.body_cut} bytes are kept.` }));
  }
  return parts;
}

// JSON as a tree of <details>: objects and arrays fold, values are coloured.
function json(value, key) {
  const label = key === null ? [] : [element('span', { class: 'key', text: JSON.stringify(key) }), ': '];
  if (value !== null && typeof value === 'object') {
    const array = Array.isArray(value);
    const entries = array ? value.map((v, i) => [i, v]) : Object.entries(value);
    const open = array ? '[' : '{';
    const close = array ? ']' : '}';
    const node = element('details', { open: true },
      element('summary', {}, ...label, open, element('span', { class: 'meta', text: ` ${entries.length} ${array ? 'items' : 'keys'} ` })));
    for (const [k, v] of entries) node.append(json(v, array ? null : k));
    node.append(element('div', { text: close }));
    return node;
  }
  const kind = typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'literal';
  return element('div', { class: 'entry' }, ...label, element('span', { class: kind, text: JSON.stringify(value) }));
}

// One shell word that is printable ASCII from end to end: single quotes for
// printable ASCII, else bash's $'...' with \xNN for every other byte, so that
// a body holding ESC, CR or a bidi override pastes as text, never as keys.
function shellWord(text) {
  const bytes = text instanceof Uint8Array ? text : new TextEncoder().encode(String(text));
  if (bytes.every((b) => b >= 0x20 && b < 0x7f)) {
    return `'${new TextDecoder().decode(bytes).replaceAll("'", "'\\''")}'`;
  }
  let word = "$'";
  for (const b of bytes) {
    if (b === 0x5c) word += '\\\\';
    else if (b === 0x27) word += "\\'";
    else if (b >= 0x20 && b < 0x7f) word += String.fromCharCode(b);
    else word += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${word}'`;
}

// The curl command that sends delivery d to this listener again, or why
// there is none. It reads no file: the body goes as --data-raw, which curl
// never takes for a file's name, as --data-binary does a body that starts
// with @; and -g sends to the URL as written, where curl would read [1-9]
// or {a,b} in it as many URLs. The URL is the listener's origin and the
// request's path: a target that is not a path gives none, as a request
// that was not HTTP keeps what it sent (@127.0.0.1:9/x would name another
// host once joined to the origin).
function curlCommand(d) {
  const quote = shellWord;
  const path = typeof d.path === 'string' ? d.path : '';
  if (!path.startsWith('/') || /[\u0000-\u0020\u007f-\u009f]/.test(path)) {
    return { why: "No curl command: the request's target is not a path on this listener, so a command made from it could send elsewhere." };
  }
  const given = d.headers.find(([name]) => name.toLowerCase() === 'content-type');
  const type = given ? given[1] : 'text/plain; charset=utf-8';
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(type)) {
    return { why: 'No curl command: its Content-Type holds control characters, which would split the header.' };
  }
  const body = d.body ?? Uint8Array.from(atob(d.body_base64 ?? ''), (c) => c.charCodeAt(0));
  const bytes = body instanceof Uint8Array ? body : new TextEncoder().encode(String(body));
  if (bytes.includes(0)) {
    return { why: 'No curl command: the body holds a NUL byte, which no shell word can hold.' };
  }
  const url = config.listener.replace(/\/$/, '') + path;
  return { command: `curl -sS -g -X POST -H ${quote(`Content-Type: ${type}`)} --data-raw ${quote(bytes)} ${quote(url)}` };
}

// What a terminal acts on when it is pasted into one: control characters
// (an ESC can end a bracketed paste and run what follows), the bidi
// controls and the line separators, as gpwh's inert text escapes them.
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

// The body to put on the clipboard as it is, or why not: a GamePush body
// is printable ASCII, and one that is not is not pasted raw anywhere.
function copyableBody(body) {
  if (ACTIVE.test(body)) {
    return { why: 'No Copy body: the body holds characters a terminal acts on when they are pasted (control or bidi characters); the curl command quotes them.' };
  }
  return { text: body };
}

// The command alone, or null when there is none.
function curl(d) {
  return curlCommand(d).command ?? null;
}

async function copy(text, done, result) {
  try {
    await navigator.clipboard.writeText(text);
    result.textContent = done;
  } catch {
    // Without clipboard access, select the text for Ctrl-C instead.
    const area = element('textarea', { readonly: true, rows: '3' });
    area.value = text;
    result.replaceChildren('Press Ctrl-C to copy: ', area);
    area.select();
  }
}

async function replay(id, result) {
  result.textContent = 'Replaying…';
  try {
    const replayed = await api(`/api/deliveries/${id}/replay`, { method: 'POST' });
    result.textContent = `Replayed as #${replayed.id}: answered ${replayed.status}`;
  } catch (error) {
    result.textContent = `Replay failed: ${error.message}`;
  }
}

// ---- sending a test event ----

async function openSend() {
  const dialog = $('send-dialog');
  $('send-off').hidden = config.send;
  $('send-off').textContent = config.send_off ?? '';
  for (const id of ['send-event', 'send-payload', 'send-reset', 'send-go']) $(id).disabled = !config.send;
  dialog.showModal();
  if (config.send && !catalog) await loadCatalog();
  (config.send ? $('send-event') : $('send-close')).focus();
}

async function loadCatalog() {
  catalog = await api('/api/catalog');
  const select = $('send-event');
  const chosen = select.value || 'GivePlayerReward';
  select.replaceChildren(...catalog.map((e) => element('option', { value: e.name, text: `${e.name} — ${e.description}` })));
  select.value = chosen;
  fillTemplate();
}

function fillTemplate() {
  const event = catalog.find((e) => e.name === $('send-event').value) ?? catalog[0];
  $('send-payload').value = JSON.stringify(event.template, null, 2);
}

async function sendEvent() {
  const result = $('send-result');
  const go = $('send-go');
  result.textContent = 'Sending…';
  go.disabled = true;
  try {
    const sent = await api('/api/send', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ payload: $('send-payload').value }),
    });
    result.textContent = `Delivered: the listener answered ${sent.status}`;
    await renewPurchase();
  } catch (error) {
    result.textContent = `Not sent: ${error.message}`;
  } finally {
    go.disabled = !config.send;
  }
}

// The `result.purchase._id` of a payload (JSON text or a value), if it has one.
function purchaseId(payload) {
  try {
    const value = typeof payload === 'string' ? JSON.parse(payload) : payload;
    const id = value && value.result && value.result.purchase && value.result.purchase._id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

// The catalog gives each purchase template an `_id` of its own, so that a
// receiver that handles each purchase once takes a test purchase as new.
// After a send, an `_id` left as the catalog gave it is replaced by a new
// one, the rest of the text as the user left it; an `_id` the user wrote
// stays, to send the same purchase again on purpose.
async function renewPurchase() {
  const editor = $('send-payload');
  const sent = purchaseId(editor.value);
  const from = sent && catalog.find((e) => purchaseId(e.template) === sent);
  if (!from) return;
  catalog = await api('/api/catalog');
  const renewed = catalog.find((e) => e.name === from.name);
  const id = renewed && purchaseId(renewed.template);
  if (id) {
    editor.value = editor.value.replaceAll(JSON.stringify(sent), JSON.stringify(id));
  }
}

// ---- start ----

async function start() {
  try {
    config = await api('/api/config');
  } catch (error) {
    setConnection(`cannot reach gpwh: ${error.message}`, false);
    if (error.noToken) {
      // Nothing will work without it: say so where the rows would be, and
      // do not keep knocking.
      $('empty').textContent = 'This page has no valid token. Open the address gpwh listen printed '
        + '(gpwh: inspector on http://…/?token=…); the token changes each run.';
      return;
    }
  }
  $('listener-url').textContent = config.listener;
  $('forward-note').textContent = config.forward ? `, forwarded to ${config.forward}` : '';
  $('public-note').textContent = config.public ? `; public at ${config.public}` : '';
  for (const id of ['filter-verdict', 'filter-event']) $(id).addEventListener('change', draw);
  $('search').addEventListener('input', draw);
  $('open-send').addEventListener('click', openSend);
  $('send-event').addEventListener('change', fillTemplate);
  $('send-reset').addEventListener('click', () => loadCatalog());
  $('send-go').addEventListener('click', sendEvent);
  $('send-close').addEventListener('click', () => $('send-dialog').close());
  draw();
  connect();
}

start();
