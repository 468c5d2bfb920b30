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
