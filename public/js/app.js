// Progressive enhancement only: every flow works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Move focus to the error summary so screen-reader users hear what went wrong.
  const summary = document.querySelector('[data-error-summary]')
  if (summary) summary.focus()

  // A checkbox that narrows a list (wizard: "Toon niet gekoppelde gebruikers") updates it at once;
  // without JavaScript the form's own button does the same.
  document.querySelectorAll('[data-auto-submit] input[type="checkbox"]').forEach((box) => {
    box.addEventListener('change', () => {
      if (box.form) box.form.requestSubmit()
    })
  })

  // Machtigingen: a "select all" checkbox in the header of the selection column.
  document.querySelectorAll('th[data-select-all]').forEach((th) => {
    const form = th.closest('form')
    if (!form) return
    const boxes = () => Array.from(form.querySelectorAll('input[type="checkbox"][name="id"]'))
    if (boxes().length < 2) return
    const box = document.createElement('input')
    box.type = 'checkbox'
    box.id = 'select-all'
    box.className = 'utrecht-checkbox utrecht-checkbox--html-input'
    const label = document.createElement('label')
    label.htmlFor = box.id
    label.className = 'bm-visually-hidden'
    label.textContent = th.getAttribute('data-select-all')
    th.replaceChildren(box, label)
    box.addEventListener('change', () => {
      boxes().forEach((b) => { b.checked = box.checked })
    })
    form.addEventListener('change', (event) => {
      if (event.target === box) return
      const all = boxes()
      box.checked = all.every((b) => b.checked)
      box.indeterminate = !box.checked && all.some((b) => b.checked)
    })
  })

  // New-mandate wizard: while typing in the service search, show only the matching results.
  document.querySelectorAll('form[data-suggest-for]').forEach((form) => {
    const input = form.querySelector('input[type="search"]')
    const list = document.getElementById(form.getAttribute('data-suggest-for'))
    if (!input || !list) return
    const status = document.createElement('p')
    status.className = 'bm-visually-hidden'
    status.setAttribute('role', 'status')
    form.append(status)
    const choices = Array.from(list.querySelectorAll('.bm-choice'))
    let timer
    input.addEventListener('input', () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        const words = input.value.toLowerCase().split(/\s+/).filter(Boolean)
        let shown = 0
        choices.forEach((choice) => {
          const text = choice.textContent.toLowerCase()
          const match = words.every((w) => text.includes(w))
          choice.hidden = !match
          if (match) shown++
        })
        status.textContent = (form.getAttribute('data-suggest-count') || '').replace('{n}', String(shown))
      }, 150)
    })
  })
})
