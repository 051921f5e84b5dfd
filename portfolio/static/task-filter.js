// The task picker's "Find a task" box: typing part of a task's name or code leaves only the
// tasks that match in the select (and their groups), chooses the first of them when the one
// chosen no longer matches, and says how many match. Without this script the box stays
// hidden and the select, grouped, works alone.
for (const box of document.querySelectorAll('[data-task-filter]')) {
  const select = document.getElementById(box.dataset.taskFilter)
  const input = box.querySelector('input')
  const count = box.querySelector('[data-task-filter-count]')
  if (!select || !input) continue
  box.hidden = false
  input.addEventListener('input', () => {
    const words = input.value.trim().toLowerCase()
    const matching = []
    for (const group of select.querySelectorAll('optgroup')) {
      let any = false
      for (const option of group.querySelectorAll('option')) {
        const match = !words || option.textContent.toLowerCase().includes(words)
        option.hidden = !match
        option.disabled = !match
        if (match) {
          matching.push(option)
          any = true
        }
      }
      group.hidden = !any
    }
    const chosen = select.selectedOptions[0]
    if (words && chosen && (chosen.disabled || chosen.value === '')) {
      select.value = matching.length ? matching[0].value : ''
    }
    if (!words) {
      count.textContent = ''
    } else if (matching.length === 0) {
      count.textContent = 'No tasks match'
    } else {
      const plural = matching.length === 1 ? 'task matches' : 'tasks match'
      count.textContent = `${matching.length} ${plural}: ${matching[0].textContent} is chosen`
    }
  })
}
