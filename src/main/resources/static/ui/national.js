// The 'national' part of /ui/ (role investigator): a search of the National ANPR Service through the hub, with the
// reason, reference and purpose the hub audits before it asks NAS. Searches further back than the force's window
// need a supervisor's authorisation reference. Plain promise chains and DOM calls (HtmlUnit runs the tests).
'use strict';

(() => {
  const section = document.getElementById('national');
  const local = Hub.localTime;
  const instant = Hub.instant;
  const field = Hub.field;
  const clear = Hub.clear;
  const cells = Hub.row;

  function build(policy) {
    const now = new Date();
    const purpose = Hub.el('select', {name: 'purpose', id: 'national-purpose', required: 'required'}, Hub.el('option', {value: ''}, 'choose…'));
    policy.purposes.forEach(p => purpose.append(Hub.el('option', {value: p}, p)));
    const inputs = {
      vrm: Hub.el('input', {name: 'vrm', id: 'national-vrm', size: '12', required: 'required', placeholder: 'AB12CDE or AB12*'}),
      from: Hub.el('input', {name: 'from', id: 'national-from', type: 'datetime-local', required: 'required'}),
      to: Hub.el('input', {name: 'to', id: 'national-to', type: 'datetime-local'}),
      reason: Hub.el('input', {name: 'reason', id: 'national-reason', size: '40', required: 'required',
        placeholder: 'at least ' + policy.minReason + ' characters'}),
      reference: Hub.el('input', {name: 'reference', id: 'national-reference', size: '14', required: 'required'}),
      purpose: purpose,
      authorisation: Hub.el('input', {name: 'supervisorAuthorisation', id: 'national-authorisation', size: '18', placeholder: 'NSA-…'}),
    };
    inputs.from.value = local(new Date(now.getTime() - 7 * 24 * 3600 * 1000));
    const go = Hub.el('button', {type: 'submit', id: 'national-go'}, 'Search NAS');
    // novalidate: the hub checks the fields and says which are missing (the form's own bubbles would hide that)
    const form = Hub.el('form', {id: 'national-form', novalidate: 'novalidate'},
      field('VRM', inputs.vrm), field('From', inputs.from), field('To', inputs.to), Hub.el('br'),
      field('Reason', inputs.reason), field('Reference', inputs.reference), field('Purpose', inputs.purpose), Hub.el('br'),
      field('Supervisor authorisation (needed before ' + policy.nationalWindowDays + ' days ago)', inputs.authorisation), go);
    const status = Hub.el('p', {id: 'national-status', role: 'status'});
    const table = Hub.el('table', {id: 'national-table'});
    section.append(Hub.el('h2', {}, 'National search'),
      Hub.el('p', {}, 'Sent to the National ANPR Service with your reason, reference and purpose; recorded in the audit log before it is sent.'),
      form, status, table);

    form.addEventListener('submit', e => {
      e.preventDefault();
      status.className = '';
      status.textContent = 'Searching NAS…';
      clear(table);
      const body = {vrm: inputs.vrm.value, from: instant(inputs.from.value), reason: inputs.reason.value,
        reference: inputs.reference.value, purpose: inputs.purpose.value};
      if (instant(inputs.to.value)) body.to = instant(inputs.to.value);
      if (inputs.authorisation.value.trim()) body.supervisorAuthorisation = inputs.authorisation.value.trim();
      Hub.api('/api/v1/national/search', {json: body}).then(answer => {
        table.append(cells('th', ['VRM', 'Captured (UTC)', 'Camera', 'Direction', 'Latitude', 'Longitude', 'Read id']));
        answer.results.forEach(r => table.append(cells('td', [r.vrm, r.captureTimeUtc, r.cameraId, r.direction, r.latitude,
          r.longitude, r.readId], {class: 'national-row'})));
        status.textContent = answer.count + ' result(s) from NAS' + (answer.truncated ? ' (more exist: narrow the search)' : '');
      }).catch(err => {
        status.textContent = err.message;
        status.className = 'error';
      });
    });
  }

  Hub.ready.then(() => {
    if (section.hidden) return;
    Hub.api('/api/v1/national/policy').then(build).catch(e => {
      section.append(Hub.el('p', {class: 'error'}, 'National search unavailable: ' + e.message));
    });
  });
})();
