"""Browsing frameworks and scopes of practice (everyone signed in); posts and local policies
(administrators of the organisation)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portfolio.access import authorise
from portfolio.core.clock import today
from portfolio.core.forms import options
from portfolio.core.identifiers import IdentifierFoundError
from portfolio.core.roles import JobRole
from portfolio.db import get_session
from portfolio.frameworks import queries, schema, services
from portfolio.frameworks.forms import JobRoleChoiceForm, PolicyForm, PostForm
from portfolio.frameworks.models import Post
from portfolio.frameworks.rules import equivalent_levels
from portfolio.people.models import Department, Organisation
from portfolio.people.queries import departments_of
from portfolio.policy import OrganisationFacts, Permission
from portfolio.unit_of_work import doom
from portfolio.web import auditor, field_error, keep_confirmations, show_identifier_problems

blueprint = Blueprint("frameworks", __name__)


@blueprint.route("/frameworks")
def index() -> str:
    authorise(Permission.BROWSE_FRAMEWORKS)
    session = get_session()
    catalogue = queries.catalogue(session)
    return render_template(
        "frameworks/index.html",
        versions=queries.versions(session),
        job_roles=list(JobRole),
        catalogue=catalogue,
        equivalents={item.code: equivalents_text(item) for item in catalogue.qualifications},
    )


def equivalents_text(qualification: schema.Qualification) -> str:
    """ "RQF 4 = SCQF 7-8 = EQF 5": the same level in the other frameworks."""
    try:
        levels = equivalent_levels(qualification.framework, qualification.level)
    except ValueError:
        return "Not in the equivalence table (levels 2 to 6)"
    return " = ".join(
        f"{framework.value.upper()} {'-'.join(str(n) for n in numbers)}"
        for framework, numbers in levels.items()
        if numbers and framework is not qualification.framework
    )


@blueprint.route("/frameworks/<code>")
def show(code: str) -> str:
    authorise(Permission.BROWSE_FRAMEWORKS)
    view = queries.framework(get_session(), code, request.args.get("version") or None)
    if view is None:
        abort(404)
    others = [item for item in queries.versions(get_session()) if item.framework_code == code]
    return render_template("frameworks/show.html", view=view, others=others)


@blueprint.route("/frameworks/competencies/<code>")
def competency(code: str) -> str:
    authorise(Permission.BROWSE_FRAMEWORKS)
    session = get_session()
    item = queries.current_competencies(session).get(code)
    if item is None:
        abort(404)
    history = queries.policies(session, current_user.organisation_id, code)
    return render_template(
        "frameworks/competency.html",
        item=item,
        sources=queries.current_sources(session),
        default=queries.framework_default(item.definition),
        in_force=queries.rule_today(item.definition, history, today()),
        history=history,
    )


@blueprint.route("/scopes/<job_role>")
def scope(job_role: str) -> str:
    authorise(Permission.BROWSE_FRAMEWORKS)
    try:
        role = JobRole(job_role)
    except ValueError:
        abort(404)
    session = get_session()
    view = queries.scope_for(session, role)
    if view is None:
        abort(404)
    return render_template(
        "frameworks/scope.html",
        view=view,
        sources=queries.current_sources(session),
        pathway=queries.catalogue(session).pathways.get(role),
        posts=[
            post
            for post in queries.posts(session, current_user.organisation_id)
            if post.job_role is role
        ],
    )


def _organisation() -> Organisation:
    organisation = get_session().get_one(Organisation, current_user.organisation_id)
    authorise(Permission.ADMINISTER_ORGANISATION, OrganisationFacts(organisation.id))
    return organisation


@blueprint.route("/organisation/posts")
def posts() -> str:
    organisation = _organisation()
    return render_template(
        "frameworks/posts.html",
        posts=queries.posts(get_session(), organisation.id),
        form=JobRoleChoiceForm(),
    )


def _post_form(organisation_id: int, role: JobRole, post: Post | None) -> tuple[PostForm, list]:  # type: ignore[type-arg]
    session = get_session()
    view = queries.scope_for(session, role)
    optional = view.optional if view else []
    form = PostForm()
    form.department_id.choices = options(
        [("", "Choose a department"), *departments_of(session, organisation_id)]
    )
    form.core_codes.choices = options(
        (item.code, f"{item.code}: {comp.title}") for item, comp in optional
    )
    if post is not None and request.method == "GET":
        form.name.data = post.name
        form.department_id.data = post.department_id
        form.core_codes.data = [item.competency_code for item in post.core_items]
    return form, optional


@blueprint.route("/organisation/posts/new", methods=["GET", "POST"])
@blueprint.route("/organisation/posts/<int:post_id>", methods=["GET", "POST"])
def post(post_id: int | None = None) -> Response | str:
    session = get_session()
    existing = None
    if post_id is not None:
        existing = session.get(Post, post_id)
        if existing is None:
            abort(404)
        department = session.get_one(Department, existing.department_id)
        authorise(Permission.ADMINISTER_ORGANISATION, OrganisationFacts(department.organisation_id))
        role = existing.job_role
        organisation_id = department.organisation_id
    else:
        organisation_id = _organisation().id
        choice = JobRoleChoiceForm(request.args)
        if not choice.validate():
            # Back to the list, saying what is missing (not a silent bounce).
            return render_template(
                "frameworks/posts.html",
                posts=queries.posts(get_session(), organisation_id),
                form=choice,
            )
        role = JobRole(choice.job_role.data)
    form, optional = _post_form(organisation_id, role, existing)
    keep_confirmations(form)
    if form.validate_on_submit():
        chosen = session.get(Department, form.department_id.data)
        try:
            if chosen is None or chosen.organisation_id != organisation_id:
                raise services.FrameworkChangeError("department_id", "Choose a department")
            services.save_post(
                auditor(),
                chosen,
                name=form.name.data or "",
                job_role=role,
                core_codes=form.core_codes.data or [],
                optional_in_scope=[item.code for item, _ in optional],
                post=existing,
                confirmed=form.confirmed.data or [],
            )
        except services.FrameworkChangeError as error:
            doom()
            field_error(form, error.field, error.message)
        except IdentifierFoundError as error:
            doom()
            show_identifier_problems(form, error)
        else:
            flash("The post has been saved.", "success")
            return redirect(url_for("frameworks.posts"))
    return render_template("frameworks/post.html", form=form, post=existing, job_role=role)


@blueprint.route("/organisation/policies")
def policies() -> str:
    organisation = _organisation()
    session = get_session()
    rows = queries.policies(session, organisation.id)
    latest: dict[str, queries.PolicyRow] = {}
    for row in rows:
        latest.setdefault(row.competency_code, row)
    return render_template(
        "frameworks/policies.html",
        competencies=queries.current_competencies(session),
        latest=latest,
        on=today(),
    )


@blueprint.route("/organisation/policies/<code>", methods=["GET", "POST"])
def policy(code: str) -> Response | str:
    organisation = _organisation()
    session = get_session()
    item = queries.current_competencies(session).get(code)
    if item is None:
        abort(404)
    form = PolicyForm()
    keep_confirmations(form)
    if request.method == "GET":
        form.effective_from.data = today()
    if form.validate_on_submit():
        details = services.PolicyDetails(
            title=form.title.data or "",
            effective_from=form.effective_from.data,
            supervised_procedures=form.supervised_procedures.data,
            reassessment_months=form.reassessment_months.data,
            countersignature_required={"required": True, "not_required": False}.get(
                form.countersignature.data or "default"
            ),
            notes=form.notes.data,
        )
        try:
            services.record_policy(
                auditor(),
                organisation,
                code,
                details,
                expires=item.definition.expires,
                confirmed=form.confirmed.data or [],
            )
        except services.FrameworkChangeError as error:
            doom()
            field_error(form, error.field, error.message)
        except IdentifierFoundError as error:
            doom()
            show_identifier_problems(form, error)
        except IntegrityError:
            doom()  # another administrator recorded a version at the same moment
            field_error(
                form, "title", "Someone else has just recorded a version: check the history"
            )
        else:
            flash("The new policy version has been recorded.", "success")
            return redirect(url_for("frameworks.policy", code=code))
    history = queries.policies(session, organisation.id, code)
    return render_template(
        "frameworks/policy.html",
        item=item,
        form=form,
        history=history,
        default=queries.framework_default(item.definition),
        in_force=queries.rule_today(item.definition, history, today()),
    )
