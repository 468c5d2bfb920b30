"""Livelihood pages under /livelihoods/, and the survivor's own earnings under /me/earnings/."""

from django.urls import path

from aftercare.livelihoods.views import case, network, portal

app_name = "livelihoods"


def page(route: str, view, name: str):
    """A page under /livelihoods/."""
    return path("livelihoods/" + route, view, name=name)


def case_page(route: str, view, name: str):
    """A page of one case's livelihood, under /livelihoods/cases/<id>/."""
    return page("cases/<str:survivor_id>/" + route, view, name)


PLACEMENT = "placements/<uuid:placement_id>/"
ENROLMENT = "training/<uuid:enrolment_id>/"
SCHOOL = "school/<uuid:enrolment_id>/"
PRODUCT = "products/<uuid:product_id>/"
HOUSEHOLD = "households/<uuid:household_id>/"

urlpatterns = [
    page("", network.overview, "overview"),
    case_page("", case.case, "case"),
    case_page("placements/", case.add_placement, "add_placement"),
    case_page(PLACEMENT + "end/", case.end_placement, "end_placement"),
    case_page(PLACEMENT + "follow-ups/<int:months>/", case.record_retention, "record_retention"),
    case_page("savings/", case.add_savings_entry, "add_savings_entry"),
    case_page("income/", case.add_income, "add_income"),
    case_page("training/", case.enrol, "enrol"),
    case_page(ENROLMENT + "attendance/", case.mark_attendance, "mark_attendance"),
    case_page(ENROLMENT + "finish/", case.finish_training, "finish_training"),
    case_page("school/", case.enrol_in_school, "enrol_in_school"),
    case_page(SCHOOL, case.update_school, "update_school"),
    case_page(SCHOOL + "terms/", case.record_term, "record_term"),
    case_page(SCHOOL + "progression/", case.record_progression, "record_progression"),
    case_page("supplies/", case.add_supplies, "add_supplies"),
    case_page("social-protection/", case.add_protection, "add_protection"),
    page("programmes/", network.programmes, "programmes"),
    page("programmes/<uuid:programme_id>/", network.programme, "programme"),
    page("cohorts/<uuid:cohort_id>/", network.cohort, "cohort"),
    page("employers/", network.employers, "employers"),
    page("products/", network.products, "products"),
    page(PRODUCT, network.product, "product"),
    page(PRODUCT + "batches/", network.add_batch, "add_batch"),
    page(PRODUCT + "sales/", network.add_sale, "add_sale"),
    page("households/", network.household_list, "households"),
    page(HOUSEHOLD, network.household, "household"),
    page(HOUSEHOLD + "support/", network.household_support, "household_support"),
    page(HOUSEHOLD + "follow-ups/", network.household_follow_up, "household_follow_up"),
    page("wage-standards/", network.wage_standards, "wage_standards"),
    page("wage-standards/add/", network.add_wage_standard, "add_wage_standard"),
    page("exchange-rates/add/", network.add_rate, "add_rate"),
    path("me/earnings/", portal.earnings, name="portal_earnings"),
]
