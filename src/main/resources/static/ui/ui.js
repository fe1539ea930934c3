// The page's common part: who is logged in, which parts to show, and one way to call the hub's API.
'use strict';

const Hub = {
  me: null,
  ready: null,

  /**
   * JSON from the API; state-changing calls carry the client header (the API's CSRF guard). Rejects with Error(text) on
   * a refusal. Promise chains, not async/await: HtmlUnit's JavaScript engine (the page's tests) has no async functions.
   */
  api(path, options) {
    options = options || {};
    const init = Object.assign({credentials: 'same-origin', headers: {}}, options);
    init.headers = Object.assign({'Accept': 'application/json', 'X-Anpr-Client': 'ui'}, options.headers || {});
    if (options.json !== undefined) {
      init.method = init.method || 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.json);
    }
    return fetch(path, init).then(r => {
      if (r.status === 401) {
        window.location.assign('/login?expired');
        throw new Error('session ended');
      }
      const type = r.headers.get('Content-Type') || '';
      return (type.includes('json') ? r.json() : r.text()).then(body => {
        if (!r.ok) {
          const text = body && (body.detail || body.error || body.message) || ('HTTP ' + r.status);
          throw new Error(typeof text === 'string' ? text : JSON.stringify(text));
        }
        return body;
      });
    });
  },

  /** An element with text content only (never innerHTML: values from reads are data, not markup). */
  el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  },

  notice(text) {
    const n = document.getElementById('notice');
    n.textContent = text;
    n.hidden = !text;
  },

  /** A Date as an <input type=datetime-local> value (local time, no zone). */
  localTime(d) {
    const pad = n => (n < 10 ? '0' : '') + n;
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  },

  /** A datetime-local value as the ISO-8601 instant the API speaks; null when empty or malformed. */
  instant(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v || '');
    return m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]).toISOString() : null;
  },

  /** Removes every child of an element. */
  clear(e) {
    while (e.firstChild) e.removeChild(e.firstChild);
  },

  /** A table row of text cells ('th' cells are column headers); null or undefined shows empty. */
  row(tag, values, attrs) {
    const tr = Hub.el('tr', attrs || {});
    values.forEach(v => tr.append(Hub.el(tag, tag === 'th' ? {scope: 'col'} : {}, v === undefined || v === null ? '' : String(v))));
    return tr;
  },

  /** A labelled form control. */
  field(label, input) {
    return Hub.el('label', {}, label + ' ', input);
  },

  has(role) {
    return !!this.me && this.me.roles.includes(role);
  },
};

Hub.ready = (() => {
  const csrf = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  if (csrf) document.getElementById('csrf').value = decodeURIComponent(csrf.substring(11));
  return Hub.api('/api/v1/me').then(me => {
    Hub.me = me;
    document.getElementById('who').textContent = me.name;
    const nav = document.getElementById('parts');
    for (const part of document.querySelectorAll('main > section')) {
      const allowed = part.dataset.roles.split(' ').some(r => Hub.has(r));
      part.hidden = !allowed;
      if (allowed) nav.append(Hub.el('a', {href: '#' + part.id, text: part.dataset.title}));
    }
    return me;
  });
})();
