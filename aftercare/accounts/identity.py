"""Who is signed in, read once and kept in the cache until it changes.

Every signed-in request needs the user, the second-factor device the session passed, and
the memberships that make the actor: three queries before any view runs. They change rarely,
so `load_user` keeps them in the cache under the user's id and rebuilds the model instances
from it. Anything that changes them (saving or deleting a user, a membership, an
organisation or an OTP device, and the few queryset `update()`s in the code) calls `forget`,
at once and again when the transaction commits, so a role change, a deactivation or a reset
of the second factor takes effect on the very next request.

Nothing secret is cached: not the password hash (only the session's auth hash, which the
session itself holds), not a device's key, not an organisation's encrypted contacts. Those
fields are left deferred on the rebuilt instances and read from the database if touched.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY

from aftercare.accounts.models import Membership, Organisation, User

KEY = "aftercare:identity:v2:{}"  # v2: the organisation carries its time zone
USER_FIELDS = [f.attname for f in User._meta.concrete_fields if f.attname != "password"]
MEMBERSHIP_FIELDS = [f.attname for f in Membership._meta.concrete_fields]
ORGANISATION_FIELDS = [
    "id",
    "slug",
    "name",
    "kind",
    "country",
    "time_zone",
    "region_id",
    "is_active",
    "created_at",
    "version",
]
DEVICE_FIELDS = ["id", "user_id", "name", "confirmed"]


def cache_seconds() -> int:
    return settings.SESSION_COOKIE_AGE


def forget(user_id) -> None:
    """Drop the cached identity of this user now and when the current transaction commits."""
    key = KEY.format(user_id)
    cache.delete(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(key))


def forget_members(organisation_id) -> None:
    for user_id in Membership.objects.filter(organisation_id=organisation_id).values_list(
        "user_id", flat=True
    ):
        forget(user_id)


def _values(instance, fields) -> tuple:
    return tuple(getattr(instance, name) for name in fields)


def _devices(user) -> dict[str, tuple[str, tuple]]:
    from django_otp import devices_for_user

    return {
        device.persistent_id: (device._meta.label_lower, _values(device, DEVICE_FIELDS))
        for device in devices_for_user(user, confirmed=True)
    }


def _entry(user: User, backend: str) -> dict:
    memberships = list(user.active_memberships())
    return {
        "backend": backend,
        "auth_hash": user.get_session_auth_hash(),
        "user": _values(user, USER_FIELDS),
        "memberships": [
            (_values(m, MEMBERSHIP_FIELDS), _values(m.organisation, ORGANISATION_FIELDS))
            for m in memberships
        ],
        "devices": _devices(user),
    }


def _rebuild(entry: dict) -> User:
    from django.apps import apps

    user = User.from_db(DEFAULT_DB_ALIAS, USER_FIELDS, entry["user"])
    memberships = []
    for membership_values, organisation_values in entry["memberships"]:
        membership = Membership.from_db(DEFAULT_DB_ALIAS, MEMBERSHIP_FIELDS, membership_values)
        membership.organisation = Organisation.from_db(
            DEFAULT_DB_ALIAS, ORGANISATION_FIELDS, organisation_values
        )
        membership.user = user
        memberships.append(membership)
    user._active_membership_list = memberships
    user._identity_devices = {
        persistent_id: (apps.get_model(label), values)
        for persistent_id, (label, values) in entry["devices"].items()
    }
    return user


def load_user(request):
    """The signed-in user, as `django.contrib.auth.get_user` would return it, from the cache when it
    can."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(BACKEND_SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY)
    if user_id and backend and session_hash:
        entry = cache.get(KEY.format(user_id))
        if (
            entry
            and entry["backend"] == backend
            and constant_time_compare(session_hash, entry["auth_hash"])
        ):
            return _rebuild(entry)
    user = auth.get_user(request)  # the session's checks in full: backend, active user, auth hash
    if user.is_authenticated:
        user._active_membership_list = list(user.active_memberships())
        entry = _entry(user, session[BACKEND_SESSION_KEY])
        cache.set(KEY.format(user.pk), entry, cache_seconds())
        user._identity_devices = _rebuild(entry)._identity_devices
    return user


def verified_device(request, user):
    """The confirmed OTP device this session passed, else None (as django-otp's middleware
    decides)."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    found = getattr(user, "_identity_devices", {}).get(persistent_id)
    device = None
    if found is not None:
        model, values = found
        device = model.from_db(DEFAULT_DB_ALIAS, DEVICE_FIELDS, values)
    if device is None or device.user_id != user.pk or not device.confirmed:
        del request.session[DEVICE_ID_SESSION_KEY]
        return None
    return device


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from django_otp.models import Device

    def user_changed(sender, instance, **kwargs):
        forget(instance.pk)

    def membership_changed(sender, instance, **kwargs):
        forget(instance.user_id)

    def organisation_changed(sender, instance, **kwargs):
        forget_members(instance.pk)

    def device_changed(sender, instance, **kwargs):
        if isinstance(instance, Device):
            forget(instance.user_id)

    for signal in (post_save, post_delete):
        signal.connect(
            user_changed, sender=User, weak=False, dispatch_uid=f"identity-user-{signal}"
        )
        signal.connect(
            membership_changed,
            sender=Membership,
            weak=False,
            dispatch_uid=f"identity-membership-{signal}",
        )
        signal.connect(
            organisation_changed,
            sender=Organisation,
            weak=False,
            dispatch_uid=f"identity-organisation-{signal}",
        )
        signal.connect(device_changed, weak=False, dispatch_uid=f"identity-device-{signal}")
