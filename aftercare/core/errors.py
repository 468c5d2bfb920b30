"""Domain errors, named in the product's words and mapped to HTTP once, in core.api."""


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleVersion(DomainError):
    status_code = 409
    code = "stale_version"


class TransitionNotAllowed(DomainError):
    status_code = 409
    code = "transition_not_allowed"


class ConsentRequired(DomainError):
    status_code = 409
    code = "consent_required"
