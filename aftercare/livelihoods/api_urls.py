"""The livelihood routes of /api/v1/, included into the `api` namespace by aftercare.urls."""

from django.urls import path

from aftercare.livelihoods.api import learning, network, own, survivors

S = "survivors/<str:survivor_id>/"

urlpatterns = [
    path(S + "placements", survivors.PlacementsView.as_view(), name="survivor-placements"),
    path(
        S + "placements/<str:placement_id>",
        survivors.PlacementView.as_view(),
        name="survivor-placement",
    ),
    path(
        S + "placements/<str:placement_id>/follow-ups/<int:months>",
        survivors.RetentionView.as_view(),
        name="survivor-placement-follow-up",
    ),
    path(S + "savings", survivors.SavingsView.as_view(), name="survivor-savings"),
    path(S + "income", survivors.IncomeView.as_view(), name="survivor-income"),
    path(S + "earnings", survivors.EarningsView.as_view(), name="survivor-earnings"),
    path(
        S + "economic-outcomes",
        survivors.EconomicOutcomesView.as_view(),
        name="survivor-economic-outcomes",
    ),
    path(S + "training", learning.TrainingView.as_view(), name="survivor-training"),
    path(
        S + "training/<str:enrolment_id>",
        learning.TrainingEnrolmentView.as_view(),
        name="survivor-training-enrolment",
    ),
    path(
        S + "training/<str:enrolment_id>/attendance",
        learning.TrainingAttendanceView.as_view(),
        name="survivor-training-attendance",
    ),
    path(S + "education", learning.EducationView.as_view(), name="survivor-education"),
    path(
        S + "education/<str:enrolment_id>",
        learning.SchoolEnrolmentView.as_view(),
        name="survivor-school-enrolment",
    ),
    path(
        S + "education/<str:enrolment_id>/terms",
        learning.SchoolTermsView.as_view(),
        name="survivor-school-terms",
    ),
    path(
        S + "education/<str:enrolment_id>/progressions",
        learning.SchoolProgressionsView.as_view(),
        name="survivor-school-progressions",
    ),
    path(S + "school-supplies", learning.SuppliesView.as_view(), name="survivor-school-supplies"),
    path(
        S + "social-protection",
        learning.SocialProtectionView.as_view(),
        name="survivor-social-protection",
    ),
    path("employers", network.EmployersView.as_view(), name="employers"),
    path("training-programmes", network.ProgrammesView.as_view(), name="training-programmes"),
    path(
        "training-programmes/<str:programme_id>/cohorts",
        network.CohortsView.as_view(),
        name="training-cohorts",
    ),
    path("products", network.ProductsView.as_view(), name="products"),
    path(
        "products/<str:product_id>/batches", network.BatchesView.as_view(), name="product-batches"
    ),
    path("products/<str:product_id>/sales", network.SalesView.as_view(), name="product-sales"),
    path("wage-standards", network.WageStandardsView.as_view(), name="wage-standards"),
    path("exchange-rates", network.ExchangeRatesView.as_view(), name="exchange-rates"),
    path("households", network.HouseholdsView.as_view(), name="households"),
    path("households/<str:household_id>", network.HouseholdView.as_view(), name="household"),
    path(
        "households/<str:household_id>/support",
        network.HouseholdSupportView.as_view(),
        name="household-support",
    ),
    path(
        "households/<str:household_id>/follow-ups",
        network.HouseholdFollowUpsView.as_view(),
        name="household-follow-ups",
    ),
    path("me/livelihood", own.OwnLivelihoodView.as_view(), name="me-livelihood"),
]
