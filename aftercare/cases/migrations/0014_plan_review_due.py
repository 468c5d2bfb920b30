"""When a care plan's review is due, kept on the case (`aftercare.cases.plan_review`) and indexed
for the work queue (issue 18: the queue aggregated every goal and review of the organisation's
open cases, 803 ms at 1,000,000 survivors).

The backfill is the module's rule, frozen here as migrations must be: one UPDATE over the cases with
a goal of the organisations in each time zone (one, in most networks), before the index is made;
then, on PostgreSQL, ANALYZE, so that the planner knows the new column from the start.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Cast, Coalesce, TruncDate

from aftercare.accounts.zones import organisation_zone


def backfill(apps, schema_editor):
    Survivor = apps.get_model("cases", "Survivor")
    Goal = apps.get_model("cases", "Goal")
    PlanReview = apps.get_model("cases", "PlanReview")
    Organisation = apps.get_model("accounts", "Organisation")
    last_review = (
        PlanReview.objects.filter(survivor=models.OuterRef("pk"))
        .order_by("-reviewed_on")
        .values("reviewed_on")[:1]
    )
    goals = Goal.objects.filter(survivor=models.OuterRef("pk"))
    first_goal = goals.order_by("created_at").values("created_at")[:1]
    by_zone = {}
    for organisation in Organisation.objects.only("pk", "time_zone", "country"):
        zone = organisation_zone(organisation)
        by_zone.setdefault(str(zone), (zone, []))[1].append(organisation.pk)
    for zone, ids in by_zone.values():
        since = Coalesce(
            models.Subquery(last_review), TruncDate(models.Subquery(first_goal), tzinfo=zone)
        )
        due = models.Case(
            models.When(
                models.Exists(goals),
                then=Cast(since + timedelta(days=90), models.DateField()),
            ),
            default=models.Value(None, output_field=models.DateField()),
            output_field=models.DateField(),
        )
        # Every date is null before: only the cases with a goal get one.
        Survivor.objects.filter(models.Exists(goals), organisation_id__in=ids).update(
            plan_review_due=due
        )


def analyse(apps, schema_editor):
    """On PostgreSQL, statistics of the new column at once: without them the planner guesses a
    third of the cases are due and sorts them all (measured at 100,000: 90 ms, not 0.05 ms).
    The backfill leaves a dead row per case with a plan; until (auto)vacuum has run, the index
    may still look dearer than it is: on a large database, `VACUUM ANALYZE cases_survivor`
    after migrating (it cannot run inside the migration's transaction)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE cases_survivor")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_organisation_time_zone'),
        ('cases', '0013_scale_indexes'),
        ('network', '0005_service_domains'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='survivor',
            name='plan_review_due',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name='survivor',
            index=models.Index(condition=models.Q(('plan_review_due__isnull', False), ('status__in', ('intake', 'active', 'stable'))), fields=['organisation', 'plan_review_due', 'case_code'], name='survivor_plan_review_due'),
        ),
        migrations.RunPython(analyse, migrations.RunPython.noop, elidable=False),
    ]
