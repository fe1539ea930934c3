// The 'search' part of /ui/: audited search of the local 7-day store (docs/search.md). Every search, page, picture
// and export carries the reason, reference and purpose typed here; the hub writes the audit row before it answers.
'use strict';
// No async/await, no spread in calls: HtmlUnit's JavaScript engine (SearchPageIT) has neither.

(function () {
  const PURPOSES = ['crime-investigation', 'counter-terrorism', 'safeguarding', 'road-policing', 'missing-person',
    'intelligence', 'disaster-recovery'];
  const state = {query: null, cursors: [], current: null, next: null};

  function field(label, input) {
    return Hub.el('label', {}, label, Hub.el('br'), input);
  }

  function localValue(d) { // a Date as the value of a datetime-local input
    const pad = n => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }

  function fromLocal(v) { // a datetime-local value (local time) as ISO UTC; parsed by hand: engines differ on this form
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v || '');
    return m ? new Date(+m[1], m[2] - 1, +m[3], +m[4], +m[5]).toISOString() : undefined;
  }

  function build(section, purposes) {
    const now = new Date();
    const f = {
      vrm: Hub.el('input', {id: 'search-vrm', name: 'vrm', maxlength: '20', size: '12', placeholder: 'AB12CDE, AB1*, A?12CDE', autocomplete: 'off'}),
      fuzzy: Hub.el('input', {id: 'search-fuzzy', type: 'checkbox', name: 'fuzzy'}),
      from: Hub.el('input', {id: 'search-from', type: 'datetime-local', name: 'from', value: localValue(new Date(now.getTime() - 24 * 3600e3))}),
      to: Hub.el('input', {id: 'search-to', type: 'datetime-local', name: 'to', value: localValue(new Date(now.getTime() + 60e3))}),
      cameras: Hub.el('input', {id: 'search-cameras', name: 'cameras', size: '24', placeholder: 'camera ids, comma-separated'}),
      direction: Hub.el('select', {id: 'search-direction', name: 'direction'}, Hub.el('option', {value: '', text: 'any'}),
        Hub.el('option', {value: 'TOWARDS', text: 'towards'}), Hub.el('option', {value: 'AWAY', text: 'away'})),
      reason: Hub.el('input', {id: 'search-reason', name: 'reason', size: '50', maxlength: '500', required: 'required',
        placeholder: 'why you need these reads (at least 10 characters)'}),
      reference: Hub.el('input', {id: 'search-reference', name: 'reference', size: '16', maxlength: '500', required: 'required',
        placeholder: 'incident / case no.'}),
      purpose: Hub.el('select', {id: 'search-purpose', name: 'purpose'}),
    };
    purposes.forEach(p => f.purpose.append(Hub.el('option', {value: p, text: p})));
    const form = Hub.el('form', {id: 'search-form'},
      Hub.el('div', {}, field('Plate', f.vrm), Hub.el('label', {}, f.fuzzy, ' include OCR look-alikes (0/O/D/Q, 1/I/L, 8/B, 5/S, 2/Z, 6/G)')),
      Hub.el('div', {}, field('From', f.from), field('To', f.to), field('Cameras', f.cameras), field('Direction', f.direction)),
      Hub.el('div', {}, field('Reason', f.reason), field('Reference', f.reference), field('Purpose', f.purpose)),
      Hub.el('div', {}, Hub.el('button', {id: 'search-go', type: 'submit', text: 'Search'}), ' ',
        Hub.el('button', {id: 'search-export', type: 'button', class: 'quiet', text: 'Export evidence (ZIP)'}),
        ' ', Hub.el('label', {}, Hub.el('input', {id: 'search-csv', type: 'checkbox'}), ' CSV instead of JSON')));
    const status = Hub.el('p', {id: 'search-status', role: 'status'});
    const results = Hub.el('div', {id: 'search-results'});
    const pager = Hub.el('div', {id: 'search-pager'},
      Hub.el('button', {id: 'search-prev', type: 'button', class: 'quiet', text: 'Previous page', hidden: 'hidden'}), ' ',
      Hub.el('button', {id: 'search-next', type: 'button', class: 'quiet', text: 'Next page', hidden: 'hidden'}));
    section.append(Hub.el('h2', {text: 'Search the local store (last 7 days)'}), form, status, results, pager);

    function query() {
      const q = {
        vrm: f.vrm.value.trim() || undefined,
        fuzzy: f.fuzzy.checked,
        from: fromLocal(f.from.value),
        to: fromLocal(f.to.value),
        cameras: f.cameras.value.split(',').map(c => c.trim()).filter(c => c),
        direction: f.direction.value || undefined,
        reason: f.reason.value, reference: f.reference.value, purpose: f.purpose.value,
        pageSize: 25,
      };
      return q;
    }

    function show(answer) {
      results.textContent = '';
      status.className = '';
      status.textContent = answer.count === 0 ? 'No reads match.' : answer.count + ' read(s) on this page, newest first.';
      if (answer.count === 0) return;
      const ref = encodeURIComponent(state.query.reference);
      const head = Hub.el('tr');
      ['Time (UTC)', 'Plate', 'Camera', 'Direction', 'Confidence', 'Plate image', 'Overview'].forEach(h => head.append(Hub.el('th', {text: h})));
      const table = Hub.el('table', {id: 'search-table'}, Hub.el('thead', {}, head));
      const body = Hub.el('tbody');
      answer.results.forEach(r => {
        const cam = r.camera && r.camera.name ? r.camera.name + ' (' + r.cameraId + ')' : r.cameraId;
        const pic = kind => r.images && r.images[kind]
          ? Hub.el('img', {src: r.images[kind] + '?reference=' + ref, alt: kind + ' image', loading: 'lazy', class: 'thumb-' + kind})
          : Hub.el('span', {class: 'note-none', text: '—'});
        body.append(Hub.el('tr', {class: 'search-hit'},
          Hub.el('td', {text: r.capturedAt.replace('T', ' ').replace('Z', '')}),
          Hub.el('td', {class: 'plate', text: r.vrm}),
          Hub.el('td', {text: cam}),
          Hub.el('td', {text: r.read.direction || ''}),
          Hub.el('td', {text: r.read.confidencePct !== undefined ? r.read.confidencePct + '%' : ''}),
          Hub.el('td', {}, pic('plate')), Hub.el('td', {}, pic('overview'))));
      });
      table.append(body);
      results.append(table);
    }

    function run(cursor) {
      const q = Object.assign({}, state.query, {cursor: cursor || undefined});
      status.className = '';
      status.textContent = 'Searching…';
      return Hub.api('/api/v1/reads/search', {json: q}).then(answer => {
        state.next = answer.nextCursor || null;
        document.getElementById('search-next').hidden = !state.next;
        document.getElementById('search-prev').hidden = state.cursors.length === 0;
        show(answer);
      }).catch(e => {
        results.textContent = '';
        status.className = 'error';
        status.textContent = e.message;
      });
    }

    form.addEventListener('submit', ev => {
      ev.preventDefault();
      state.query = query();
      state.cursors = [];
      state.current = null;
      run(null);
    });
    document.getElementById('search-next').addEventListener('click', () => {
      state.cursors.push(state.current || null);
      state.current = state.next;
      run(state.next);
    });
    document.getElementById('search-prev').addEventListener('click', () => {
      state.current = state.cursors.pop() || null;
      run(state.current);
    });
    document.getElementById('search-export').addEventListener('click', () => {
      const q = Object.assign(query(), {format: document.getElementById('search-csv').checked ? 'csv' : 'json'});
      delete q.pageSize;
      status.className = '';
      status.textContent = 'Preparing the export…';
      fetch('/api/v1/reads/export', {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-Anpr-Client': 'ui'}, body: JSON.stringify(q)})
        .then(r => r.ok ? r.blob().then(b => {
          const name = (/filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') || '') || [])[1] || 'evidence.zip';
          const a = Hub.el('a', {href: URL.createObjectURL(b), download: name, text: name});
          a.click();
          status.textContent = 'Exported ' + name + ' — check it with: sha256sum -c manifest.sha256';
        }) : r.json().then(j => { throw new Error(j.detail || j.error); }))
        .catch(e => { status.className = 'error'; status.textContent = e.message; });
    });
    section.dataset.ready = 'true'; // every handler is attached (tests wait for this)
  }

  Hub.ready.then(() => {
    if (!Hub.has('investigator')) return;
    const section = document.getElementById('search');
    Hub.api('/api/v1/reads/purposes').then(p => build(section, p), () => build(section, PURPOSES));
  });
})();
