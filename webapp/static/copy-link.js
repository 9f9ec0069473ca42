// Copy buttons: <button data-copy="ID"> copies the value of the field with that id.
"use strict";
(function () {
  const status = document.getElementById("copy-status");
  function copied() {
    if (status) status.textContent = status.dataset.copied || "";
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    if (!field) return;
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(copied, function () {
        document.execCommand("copy");
        copied();
      });
    } else {
      document.execCommand("copy");
      copied();
    }
  });
})();
