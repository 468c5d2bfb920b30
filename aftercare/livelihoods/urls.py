"""Livelihood pages under /livelihoods/, and the survivor's own earnings under /me/earnings/."""

from django.urls import path

from aftercare.livelihoods.views import case, network, portal

app_name = "livelihoods"
C = "cases/<str:survivor_id>/"

urlpatterns = [
    path("livelihoods/", network.overview, name="overview"),
    path("livelihoods/" + C, case.case, name="case"),
    path("livelihoods/" + C + "placements/", case.add_placement, name="add_placement"),
    path(
        "livelihoods/" + C + "placements/<uuid:placement_id>/end/",
        case.end_placement,
        name="end_placement",
    ),
    path(
        "livelihoods/" + C + "placements/<uuid:placement_id>/follow-ups/<int:months>/",
        case.record_retention,
        name="record_retention",
    ),
    path("livelihoods/" + C + "savings/", case.add_savings_entry, name="add_savings_entry"),
    path("livelihoods/" + C + "income/", case.add_income, name="add_income"),
    path("livelihoods/" + C + "training/", case.enrol, name="enrol"),
    path(
        "livelihoods/" + C + "training/<uuid:enrolment_id>/attendance/",
        case.mark_attendance,
        name="mark_attendance",
    ),
    path(
        "livelihoods/" + C + "training/<uuid:enrolment_id>/finish/",
        case.finish_training,
        name="finish_training",
    ),
    path("livelihoods/" + C + "school/", case.enrol_in_school, name="enrol_in_school"),
    path(
        "livelihoods/" + C + "school/<uuid:enrolment_id>/", case.update_school, name="update_school"
    ),
    path(
        "livelihoods/" + C + "school/<uuid:enrolment_id>/terms/",
        case.record_term,
        name="record_term",
    ),
    path(
        "livelihoods/" + C + "school/<uuid:enrolment_id>/progression/",
        case.record_progression,
        name="record_progression",
    ),
    path("livelihoods/" + C + "supplies/", case.add_supplies, name="add_supplies"),
    path("livelihoods/" + C + "social-protection/", case.add_protection, name="add_protection"),
    path("livelihoods/programmes/", network.programmes, name="programmes"),
    path("livelihoods/programmes/<uuid:programme_id>/", network.programme, name="programme"),
    path("livelihoods/cohorts/<uuid:cohort_id>/", network.cohort, name="cohort"),
    path("livelihoods/employers/", network.employers, name="employers"),
    path("livelihoods/products/", network.products, name="products"),
    path("livelihoods/products/<uuid:product_id>/", network.product, name="product"),
    path("livelihoods/products/<uuid:product_id>/batches/", network.add_batch, name="add_batch"),
    path("livelihoods/products/<uuid:product_id>/sales/", network.add_sale, name="add_sale"),
    path("livelihoods/households/", network.household_list, name="households"),
    path("livelihoods/households/<uuid:household_id>/", network.household, name="household"),
    path(
        "livelihoods/households/<uuid:household_id>/support/",
        network.household_support,
        name="household_support",
    ),
    path(
        "livelihoods/households/<uuid:household_id>/follow-ups/",
        network.household_follow_up,
        name="household_follow_up",
    ),
    path("livelihoods/wage-standards/", network.wage_standards, name="wage_standards"),
    path("livelihoods/wage-standards/add/", network.add_wage_standard, name="add_wage_standard"),
    path("livelihoods/exchange-rates/add/", network.add_rate, name="add_rate"),
    path("me/earnings/", portal.earnings, name="portal_earnings"),
]
