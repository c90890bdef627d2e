"""Every error bluealert raises on purpose.

    BlueAlertError
    ├── InvalidInput            bad data from a person or a file (HTTP 422)
    │   ├── InvalidAlert        an alert file or form breaks a rule
    │   ├── InvalidPlan         a state plan file breaks a rule
    │   ├── InvalidPhoto        not a JPEG/PNG/WebP, too large, unreadable
    │   ├── InvalidGeometry     an area, polygon or circle breaks a rule
    │   ├── InvalidMessage      a CAP document or SAME header breaks a rule
    │   ├── NotCarried          this channel does not carry this version (EAS and a Cancel)
    │   └── UnknownJurisdiction not one of the 56 states and territories
    ├── NotFound                no such alert, plan, user (HTTP 404)
    ├── NotAuthenticated        no valid session, password, code or API key (HTTP 401)
    │   └── AccountLocked       too many failed sign-ins; try again later (HTTP 423)
    ├── NotAllowed              the person lacks the role or scope (HTTP 403)
    ├── TooManyRequests         a rate limit on public writes or sign-ins (HTTP 429)
    ├── PreconditionFailed      changed since the version (ETag) a change was based on (HTTP 412)
    ├── PreconditionRequired    a change that must name what it was based on did not (HTTP 428)
    ├── TransitionRefused       the lifecycle forbids this step now (HTTP 409)
    │   ├── CriteriaNotMet      the plan's blocking criteria are unmet
    │   └── StaleVersion        an update based on a version that is no longer the current one
    ├── AuditTampered           the audit chain does not verify
    ├── SignatureRejected       a CAP signature is missing, does not verify, or is not trusted
    ├── StoreUnavailable        the database URL is wrong or the server does not answer
    ├── IpawsRefused            IPAWS-OPEN (or our pre-flight of the COG) refuses a message
    └── ServiceUnreachable      an outside service (IPAWS-OPEN) does not answer as it should

Each exception's docstring is its default message. Messages name the field and the rule.
"""

from __future__ import annotations


class BlueAlertError(Exception):
    """Blue Alert error."""

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or (self.__doc__ or "").strip()
        self.field = field
        super().__init__(f"{field}: {self.message}" if field else self.message)


class InvalidInput(BlueAlertError, ValueError):
    """The input breaks a rule."""


class InvalidAlert(InvalidInput):
    """The alert breaks a rule."""


class InvalidPlan(InvalidInput):
    """The state plan breaks a rule."""

    problems: list[str]

    @classmethod
    def from_problems(cls, source: str, problems: list[str]) -> InvalidPlan:
        error = cls(f"{source}: " + "; ".join(problems), field=problems[0].split(":")[0])
        error.problems = problems
        return error


class InvalidPhoto(InvalidInput):
    """The photo is not a JPEG, PNG or WebP image within the size cap."""


class InvalidGeometry(InvalidInput):
    """The area breaks a geometry rule."""


class InvalidMessage(InvalidInput):
    """The message breaks a format rule."""


class NotCarried(InvalidInput):
    """This channel does not carry this version."""

    def __init__(self, channel: str, reason: str) -> None:
        self.channel = channel
        self.reason = reason
        super().__init__(reason, field=channel)


class UnknownJurisdiction(InvalidInput):
    """Not one of the 56 US states and territories."""


class NotFound(BlueAlertError, LookupError):
    """No such thing."""


class NotAuthenticated(BlueAlertError):
    """Sign in first: no valid session, password, code or API key."""


class AccountLocked(NotAuthenticated):
    """The account is locked after repeated failed sign-ins."""

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class TooManyRequests(BlueAlertError):
    """Too many requests; try again later."""

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class PreconditionFailed(BlueAlertError):
    """It changed since the version the change was based on: fetch it again."""


class PreconditionRequired(BlueAlertError):
    """Name the version this change is based on."""


class NotAllowed(BlueAlertError, PermissionError):
    """You do not hold the role or scope this needs."""


class TransitionRefused(BlueAlertError):
    """The alert's lifecycle does not allow this step now."""


class CriteriaNotMet(TransitionRefused):
    """The plan's blocking criteria are not met."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("criteria not met: " + "; ".join(reasons))


class StaleVersion(TransitionRefused):
    """The alert changed since the version this change was based on: read it again."""

    def __init__(self, message: str, *, current: int) -> None:
        self.current = current
        super().__init__(message, field="base")


class AuditTampered(BlueAlertError):
    """The audit log does not verify."""


class SignatureRejected(BlueAlertError):
    """The signature does not verify, or its certificate is not trusted."""


class StoreUnavailable(BlueAlertError):
    """The database cannot be reached."""


class IpawsRefused(BlueAlertError):
    """IPAWS-OPEN refuses the message."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(f"IPAWS refused it ({code}): {message}")


class ServiceUnreachable(BlueAlertError):
    """The service does not answer; try again later."""


def rule_of(message: str) -> str:
    """A validation message as a rule a person reads, without pydantic's prefix."""
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
