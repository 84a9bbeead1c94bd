// Follow a long-running job (roster import, matching run) without a library:
// every <progress data-status-url="..."> polls its JSON status
// ({progress, step, running}), shows the step in the element named by its
// aria-describedby, and reloads the page when the job has finished.
// Pages also carry a <noscript> meta refresh for browsers without scripts.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var bars = document.querySelectorAll("progress[data-status-url]");
  Array.prototype.forEach.call(bars, function (bar) {
    var step = document.getElementById(bar.getAttribute("aria-describedby"));
    function poll() {
      fetch(bar.getAttribute("data-status-url"), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json();
      }).then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        if (step) { step.textContent = data.step; }
        if (data.running) {
          window.setTimeout(poll, 1500);
        } else {
          window.location.reload();
        }
      }).catch(function () {
        window.setTimeout(poll, 5000);
      });
    }
    window.setTimeout(poll, 1000);
  });
})();
