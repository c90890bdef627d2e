"""The lifecycle of an alert and who may move it.

    draft ──submit──▶ pending ──approve──▶ active ──update/renew──▶ active (new version)
      ▲                 │  │                  ├──cancel──▶ cancelled
      └────return───────┘  └─reject─▶ rejected├──resolve─▶ resolved
                                              └──(time)──▶ expired

Every function is pure: it takes the alert, the person acting, the plan and `now`,
and returns the changed alert, or raises TransitionRefused / NotAllowed naming the rule.
"""

from __future__ import annotations

from datetime import datetime

from bluealert.domain import expiry
from bluealert.domain.alert import Act, Alert, AlertVersion, Contribution, Notice
from bluealert.domain.attestation import Attestation, content_digest, given_on, replacing
from bluealert.domain.content import AlertContent
from bluealert.domain.people import User
from bluealert.domain.plan import StatePlan
from bluealert.domain.vocabulary import AlertState, Claim, MsgType, Resolution, Role, Status
from bluealert.errors import InvalidAlert, NotAllowed, StaleVersion, TransitionRefused


def _require_state(alert: Alert, allowed: set[AlertState], step: str) -> None:
    if alert.state not in allowed:
        names = " or ".join(sorted(s.value for s in allowed))
        raise TransitionRefused(
            f"cannot {step} alert {alert.reference}: it is {alert.state.value}; "
            f"{step} needs an alert that is {names}"
        )


def expired_at(alert: Alert, now: datetime) -> datetime | None:
    """The alert's expiry time once it has come (whatever its state says yet), else None."""
    if alert.expires_at is not None and alert.expires_at <= now:
        return alert.expires_at
    return None


def _require_unexpired(alert: Alert, now: datetime, step: str) -> None:
    if (expired := expired_at(alert, now)) is not None:
        raise TransitionRefused(
            f"cannot {step} alert {alert.reference}: it expired at {expired.isoformat()}"
        )


def require_base(alert: Alert, base: int) -> None:
    """Refuse a change based on a version that is no longer the alert's current one.

    A draft keeps its number while it is revised, so on a draft this tells only versions apart;
    the API's ETag also tells a draft's revisions apart.
    """
    current = alert.current
    if base != current.number:
        raise StaleVersion(
            f"{alert.reference} is at version {current.number} (written by "
            f"{current.created_by} at {current.created_at.isoformat()}), not version {base} that "
            f"this update was based on: read it again and base the update on version "
            f"{current.number}",
            current=current.number,
        )


def may_request(user: User, content: AlertContent, plan: StatePlan) -> None:
    """Raise NotAllowed unless `user` may draft or submit this alert under `plan`."""
    if user.coordinates(content.plan):
        return
    if not set(plan.requesting_roles) & user.roles:
        allowed = ", ".join(r.value for r in plan.requesting_roles)
        raise NotAllowed(f"{user.username} may not request alerts under this plan ({allowed} may)")
    if not user.acts_for_agency(content.requesting_agency.ori):
        raise NotAllowed(
            f"{user.username} acts for agency {user.agency_ori}, not the requesting agency "
            f"{content.requesting_agency.ori}",
            field="requesting_agency.ori",
        )


def may_activate(user: User, plan: StatePlan, state: str) -> None:
    """Raise NotAllowed unless `user` holds an activating coordinator role for `state`."""
    if not (set(plan.activating_roles) & user.roles and user.coordinates(state)):
        raise NotAllowed(f"{user.username} is not a coordinator who may activate alerts in {state}")


def _supervises_requesting_agency(user: User, alert: Alert) -> bool:
    return user.has(Role.SUPERVISOR) and user.acts_for_agency(alert.content.requesting_agency.ori)


def may_end(user: User, alert: Alert, plan: StatePlan) -> None:
    """Coordinators of the state, or a supervisor of the requesting agency, may end an alert."""
    if _supervises_requesting_agency(user, alert):
        return
    may_activate(user, plan, alert.plan)


def draft(
    content: AlertContent,
    *,
    user: User,
    plan: StatePlan,
    alert_id: str,
    reference: str,
    now: datetime,
) -> Alert:
    may_request(user, content, plan)
    _check_content(content, plan, now)
    version = AlertVersion(
        number=1,
        msg_type=MsgType.ALERT,
        content=content,
        created_at=now,
        created_by=user.username,
        contributions=(Contribution(by=user.username, act=Act.DRAFTED, at=now),),
        notices=expiry.drafted(content, plan, now),
    )
    return Alert(
        id=alert_id,
        reference=reference,
        state=AlertState.DRAFT,
        author=user.username,
        created_at=now,
        versions=(version,),
    )


def revise_draft(
    alert: Alert, content: AlertContent, *, user: User, plan: StatePlan, now: datetime
) -> Alert:
    """Revise a draft in place. Attestations given on the earlier content are void."""
    _require_state(alert, {AlertState.DRAFT}, "revise")
    _same_plan(alert, content)
    may_request(user, alert.content, plan)  # another agency's draft is refused
    _same_agency(alert, content, "a revision")
    _check_content(content, plan, now)
    current = alert.current
    revised = current.model_copy(
        update={
            "content": content,
            "created_at": now,
            "created_by": user.username,
            "attestations": given_on(content, current.attestations),
            "contributions": _with_contribution(current, user, Act.REVISED, now),
            "notices": expiry.drafted(content, plan, now),
        }
    )
    return _with_draft(alert, revised).model_copy(update={"reason": ""})


