// The 'alerts' part of /ui/: live hotlist hits (Server-Sent Events from /api/v1/alerts/stream, filtered by the hub
// to the lists this account's roles may see) and acknowledgement. Camera events from the same stream are passed on
// to the camera board as a DOM event ('anpr-camera').
'use strict';

(function () {
  const OUTCOMES = ['stopped', 'not-stopped', 'not-found', 'misread', 'no-action'];
  const section = document.getElementById('alerts');
  const rows = new Map(); // hit id -> row
  let body, status, lastId = 0;

  function text(v) { return v === null || v === undefined ? '' : String(v); }

  function ackCell(hit) {
    const cell = Hub.el('td', {class: 'ack'});
    if (hit.ack) {
      cell.append(hit.ack.outcome + ' — ' + hit.ack.by + ' ' + new Date(hit.ack.at).toLocaleTimeString());
      return cell;
    }
    const choice = Hub.el('select', {'aria-label': 'Outcome'});
    for (const o of OUTCOMES) choice.append(Hub.el('option', {value: o, text: o}));
    const button = Hub.el('button', {type: 'button', class: 'quiet', text: 'Acknowledge'});
    button.addEventListener('click', function () {
      button.disabled = true;
      Hub.api('/api/v1/alerts/' + hit.id + '/ack', {json: {outcome: choice.value}})
        .then(function (done) { show(done); })
        .catch(function (e) { button.disabled = false; Hub.notice('Not acknowledged: ' + e.message); });
    });
    cell.append(choice, ' ', button);
    return cell;
  }

  /** Adds or updates a hit's row; new hits go on top. */
  function show(hit) {
    lastId = Math.max(lastId, hit.id);
    const row = Hub.el('tr', {'data-hit': String(hit.id), class: 'match-' + hit.match},
      Hub.el('td', {text: new Date(hit.capturedAt).toLocaleString()}),
      Hub.el('td', {class: 'vrm', text: hit.vrm}),
      Hub.el('td', {text: hit.listId}),
      Hub.el('td', {class: hit.match === 'fuzzy' || hit.match === 'partial' ? 'state-drifting' : '', text: hit.match === 'fuzzy' || hit.match === 'partial' ? hit.match + ' (listed ' + hit.entryVrm + ')' : hit.match}),
      Hub.el('td', {text: text(hit.priority)}),
      Hub.el('td', {text: hit.category}),
      Hub.el('td', {text: (hit.markers || []).join(' ')}),
      Hub.el('td', {text: text(hit.instructions)}),
      Hub.el('td', {text: hit.cameraId}),
      ackCell(hit));
    const old = rows.get(hit.id);
    if (old) old.replaceWith(row); else body.prepend(row);
    rows.set(hit.id, row);
  }

  function live() {
    if (typeof window.EventSource !== 'function') { // no EventSource: poll instead
      setInterval(function () { recent().catch(function () {}); }, 5000);
      return;
    }
    // since: the stored hits after those already shown come first, so nothing falls between the two
    const source = new EventSource('/api/v1/alerts/stream?since=' + lastId);
    source.addEventListener('open', function () { status.textContent = 'Live.'; });
    source.addEventListener('error', function () { status.textContent = 'Connection lost — reconnecting…'; });
    source.addEventListener('hit', function (e) { show(JSON.parse(e.data)); });
    source.addEventListener('ack', function (e) {
      const a = JSON.parse(e.data);
      const row = rows.get(a.hitId);
      if (row) row.lastElementChild.replaceWith(ackCell({id: a.hitId, ack: a.ack}));
    });
    source.addEventListener('camera', function (e) {
      document.dispatchEvent(new CustomEvent('anpr-camera', {detail: JSON.parse(e.data)}));
    });
  }

  function recent() {
    return Hub.api('/api/v1/alerts?limit=50').then(function (hits) {
      hits.slice().reverse().forEach(function (h) { if (!rows.has(h.id) || h.ack) show(h); });
    });
  }

  Hub.ready.then(function () {
    if (section.hidden) return;
    status = Hub.el('p', {class: 'status', text: 'Connecting…'});
    body = Hub.el('tbody');
    const head = Hub.el('tr');
    for (const h of ['Captured', 'Plate', 'List', 'Match', 'Priority', 'Category', 'Markers', 'Instructions', 'Camera', 'Acknowledgement']) {
      head.append(Hub.el('th', {text: h}));
    }
    section.append(Hub.el('h2', {text: 'Hotlist hits'}), status, Hub.el('table', {id: 'hits'}, Hub.el('thead', {}, head), body));
    recent().then(function () {
      status.textContent = 'Loaded.';
      live();
    }).catch(function (e) { status.textContent = 'Hits not loaded: ' + e.message; });
  });
})();
