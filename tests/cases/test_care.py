"""What a case holds: duplicates, consent, needs, plan, notes, documents, lifecycle."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from aftercare.accounts.roles import Role
from aftercare.cases import care, services
from aftercare.cases.access import access_case
from aftercare.cases.models import CaseNote, Document, DuplicateToken, Survivor
from aftercare.core.errors import DomainError, StaleVersion, TransitionNotAllowed
from aftercare.network.taxonomy import ServiceDomain
from tests.conftest import actor

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def intake(user, **data):
    survivor, possible = services.intake_survivor(actor(user), {"year_of_birth": 1998, **data})
    return survivor, possible


# Duplicates ---------------------------------------------------------------------------------


def test_possible_duplicate_found_across_organisations_with_other_spelling(
    case_worker_a, case_worker_b
):
    intake(case_worker_a, given_name="Priya", family_name="Mondal")
    _, possible = intake(case_worker_b, given_name="Pria", family_name="Mandal", year_of_birth=1999)
    assert possible.elsewhere_in_network and not possible.in_own_organisation


def test_possible_duplicate_in_own_organisation(case_worker_a):
    intake(case_worker_a, given_name="Moumita", family_name="Sardar")
    _, possible = intake(case_worker_a, given_name="moumita", family_name="SARDAR")
    assert possible.in_own_organisation and not possible.elsewhere_in_network


def test_no_duplicate_for_a_different_person_or_a_distant_birth_year(case_worker_a, case_worker_b):
    intake(case_worker_a, given_name="Priya", family_name="Mondal")
    assert not intake(case_worker_b, given_name="Fatuma", family_name="Juma")[1].found
    assert not intake(case_worker_b, given_name="Priya", family_name="Mondal", year_of_birth=1970)[
        1
    ].found


def test_duplicate_check_reveals_nothing_about_the_other_record(api, case_worker_a, case_worker_b):
    intake(case_worker_a, given_name="Priya", family_name="Mondal")
    person = {"given_name": "Pria", "family_name": "Mandal", "year_of_birth": 1998}
    first = api.as_user(case_worker_b).post("/api/v1/survivors", person, format="json")
    assert first.status_code == 409  # checked before saving (issue 16)
    body = (
        api.as_user(case_worker_b)
        .post("/api/v1/survivors", {**person, "confirm_new": True}, format="json")
        .json()
    )
    assert body["possible_duplicate"] == {
        "in_own_organisation": False,
        "elsewhere_in_network": True,
    }
    text = str(body) + first.content.decode()
    other = Survivor.objects.get(organisation__slug="org-a")
    assert (
        other.case_code not in text
        and str(other.pk) not in text
        and "Priya" not in text
        and "Mondal" not in text
    )


def test_duplicate_tokens_hold_no_plaintext(case_worker_a):
    survivor, _ = intake(case_worker_a, given_name="Priya", family_name="Mondal")
    tokens = list(DuplicateToken.objects.filter(survivor=survivor).values_list("token", flat=True))
    assert tokens and all("priya" not in t.lower() and "mondal" not in t.lower() for t in tokens)


# Consent ------------------------------------------------------------------------------------


def test_consent_withdrawal_takes_effect_at_once(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="verbal")
    assert care.has_consent(survivor_a, "referral")
    care.record_consent(worker, survivor_a, purpose="referral", granted=False, method="verbal")
    assert not care.has_consent(survivor_a, "referral")
    assert survivor_a.consents.count() == 3  # the history stays


def test_consent_for_one_organisation_overrides_the_general_one(case_worker_a, survivor_a, org_b):
    worker = actor(case_worker_a)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=True, method="written"
    )
    care.record_consent(worker, survivor_a, purpose="referral", granted=True, method="verbal")
    care.record_consent(
        worker, survivor_a, purpose="referral", granted=False, method="verbal", organisation=org_b
    )
    assert care.has_consent(survivor_a, "referral")
    assert not care.has_consent(survivor_a, "referral", org_b)


def test_minor_consent_must_come_from_the_guardian(case_worker_a, org_a):
    survivor, _ = intake(
        case_worker_a, given_name="Rina", year_of_birth=2012, guardian_name="Sampa Das"
    )
    with pytest.raises(DomainError):
        care.record_consent(
            actor(case_worker_a),
            survivor,
            purpose="service_delivery",
            granted=True,
            method="verbal",
        )
    care.record_consent(
        actor(case_worker_a),
        survivor,
        purpose="service_delivery",
        granted=True,
        method="written",
        given_by="guardian",
    )
    assert care.has_consent(survivor, "service_delivery")


def test_minor_intake_needs_a_guardian(case_worker_a):
    with pytest.raises(DomainError):
        intake(case_worker_a, given_name="Rina", year_of_birth=2013)


def test_withdrawing_all_consent_anonymises_the_case(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=True, method="written"
    )
    care.write_note(worker, survivor_a, text="She lives near the bus depot", sensitivity="general")
    care.upload_document(worker, survivor_a, kind="identity", filename="id.png", content=PNG)
    care.record_consent(
        worker, survivor_a, purpose="service_delivery", granted=False, method="verbal"
    )
    survivor = Survivor.objects.get(pk=survivor_a.pk)
    assert (
        survivor.anonymised_at
        and survivor.given_name == ""
        and survivor.family_name == ""
        and survivor.name_index == ""
    )
    assert (survivor.status, survivor.closure_reason) == ("closed", "consent_withdrawn")
    assert survivor.year_of_birth == 1999 and survivor.exploitation_types == [
        "sexual"
    ]  # statistics kept
    assert not Document.objects.filter(survivor=survivor).exists()
    assert CaseNote.objects.get(survivor=survivor).text == ""
    assert not DuplicateToken.objects.filter(survivor=survivor).exists()


# Needs and plan -----------------------------------------------------------------------------


def test_needs_assessment_repeats_and_a_domain_not_assessed_is_not_no_need(
    case_worker_a, survivor_a
):
    worker = actor(case_worker_a)
    care.assess_needs(worker, survivor_a, {"housing": "urgent", "legal": "high"})
    care.assess_needs(worker, survivor_a, {"housing": "low", "medical": "none", "legal": ""})
    needs = care.current_needs(survivor_a)
    # Only what was assessed is held: "none" where she was asked, nothing where nobody asked.
    assert needs == {"housing": "low", "medical": "none"}
    assert survivor_a.needs_assessments.count() == 2


def test_an_assessment_of_nothing_is_refused(case_worker_a, survivor_a):
    with pytest.raises(care.NeedsInvalid):
        care.assess_needs(actor(case_worker_a), survivor_a, {"housing": "", "legal": ""})
    assert not survivor_a.needs_assessments.exists()


def test_the_needs_form_starts_every_domain_as_not_assessed(web_login, case_worker_a, survivor_a):
    from aftercare.cases.forms import NeedsForm

    form = NeedsForm()
    assert all(
        field.initial == "" and field.choices[0] == ("", "Not assessed")
        for field in form.fields.values()
    )
    assert NeedsForm(current={"housing": "high"}).fields["housing"].initial == "high"
    # The needs form is read when its section is opened (casefile.forms_on_open, issue 18).
    page = web_login(case_worker_a).get(f"/cases/{survivor_a.pk}/forms/needs/").content.decode()
    assert '<option value="none" selected>' not in page
    assert page.count('<option value="" selected>Not assessed</option>') == len(ServiceDomain)


def test_the_needs_form_posted_with_one_need_records_only_that_one(
    web_login, case_worker_a, survivor_a
):
    from aftercare.network.taxonomy import ServiceDomain

    client = web_login(case_worker_a)
    response = client.post(
        f"/cases/{survivor_a.pk}/needs/",
        {**dict.fromkeys(ServiceDomain.values, ""), "housing": "high"},
        follow=True,
    )
    assert care.current_needs(survivor_a) == {"housing": "high"}
    page = response.content.decode()
    assert (
        page.count("Not assessed</span>") == len(ServiceDomain) - 1
        and '<span class="need__level">High</span>' in page
    )


def test_the_success_message_appears_in_the_section_where_she_acted(
    web_login, case_worker_a, survivor_a
):
    response = web_login(case_worker_a).post(
        f"/cases/{survivor_a.pk}/needs/", {"housing": "high"}, follow=True
    )
    page = response.content.decode()
    needs = page[page.index('<section id="needs"') :]
    needs = needs[: needs.index("</section>")]
    assert 'role="status"' in needs and "Needs assessment saved." in needs
    assert page.count("Needs assessment saved.") == 1  # not also at the top of the page


def test_a_refused_needs_form_says_so_in_its_section(web_login, case_worker_a, survivor_a):
    response = web_login(case_worker_a).post(
        f"/cases/{survivor_a.pk}/needs/", {"housing": ""}, follow=True
    )
    page = response.content.decode()
    needs = page[page.index('<section id="needs"') :]
    assert "Assess at least one service domain." in needs[: needs.index("</section>")]
    assert not survivor_a.needs_assessments.exists()


def test_needs_api_rejects_unknown_domain_and_level(api, case_worker_a, survivor_a):
    response = api.as_user(case_worker_a).post(
        f"/api/v1/survivors/{survivor_a.pk}/needs-assessments",
        {"needs": {"housing": "desperate", "flying": "high"}},
        format="json",
    )
    assert response.status_code == 400 and "needs" in response.json()["errors"]
    assert not survivor_a.needs_assessments.exists()


def test_goal_in_the_survivors_words_and_stale_update(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    goal = care.add_goal(
        worker, survivor_a, {"domain": "employment", "description": "Open my own tailoring shop"}
    )
    care.update_goal(worker, goal, {"status": "in_progress"}, version=1)
    with pytest.raises(StaleVersion):
        care.update_goal(worker, goal, {"status": "achieved"}, version=1)
    goal.refresh_from_db()
    assert (goal.status, goal.version) == ("in_progress", 2)


def test_goals_api_round_trip(api, case_worker_a, survivor_a):
    client = api.as_user(case_worker_a)
    created = client.post(
        f"/api/v1/survivors/{survivor_a.pk}/goals",
        {"domain": "education", "description": "Finish grade 10", "target_date": "2027-06-30"},
        format="json",
    )
    assert created.status_code == 201
    listed = client.get(f"/api/v1/survivors/{survivor_a.pk}/goals").json()
    assert listed["count"] == 1 and listed["results"][0]["description"] == "Finish grade 10"


def test_service_in_the_future_is_refused(api, case_worker_a, survivor_a, org_a):
    response = api.as_user(case_worker_a).post(
        f"/api/v1/survivors/{survivor_a.pk}/services",
        {"domain": "medical", "organisation": str(org_a.pk), "date": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "date" in response.json()["errors"]


# Notes and documents ------------------------------------------------------------------------


def test_clinical_notes_are_hidden_from_non_clinicians(org_a, make_member, survivor_a):
    clinician = make_member(org_a, Role.CASE_WORKER)
    clinician.memberships.update(clinical=True)
    worker = make_member(org_a, Role.CASE_WORKER)
    supervisor = make_member(org_a, Role.SUPERVISOR)
    care.write_note(actor(clinician), survivor_a, text="PCL-5 score 41", sensitivity="clinical")
    care.write_note(actor(worker), survivor_a, text="Attended the job fair", sensitivity="general")
    assert {n.text for n in care.notes_visible_to(actor(clinician), survivor_a)} == {
        "Attended the job fair",
        "PCL-5 score 41",
    }
    for other in (worker, supervisor):
        assert [n.text for n in care.notes_visible_to(actor(other), survivor_a)] == [
            "Attended the job fair"
        ]
    with pytest.raises(DomainError):
        care.write_note(actor(worker), survivor_a, text="x", sensitivity="clinical")


def test_clinical_note_not_on_the_page_for_a_non_clinician(
    web_login, org_a, make_member, survivor_a
):
    clinician = make_member(org_a, Role.CASE_WORKER)
    clinician.memberships.update(clinical=True)
    care.write_note(
        actor(clinician), survivor_a, text="Nightmares most nights", sensitivity="clinical"
    )
    page = web_login(make_member(org_a, Role.CASE_WORKER)).get(f"/cases/{survivor_a.pk}/")
    assert b"Nightmares" not in page.content


def test_other_organisations_clinician_sees_no_notes(org_a, org_b, make_member, survivor_a):
    clinician_a = make_member(org_a, Role.CASE_WORKER)
    clinician_a.memberships.update(clinical=True)
    care.write_note(actor(clinician_a), survivor_a, text="secret", sensitivity="clinical")
    user = make_member(org_b, Role.CASE_WORKER)
    user.memberships.update(clinical=True)
    assert not care.notes_visible_to(actor(user), survivor_a).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"MZ\x90\x00 an executable", "Only PDF, PNG and JPEG"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MB"),
    ],
)
def test_bad_documents_get_a_clear_error_and_nothing_is_stored(
    case_worker_a, survivor_a, content, message
):
    with pytest.raises(DomainError, match=message):
        care.upload_document(
            actor(case_worker_a), survivor_a, kind="other", filename="x.pdf", content=content
        )
    assert not Document.objects.exists()


def test_documents_are_encrypted_at_rest_and_read_back(case_worker_a, survivor_a):
    document = care.upload_document(
        actor(case_worker_a), survivor_a, kind="identity", filename="passport.png", content=PNG
    )
    stored = bytes(Document.objects.get(pk=document.pk).content)
    assert not stored.startswith(b"\x89PNG")
    assert care.read_document(actor(case_worker_a), document) == PNG


def test_document_upload_page_rejects_a_text_file(web_login, case_worker_a, survivor_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web_login(case_worker_a)
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = client.post(
        f"/cases/{survivor_a.pk}/documents/", {"kind": "other", "file": upload}, follow=True
    )
    assert b"Only PDF, PNG and JPEG files can be uploaded." in response.content
    assert not Document.objects.exists()


# Lifecycle ----------------------------------------------------------------------------------


def test_lifecycle_close_with_reason_and_reopen_keeps_history(case_worker_a, survivor_a):
    worker = actor(case_worker_a)
    survivor = services.update_survivor(worker, survivor_a, {"status": "stable"}, 1)
    survivor = services.update_survivor(
        worker, survivor, {"status": "closed", "closure_reason": "self_sufficient"}, 2
    )
    assert survivor.closed_at and survivor.closure_reason == "self_sufficient"
    survivor = services.update_survivor(worker, survivor, {"status": "active"}, 3)
    assert survivor.closure_reason == "" and survivor.closed_at is None
    assert list(
        survivor.status_changes.order_by("changed_at").values_list("to_status", flat=True)
    ) == ["stable", "closed", "active"]


def test_closing_without_a_reason_is_refused(case_worker_a, survivor_a):
    with pytest.raises(DomainError):
        services.update_survivor(actor(case_worker_a), survivor_a, {"status": "closed"}, 1)


def test_illegal_transition_is_409_in_the_api(api, case_worker_a, org_a):
    from tests.factories import SurvivorFactory

    survivor = SurvivorFactory(organisation=org_a, status="intake")
    response = api.as_user(case_worker_a).patch(
        f"/api/v1/survivors/{survivor.pk}", {"status": "stable", "version": 1}, format="json"
    )
    assert response.status_code == 409 and "status" in response.json()["errors"]


def test_stale_write_409_names_the_fields_that_changed(api, case_worker_a, survivor_a):
    client = api.as_user(case_worker_a)
    client.patch(
        f"/api/v1/survivors/{survivor_a.pk}",
        {"phone": "+27 11 000 0000", "version": 1},
        format="json",
    )
    stale = client.patch(
        f"/api/v1/survivors/{survivor_a.pk}", {"address": "x", "version": 1}, format="json"
    )
    assert stale.status_code == 409 and "phone" in stale.json()["errors"]["version"][0]


def test_stale_write_on_the_page_shows_what_changed(web_login, case_worker_a, survivor_a):
    services.update_survivor(actor(case_worker_a), survivor_a, {"phone": "+27 11 000 0000"}, 1)
    client = web_login(case_worker_a)
    response = client.post(
        f"/cases/{survivor_a.pk}/edit/",
        {"given_name": "Lindiwe", "family_name": "Mokoena", "gender": "woman", "version": 1},
    )
    assert response.status_code == 409
    assert b"Phone" in response.content and b"Someone else saved this case" in response.content


@pytest.mark.parametrize(
    "role", [Role.REFERRAL_SOURCE, Role.ME_OFFICER, Role.NETWORK_COORDINATOR, Role.SURVIVOR]
)
def test_lower_roles_cannot_touch_case_records(org_a, make_member, survivor_a, role):
    user = make_member(org_a, role)
    with pytest.raises(Http404):
        access_case(actor(user), survivor_a.pk)
    with pytest.raises(PermissionDenied):
        care.record_consent(
            actor(user), survivor_a, purpose="referral", granted=True, method="verbal"
        )


def test_other_organisation_posts_to_case_pages_get_404(web_login, case_worker_b, survivor_a):
    client = web_login(case_worker_b)
    for path in ("notes/", "goals/", "needs/", "consent/", "documents/", "status/", "legal/"):
        assert client.post(f"/cases/{survivor_a.pk}/{path}", {}).status_code == 404


def test_transition_table_refuses_reopen_to_stable(case_worker_a, org_a):
    from tests.factories import SurvivorFactory

    survivor = SurvivorFactory(organisation=org_a, status="closed", closure_reason="relocated")
    with pytest.raises(TransitionNotAllowed):
        services.update_survivor(actor(case_worker_a), survivor, {"status": "stable"}, 1)


def test_a_large_document_upload_never_touches_the_disk(
    web_login, case_worker_a, survivor_a, monkeypatch
):
    from django.core.files import uploadedfile
    from django.core.files.uploadedfile import SimpleUploadedFile

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", refuse)
    big_pdf = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)  # above Django's 2.5 MB in-memory default
    upload = SimpleUploadedFile("scan.pdf", big_pdf, content_type="application/pdf")
    web_login(case_worker_a).post(
        f"/cases/{survivor_a.pk}/documents/", {"kind": "identity", "file": upload}
    )
    assert Document.objects.get(survivor=survivor_a).size == len(big_pdf)


def test_case_page_forms_record_plan_needs_services_notes_and_status(
    web_login, case_worker_a, survivor_a, org_a
):
    client = web_login(case_worker_a)
    base = f"/cases/{survivor_a.pk}"
    client.post(
        f"{base}/goals/",
        {"domain": "employment", "description": "Sell my bags", "status": "not_started"},
    )

    client.post(
        f"{base}/needs/", {**dict.fromkeys(ServiceDomain.values, "none"), "housing": "urgent"}
    )
    client.post(
        f"{base}/services/",
        {"domain": "housing", "organisation": str(org_a.pk), "date": "2026-01-05"},
    )
    client.post(f"{base}/notes/", {"sensitivity": "general", "text": "Met at the centre"})
    response = client.post(
        f"{base}/status/", {"status": "closed", "closure_reason": "", "version": 1}, follow=True
    )
    assert b"Say why the case is closed." in response.content  # refused with a clear message
    client.post(f"{base}/status/", {"status": "stable", "closure_reason": "", "version": 1})
    survivor_a.refresh_from_db()
    assert survivor_a.goals.get().description == "Sell my bags"
    assert care.current_needs(survivor_a)["housing"] == "urgent"
    assert survivor_a.services.count() == 1 and survivor_a.notes.count() == 1
    assert survivor_a.status == "stable"