def attest(alert: Alert, claims: list[Claim], *, user: User, now: datetime) -> Alert:
    """Record a supervisor's attestations on the draft: who, when, and the content they vouch for.

    Only a supervisor of the requesting agency attests: 34 U.S.C. 50503(b)(2)(D) and (E) ask
    what the involved agency confirms, and the coordinator who approves is the check on it.
    """
    _require_state(alert, {AlertState.DRAFT}, "attest")
    if not _supervises_requesting_agency(user, alert):
        raise NotAllowed(
            f"{user.username} is not a supervisor of the requesting agency "
            f"{alert.content.requesting_agency.ori} and may not attest",
            field="attestations",
        )
    current = alert.current
    digest = content_digest(current.content)
    made = [
        Attestation(
            claim=claim, by=user.username, at=now, version=current.number, content_sha256=digest
        )
        for claim in dict.fromkeys(claims)
    ]
    attested = current.model_copy(
        update={
            "attestations": replacing(current.attestations_in_force, made),
            "contributions": _with_contribution(current, user, Act.ATTESTED, now),
        }
    )
    return _with_draft(alert, attested)


def submit(alert: Alert, *, user: User, plan: StatePlan, now: datetime) -> Alert:
    _require_state(alert, {AlertState.DRAFT}, "submit")
    may_request(user, alert.content, plan)
    expiry.require_unpassed(
        alert.content,
        reference=alert.reference,
        step="submit",
        rule="an alert is submitted only with an expiry still to come: revise expires_at "
        "to a later time, or leave it out for the plan's longest",
        now=now,
    )
    submitted = alert.current.model_copy(
        update={
            "contributions": _with_contribution(alert.current, user, Act.SUBMITTED, now),
            "notices": expiry.drafted(alert.content, plan, now),
        }
    )
    return _with_draft(alert, submitted).model_copy(
        update={"state": AlertState.PENDING, "submitted_at": now}
    )


def approve(alert: Alert, *, user: User, plan: StatePlan, now: datetime) -> Alert:
    """Activate a pending alert. The approver is a second person, except for an exercise."""
    _require_state(alert, {AlertState.PENDING}, "approve")
    may_activate(user, plan, alert.plan)
    _require_second_person(alert, user)
    expiry.require_unpassed(
        alert.content,
        reference=alert.reference,
        step="approve",
        rule="an alert is approved only with an expiry still to come: return it to its author "
        "to set a later expires_at, or none for the plan's longest",
        now=now,
    )
    applies = expiry.applying(alert.content.expires_at, plan, now)
    current = alert.current
    # The attestations stay bound to the content they were given on; the expiry the plan caps
    # is the network's rule, not a change of the facts they vouch for.
    published = current.model_copy(
        update={
            "published_at": now,
            "attestations": current.attestations_in_force,
            "content": expiry.stored(current.content, applies),
            "notices": applies.notices(),
        }
    )
    return alert.model_copy(
        update={
            "state": AlertState.ACTIVE,
            "approved_by": user.username,
            "activated_at": now,
            "expires_at": applies.at,
            "versions": (*alert.versions[:-1], published),
        }
    )


def reject(alert: Alert, *, user: User, plan: StatePlan, reason: str, now: datetime) -> Alert:
    _require_state(alert, {AlertState.PENDING}, "reject")
    may_activate(user, plan, alert.plan)
    return alert.model_copy(
        update={"state": AlertState.REJECTED, "reason": _reason(reason), "ended_at": now}
    )


def return_to_author(
    alert: Alert, *, user: User, plan: StatePlan, reason: str, now: datetime
) -> Alert:
    _require_state(alert, {AlertState.PENDING}, "return")
    may_activate(user, plan, alert.plan)
    return alert.model_copy(
        update={"state": AlertState.DRAFT, "reason": _reason(reason), "submitted_at": None}
    )


def update(
    alert: Alert, content: AlertContent, *, user: User, plan: StatePlan, note: str, now: datetime
) -> Alert:
    """Publish a new version of an active alert (new facts, wider area, released identity)."""
    _require_state(alert, {AlertState.ACTIVE}, "update")
    _require_unexpired(alert, now, "update")
    may_activate(user, plan, alert.plan)
    _same_plan(alert, content)
    if content.status is not alert.status:
        raise InvalidAlert("an update keeps the alert's status", field="status")
    _same_agency(alert, content, "an update")
    _check_content(content, plan, now)
    if content.expires_at is None:  # the alert keeps its expiry
        return _with_version(alert, content, MsgType.UPDATE, user, note, now)
    applies = expiry.applying(content.expires_at, plan, now)
    stored = expiry.stored(content, applies)
    updated = _with_version(alert, stored, MsgType.UPDATE, user, note, now, applies.notices())
    return updated.model_copy(update={"expires_at": applies.at})


