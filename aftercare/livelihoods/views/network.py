"""The organisation's livelihood pages: overview, programmes and cohorts, employers, products
and sales, households; and the network's wage standards and exchange rates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.policy import Action, can, require
from aftercare.core.errors import DomainError
from aftercare.core.submit import form_errors, form_view, submit
from aftercare.livelihoods import enterprise, households, placements, reference, training
from aftercare.livelihoods.forms import (
    AttendanceForm,
    BatchForm,
    CohortForm,
    EmployerForm,
    HouseholdFollowUpForm,
    HouseholdForm,
    ProductForm,
    ProgrammeForm,
    RateForm,
    SaleForm,
    SupportForm,
    WageStandardForm,
)
from aftercare.livelihoods.models import Placement

PAGE_SIZE = 50


@login_required
def overview(request):
    """What needs doing: due retention follow-ups and flagged wages in the actor's organisation."""
    actor = request.actor
    if not can(actor, Action.VIEW_LIVELIHOODS):
        require(actor, Action.MANAGE_WAGE_STANDARDS)
        return redirect("livelihoods:wage_standards")
    placements.open_due_if_stale(actor.organisation_id)
    flagged = (
        Placement.objects.flagged()
        .filter(survivor__organisation_id=actor.organisation_id, end_date__isnull=True)
        .select_related("survivor", "employer")
        .order_by("-start_date")[:PAGE_SIZE]
    )
    return render(
        request,
        "livelihoods/overview.html",
        {
            "due": placements.due_follow_ups(actor)[:PAGE_SIZE],
            "flagged": flagged,
            "can_record": can(actor, Action.RECORD_LIVELIHOOD),
            "can_manage": can(actor, Action.MANAGE_WAGE_STANDARDS),
        },
    )


