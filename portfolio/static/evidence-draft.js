// Saves what is typed into the evidence form as a draft, so that a reflection is never lost
// to a validation error or a session timeout: about every 15 seconds while it changes, and
// when the page is hidden or left. The server refuses anything that may hold a patient
// identifier, and the status line says so. The form works the same without this script.

const INTERVAL_MS = 15000
const ACCEPT = 'application/json, application/problem+json'

const form = document.querySelector('form[data-draft-url]')
const status = document.getElementById('draft-status')
if (form && status) {
  autosave(form, status)
}

function autosave (form, status) {
  const url = form.dataset.draftUrl
  // A form shown again after a refused save holds what was typed: keep it as the draft too.
  let changed = form.hasAttribute('data-draft-changed')
  let saving = false
  let submitting = false

  const noteChange = () => { changed = true }
  form.addEventListener('input', noteChange)
  form.addEventListener('change', noteChange)
  // Saving the evidence deletes the draft: no autosave may follow it. A form with a file
  // may be too large for the server to read; it then brings the worker back to the draft,
  // so what is typed is saved as the draft first, then the form is sent.
  let flushing = false
  form.addEventListener('submit', (event) => {
    if (event.defaultPrevented) return
    if (flushing) {
      event.preventDefault() // the draft is being saved: the form follows it
      return
    }
    const file = form.querySelector('input[type="file"]')
    if (changed && file && file.files.length) {
      event.preventDefault()
      flushing = true
      send(false).finally(() => {
        flushing = false
        submitting = true
        form.submit()
      })
      return
    }
    submitting = true
  })

  async function save (leaving) {
    if (!changed || saving || submitting || flushing) return
    await send(leaving)
  }

  async function send (leaving) {
    changed = false
    saving = true
    const data = new FormData(form) // includes csrf_token
    data.delete('file') // a draft never carries a file
    data.delete('confirmed')
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: data,
        credentials: 'same-origin',
        headers: { Accept: ACCEPT },
        redirect: 'manual', // signed out: the sign-in page it redirects to is no answer
        keepalive: leaving
      })
      await report(response)
    } catch {
      changed = true // the network dropped it: try again at the next turn
    } finally {
      saving = false
    }
  }

  async function report (response) {
    if (response.type === 'opaqueredirect') {
      status.textContent =
        'Not saved automatically: you have been signed out. Copy your text before you sign in again.'
      return
    }
    const answer = await response.json().catch(() => ({}))
    if (response.ok) {
      status.textContent = answer.saved_at ? `Draft saved at ${timeOf(answer.saved_at)}` : ''
      return
    }
    if (response.status === 409 || response.status >= 500) {
      changed = true
    }
    status.textContent = answer.detail || 'Not saved automatically: save the form to keep your changes.'
  }

  setInterval(() => save(false), INTERVAL_MS)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save(true)
  })
  window.addEventListener('pagehide', () => save(true))
}

function timeOf (iso) {
  return new Date(iso).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/London'
  })
}
