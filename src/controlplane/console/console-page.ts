/**
 * The web console: one self-contained page (no build step, no outside requests). It holds no data
 * itself; its script calls the token-protected /v1 API with the token the user gives it (kept in the
 * tab's sessionStorage, or taken from the URL fragment, which browsers never send to the server).
 * Everything shown is inserted as text, never as HTML, so event contents cannot script the page.
 */
export const consolePage = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PyClaw console</title>
<style>
  :root { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { margin: 0; display: grid; grid-template-columns: 260px 1fr 340px; grid-template-rows: auto 1fr; height: 100vh; }
  header { grid-column: 1 / -1; display: flex; align-items: center; gap: 12px; padding: 8px 14px; background: #1d2330; color: #fff; }
  header h1 { font-size: 16px; margin: 0; flex: 1; }
  section { overflow: auto; padding: 10px 12px; border-right: 1px solid #dde0e6; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #5b6475; margin: 12px 0 6px; }
  button { font: inherit; padding: 3px 9px; border: 1px solid #b8bfcc; border-radius: 4px; background: #fff; cursor: pointer; }
  button:hover { background: #eef1f6; }
  button.danger { background: #c62828; border-color: #c62828; color: #fff; }
  button.engaged { background: #fff; color: #c62828; font-weight: 600; }
  ul { list-style: none; margin: 0; padding: 0; }
  #sessions li { padding: 6px 8px; border-radius: 4px; cursor: pointer; }
  #sessions li.selected { background: #dfe7f7; }
  #sessions small, .muted { color: #6b7385; }
  #timeline li { border-bottom: 1px solid #e6e8ec; padding: 4px 2px; font-size: 13px; cursor: pointer; }
  #timeline .type { font-weight: 600; margin: 0 6px; }
  #timeline pre, #inspector pre, #artifact pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #e0e3e8; padding: 6px; margin: 4px 0; font-size: 12px; }
  .card { background: #fff; border: 1px solid #dde0e6; border-radius: 6px; padding: 8px; margin-bottom: 8px; }
  .card .actions { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
  table { border-collapse: collapse; width: 100%; font-size: 12px; }
  td, th { border-bottom: 1px solid #e6e8ec; padding: 2px 4px; text-align: left; }
  .dropped { color: #b71c1c; } .truncated { color: #a15c00; }
  form { display: flex; gap: 6px; margin: 8px 0; }
  input[type=text], input[type=password] { flex: 1; font: inherit; padding: 4px 6px; border: 1px solid #b8bfcc; border-radius: 4px; }
  #status { font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1>PyClaw</h1>
  <span id="status" class="muted"></span>
  <button id="panic" class="danger" title="Stop all tool calls and suspend all grants">Panic</button>
</header>
<section>
  <form id="login" hidden><input id="token" type="password" placeholder="API token" aria-label="API token"><button>Connect</button></form>
  <button id="new-session">New session</button>
  <h2>Sessions</h2>
  <ul id="sessions"></ul>
</section>
<section>
  <h2 id="session-title">No session selected</h2>
  <form id="message" hidden><input id="message-text" type="text" placeholder="Message the agent" aria-label="Message"><button>Send</button></form>
  <ul id="timeline"></ul>
  <div id="inspector" hidden><h2>PromptPack</h2><div id="pack"></div></div>
  <div id="artifact" hidden><h2>Artifact <span id="artifact-ref" class="muted"></span></h2><pre id="artifact-text"></pre></div>
</section>
<section>
  <h2>Approvals</h2>
  <ul id="approvals"><li class="muted">none waiting</li></ul>
  <h2>Grants</h2>
  <ul id="grants"><li class="muted">none</li></ul>
</section>
<script>
(function () {
  'use strict';
  var fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('token')) { sessionStorage.setItem('pyclaw-token', fragment.get('token')); history.replaceState(null, '', location.pathname); }
  var token = sessionStorage.getItem('pyclaw-token');
  var selected = null;
  var stream = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function status(text) { $('status').textContent = text; }

  function api(path, init) {
    init = init || {};
    var headers = { authorization: 'Bearer ' + token };
    if (init.json !== undefined) { headers['content-type'] = 'application/json'; init.body = JSON.stringify(init.json); }
    return fetch(path, { method: init.method || (init.json !== undefined ? 'POST' : 'GET'), headers: headers, body: init.body, signal: init.signal })
      .then(function (response) {
        if (response.status === 401) { showLogin(); throw new Error('the API token was refused'); }
        return response;
      });
  }
  function apiJson(path, init) {
    return api(path, init).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body && body.error ? body.error.message : 'HTTP ' + response.status);
        return body;
      });
    });
  }

  function showLogin() { $('login').hidden = false; status('not connected'); }
  $('login').addEventListener('submit', function (event) {
    event.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem('pyclaw-token', token);
    $('login').hidden = true;
    refresh();
  });

  function loadSessions() {
    return apiJson('/v1/sessions').then(function (sessions) {
      var list = $('sessions');
      list.replaceChildren();
      sessions.forEach(function (session) {
        var item = el('li', session.title || session.id);
        item.dataset.sessionId = session.id;
        item.appendChild(el('br'));
        item.appendChild(el('small', (session.agentId || 'default') + ' · ' + session.eventCount + ' events'));
        if (session.id === selected) item.className = 'selected';
        item.addEventListener('click', function () { selectSession(session.id, session.title); });
        list.appendChild(item);
      });
      status('connected');
    });
  }

  $('new-session').addEventListener('click', function () {
    apiJson('/v1/sessions', { json: {} }).then(function (session) { return loadSessions().then(function () { selectSession(session.id, null); }); })
      .catch(function (error) { status(error.message); });
  });

  function selectSession(id, title) {
    selected = id;
    $('session-title').textContent = title || id;
    $('message').hidden = false;
    $('timeline').replaceChildren();
    $('inspector').hidden = true;
    $('artifact').hidden = true;
    Array.prototype.forEach.call($('sessions').children, function (item) { item.className = item.dataset.sessionId === id ? 'selected' : ''; });
    if (stream) stream.abort();
    stream = new AbortController();
    followEvents(id, stream.signal);
    loadApprovals();
  }

  function followEvents(sessionId, signal) {
    api('/v1/sessions/' + sessionId + '/events?after=0', { signal: signal }).then(function (response) {
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          var blocks = buffer.split('\n\n');
          buffer = blocks.pop();
          blocks.forEach(function (block) {
            var data = block.split('\n').filter(function (line) { return line.indexOf('data:') === 0; })
              .map(function (line) { return line.slice(5).trim(); }).join('\n');
            if (data) showEvent(JSON.parse(data));
          });
          return pump();
        });
      }
      return pump();
    }).catch(function (error) { if (!signal.aborted) status('event stream: ' + error.message); });
  }

  function summary(event) {
    var p = event.payload || {};
    if (event.type === 'turn.phase') return (p.from ? p.from + ' → ' : '') + p.phase + (p.skipped ? ' (skipped)' : '');
    if (event.type === 'llm.requested') return p.provider + ' ' + p.model;
    if (event.type === 'llm.responded' && p.toolCalls) return p.toolCalls.map(function (call) { return call.name; }).join(', ');
    if (event.type === 'policy.decided') return p.decision + ': ' + p.reason;
    return p.text || p.answer || p.summary || (p.tool ? p.tool + ' ' + JSON.stringify(p.input || {}) : '') ||
      p.preview || p.error || p.decision || p.reason || '';
  }

  function artifactRefs(value, found) {
    found = found || [];
    if (typeof value === 'string' && /^sha256:[0-9a-f]{64}$/.test(value)) found.push(value);
    else if (value && typeof value === 'object') Object.keys(value).forEach(function (key) { artifactRefs(value[key], found); });
    return found;
  }

  function showEvent(event) {
    var item = el('li');
    item.dataset.type = event.type;
    item.appendChild(el('span', '#' + event.seq, 'muted'));
    item.appendChild(el('span', event.type, 'type'));
    item.appendChild(el('span', String(summary(event)).slice(0, 160)));
    var details = el('pre', JSON.stringify(event.payload, null, 2));
    details.hidden = true;
    item.appendChild(details);
    artifactRefs(event.payload).forEach(function (ref) {
      var open = el('button', 'open ' + ref.slice(0, 15));
      open.addEventListener('click', function (click) { click.stopPropagation(); showArtifact(ref); });
      item.appendChild(open);
    });
    item.addEventListener('click', function () {
      details.hidden = !details.hidden;
      if (event.type === 'context.packed') showPack(event.payload);
    });
    $('timeline').appendChild(item);
    if (event.type.indexOf('approval.') === 0 || event.type.indexOf('grant.') === 0 || event.type.indexOf('panic.') === 0) {
      loadApprovals(); loadGrants(); loadPanic();
    }
  }

  function showPack(pack) {
    var table = el('table');
    var head = el('tr');
    ['section', 'source', 'tokens', 'status', 'reason'].forEach(function (name) { head.appendChild(el('th', name)); });
    table.appendChild(head);
    (pack.telemetry || []).forEach(function (item) {
      var row = el('tr', null, item.decision);
      [item.section, item.ref, item.tokens, item.decision, item.reason || ''].forEach(function (value) { row.appendChild(el('td', value)); });
      table.appendChild(row);
    });
    $('pack').replaceChildren(el('p', pack.totalTokens + ' tokens in total', 'muted'), table);
    $('inspector').hidden = false;
  }

  function showArtifact(ref) {
    api('/v1/artifacts/' + ref).then(function (response) { return response.text(); }).then(function (text) {
      $('artifact-ref').textContent = ref;
      $('artifact-text').textContent = text;
      $('artifact').hidden = false;
    }).catch(function (error) { status(error.message); });
  }

  $('message').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('message-text').value.trim();
    if (!text || !selected) return;
    $('message-text').value = '';
    apiJson('/v1/sessions/' + selected + '/messages', { json: { text: text } })
      .then(function () { loadSessions(); loadApprovals(); })
      .catch(function (error) { status(error.message); });
  });

  var grantChoices = [
    ['Approve once', { decision: 'approve', scope: 'once' }],
    ['15 min', { decision: 'approve', scope: 'until', minutes: 15 }],
    ['This session', { decision: 'approve', scope: 'session' }],
    ['Always', { decision: 'approve', scope: 'forever' }],
    ['Deny', { decision: 'deny' }],
  ];

  function loadApprovals() {
    return apiJson('/v1/approvals').then(function (approvals) {
      var list = $('approvals');
      list.replaceChildren();
      if (approvals.length === 0) list.appendChild(el('li', 'none waiting', 'muted'));
      approvals.forEach(function (approval) {
        var card = el('li', null, 'card');
        card.dataset.approvalId = approval.approvalId;
        card.appendChild(el('strong', approval.tool));
        card.appendChild(el('div', approval.summary));
        card.appendChild(el('small', 'session ' + approval.sessionId, 'muted'));
        var actions = el('div', null, 'actions');
        grantChoices.forEach(function (choice) {
          var button = el('button', choice[0]);
          button.addEventListener('click', function () {
            card.remove();
            apiJson('/v1/approvals/' + approval.approvalId, { json: choice[1] })
              .then(function () { loadApprovals(); loadGrants(); loadSessions(); })
              .catch(function (error) { status(error.message); loadApprovals(); });
          });
          actions.appendChild(button);
        });
        card.appendChild(actions);
        list.appendChild(card);
      });
    }).catch(function (error) { status(error.message); });
  }

  function loadGrants() {
    return apiJson('/v1/grants').then(function (grants) {
      var list = $('grants');
      list.replaceChildren();
      if (grants.length === 0) list.appendChild(el('li', 'none', 'muted'));
      grants.forEach(function (grant) {
        var card = el('li', null, 'card');
        card.dataset.grantId = grant.id;
        card.appendChild(el('strong', grant.tool + (grant.pattern ? ' ' + grant.pattern : '')));
        card.appendChild(el('div', grant.scope + (grant.expiresAt ? ' until ' + new Date(grant.expiresAt).toLocaleTimeString() : '') +
          (grant.sessionId ? ' · session ' + grant.sessionId : ''), 'muted'));
        var revoke = el('button', 'Revoke');
        revoke.addEventListener('click', function () {
          apiJson('/v1/grants/' + grant.id, { method: 'DELETE' }).then(loadGrants).catch(function (error) { status(error.message); });
        });
        var actions = el('div', null, 'actions');
        actions.appendChild(revoke);
        card.appendChild(actions);
        list.appendChild(card);
      });
    }).catch(function (error) { status(error.message); });
  }

  var panicEngaged = false;
  function loadPanic() {
    return apiJson('/v1/panic').then(function (state) {
      panicEngaged = state.engaged;
      $('panic').textContent = panicEngaged ? 'Panic engaged — release' : 'Panic';
      $('panic').className = panicEngaged ? 'engaged' : 'danger';
    }).catch(function (error) { status(error.message); });
  }
  $('panic').addEventListener('click', function () {
    apiJson('/v1/panic', { json: { engaged: !panicEngaged } }).then(loadPanic).catch(function (error) { status(error.message); });
  });

  function refresh() { return Promise.all([loadSessions(), loadApprovals(), loadGrants(), loadPanic()]); }
  if (!token) showLogin(); else refresh().catch(function (error) { status(error.message); });
  setInterval(function () { if (token) { loadApprovals(); loadGrants(); } }, 2000);
})();
</script>
</body>
</html>
`;