def renew(alert: Alert, *, user: User, plan: StatePlan, now: datetime) -> Alert:
    """Extend an active alert by the plan's maximum duration from now."""
    if not plan.renewable:
        raise TransitionRefused(f"the {plan.name} does not allow renewing an alert")
    content = alert.content.model_copy(update={"expires_at": now + plan.max_duration})
    return update(alert, content, user=user, plan=plan, note="renewed", now=now)


def cancel(alert: Alert, *, user: User, plan: StatePlan, reason: str, now: datetime) -> Alert:
    _require_state(alert, {AlertState.ACTIVE}, "cancel")
    may_end(user, alert, plan)
    ended = _with_version(alert, alert.content, MsgType.CANCEL, user, _reason(reason), now)
    return ended.model_copy(
        update={"state": AlertState.CANCELLED, "reason": _reason(reason), "ended_at": now}
    )


def resolve(
    alert: Alert, *, user: User, plan: StatePlan, resolution: Resolution, note: str, now: datetime
) -> Alert:
    _require_state(alert, {AlertState.ACTIVE}, "resolve")
    may_end(user, alert, plan)
    text = note or resolution.value.replace("_", " ")
    ended = _with_version(alert, alert.content, MsgType.CANCEL, user, text, now)
    return ended.model_copy(
        update={
            "state": AlertState.RESOLVED,
            "resolution": resolution,
            "reason": text,
            "ended_at": now,
        }
    )


def expire(alert: Alert, *, now: datetime) -> Alert:
    _require_state(alert, {AlertState.ACTIVE}, "expire")
    if expired_at(alert, now) is None:
        raise TransitionRefused(f"alert {alert.reference} has not reached its expiry time")
    return alert.model_copy(update={"state": AlertState.EXPIRED, "ended_at": alert.expires_at})


def is_due_to_expire(alert: Alert, now: datetime) -> bool:
    return alert.state is AlertState.ACTIVE and expired_at(alert, now) is not None


def _require_second_person(alert: Alert, user: User) -> None:
    """The two-person rule: whoever drafted, revised, attested or submitted the version being
    approved may not approve it. The one exception is an Exercise alert, which never reaches
    the public (its SAME event is DMO, and an update may not change its status): a drill must
    be playable by the one coordinator on duty.
    """
    acts = _acts_of(alert, user.username)
    if acts and alert.status is not Status.EXERCISE:
        raise NotAllowed(
            f"two-person rule: {user.username} {' and '.join(acts)} {alert.reference} and may "
            "not approve it; a coordinator who did not draft, revise, attest or submit it must "
            "(only an Exercise alert may be approved by one of them)"
        )


def _acts_of(alert: Alert, username: str) -> list[str]:
    """What `username` did to the version being approved (the author drafted it, always)."""
    acts = [a.value for a in alert.current.contributors().get(username, [])]
    if username == alert.author and Act.DRAFTED.value not in acts:
        acts.insert(0, Act.DRAFTED.value)
    if username == alert.current.created_by and not acts:
        acts.append(Act.REVISED.value)
    return acts


def _with_contribution(
    version: AlertVersion, user: User, act: Act, now: datetime
) -> tuple[Contribution, ...]:
    return (*version.contributions, Contribution(by=user.username, act=act, at=now))


def _with_draft(alert: Alert, draft: AlertVersion) -> Alert:
    """The alert with its unpublished last version replaced."""
    return alert.model_copy(update={"versions": (*alert.versions[:-1], draft)})


def _with_version(
    alert: Alert,
    content: AlertContent,
    msg_type: MsgType,
    user: User,
    note: str,
    now: datetime,
    notices: tuple[Notice, ...] = (),
) -> Alert:
    version = AlertVersion(
        number=alert.current.number + 1,
        msg_type=msg_type,
        content=content,
        created_at=now,
        created_by=user.username,
        published_at=now,
        note=note,
        attestations=alert.current.attestations_in_force,
        notices=notices,
    )
    return alert.model_copy(update={"versions": (*alert.versions, version)})


def _check_content(content: AlertContent, plan: StatePlan, now: datetime) -> None:
    if content.plan != plan.state:
        raise InvalidAlert(f"the alert names plan {content.plan}, not {plan.state}", field="plan")
    if content.expires_at is not None and content.expires_at <= now:
        raise InvalidAlert("the expiry time is already past", field="expires_at")
    if content.incident.occurred_at > now:
        raise InvalidAlert("the incident time is in the future", field="incident.occurred_at")


def _same_plan(alert: Alert, content: AlertContent) -> None:
    if content.plan != alert.plan:
        raise InvalidAlert(
            f"an alert stays under its plan ({alert.plan}); ask {content.plan} for a cross-state "
            "activation instead",
            field="plan",
        )


def _same_agency(alert: Alert, content: AlertContent, change: str) -> None:
    ori = alert.content.requesting_agency.ori
    if content.requesting_agency.ori != ori:
        raise InvalidAlert(
            f"{change} keeps the requesting agency ({ori}); another agency drafts its own alert",
            field="requesting_agency.ori",
        )


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidAlert("give a reason", field="reason")
    return reason
