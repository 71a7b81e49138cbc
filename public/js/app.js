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
      boxes().forEach((b) => {
        b.checked = box.checked
      })
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

  // A credential shown once (API-koppelingen: SCIM token): a "Kopiëren" button where the clipboard can be written.
  document.querySelectorAll('[data-copy]').forEach((button) => {
    const id = button.getAttribute('data-copy')
    const source = document.getElementById(id)
    const status = document.querySelector(`[data-copy-status="${id}"]`)
    if (!source || !navigator.clipboard) return
    button.hidden = false
    button.addEventListener('click', async () => {
      await navigator.clipboard.writeText(source.textContent.trim())
      if (status) status.textContent = button.getAttribute('data-copied') || ''
    })
  })
})

// The time-out warning (views/partials/session-timeout.ejs, WCAG 2.2.1): two minutes before the idle
// time-out, or before the session's absolute end, a dialog takes the focus and is announced; "Blijf
// ingelogd" touches the session without leaving the page, Escape or "Sluiten" closes it.
document.addEventListener('DOMContentLoaded', () => {
  const dialog = document.getElementById('session-timeout')
  if (!dialog) return
  const idleMs = Number(dialog.dataset.idleMs)
  const warnMs = Number(dialog.dataset.warnMs)
  const endsAt = Number(dialog.dataset.endsAt) || Infinity
  const text = document.getElementById('session-timeout-text')
  const status = document.getElementById('session-timeout-status')
  const form = dialog.querySelector('form')
  let lastActive = Date.now()
  let previousFocus = null
  let timer = 0
  const minutes = (ms) => String(Math.max(1, Math.ceil(ms / 60000)))
  function open(absolute, left) {
    const template = absolute ? dialog.dataset.absoluteText : dialog.dataset.idleText
    text.textContent = template.replace('{m}', minutes(left))
    dialog.querySelector('[data-stay]').hidden = absolute
    if (!dialog.hidden) return
    previousFocus = document.activeElement
    dialog.hidden = false
    const first = absolute ? dialog.querySelector('[data-close]') : dialog.querySelector('[data-stay]')
    first.focus()
  }
  function close() {
    dialog.hidden = true
    if (previousFocus && previousFocus.focus) previousFocus.focus()
  }
  function schedule() {
    window.clearTimeout(timer)
    const now = Date.now()
    const idleLeft = lastActive + idleMs - now
    const absoluteLeft = endsAt - now
    const absolute = absoluteLeft <= idleLeft
    const left = Math.min(idleLeft, absoluteLeft)
    if (left <= warnMs) {
      if (left > 0) open(absolute, left)
      else close()
    }
    timer = window.setTimeout(schedule, left > warnMs ? left - warnMs : 15000)
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { 'x-requested-with': 'fetch' }, credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) return form.submit()
        lastActive = Date.now()
        close()
        status.textContent = dialog.dataset.stayedText
        schedule()
      })
      .catch(() => form.submit())
  })
  dialog.querySelector('[data-close]').addEventListener('click', close)
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close()
    if (event.key !== 'Tab') return
    const buttons = Array.from(dialog.querySelectorAll('button')).filter((b) => !b.hidden)
    const first = buttons[0]
    const last = buttons[buttons.length - 1]
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  })
  // A test (or a very patient reader) can ask for the warning now.
  window.bmSessionTimeout = { show: () => open(false, warnMs) }
  schedule()
})
