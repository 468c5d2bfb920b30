"""Time zones of organisations: deadlines are read where the reader works, with the zone named.

An organisation may name its zone; when it has not, the zone of its country stands in (CLDR's
zones by territory, shipped with Babel), so a shelter in Johannesburg reads "17:00 SAST" without
anyone setting anything. Countries spanning several zones start from their capital's zone.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, tzinfo
from functools import cache

from babel.core import get_global
from django.utils import formats, timezone

# Countries with several zones: the capital's, until the organisation names its own.
CAPITAL_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "ES": "Europe/Madrid",
    "ID": "Asia/Jakarta",
    "KZ": "Asia/Almaty",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
}
FALLBACK = "UTC"


@cache
def valid_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, for the profile form; the names are what people in that zone recognise."""
    return [(name, name.replace("_", " ")) for name in sorted(valid_zone_names())]


def zone_for_country(country: str) -> str:
    """The sensible zone of an ISO 3166 alpha-2 country code; UTC for an unknown one."""
    code = (country or "").upper()
    if code in CAPITAL_ZONES:
        return CAPITAL_ZONES[code]
    zones = get_global("territory_zones").get(code) or []
    return zones[0] if zones else FALLBACK


def organisation_zone_name(organisation) -> str:
    """The zone the organisation set, else its country's."""
    name = getattr(organisation, "time_zone", "") or ""
    if name in valid_zone_names():
        return name
    return zone_for_country(getattr(organisation, "country", ""))


def organisation_zone(organisation) -> tzinfo:
    return zoneinfo.ZoneInfo(organisation_zone_name(organisation))


def zone_abbreviation(moment: datetime) -> str:
    """The zone's short name at that moment ("SAST", "IST"); "UTC+06:00" where the zone has none."""
    local = timezone.localtime(moment)
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zoned(moment: datetime | None, format_name: str = "j M Y H:i") -> str:
    """A moment in the active zone (the reader's organisation's, see the middleware), zone named."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, format_name)} {zone_abbreviation(moment)}"
