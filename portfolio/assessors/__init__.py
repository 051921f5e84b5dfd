"""Who may assess: the pages for an organisation's approved-assessor lists and for a practice
educator's review of a registrant's conditions of practice. The records and their rules are
in `portfolio.practice.assessor_lists` and `portfolio.people.reviews`; eligibility itself is
`portfolio.signoff.rules`."""
