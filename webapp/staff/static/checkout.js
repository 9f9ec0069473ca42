// The order form: a live quote from the server as staff type, and one order per form however
// often the confirm button is tapped (the form's key makes the server apply it once anyway).
(function () {
  "use strict";
  const form = document.getElementById("order-form");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const quoteBox = document.getElementById("quote");
  const quoteFigures = document.getElementById("quote-figures");
  const quoteAfter = document.getElementById("quote-after");
  const quoteError = document.getElementById("quote-error");
  const confirm = document.getElementById("confirm");
  const redeemAmount = document.getElementById("redeem-amount-field");
  const confirmText = confirm.textContent;
  const FIELDS = ["amount", "redeem_amount", "location"];
  let timer = 0;
  let latest = 0;
  let submitting = false;

  function figureRows(figures) {
    return figures.map((figure) => {
      const row = document.createElement("div");
      row.className = figure.emphasis ? "figure emphasis" : "figure";
      const label = document.createElement("dt");
      label.textContent = figure.label;
      const value = document.createElement("dd");
      value.textContent = figure.value;
      row.append(label, value);
      return row;
    });
  }

  function showFieldErrors(fields) {
    FIELDS.forEach((name) => {
      const box = document.getElementById(name + "-error");
      const field = form.elements[name];
      if (box) {
        box.textContent = fields[name] || "";
        box.hidden = !fields[name];
      }
      if (field && field.setAttribute) field.setAttribute("aria-invalid", fields[name] ? "true" : "false");
    });
  }

  function showQuote(data) {
    quoteFigures.replaceChildren(...figureRows(data.figures));
    quoteAfter.replaceChildren(...figureRows(data.after));
    quoteBox.hidden = false;
    quoteError.hidden = true;
    confirm.textContent = data.confirm;
  }

  function showRefusal(data) {
    const fields = data.fields || {};
    showFieldErrors(fields);
    const general = Object.keys(fields).length ? "" : data.message || "";
    quoteBox.hidden = true;
    quoteError.textContent = general;
    quoteError.hidden = !general;
    confirm.textContent = confirmText;
  }

  async function refreshQuote() {
    const mine = ++latest;
    if (!form.elements.amount.value.trim()) {
      showFieldErrors({});
      showRefusal({});
      return;
    }
    try {
      const response = await fetch(form.dataset.quoteUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
      });
      if (response.status === 401) window.location.reload();
      const data = await response.json();
      if (mine !== latest) return;  // a newer quote is on its way
      if (response.ok) {
        showFieldErrors({});
        showQuote(data);
      } else {
        showRefusal(data);
      }
    } catch (error) {
      if (mine === latest) showRefusal({ message: form.dataset.textOffline });
    }
  }

  function quoteSoon(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(refreshQuote, delay);
  }

  form.addEventListener("input", () => quoteSoon(250));
  form.addEventListener("change", (event) => {
    if (event.target.name === "redeem" && redeemAmount) {
      redeemAmount.hidden = event.target.value !== "amount";
    }
    quoteSoon(0);
  });
  form.addEventListener("submit", (event) => {
    if (submitting) {
      event.preventDefault();  // a second tap while the first is on its way
      return;
    }
    submitting = true;
    confirm.setAttribute("aria-busy", "true");
    confirm.textContent = form.dataset.textWorking;
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    submitting = false;  // back from the result page: the form (and its key) can be used again
    confirm.removeAttribute("aria-busy");
    confirm.textContent = confirmText;
  });
  if (form.elements.amount.value.trim()) refreshQuote();
})();
