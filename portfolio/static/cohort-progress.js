// Keeps a cohort export's progress page up to date: asks the server every two seconds how
// many portfolios are prepared, moves the bar, says so in the status line (a polite live
// region, so a screen reader hears the progress without losing its place), and shows the
// download button once the ZIP is built. Without this script the page has a "Check
// progress" link that reloads it.

const INTERVAL_MS = 2000
const SLOWEST_MS = 30000

const box = document.querySelector('[data-progress-url]')
if (box && !box.hasAttribute('data-ready')) {
  follow(box)
}

function follow (box) {
  const url = box.dataset.progressUrl
  const bar = box.querySelector('progress')
  const stage = box.querySelector('#progress-stage')
  const line = box.querySelector('#progress-summary')
  const check = box.querySelector('[data-progress-check]')
  const download = box.querySelector('[data-progress-download]')
  let wait = INTERVAL_MS

  if (check) check.hidden = true

  async function ask () {
    try {
      const response = await fetch(url, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
        redirect: 'manual', // signed out: the sign-in page it redirects to is no answer
        cache: 'no-store'
      })
      if (response.type === 'opaqueredirect' || response.status === 401) {
        line.textContent = 'You have been signed out. Sign in again to see the progress.'
        return
      }
      if (!response.ok) throw new Error(String(response.status))
      if (show(await response.json())) return // finished: nothing more to ask
      wait = INTERVAL_MS
    } catch {
      wait = Math.min(wait * 2, SLOWEST_MS) // the network dropped it: ask again, less often
    }
    setTimeout(ask, wait)
  }

  // Shows what the server said; true once there is nothing more to wait for.
  function show (progress) {
    if (progress.state === 'expired') {
      window.location.reload()
      return true
    }
    bar.value = progress.percent
    bar.textContent = `${progress.percent}%`
    if (stage.textContent !== progress.stage) {
      stage.textContent = progress.stage
      document.title = document.title.replace(/^[^:]*:/, `${progress.stage}:`)
    }
    if (progress.state === 'ready') {
      download.hidden = false
      line.textContent = `${progress.summary}: your ZIP file is ready to download`
      return true
    }
    line.textContent = `${progress.summary} (${progress.percent}%)`
    return false
  }

  setTimeout(ask, INTERVAL_MS)
}
