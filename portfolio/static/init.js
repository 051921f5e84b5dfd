// Starts the NHS.UK design system's components (header menu, error summary focus, password reveal).
import { initAll } from './nhsuk-frontend.min.js'

initAll()
