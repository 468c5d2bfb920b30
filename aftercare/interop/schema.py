"""Describes the token-in-the-path authentication of the OpenRosa endpoint in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PathTokenScheme(OpenApiAuthenticationExtension):
    target_class = "aftercare.interop.api.PathTokenAuthentication"
    name = "pathToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "path", "name": "token",
            "description": "An API token in the URL (`/api/v1/openrosa/key/TOKEN/submission`), for ODK Collect.",
        }


class OpenRosaBasicScheme(OpenApiAuthenticationExtension):
    target_class = "aftercare.interop.api.OpenRosaBasicAuthentication"
    name = "openRosaBasic"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http", "scheme": "basic",
            "description": "ODK Collect's username and password over HTTPS: the password is a device token, "
                           "or the password of an account exempt from two-factor sign-in.",
        }
