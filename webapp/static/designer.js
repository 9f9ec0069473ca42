// The program designer's live preview: after the admin stops typing for a moment, the form's
// current fields (uploads included) go to the server, which draws both passes; the pictures
// are swapped in as blob URLs. Plain script, no framework; CSP allows blob: images.
(function () {
  "use strict";
  var WAIT_MS = 350;
  var form = document.getElementById("designer-form");
  var status = document.getElementById("preview-status");
  if (!form || !window.fetch) { return; }
  var wallets = [
    { url: form.dataset.previewApple, img: document.getElementById("preview-apple") },
    { url: form.dataset.previewGoogle, img: document.getElementById("preview-google") }
  ];
  var timer = null;
  var inFlight = null;

  function say(text) { if (status) { status.textContent = text || ""; } }

  function draw(wallet, body, signal) {
    return fetch(wallet.url, {
      method: "POST", body: body, signal: signal, credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrf_token.value }
    }).then(function (response) {
      if (!response.ok) { throw new Error("preview " + response.status); }
      return response.blob();
    }).then(function (blob) {
      var old = wallet.img.src;
      wallet.img.src = URL.createObjectURL(blob);
      if (old.indexOf("blob:") === 0) { URL.revokeObjectURL(old); }
    });
  }

  function refresh() {
    if (inFlight) { inFlight.abort(); }
    inFlight = new AbortController();
    var signal = inFlight.signal;
    var body = new FormData(form);
    say(status && status.dataset.busy);
    form.setAttribute("aria-busy", "true");
    Promise.all(wallets.map(function (wallet) { return draw(wallet, body, signal); }))
      .then(function () { say(""); form.dataset.previewCount = String(Number(form.dataset.previewCount || 0) + 1); })
      .catch(function (error) { if (error.name !== "AbortError") { say(status && status.dataset.failed); } })
      .finally(function () { if (!signal.aborted) { form.removeAttribute("aria-busy"); } });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, WAIT_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
