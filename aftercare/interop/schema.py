"""Describes the token-in-the-path authentication of the OpenRosa endpoint in the OpenAPI schema.

OpenAPI 3.0 has no security scheme for a credential in the path (an `apiKey` is in a query,
header or cookie), so the token is declared as what it is, the operation's `token` path
parameter, and the path-token authentication adds no security scheme of its own.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PathTokenScheme(OpenApiAuthenticationExtension):
    target_class = "aftercare.interop.api.PathTokenAuthentication"
    name: list = []

    def get_security_requirement(self, auto_schema):
        return None

    def get_security_definition(self, auto_schema):
        return []


class OpenRosaBasicScheme(OpenApiAuthenticationExtension):
    target_class = "aftercare.interop.api.OpenRosaBasicAuthentication"
    name = "openRosaBasic"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": (
                "ODK Collect's username and password over HTTPS: the password is a device "
                "token, or the password of an account exempt from two-factor sign-in."
            ),
        }
