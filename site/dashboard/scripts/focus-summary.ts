// Moves the focus to the form's error summary, so keyboard and screen reader users hear the
// errors first after a rejected submission.
const summary = document.querySelector<HTMLElement>("[data-error-summary]");
summary?.focus();
