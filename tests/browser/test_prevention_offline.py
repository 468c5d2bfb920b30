"""In a real browser with the network cut: a field worker records a dialogue's attendance, a new
dialogue and a school follow-up with no signal, reloads the page (served by the service
worker), comes back online and syncs. Each record reaches the server once, however often it is
sent; the count someone changed on the server meanwhile is shown as a conflict and sent over
theirs only when the field worker chooses. Every state is checked with axe-core at desktop and
360 px and watched for console errors (the CSP would report any inline script).
"""

from __future__ import annotations

from datetime import date

import pytest

from aftercare.accounts.roles import Role
from aftercare.core.policy import Actor
from aftercare.prevention import community
from aftercare.prevention.models import CommunityActivity, SchoolFollowUp, Submission
from tests.browser.fixtures import sign_in
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_device,
)
from tests.prevention.factories import ActivityFactory, SchoolCaseFactory, SchoolFactory, karamoja

pytestmark = pytest.mark.browser

REQUEUE = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("aftercare-capture", 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const store = db.transaction("records", "readwrite").objectStore("records");
  const records = await new Promise((resolve) => {
    const r = store.getAll();
    r.onsuccess = () => resolve(r.result);
  });
  const sent = records.filter((record) => record.state === "sent");
  const again = db.transaction("records", "readwrite").objectStore("records");
  for (const record of sent) { record.state = "waiting"; delete record.answer; again.put(record); }
  await new Promise((resolve) => { again.transaction.oncomplete = resolve; });
  return sent.length;
}"""


@pytest.fixture
def field(db):
    regions = karamoja()
    organisation = OrganisationFactory(
        slug="napak-cpp", name="Napak Child Protection Partnership", country="UG"
    )
    user = UserFactory(username="fw_offline")
    MembershipFactory(user=user, organisation=organisation, role=Role.FIELD_WORKER)
    planned = ActivityFactory(
        organisation=organisation,
        held_on=date(2025, 5, 2),
        region=regions["lokopo"],
        venue="Meeting tree",
    )
    disputed = ActivityFactory(
        organisation=organisation,
        held_on=date(2025, 5, 9),
        region=regions["lopeei"],
        venue="Parish hall",
    )
    school = SchoolFactory(organisation=organisation, name="Lokopo Primary School")
    case = SchoolCaseFactory(
        school=school,
        reference="LPS-07",
        stage="reported",
        reported_on=date(2025, 3, 4),
        reported_to="police",
    )
    return {
        "user": user,
        "device": totp_device(user),
        "organisation": organisation,
        "planned": planned,
        "disputed": disputed,
        "case": case,
    }


def fill_grid(form, counts: dict[str, int]):
    for label, value in counts.items():
        form.get_by_label(label, exact=True).fill(str(value))


def test_records_made_offline_sync_once_with_conflicts_shown(watched_page, live_server, field):
    from playwright.sync_api import expect

    page = watched_page.page
    context = page.context
    base = live_server.url
    sign_in(page, base, field["user"], field["device"])

    page.goto(f"{base}/prevention/capture/")
    expect(page.locator("h1")).to_have_text("Field capture")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now controlled by the worker, which has kept the page and its files
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    watched_page.audit("prevention-capture-01-online")

    # No signal.
    context.set_offline(True)
    expect(page.locator("#net-state")).to_contain_text("Offline")

    attendance = page.locator("form[data-capture=attendance]")
    attendance.get_by_label("Which one").select_option(str(field["planned"].pk))
    fill_grid(
        attendance,
        {
            "Female, 18–35": 21,
            "Female, 36–59": 9,
            "Male, 18–35": 8,
            "Male, 36–59": 4,
            "Male, Under 18": 3,
        },
    )
    expect(attendance.locator("output[data-total]")).to_have_text("45")
    attendance.get_by_role("button", name="Save the attendance").click()
    expect(page.locator(".outbox__item--waiting")).to_have_count(
        1
    )  # kept before the next form is filled

    attendance.get_by_label("Which one").select_option(str(field["disputed"].pk))
    fill_grid(attendance, {"Female, 18–35": 10, "Male, 18–35": 10})
    attendance.get_by_role("button", name="Save the attendance").click()
    expect(page.locator(".outbox__item--waiting")).to_have_count(2)

    new = page.locator("form[data-capture=activity]")
    new.get_by_label("Date").fill("2025-05-20")
    new.get_by_label("Place").select_option("ug-napak-lopeei")
    new.get_by_label("Education for children, especially girls").check()
    new.get_by_label("Venue").fill("Lopeei market")
    fill_grid(new, {"Female, 18–35": 12, "Male, 36–59": 6})
    new.get_by_role("button", name="Save the dialogue or event").click()
    expect(page.locator(".outbox__item--waiting")).to_have_count(3)

    follow = page.locator("form[data-capture=follow_up]")
    follow.get_by_label("Case (school and the school's reference)").select_option(
        str(field["case"].pk)
    )
    follow.get_by_label("Date").fill("2025-05-21")
    follow.get_by_label("Outcome").select_option("in_school")
    follow.get_by_role("button", name="Save the follow-up").click()

    expect(page.locator(".outbox__item--waiting")).to_have_count(4)
    expect(page.locator("#queue-state")).to_contain_text("Waiting to send: 4")
    assert not Submission.objects.exists()

    # Still no signal: the page comes from the service worker, the records from IndexedDB.
    page.reload()
    expect(page.locator("h1")).to_have_text("Field capture")
    expect(page.locator(".outbox__item--waiting")).to_have_count(4)
    watched_page.audit("prevention-capture-02-offline-reloaded")

    # Meanwhile a colleague counts the disputed dialogue on the server.
    supervisor = Actor(user=None, organisation=field["organisation"], role=Role.SUPERVISOR)
    community.set_attendance(
        supervisor, field["disputed"].pk, {"female": {"18_35": 30}, "male": {"18_35": 5}}, 1
    )

    # Signal again: the page sends what waits, by itself.
    context.set_offline(False)
    expect(page.locator(".outbox__item--sent")).to_have_count(3)
    expect(page.locator(".outbox__item--conflict")).to_have_count(1)
    conflict = page.locator(".outbox__item--conflict")
    expect(conflict).to_contain_text("was changed on the server after you counted it")
    expect(conflict.locator("table")).to_contain_text("On the server")
    watched_page.audit("prevention-capture-03-synced-with-conflict")

    def server_state():
        return (
            CommunityActivity.objects.count(),
            Submission.objects.count(),
            SchoolFollowUp.objects.count(),
            CommunityActivity.objects.get(pk=field["planned"].pk).version,
        )

    assert server_state() == (3, 4, 1, 2)
    planned = community.current_counts(CommunityActivity.objects.get(pk=field["planned"].pk))
    assert planned["female"]["18_35"] == 21 and planned["male"]["under_18"] == 3

    # The answers were lost (say): the phone sends the same records again. Nothing is added.
    assert page.evaluate(REQUEUE) == 3
    page.reload()
    expect(page.locator(".outbox__item--sent")).to_have_count(3)
    page.evaluate(
        "async () => { while (document.getElementById('capture').dataset.waiting !== '0') "
        "await new Promise((r) => setTimeout(r, 50)); }"
    )
    assert server_state() == (3, 4, 1, 2)

    # The field worker chooses to send their count over the colleague's.
    page.locator(".outbox__item--conflict").get_by_role(
        "button", name="Send mine over theirs"
    ).click()
    expect(page.locator(".outbox__item--conflict")).to_have_count(0)
    expect(page.locator(".outbox__item--sent")).to_have_count(4)
    disputed = CommunityActivity.objects.get(pk=field["disputed"].pk)
    assert disputed.version == 3 and community.current_counts(disputed)["male"]["18_35"] == 10
    assert Submission.objects.count() == 5

    watched_page.assert_accessible()
    # Chromium logs every non-2xx answer to fetch(); the conflict's 409 is the one expected.
    assert watched_page.console_errors(allow=("status of 409 (Conflict)",)) == []


def test_the_prevention_pages_are_accessible_at_desktop_and_360_px(
    watched_page, live_server, field
):
    """The supervisor's pages with figures in them: overview, indicators, a school, a dialogue,
    the by-laws and a survey's change, each checked with axe-core."""
    from playwright.sync_api import expect

    from aftercare.prevention import kap, milestones, schools
    from tests.prevention.test_kap import SPEC

    organisation = field["organisation"]
    user = UserFactory(username="sup_pages")
    MembershipFactory(user=user, organisation=organisation, role=Role.SUPERVISOR)
    boss = Actor(user=user, organisation=organisation, role=Role.SUPERVISOR)
    today = date.today()
    community.set_attendance(
        boss, field["planned"].pk, {"female": {"18_35": 20}, "male": {"18_35": 8}}, 1
    )
    schools.record_session(
        boss,
        field["case"].school,
        held_on=today,
        topic="Reporting",
        teachers_female=5,
        teachers_male=3,
    )
    by_law = milestones.add_instrument(
        boss, title="Lokopo by-law", kind="by_law", region=field["planned"].region, drafted_on=today
    )
    milestones.advance(boss, by_law.pk, to="lobbied", reached_on=today, version=1)
    survey = kap.define_survey(boss, SPEC)
    baseline = kap.add_round(
        boss,
        survey.pk,
        kind="baseline",
        label="Baseline",
        started_on="2025-01-01",
        ended_on="2025-01-31",
    )
    follow = kap.add_round(
        boss,
        survey.pk,
        kind="follow_up",
        label="Follow-up",
        started_on="2025-06-01",
        ended_on="2025-06-30",
    )
    row = {"community": "ug-napak-lokopo", "sex": "male", "age_group": "18_35"}
    kap.record_responses(
        boss,
        baseline.pk,
        [{**row, "collected_on": "2025-01-05", "answers": {"girls-school": 2}}] * 8,
    )
    kap.record_responses(
        boss, follow.pk, [{**row, "collected_on": "2025-06-05", "answers": {"girls-school": 4}}] * 8
    )

    page = watched_page.page
    base = live_server.url
    sign_in(page, base, user, totp_device(user))
    for name, path, heading in [
        ("overview", "/prevention/", "Prevention"),
        ("indicators", "/prevention/indicators/", "Prevention indicators"),
        ("school", f"/prevention/schools/{field['case'].school_id}/", "Lokopo Primary School"),
        (
            "dialogue",
            f"/prevention/activities/{field['planned'].pk}/",
            "Community dialogue, Lokopo",
        ),
        ("policy", "/prevention/policy/", "Policy milestones"),
        ("survey", f"/prevention/surveys/{survey.pk}/", "Napak child protection KAP"),
    ]:
        page.goto(base + path)
        expect(page.locator("h1")).to_have_text(heading)
        watched_page.audit(f"prevention-{name}")
    watched_page.assert_accessible()
    assert watched_page.console_errors() == []
