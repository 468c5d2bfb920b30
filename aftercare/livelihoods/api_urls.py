"""The livelihood routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.livelihoods.api import learning, network, own, survivors


def route(address: str, view, name: str):
    return path(address, view.as_view(), name=name)


def survivor_route(address: str, view, name: str):
    """A survivor's part, under survivors/<id>/."""
    return route("survivors/<str:survivor_id>/" + address, view, name)


PLACEMENT = "placements/<str:placement_id>"
ENROLMENT = "training/<str:enrolment_id>"
SCHOOL = "education/<str:enrolment_id>"
PRODUCT = "products/<str:product_id>"
HOUSEHOLD = "households/<str:household_id>"

urlpatterns = [
    survivor_route("placements", survivors.PlacementsView, "survivor-placements"),
    survivor_route(PLACEMENT, survivors.PlacementView, "survivor-placement"),
    survivor_route(
        PLACEMENT + "/follow-ups/<int:months>",
        survivors.RetentionView,
        "survivor-placement-follow-up",
    ),
    survivor_route("savings", survivors.SavingsView, "survivor-savings"),
    survivor_route("income", survivors.IncomeView, "survivor-income"),
    survivor_route("earnings", survivors.EarningsView, "survivor-earnings"),
    survivor_route(
        "economic-outcomes", survivors.EconomicOutcomesView, "survivor-economic-outcomes"
    ),
    survivor_route("training", learning.TrainingView, "survivor-training"),
    survivor_route(ENROLMENT, learning.TrainingEnrolmentView, "survivor-training-enrolment"),
    survivor_route(
        ENROLMENT + "/attendance", learning.TrainingAttendanceView, "survivor-training-attendance"
    ),
    survivor_route("education", learning.EducationView, "survivor-education"),
    survivor_route(SCHOOL, learning.SchoolEnrolmentView, "survivor-school-enrolment"),
    survivor_route(SCHOOL + "/terms", learning.SchoolTermsView, "survivor-school-terms"),
    survivor_route(
        SCHOOL + "/progressions", learning.SchoolProgressionsView, "survivor-school-progressions"
    ),
    survivor_route("school-supplies", learning.SuppliesView, "survivor-school-supplies"),
    survivor_route(
        "social-protection", learning.SocialProtectionView, "survivor-social-protection"
    ),
    route("employers", network.EmployersView, "employers"),
    route("training-programmes", network.ProgrammesView, "training-programmes"),
    route(
        "training-programmes/<str:programme_id>/cohorts", network.CohortsView, "training-cohorts"
    ),
    route("products", network.ProductsView, "products"),
    route(PRODUCT + "/batches", network.BatchesView, "product-batches"),
    route(PRODUCT + "/sales", network.SalesView, "product-sales"),
    route("wage-standards", network.WageStandardsView, "wage-standards"),
    route("exchange-rates", network.ExchangeRatesView, "exchange-rates"),
    route("households", network.HouseholdsView, "households"),
    route(HOUSEHOLD, network.HouseholdView, "household"),
    route(HOUSEHOLD + "/support", network.HouseholdSupportView, "household-support"),
    route(HOUSEHOLD + "/follow-ups", network.HouseholdFollowUpsView, "household-follow-ups"),
    route("me/livelihood", own.OwnLivelihoodView, "me-livelihood"),
]
