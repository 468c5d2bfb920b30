"""Portal accounts: a survivor's own sign-in, linked one-to-one to their case.

A case worker of the organisation holding the case creates it with the survivor, from the
case page or `aftercare survivor-account`. The survivor signs in with the username or the
phone number, and a PIN (six or more digits, hashed like a password) or a password.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts import identity
from aftercare.accounts.models import Membership, User
from aftercare.accounts.policy import Action, Actor, require
from aftercare.accounts.roles import Role
from aftercare.audit.models import AuditAction
from aftercare.audit.services import record
from aftercare.cases.access import require_holder
from aftercare.cases.models import Survivor
from aftercare.core import crypto
from aftercare.core.errors import DomainError
from aftercare.voice.models import SurvivorAccount

PIN_PATTERN = re.compile(r"^\d{6,12}$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{3,40}$")
USERNAME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountExists(DomainError):
    status_code = 409
    code = "account_exists"


def normalise_phone(raw: str) -> str:
    """The last nine digits: "+27 82 123 4567" and "082 123 4567" are the same phone."""
    digits = re.sub(r"\D", "", raw or "")
    return digits[-9:] if len(digits) >= 9 else ""


def phone_index(raw: str) -> str:
    digits = normalise_phone(raw)
    return crypto.blind_index(f"survivor-phone:{digits}") if digits else ""


def check_pin_rules(pin: str) -> None:
    """Six to twelve digits, not one digit repeated and not a straight run like 123456."""
    if not PIN_PATTERN.match(pin or ""):
        raise DomainError(_("A PIN is 6 to 12 digits."), field="pin")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise DomainError(
            _(
                "This PIN is too easy to guess. Choose "
                "digits that do not repeat or follow in order."
            ),
            field="pin",
        )


def new_pin() -> str:
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(6))
        try:
            check_pin_rules(pin)
        except DomainError:
            continue
        return pin


def _new_username() -> str:
    for _attempt in range(20):
        name = "s-" + "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(6))
        if not User.objects.filter(username=name).exists():
            return name
    raise DomainError(_("Could not choose a username; try again."), field="username")


def _language_for(survivor: Survivor) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    return next((code for code in survivor.languages or [] if code in supported), "")


@transaction.atomic
def link_account(
    actor: Actor,
    survivor: Survivor,
    *,
    username: str = "",
    pin: str = "",
    phone: str = "",
    use_case_phone: bool = False,
) -> tuple[SurvivorAccount, str]:
    """Create the survivor's sign-in for their own case; returns the account and the PIN to
    tell the survivor (the one given, or a new one). The PIN is never shown again."""
    require(actor, Action.MANAGE_PORTAL_ACCOUNTS)
    require_holder(actor, survivor)
    if survivor.anonymised_at:
        raise DomainError(_("This case was anonymised; it cannot have a portal account."))
    if SurvivorAccount.objects.filter(survivor=survivor).exists():
        raise AccountExists(_("This survivor already has a portal account."))
    username = (username or "").strip().lower() or _new_username()
    if not USERNAME_PATTERN.match(username):
        raise DomainError(
            _("Use 3 to 40 lower-case letters, digits, dots, dashes or underscores."),
            field="username",
        )
    if User.objects.filter(username=username).exists():
        raise DomainError(_("That username is taken."), field="username")
    if pin:
        check_pin_rules(pin)
    else:
        pin = new_pin()
    phone = survivor.phone if use_case_phone and not phone else phone
    if phone and not normalise_phone(phone):
        raise DomainError(_("A phone number has at least nine digits."), field="phone")
    user = User(
        username=username, preferred_language=_language_for(survivor), two_factor_exempt=False
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organisation=survivor.organisation, role=Role.SURVIVOR)
    account = SurvivorAccount(
        user=user, survivor=survivor, phone_index=phone_index(phone), created_by=actor.user
    )
    account.set_pin(pin)
    account.save()
    record(
        actor,
        AuditAction.CREATE,
        account,
        fields=["username", "pin", *(["phone"] if phone else [])],
    )
    return account, pin


def get_account(actor: Actor, survivor: Survivor) -> SurvivorAccount | None:
    require(actor, Action.MANAGE_PORTAL_ACCOUNTS)
    require_holder(actor, survivor)
    return SurvivorAccount.objects.filter(survivor=survivor).select_related("user").first()


@transaction.atomic
def reset_pin(actor: Actor, survivor: Survivor, pin: str = "") -> str:
    """A new PIN, for a survivor who forgot theirs; reopens a closed account."""
    account = get_account(actor, survivor)
    if account is None:
        raise DomainError(_("This survivor has no portal account yet."))
    if pin:
        check_pin_rules(pin)
    else:
        pin = new_pin()
    account.set_pin(pin)
    account.is_active = True
    account.save(update_fields=["pin_hash", "is_active"])
    User.objects.filter(pk=account.user_id).update(is_active=True)
    identity.forget(account.user_id)
    record(actor, AuditAction.UPDATE, account, fields=["pin"])
    return pin


@transaction.atomic
def close_account(actor: Actor | None, account: SurvivorAccount, reason: str = "") -> None:
    """No more sign-in (the case is kept): by the case worker, or when the case is anonymised."""
    if actor is not None:
        require(actor, Action.MANAGE_PORTAL_ACCOUNTS)
        require_holder(actor, account.survivor)
    account.is_active = False
    account.phone_index = ""
    account.save(update_fields=["is_active", "phone_index"])
    User.objects.filter(pk=account.user_id).update(is_active=False)
    identity.forget(account.user_id)
    record(actor, AuditAction.UPDATE, account, fields=["is_active"], reason=reason)


@transaction.atomic
def change_own_pin(account: SurvivorAccount, current: str, new: str) -> None:
    if not (account.check_pin(current) or account.user.check_password(current)):
        raise DomainError(_("Your current PIN is not right."), field="current")
    check_pin_rules(new)
    account.set_pin(new)
    account.save(update_fields=["pin_hash"])
    record(
        account.user,
        AuditAction.UPDATE,
        account,
        fields=["pin"],
        organisation_id=account.survivor.organisation_id,
    )


def remember_language(user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    identity.forget(user.pk)
    user.preferred_language = language


def accounts_for_identifier(identifier: str):
    """Active accounts whose username is `identifier`, or whose phone matches it."""
    identifier = (identifier or "").strip()
    live = SurvivorAccount.objects.filter(is_active=True, user__is_active=True).select_related(
        "user"
    )
    by_name = list(live.filter(user__username=identifier))
    index = phone_index(identifier) if not by_name else ""
    return by_name or (list(live.filter(phone_index=index)) if index else [])


def active_account(user) -> SurvivorAccount | None:
    """The signed-in user's own portal account, if they are a survivor with one."""
    if user is None or not user.is_authenticated:
        return None
    account = (
        SurvivorAccount.objects.filter(user=user, is_active=True)
        .select_related("survivor", "survivor__organisation")
        .first()
    )
    if account is None or account.survivor.anonymised_at:
        return None
    if not any(  # the memberships the request's identity was loaded with (no query)
        m.role == Role.SURVIVOR and m.organisation_id == account.survivor.organisation_id
        for m in user.active_membership_list()
    ):
        return None
    return account


