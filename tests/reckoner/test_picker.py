"""The task picker's groups and order, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portfolio.reckoner.picker import Task, task_groups

TASKS = [
    Task("CORE-ID", "Positive patient identification", "Patient identification and safety"),
    Task("CC-01", "Understand your role", "Care Certificate", standard=True),
    Task("CANN", "Peripheral intravenous cannulation", "Clinical procedures"),
    Task("CC-02", "Your personal development", "Care Certificate", standard=True),
    Task("SCRUB", "Aseptic scrub support", "Clinical procedures"),
    Task("CORE-BLS", "Basic life support", "Resuscitation"),
]


def test_clinical_tasks_come_first_by_domain_and_the_care_certificate_standards_apart() -> None:
    groups = task_groups(TASKS)
    assert [(group.label, [task.code for task in group.tasks]) for group in groups] == [
        ("Clinical procedures", ["SCRUB", "CANN"]),  # by their words: Aseptic, Peripheral
        ("Patient identification and safety", ["CORE-ID"]),
        ("Resuscitation", ["CORE-BLS"]),
        ("Care Certificate standards", ["CC-01", "CC-02"]),  # their numbered order
    ]
    assert groups[0].tasks[1].label == "Peripheral intravenous cannulation (CANN)"


def test_standards_keep_their_own_order_even_when_their_words_sort_otherwise() -> None:
    standards = [
        Task("CC-02", "Your personal development", "Care Certificate", standard=True),
        Task("CC-10", "Awareness of mental health", "Care Certificate", standard=True),
    ]
    (group,) = task_groups(standards)
    assert [task.code for task in group.tasks] == ["CC-02", "CC-10"]


_words = st.text(alphabet="abcdefgh ABC", min_size=1, max_size=12)


@given(
    st.lists(
        st.builds(
            Task, st.text(alphabet="ABC-123", min_size=1, max_size=6), _words, _words, st.booleans()
        ),
        max_size=40,
        unique_by=lambda task: task.code,
    )
)
def test_every_task_is_offered_once_clinical_before_standards_and_sorted_within(
    tasks: list[Task],
) -> None:
    groups = task_groups(tasks)
    offered = [task for group in groups for task in group.tasks]
    assert sorted(offered, key=lambda task: task.code) == sorted(tasks, key=lambda task: task.code)
    kinds = [group.tasks[0].standard for group in groups]
    assert kinds == sorted(kinds)  # no clinical group after a group of standards
    clinical = [group for group in groups if not group.tasks[0].standard]
    labels = [group.label.casefold() for group in clinical]
    assert labels == sorted(labels)
    for group in groups:
        assert len({task.domain for task in group.tasks}) == 1
        assert len({task.standard for task in group.tasks}) == 1
        if not group.tasks[0].standard:
            words = [task.title.casefold() for task in group.tasks]
            assert words == sorted(words)
