// The 'audit' part of /ui/ (role auditor): filter the audit log, page through it, export the selection as CSV.
// Every read of the audit is itself audited by the hub. Plain promise chains and DOM calls (HtmlUnit runs the tests).
'use strict';

(() => {
  const section = document.getElementById('audit');
  const local = Hub.localTime;
  const instant = Hub.instant;
  const field = Hub.field;
  const clear = Hub.clear;
  const cells = Hub.row;

  function build() {
    const now = new Date();
    const inputs = {
      user: Hub.el('input', {name: 'user', id: 'audit-user', size: '14'}),
      action: Hub.el('input', {name: 'action', id: 'audit-action', size: '16', placeholder: 'e.g. national.*'}),
      reference: Hub.el('input', {name: 'reference', id: 'audit-reference', size: '14'}),
      from: Hub.el('input', {name: 'from', id: 'audit-from', type: 'datetime-local'}),
      to: Hub.el('input', {name: 'to', id: 'audit-to', type: 'datetime-local'}),
    };
    inputs.from.value = local(new Date(now.getTime() - 24 * 3600 * 1000));
    inputs.to.value = local(new Date(now.getTime() + 5 * 60 * 1000));
    const go = Hub.el('button', {type: 'submit', id: 'audit-go'}, 'Show');
    const form = Hub.el('form', {id: 'audit-form'}, field('User', inputs.user), field('Action', inputs.action),
      field('Reference', inputs.reference), field('From', inputs.from), field('To', inputs.to), go);
    const csv = Hub.el('a', {id: 'audit-csv', href: '#', download: 'audit.csv'}, 'Export CSV');
    const status = Hub.el('p', {id: 'audit-status', role: 'status'});
    const table = Hub.el('table', {id: 'audit-table'});
    const more = Hub.el('button', {type: 'button', id: 'audit-more', class: 'quiet'}, 'Older rows');
    more.hidden = true;
    section.append(Hub.el('h2', {}, 'Audit log'), form, Hub.el('p', {}, csv), status, table, more);

    let next = null;

    function query(extra) {
      const p = new URLSearchParams();
      ['user', 'action', 'reference'].forEach(k => { if (inputs[k].value.trim()) p.set(k, inputs[k].value.trim()); });
      if (instant(inputs.from.value)) p.set('from', instant(inputs.from.value));
      if (instant(inputs.to.value)) p.set('to', instant(inputs.to.value));
      Object.keys(extra || {}).forEach(k => p.set(k, extra[k]));
      return p.toString();
    }

    function load(append) {
      status.className = '';
      status.textContent = 'Loading…';
      const q = query(append && next ? {before: next, limit: 100} : {limit: 100});
      return Hub.api('/api/v1/audit?' + q).then(page => {
        if (!append) {
          clear(table);
          table.append(cells('th', ['Id', 'At', 'User', 'Action', 'Source', 'Reason', 'Reference', 'Purpose', 'Count', 'Detail']));
        }
        page.rows.forEach(r => {
          const d = r.detail || {};
          table.append(cells('td', [r.id, r.at, r.actor, r.action, r.source, d.reason, d.reference, d.purpose, d.count,
            JSON.stringify(d)], {class: 'audit-row'}));
        });
        next = page.next || null;
        more.hidden = !next;
        status.textContent = table.querySelectorAll('tr.audit-row').length + ' row(s)' + (next ? ', more available' : '');
      }).catch(e => {
        status.textContent = e.message;
        status.className = 'error';
      });
    }

    function refreshCsv() {
      csv.setAttribute('href', '/api/v1/audit?' + query({format: 'csv'}));
    }

    form.addEventListener('submit', e => {
      e.preventDefault();
      refreshCsv();
      load(false);
    });
    form.addEventListener('input', refreshCsv);
    form.addEventListener('change', refreshCsv);
    more.addEventListener('click', () => load(true));
    refreshCsv();
    return load(false);
  }

  Hub.ready.then(() => {
    if (!section.hidden) build();
  });
})();
