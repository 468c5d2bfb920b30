"""Every browser test is in this folder; the domain fixtures some of them share with their app's
tests are defined in that app's conftest and brought in here (Playwright's fixtures and
`sign_in` are in tests/browser/fixtures.py)."""

from tests.livelihoods.conftest import employer, jhb_survivor, za, za_standards  # noqa: F401
from tests.voice.conftest import portal_a  # noqa: F401
