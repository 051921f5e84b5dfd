"""The reckoner's pickers: GET forms that change what a page shows and save nothing, so
they carry no CSRF token (as `signoff.forms.AsAtForm`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectField
from wtforms.validators import Optional, ValidationError

from portfolio.core.forms import options
from portfolio.reckoner.picker import Task, TaskGroup, task_groups


class _Date(DateField):
    """A date from the address bar may be anything: say so in plain words."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a real date") from error


class _Picker(FlaskForm):
    class Meta:
        csrf = False

    on = _Date("Date", description="Any date, past or future (UK time).", validators=[Optional()])

    def date_or(self, default: dt.date) -> dt.date:
        """The chosen date, or `default` (shown in the field) when none was given."""
        if self.on.data is None:
            self.on.data = default
        chosen: dt.date = self.on.data
        return chosen


def _one_of(message: str) -> Any:
    def check(form: FlaskForm, field: Field) -> None:
        values = {str(choice.value) for choice in field.choices or ()}
        if not field.data or str(field.data) not in values:
            raise ValidationError(message)

    return check


def _choices(first: str, pairs: Iterable[tuple[Any, str]]) -> list[Any]:
    return options([("", first), *pairs])


def tasks(competencies: Mapping[str, Any]) -> list[TaskGroup]:
    """The current competencies as the picker groups them (`reckoner.picker`)."""
    return task_groups(
        Task(code, item.title, item.definition.domain, item.definition.joint_declaration)
        for code, item in competencies.items()
    )


class _TaskPicker(_Picker):
    """`task_groups`: what the page's select shows, in <optgroup>s; `task.choices`: the same
    tasks, flat, for checking the answer."""

    task: SelectField
    task_groups: list[TaskGroup]

    def offer_tasks(self, competencies: Mapping[str, Any]) -> None:
        self.task_groups = tasks(competencies)
        pairs = [(task.code, task.label) for group in self.task_groups for task in group.tasks]
        self.task.choices = _choices("Choose a task", pairs)


class ShiftForm(_TaskPicker):
    department = SelectField(
        "Department", validate_choice=False, validators=[_one_of("Select a department")]
    )
    task = SelectField("Task", validate_choice=False, validators=[_one_of("Select a task")])

    def offer(
        self, departments: Iterable[tuple[int, str]], competencies: Mapping[str, Any]
    ) -> None:
        self.department.choices = _choices("Choose a department", departments)
        self.offer_tasks(competencies)

    def start(self, on: dt.date, department_id: int | None) -> None:
        """A first visit: today, in the shift lead's own department (from their job role on
        the date) when they have one."""
        self.date_or(on)
        if department_id is not None:
            self.department.data = str(department_id)


class ScopeForm(_TaskPicker):
    task = SelectField(
        "Task",
        description="Leave it unchosen to see only the full scope below.",
        validate_choice=False,
        validators=[Optional()],
    )

    def offer(self, competencies: Mapping[str, Any]) -> None:
        self.offer_tasks(competencies)

    def validate_task(self, field: Field) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError("Select a task from the list")
