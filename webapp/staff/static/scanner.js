// The staff scanner. Three ways in, one lookup: the camera (the browser's BarcodeDetector where
// it exists, otherwise frames read on the server), a keyboard-wedge scanner that types the code
// and Enter into the focused field, or the code typed by hand. The lookup opens the card or
// says, in the page's language, why it cannot.
(function () {
  "use strict";
  const root = document.getElementById("scanner");
  if (!root) return;
  const text = root.dataset;
  const form = document.getElementById("find-form");
  const input = document.getElementById("code");
  const errorBox = document.getElementById("find-error");
  const status = document.getElementById("camera-status");
  const camera = document.getElementById("camera");
  const video = document.getElementById("camera-video");
  const startButton = document.getElementById("camera-start");
  const stopButton = document.getElementById("camera-stop");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const canvas = document.createElement("canvas");
  const CAMERA_CHOICE = "tessera.camera";
  // A refused code stays in view while the camera looks at it: say so once, not every frame.
  const REFUSED_PAUSE_MS = 4000;
  let stream = null;
  let busy = false;
  let timer = 0;
  let refused = { code: "", until: 0 };

  function showError(message) {
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
    });
    if (response.status === 401) {
      window.location.reload();  // the session ended: the login page comes next
    }
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, data: data };
  }

  async function lookup(code, fromCamera) {
    if (busy) return;
    busy = true;
    const body = new FormData();
    body.append("code", code);
    try {
      const answer = await post(text.lookupUrl, body);
      if (answer.ok && answer.data.url) {
        status.textContent = text.textOpening;
        window.location.assign(answer.data.url);
        return;  // stay busy: the card page is on its way
      }
      showError(answer.data.message || text.textOffline);
      if (fromCamera) refused = { code: code, until: Date.now() + REFUSED_PAUSE_MS };
      else input.select();
    } catch (error) {
      showError(text.textOffline);
    }
    busy = false;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value.trim();
    if (!code) {
      input.focus();
      return;
    }
    showError("");
    lookup(code, false);
  });

  // A keyboard-wedge scanner types wherever the focus is: bring typing back to the code field.
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLSelectElement ||
      target instanceof HTMLTextAreaElement;
    if (typing || event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
    input.focus();
    input.select();
  });

  async function barcodeDetector() {
    if (!("BarcodeDetector" in window)) return null;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      return formats.includes("qr_code") ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    } catch (error) {
      return null;
    }
  }

  async function readInBrowser(detector) {
    try {
      const found = await detector.detect(video);
      return found.length ? found[0].rawValue : "";
    } catch (error) {
      return "";
    }
  }

  async function readOnServer() {
    const longest = Math.max(video.videoWidth, video.videoHeight);
    if (!longest) return "";
    const scale = Math.min(1, 960 / longest);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    if (!frame) return "";
    const body = new FormData();
    body.append("frame", frame, "frame.jpg");
    try {
      const answer = await post(text.framesUrl, body);
      return answer.ok ? answer.data.code : "";
    } catch (error) {
      return "";
    }
  }

  async function scanOnce(detector) {
    if (!stream) return;
    if (!busy && video.readyState >= 2) {
      const code = detector ? await readInBrowser(detector) : await readOnServer();
      const justRefused = code === refused.code && Date.now() < refused.until;
      if (code && stream && !justRefused) {
        camera.classList.add("found");
        await lookup(code, true);
        camera.classList.remove("found");
      }
    }
    if (stream) timer = window.setTimeout(() => scanOnce(detector), detector ? 150 : 350);
  }

  async function startCamera() {
    if (stream) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      status.textContent = error.name === "NotAllowedError" ? text.textDenied : text.textNoCamera;
      window.localStorage.removeItem(CAMERA_CHOICE);
      return;
    }
    video.srcObject = stream;
    camera.hidden = false;
    startButton.hidden = true;
    status.textContent = text.textLooking;
    window.localStorage.setItem(CAMERA_CHOICE, "on");
    await video.play().catch(() => {});
    scanOnce(await barcodeDetector());
  }

  function stopCamera(remember) {
    window.clearTimeout(timer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    camera.hidden = true;
    startButton.hidden = false;
    status.textContent = "";
    if (remember) window.localStorage.removeItem(CAMERA_CHOICE);
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    startButton.hidden = false;
    startButton.addEventListener("click", startCamera);
    stopButton.addEventListener("click", () => stopCamera(true));
    window.addEventListener("pagehide", () => stopCamera(false));
    if (window.localStorage.getItem(CAMERA_CHOICE) === "on") startCamera();
  } else {
    status.textContent = text.textNoCamera;
  }
})();