def _list_page(request, route: str, rows, form, add=None, success="", *, paged=False):
    """The page `livelihoods:<route>` (drawn by `livelihoods/<route>.html`): the organisation's
    `rows`, a page at a time if `paged`, and `form` to add one, shown to those who may record. A
    POST is theirs only (403): the form goes to `add(cleaned_data)`, then back to this page with
    `success` said. The caller asks for `rows` first: the right to see the list is checked
    before the right to add to it."""
    actor = request.actor
    if request.method == "POST":
        require(actor, Action.RECORD_LIVELIHOOD)
        return submit(request, form, add, success, reverse(f"livelihoods:{route}"))
    listed = (
        {"page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))}
        if paged
        else {route: rows}
    )
    form = form if can(actor, Action.RECORD_LIVELIHOOD) else None
    return render(request, f"livelihoods/{route}.html", {**listed, "form": form})


# Training
# ------------------------------------------------------------------------------------------


@login_required
def programmes(request):
    actor = request.actor
    rows = training.programmes(actor)
    form = ProgrammeForm(request.POST or None)
    added = _("Programme added.")
    return _list_page(
        request, "programmes", rows, form, lambda data: training.add_programme(actor, data), added
    )


@login_required
def programme(request, programme_id):
    actor = request.actor
    item = training.get_programme(actor, programme_id)
    may_add = can(actor, Action.RECORD_LIVELIHOOD) and item.provider_id == actor.organisation_id
    form = CohortForm(request.POST or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(
                _("Only the organisation that runs the programme adds cohorts to it.")
            )
        return submit(
            request,
            form,
            lambda data: training.add_cohort(actor, item, data),
            _("Cohort added."),
            reverse("livelihoods:programme", args=[item.pk]),
        )
    return render(
        request,
        "livelihoods/programme.html",
        {
            "programme": item,
            "cohorts": item.cohorts.order_by("-start_date"),
            "form": form if may_add else None,
        },
    )


@login_required
def cohort(request, cohort_id):
    actor = request.actor
    item = training.get_cohort(actor, cohort_id)
    enrolments = list(training.cohort_enrolments(actor, item))
    may_record = can(actor, Action.RECORD_LIVELIHOOD)
    for (
        enrolment
    ) in enrolments:  # decided here, not in the template: her own organisation's enrolments only
        enrolment.may_mark = (
            may_record
            and enrolment.status == "enrolled"
            and enrolment.organisation_id == actor.organisation_id
        )
    return render(
        request,
        "livelihoods/cohort.html",
        {
            "cohort": item,
            "enrolments": enrolments,
            "attendance_form": AttendanceForm() if may_record else None,
        },
    )


# Employers ----------------------------------------------------------------------------------------


@login_required
def employers(request):
    actor = request.actor
    rows = placements.employers(actor)
    form = EmployerForm(request.POST or None)
    added = _("Partner employer added.")
    return _list_page(
        request,
        "employers",
        rows,
        form,
        lambda data: placements.add_employer(actor, **data),
        added,
        paged=True,
    )


# Products and sales -------------------------------------------------------------------------------


@login_required
def products(request):
    actor = request.actor
    rows = enterprise.products(actor).prefetch_related("makers")

    def add(data):
        data["makers"] = enterprise.makers_by_code(actor, data.pop("maker_codes"))
        return enterprise.add_product(actor, data)

    form = ProductForm(request.POST or None)
    return _list_page(request, "products", rows, form, add, _("Product added."))


@login_required
def product(request, product_id):
    actor = request.actor
    item = enterprise.get_product(actor, product_id)
    may_record = can(actor, Action.RECORD_LIVELIHOOD)
    return render(
        request,
        "livelihoods/product.html",
        {
            "product": item,
            "makers": item.makers.order_by("case_code"),
            "batches": item.batches.prefetch_related("makers__survivor")[:20],
            "sales": enterprise.sales_of(item)[:PAGE_SIZE],
            "batch_form": BatchForm(auto_id="batch-%s") if may_record else None,
            "sale_form": SaleForm(product=item, auto_id="sale-%s") if may_record else None,
        },
    )


def _product(section: str):
    """The `fetch` of a form posted on a product: the organisation's own, for those who may
    record; then back to `section` of its page."""

    def fetch(actor, product_id):
        require(actor, Action.RECORD_LIVELIHOOD)
        item = enterprise.get_product(actor, product_id)
        return item, reverse("livelihoods:product", args=[item.pk]) + f"#{section}"

    return fetch


def _add_batch(actor, item, data):
    found = {
        s.case_code: s for s in enterprise.makers_by_code(actor, [c for c, _n in data["makers"]])
    }
    makers = [(found[c], n) for c, n in data["makers"]]
    return enterprise.add_batch(
        actor, item, made_on=data["made_on"], quantity=data["quantity"], makers=makers
    )


def _add_sale(actor, item, data):
    batch = item.batches.filter(pk=data.pop("batch")).first() if data.get("batch") else None
    return enterprise.record_sale(
        actor,
        item,
        batch=batch,
        **{k: data[k] for k in ("channel", "quantity", "unit_price", "currency", "sold_on")},
    )


add_batch = form_view(_product("batches"), BatchForm, _add_batch, gettext_lazy("Batch recorded."))
add_sale = form_view(
    _product("sales"),
    SaleForm,
    _add_sale,
    gettext_lazy("Sale recorded, with each maker's share."),
    form_kwargs=lambda actor, item: {"product": item},
)


# Households
# ----------------------------------------------------------------------------------------


@login_required
def household_list(request):
    actor = request.actor
    rows = households.households(actor).defer("contact_name")
    form = HouseholdForm(request.POST or None)
    if request.method == "POST":
        require(actor, Action.RECORD_LIVELIHOOD)
        return _register_household(request, form)
    return _list_page(request, "households", rows, form, paged=True)


def _register_household(request, form):
    """Unlike the other lists, a new household is shown at once: its page is where support and
    visits are recorded."""
    if not form.is_valid():
        form_errors(request, form)
        return redirect("livelihoods:households")
    try:
        item = households.register_household(request.actor, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("livelihoods:households")
    messages.success(request, _("Household %(code)s registered.") % {"code": item.code})
    return redirect("livelihoods:household", household_id=item.pk)


@login_required
def household(request, household_id):
    actor = request.actor
    item = households.get_household(actor, household_id)
    may_record = can(actor, Action.RECORD_LIVELIHOOD)
    return render(
        request,
        "livelihoods/household.html",
        {
            "household": item,
            "support": item.support.all(),
            "follow_ups": item.follow_ups.select_related("support"),
            "support_form": SupportForm(auto_id="support-%s") if may_record else None,
            "follow_up_form": HouseholdFollowUpForm(auto_id="visit-%s") if may_record else None,
        },
    )


def _household(actor, household_id):
    """The `fetch` of a form posted on a household: the organisation's own, for those who may
    record."""
    require(actor, Action.RECORD_LIVELIHOOD)
    item = households.get_household(actor, household_id)
    return item, reverse("livelihoods:household", args=[item.pk])


household_support = form_view(
    _household, SupportForm, households.give_support, gettext_lazy("Support recorded.")
)
household_follow_up = form_view(
    _household, HouseholdFollowUpForm, households.follow_up, gettext_lazy("Visit recorded.")
)


# Wage standards and exchange rates ----------------------------------------------------------------


@login_required
def wage_standards(request):
    actor = request.actor
    if not reference.may_read(actor):
        raise PermissionDenied
    may_manage = can(actor, Action.MANAGE_WAGE_STANDARDS)
    return render(
        request,
        "livelihoods/wage_standards.html",
        {
            "standards": reference.wage_standards(actor),
            "rates": reference.exchange_rates(actor)[:100],
            "standard_form": WageStandardForm(auto_id="standard-%s") if may_manage else None,
            "rate_form": RateForm(auto_id="rate-%s") if may_manage else None,
        },
    )


def _wage_standards(section: str = ""):
    """The `fetch` of the wage standards page's forms: for those who manage them."""

    def fetch(actor):
        require(actor, Action.MANAGE_WAGE_STANDARDS)
        return None, reverse("livelihoods:wage_standards") + section

    return fetch


add_wage_standard = form_view(
    _wage_standards(),
    WageStandardForm,
    lambda actor, _none, data: reference.add_wage_standard(actor, data),
    gettext_lazy("Wage standard added."),
)
add_rate = form_view(
    _wage_standards("#rates"),
    RateForm,
    lambda actor, _none, data: reference.add_exchange_rate(actor, data),
    gettext_lazy("Exchange rate added."),
)
