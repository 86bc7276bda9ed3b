// Précepteur item generation: the job box polls its job as JSON and shows progress; the page
// reloads once the job has finished so the new items appear. Without JavaScript the box has a
// refresh link.
(function () {
  "use strict";
  var box = document.getElementById("job-box");
  if (!box || box.dataset.finished === "true" || !window.XMLHttpRequest) return;
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var POLL_MS = 1000;

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", box.dataset.poll);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) return;
      var job = JSON.parse(request.responseText);
      bar.max = job.wanted;
      bar.value = job.accepted;
      status.textContent = box.dataset.label.replace("{accepted}", job.accepted).replace("{wanted}", job.wanted)
        .replace("{candidates}", job.candidates);
      if (job.finished) {
        window.location.replace(window.location.pathname + "?job=" + encodeURIComponent(job.id));
      } else {
        window.setTimeout(poll, POLL_MS);
      }
    };
    request.send();
  }
  window.setTimeout(poll, POLL_MS);
})();