# Sign-in failures (django-axes) ---------------------------------------------------------------

PORTAL_KEY = "portal:"


def lockout_key(identifier: str) -> str:
    """What django-axes counts sign-in failures under (AXES_USERNAME_CALLABLE).

    A survivor reaches the same account by its username or by the phone number in any
    spelling (`0825550777`, `+27 82 555 0777`, `x825550777`, dashes, brackets...), so every
    identifier that leads to a portal account counts under that one account, `portal:<username>`,
    and a phone number that leads to none or to several shared accounts counts under a keyed
    hash of its last nine digits, never the number. Anything else (staff usernames) counts
    as typed, as before.
    """
    identifier = (identifier or "").strip()
    if not identifier:
        return identifier
    user = User.objects.filter(username=identifier.lower()).only("pk", "username").first()
    if user is not None:
        has_account = SurvivorAccount.objects.filter(user=user).exists()
        return f"{PORTAL_KEY}{user.username}" if has_account else identifier
    index = phone_index(identifier) if PHONE_SPELLING.match(identifier) else ""
    if not index:
        return identifier
    usernames = sorted(
        SurvivorAccount.objects.filter(phone_index=index).values_list("user__username", flat=True)
    )
    if len(usernames) == 1:
        return f"{PORTAL_KEY}{usernames[0]}"
    return f"{PORTAL_KEY}phone-{index[:24]}"


# A phone number as people write it: digits with spaces, dashes, dots, brackets, a leading +
# or a stray letter or two (`x825550777`), at least nine digits in all.
PHONE_SPELLING = re.compile(r"^[+(]?[A-Za-z]{0,2}[\d\s().\-/+]{9,30}$")


def axes_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the lockout key of the identifier being tried."""
    from axes.conf import settings as axes_settings

    field = axes_settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = request.POST.get(field, "") if hasattr(request, "POST") else ""
    return lockout_key(str(raw or ""))


def axes_lockout_parameters(request_or_attempt, credentials=None) -> list:
    """AXES_LOCKOUT_PARAMETERS: a portal account locks by its key alone, from any address
    (a six-digit PIN must not be guessable from many addresses); staff by username and
    address together, as before."""
    if credentials is not None:
        key = axes_username(request_or_attempt, credentials)
    else:
        key = getattr(request_or_attempt, "username", None) or axes_username(
            request_or_attempt, None
        )
    if str(key or "").startswith(PORTAL_KEY):
        return ["username"]
    return [["username", "ip_address"]]


DAY_SECONDS = 24 * 3600


def _daily_key(key: str) -> str:
    return f"voice:portal-failures:{crypto.blind_index(key)}"


def note_failed_sign_in(sender, credentials=None, request=None, **kwargs) -> None:
    """(user_login_failed) The backoff beyond axes' lockout: failures per portal account over a
    day, whichever spelling, whichever address, so that waiting out each cool-off does not
    allow guessing on and on."""
    key = lockout_key(str((credentials or {}).get("username") or ""))
    if not key.startswith(PORTAL_KEY):
        return
    if not cache.add(_daily_key(key), 1, DAY_SECONDS):
        try:
            cache.incr(_daily_key(key))
        except ValueError:  # expired between add and incr
            cache.add(_daily_key(key), 1, DAY_SECONDS)


def paused_for_the_day(identifier: str) -> bool:
    """Whether the account this identifier reaches had AFTERCARE_PORTAL_DAILY_FAILURE_LIMIT
    failed sign-ins within a day: then sign-in waits until the day is over."""
    key = lockout_key(identifier)
    if not key.startswith(PORTAL_KEY):
        return False
    return int(cache.get(_daily_key(key)) or 0) >= settings.AFTERCARE_PORTAL_DAILY_FAILURE_LIMIT


class SurvivorBackend(ModelBackend):
    """Sign-in for survivors: the username or phone number, with the PIN or the password.

    Listed after django-axes' backend, so failures count towards the same lockout as staff
    sign-in, keyed on what was typed as the username.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password or paused_for_the_day(username):
            return None
        for account in accounts_for_identifier(username):
            user = account.user
            by_phone = user.username != username.strip()
            if (
                account.check_pin(password) or (by_phone and user.check_password(password))
            ) and self.user_can_authenticate(user):
                return user
        return None
