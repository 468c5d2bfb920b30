"""The standard's own files (vendored in `standard/`, CC BY 4.0) and the XForm ODK Collect
downloads.

The XForm is built from the standard's XLSForm with pyxform, the ODK project's own converter,
once per process on first use: what a field worker fills in is the standard's form, not a copy
written by hand. Its MD5 is the `hash` of the OpenRosa form list, by which Collect tells whether
the form it holds is current.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from defusedxml import ElementTree
from pyxform.xls2xform import convert

STANDARD_DIR = Path(__file__).resolve().parent / "standard"
XLSFORM = STANDARD_DIR / "htcds_xlsform.xlsx"
TEMPLATE = STANDARD_DIR / "HTCDS single select with validation v2.0 (blank template).xlsx"
XFORMS_NS = "http://www.w3.org/2002/xforms"


@dataclass(frozen=True)
class XForm:
    form_id: str
    version: str
    title: str
    xml: bytes

    @property
    def hash(self) -> str:
        return "md5:" + hashlib.md5(self.xml, usedforsecurity=False).hexdigest()


@cache
def htcds_xform() -> XForm:
    """The HTCDS XForm, as pyxform builds it from the vendored XLSForm."""
    xml = convert(xlsform=str(XLSFORM)).xform.encode()
    root = ElementTree.fromstring(xml)
    instance = root.find(f".//{{{XFORMS_NS}}}instance")
    data = next(iter(instance))
    title = root.find(".//{http://www.w3.org/1999/xhtml}title")
    return XForm(
        form_id=data.get("id"),
        version=data.get("version") or "",
        title=title.text or data.get("id"),
        xml=xml,
    )
