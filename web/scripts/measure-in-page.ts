/**
 * Measuring helpers run inside the page (`page.evaluate`), kept as plain JavaScript text so
 * the Node-side script needs no DOM types. Each returns milliseconds from the user action to
 * the frame after the DOM changed (requestAnimationFrame, then a task after the paint).
 */
export const IN_PAGE = `
window.painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))

window.measureSort = async (column) => {
  const header = document.querySelector('.grid-head [data-col="' + column + '"]')
  const button = header.querySelector('button')
  // Asc → desc → server order: skip the unsorted step so every figure is a real sort.
  if (header.getAttribute('aria-sort') === 'descending') { button.click(); await painted() }
  const started = performance.now()
  button.click()
  await painted()
  return performance.now() - started
}

window.measureSearch = async (text) => {
  const input = document.querySelector('[data-filter="keyword"]')
  const type = (value) => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  }
  const started = performance.now()
  type(text)
  await painted()
  const took = performance.now() - started
  type('')
  await painted()
  return took
}

window.measureScroll = async (steps, stepPx) => {
  const grid = document.querySelector('[data-testid="sessions-grid"]')
  grid.scrollTop = 0
  await painted()
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve))
  const frames = []
  let maxRows = 0
  let last = await frame()
  for (let step = 0; step < steps; step++) {
    grid.scrollTop += stepPx
    const now = await frame()
    frames.push(now - last)
    last = now
    maxRows = Math.max(maxRows, grid.querySelectorAll('.grid-body [role="row"]').length)
  }
  return { frames, maxRows }
}
`
