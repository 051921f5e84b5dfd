// Checks the size of a chosen file before the form is sent: a file over the limit (the
// field's data-max-bytes, from the settings) gets the design system's error message on its
// field, and the form is not sent, so nothing typed is lost to a "too large" answer. The
// server checks again either way; the form works the same without this script.

for (const input of document.querySelectorAll('input[type="file"][data-max-bytes]')) {
  checkSize(input)
}

function checkSize (input) {
  const max = Number(input.dataset.maxBytes)
  const form = input.form
  const group = input.closest('.nhsuk-form-group')
  if (!form || !group || !(max > 0)) return

  const tooLarge = () => Array.from(input.files || []).some((file) => file.size > max)

  function showError () {
    let message = group.querySelector('.nhsuk-error-message')
    if (!message) {
      message = document.createElement('span')
      message.className = 'nhsuk-error-message'
      message.id = `${input.id}-error`
      input.before(message)
    }
    message.dataset.uploadLimit = ''
    const hidden = document.createElement('span')
    hidden.className = 'nhsuk-u-visually-hidden'
    hidden.textContent = 'Error:'
    message.replaceChildren(hidden, ` ${input.dataset.tooLarge}`)
    group.classList.add('nhsuk-form-group--error')
    const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
    if (!described.includes(message.id)) {
      input.setAttribute('aria-describedby', [...described, message.id].join(' '))
    }
  }

  function clearError () {
    const message = group.querySelector('.nhsuk-error-message[data-upload-limit]')
    if (!message) return
    message.remove()
    group.classList.remove('nhsuk-form-group--error')
    const described = (input.getAttribute('aria-describedby') || '').split(' ')
    input.setAttribute('aria-describedby', described.filter((id) => id && id !== message.id).join(' '))
  }

  input.addEventListener('change', () => (tooLarge() ? showError() : clearError()))
  form.addEventListener('submit', (event) => {
    if (!tooLarge()) return
    event.preventDefault()
    event.stopImmediatePropagation() // no other script acts on a submit that is not sent
    showError()
    input.focus()
  })
}
