// Précepteur library upload: a progress bar for the upload (XMLHttpRequest upload progress),
// then for the background ingestion (polling the job as JSON). Without JavaScript the form
// posts normally and the library page shows the job.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;

  var box = document.getElementById("upload-progress-box");
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var library = form.dataset.library;
  var POLL_MS = 700;

  function setProgress(done, total, label) {
    bar.max = total > 0 ? total : 100;
    bar.value = total > 0 ? done : 0;
    status.textContent = label;
  }

  function poll(url, jobId) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { status.textContent = form.dataset.failed; return; }
      var job = JSON.parse(request.responseText);
      setProgress(job.done, job.total, job.label);
      if (job.finished) {
        window.location.replace("/library/" + encodeURIComponent(library) + "?job=" + encodeURIComponent(jobId));
      } else {
        window.setTimeout(function () { poll(url, jobId); }, POLL_MS);
      }
    };
    request.onerror = function () { status.textContent = form.dataset.failed; };
    request.send();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.setRequestHeader("X-CSRF-Token", data.get("csrf_token"));
    request.setRequestHeader("Accept", "application/json");
    box.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    request.upload.onprogress = function (e) {
      if (e.lengthComputable) setProgress(e.loaded, e.total, form.dataset.uploading + " " + Math.round(100 * e.loaded / e.total) + " %");
    };
    request.onload = function () {
      var body = {};
      try { body = JSON.parse(request.responseText); } catch (ignored) { /* not JSON */ }
      if (request.status === 202 && body.poll) {
        poll(body.poll, body.id);
      } else {
        status.textContent = (body.error && body.error.message) || form.dataset.failed;
        form.querySelector("button[type=submit]").disabled = false;
      }
    };
    request.onerror = function () {
      status.textContent = form.dataset.failed;
      form.querySelector("button[type=submit]").disabled = false;
    };
    request.send(data);
  });
})();
