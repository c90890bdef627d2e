"""The words of the domain, named as the statute and CAP name them."""

from __future__ import annotations

from enum import StrEnum


class AlertKind(StrEnum):
    """The four situations of 34 U.S.C. 50501 (California adds assault with a deadly weapon)."""

    OFFICER_KILLED = "officer_killed"
    OFFICER_SERIOUSLY_INJURED = "officer_seriously_injured"
    OFFICER_MISSING = "officer_missing"
    IMMINENT_THREAT = "imminent_threat"
    OFFICER_ASSAULTED_DEADLY_WEAPON = "officer_assaulted_deadly_weapon"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    AlertKind.OFFICER_KILLED: "officer killed",
    AlertKind.OFFICER_SERIOUSLY_INJURED: "officer seriously injured",
    AlertKind.OFFICER_MISSING: "officer missing in connection with official duties",
    AlertKind.IMMINENT_THREAT: "imminent and credible threat to officers",
    AlertKind.OFFICER_ASSAULTED_DEADLY_WEAPON: "officer assaulted with a deadly weapon",
}


class Status(StrEnum):
    """CAP status of an alert. An exercise or a test never reaches the public."""

    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    TEST = "Test"


class MsgType(StrEnum):
    """CAP msgType of one version."""

    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"


class AlertState(StrEnum):
    DRAFT = "draft"
    PENDING = "pending_approval"
    ACTIVE = "active"
    CANCELLED = "cancelled"
    RESOLVED = "resolved"
    EXPIRED = "expired"
    REJECTED = "rejected"

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = {AlertState.CANCELLED, AlertState.RESOLVED, AlertState.EXPIRED, AlertState.REJECTED}


class Resolution(StrEnum):
    SUSPECT_APPREHENDED = "suspect_apprehended"
    SUSPECT_DECEASED = "suspect_deceased"
    OFFICER_LOCATED = "officer_located"
    THREAT_ENDED = "threat_ended"


class OfficerStatus(StrEnum):
    KILLED = "killed"
    SERIOUSLY_INJURED = "seriously_injured"
    INJURED = "injured"
    MISSING = "missing"
    THREATENED = "threatened"
    ASSAULTED = "assaulted"
    UNHARMED = "unharmed"


class Role(StrEnum):
    ORIGINATOR = "originator"
    SUPERVISOR = "supervisor"
    STATE_COORDINATOR = "state_coordinator"
    NATIONAL_COORDINATOR = "national_coordinator"
    ADMIN = "admin"


class Claim(StrEnum):
    """What a requesting supervisor attests to, recorded with who and when."""

    OFFICER_STATUS_CONFIRMED = "officer_status_confirmed"
    SUSPECT_NOT_APPREHENDED = "suspect_not_apprehended"
    THREAT_IMMINENT_AND_CREDIBLE = "threat_imminent_and_credible"
    SUSPECT_WANTED_WHEN_THREAT_MADE = "suspect_wanted_when_threat_made"
    SUSPECT_POSES_SERIOUS_RISK = "suspect_poses_serious_risk"
    ENTERED_IN_NCIC = "entered_in_ncic"
    OFFICER_SAFETY_CONCERN = "officer_safety_concern"  # a missing officer (Florida's plan)
