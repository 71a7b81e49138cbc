// Progressive enhancement only: every flow works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Move focus to the error summary so screen-reader users hear what went wrong.
  const summary = document.querySelector('[data-error-summary]')
  if (summary) summary.focus()
})
