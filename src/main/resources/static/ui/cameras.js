// The 'cameras' part of /ui/ (ops): the camera board from /api/v1/cameras/health — state, last read, clock drift,
// flags (poor reads, quiet against its hour-of-week baseline) —
// refreshed every 15 s, on the button, and at once when the alert stream reports a camera change.
'use strict';

(function () {
  const section = document.getElementById('cameras');
  let body, summary;

  function when(t) { return t ? new Date(t).toLocaleString() : '—'; }

  function flags(c) {
    const out = [];
    if (c.poorReads) out.push('poor reads ' + Math.round(c.poorReadShare * 100) + ' % of ' + c.qualityReads);
    if (c.quiet) out.push('quiet: ' + c.readsLastHour + ' reads in the last hour, ~' + Math.round(c.expectedLastHour) + ' normal');
    return out.length ? out.join('; ') : '—';
  }

  function refresh() {
    return Hub.api('/api/v1/cameras/health').then(function (h) {
      summary.textContent = h.cameras.length + ' camera(s); silent: ' + h.silent + '; clock drifting: ' + h.drifting
        + '; poor reads: ' + h.poorReads + '; quiet: ' + h.quiet + ' (as of ' + new Date(h.at).toLocaleTimeString() + ')';
      body.replaceChildren();
      for (const c of h.cameras) {
        body.append(Hub.el('tr', {'data-camera': c.cameraId},
          Hub.el('td', {text: c.cameraId}),
          Hub.el('td', {class: 'state-' + c.state, text: c.state + (c.silentForSeconds ? ' for ' + c.silentForSeconds + ' s' : '')}),
          Hub.el('td', {text: when(c.lastReadAt)}),
          Hub.el('td', {class: c.drifting ? 'state-drifting' : '',
            text: c.driftSeconds === null || c.driftSeconds === undefined ? '—' : c.driftSeconds.toFixed(1) + ' s' + (c.drifting ? ' (drifting)' : '')}),
          Hub.el('td', {class: c.poorReads || c.quiet ? 'state-drifting' : '', text: flags(c)})));
      }
    }).catch(function (e) { summary.textContent = 'Camera health not loaded: ' + e.message; });
  }

  Hub.ready.then(function () {
    if (section.hidden) return;
    summary = Hub.el('p', {class: 'status', text: 'Loading…'});
    body = Hub.el('tbody');
    const head = Hub.el('tr');
    for (const h of ['Camera', 'State', 'Last read', 'Clock drift', 'Flags']) head.append(Hub.el('th', {text: h}));
    const button = Hub.el('button', {type: 'button', class: 'quiet', text: 'Refresh'});
    button.addEventListener('click', refresh);
    section.append(Hub.el('h2', {text: 'Cameras'}), summary, button, Hub.el('table', {id: 'camera-board'}, Hub.el('thead', {}, head), body));
    refresh();
    setInterval(refresh, 15000);
    document.addEventListener('anpr-camera', refresh);
  });
})();
