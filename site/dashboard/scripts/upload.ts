// Uploads of the card editor with a progress bar: a form marked `data-upload` sends its file
// straight to the editor API's raw upload route with XMLHttpRequest, whose `upload.onprogress`
// reports the bytes sent. Without JavaScript the form posts to the page, which forwards the file.

function field<T extends Element>(form: HTMLFormElement, selector: string): T | null {
  return form.querySelector<T>(selector);
}

function inputValue(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement ? input.value : "";
}

function showError(form: HTMLFormElement, message: string): void {
  const error = field<HTMLElement>(form, "[data-upload-error]");
  const input = field<HTMLInputElement>(form, 'input[type="file"]');
  if (error) {
    error.textContent = message;
    error.hidden = false;
  }
  input?.setAttribute("aria-invalid", "true");
  input?.focus();
}

function errorMessage(request: XMLHttpRequest): string {
  try {
    const body = JSON.parse(request.responseText) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not a JSON error body; fall through to the status.
  }
  return `The upload failed with status ${request.status}; try again.`;
}

function upload(form: HTMLFormElement, file: File): void {
  const progress = field<HTMLProgressElement>(form, "[data-upload-progress]");
  const status = field<HTMLElement>(form, "[data-upload-status]");
  const button = field<HTMLButtonElement>(form, 'button[type="submit"]');

  const request = new XMLHttpRequest();
  request.open("PUT", form.dataset.upload ?? "");
  request.setRequestHeader("content-type", "application/octet-stream");
  request.setRequestHeader("x-csrf-token", inputValue(form, "_csrf"));
  request.setRequestHeader("if-match", `"${inputValue(form, "version")}"`);
  request.setRequestHeader("x-file-name", encodeURIComponent(file.name));

  request.upload.onprogress = (event) => {
    if (!progress || !event.lengthComputable) return;
    progress.value = Math.round((event.loaded / event.total) * 100);
  };

  request.onload = () => {
    if (request.status >= 200 && request.status < 300) {
      if (progress) progress.value = 100;
      if (status) status.textContent = "Upload complete.";
      const notice = encodeURIComponent(`${file.name} is uploaded.`);
      window.location.assign(`${window.location.pathname}?notice=${notice}`);
      return;
    }
    if (button) button.disabled = false;
    if (progress) progress.hidden = true;
    if (status) status.textContent = "";
    showError(form, errorMessage(request));
  };
  request.onerror = () => {
    if (button) button.disabled = false;
    showError(form, "The upload was interrupted; check your connection and try again.");
  };

  if (button) button.disabled = true;
  if (progress) {
    progress.value = 0;
    progress.hidden = false;
  }
  if (status) status.textContent = `Uploading ${file.name}…`;
  request.send(file);
}

for (const form of document.querySelectorAll<HTMLFormElement>("form[data-upload]")) {
  const input = field<HTMLInputElement>(form, 'input[type="file"]');
  const previewId = form.dataset.preview;
  if (input && previewId) {
    input.addEventListener("change", () => {
      const preview = document.getElementById(previewId);
      const file = input.files?.[0];
      if (!(preview instanceof HTMLImageElement) || !file) return;
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
    });
  }
  form.addEventListener("submit", (event) => {
    const file = input?.files?.[0];
    if (!file) {
      event.preventDefault();
      showError(form, "Choose a file to upload.");
      return;
    }
    event.preventDefault();
    upload(form, file);
  });
}
