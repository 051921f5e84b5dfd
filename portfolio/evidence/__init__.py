"""Evidence and the procedure log. Importing the package registers the flush hook that keeps
each worker's earliest evidence per competency (`earliest`)."""

from portfolio.evidence import earliest as earliest
