// Loaded into Hawtio's page by the hub. When the session is gone (hub restarted, idle timeout) Hawtio's background
// requests get 401s and the console would sit there (or, with a Basic challenge, raise a password dialog per request):
// on the first 401 the page goes to the login page instead, once.
(function () {
  'use strict';
  var leaving = false;
  function ended(status) {
    if (status === 401 && !leaving) {
      leaving = true;
      window.location.replace('/login?expired');
    }
  }
  var fetch0 = window.fetch;
  if (fetch0) {
    window.fetch = function () {
      return fetch0.apply(this, arguments).then(function (r) {
        ended(r.status);
        return r;
      });
    };
  }
  var open0 = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function () {
    this.addEventListener('loadend', function () { ended(this.status); });
    return open0.apply(this, arguments);
  };
})();
