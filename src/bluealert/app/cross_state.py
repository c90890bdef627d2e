"""Use cases for cross-state activation requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.domain import activation
from bluealert.domain.activation import ActivationRequest
from bluealert.domain.alert import Alert
from bluealert.domain.criteria import evaluate
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.domain.plan import NeighbourPolicy, StatePlan
from bluealert.domain.registry import plan_for
from bluealert.errors import CriteriaNotMet, TransitionRefused
from bluealert.geo.neighbours import area_in_state, latest_sighting, states_to_ask
from bluealert.store.outbox import OutboxKind


def _locked_family(tx: Transaction, alert: Alert) -> list[Alert]:
    """The original `alert` descends from, then every alert linked to it down the line.

    The original is locked first, then the alert itself, as every use case that changes an
    original and its linked alerts does: two requests about one incident take turns.
    """
    root = alert
    while root.linked_alert_id is not None:
        root = tx.alerts.get(root.linked_alert_id)
    family, waiting = [], [tx.alerts.get(root.id, for_update=True)]
    while waiting:
        member = waiting.pop(0)
        family.append(member)
        waiting.extend(tx.alerts.linked_to(member.id))
    return family


def _requests_of(tx: Transaction, family: list[Alert]) -> list[ActivationRequest]:
    return [r for member in family for r in tx.requests.for_alert(member.id)]


def request_activation(
    ctx: AppContext, *, actor: str, key: str, to_state: str, note: str = ""
) -> ActivationRequest:
    """Ask another state; refused while it runs this alert already or has not answered yet."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        plan_for(to_state)  # the target state must exist
        family = _locked_family(tx, tx.alerts.get(key))
        alert = tx.alerts.get(key, for_update=True)
        request = activation.request_activation(
            alert,
            user=tx.users.get(actor),
            plan=plan_for(alert.plan),
            to_state=to_state.upper(),
            note=note,
            request_id=ctx.make_id(),
            now=now,
            family=family,
            earlier=_requests_of(tx, family),
        )
        tx.requests.save(request)
        tx.audit(
            "activation.requested",
            actor=actor,
            subject_type="activation_request",
            subject_id=request.id,
            now=now,
            alert=alert.reference,
            to_state=request.to_state,
        )
    return request


def accept_activation(
    ctx: AppContext, *, actor: str, request_id: str
) -> tuple[ActivationRequest, Alert]:
    """Accept: a linked alert under the answering state's plan, active at once."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        asked = tx.requests.get(request_id, for_update=False)
        family = _locked_family(tx, tx.alerts.get(asked.source_alert_id))
        source = tx.alerts.get(asked.source_alert_id, for_update=True)
        request = tx.requests.get(request_id)
        plan = plan_for(request.to_state)
        evaluation = evaluate(
            source.content.model_copy(update={"plan": plan.state}),
            plan,
            attestations=source.current.attestations_in_force,
        )
        if evaluation.blocking_unmet:
            raise CriteriaNotMet([c.sentence for c in evaluation.blocking_unmet])
        answered, linked = activation.accept(
            request,
            source,
            user=tx.users.get(actor),
            plan=plan,
            alert_id=ctx.make_id(),
            reference=tx.alerts.next_reference(request.to_state, now.year),
            now=now,
            family=family,
            area=area_in_state(source.content, request.to_state, now=now),
        )
        tx.alerts.save(linked)
        tx.requests.save(answered)
        tx.audit(
            "activation.accepted",
            actor=actor,
            subject_type="activation_request",
            subject_id=request.id,
            now=now,
            linked_alert=linked.reference,
        )
        tx.audit(
            "alert.approved",
            actor=actor,
            subject_type="alert",
            subject_id=linked.id,
            now=now,
            reference=linked.reference,
            version=1,
            state_from=None,
            state_to=linked.state.value,
            linked_to=source.reference,
            expires_at=linked.expires_at.isoformat() if linked.expires_at else None,
            notices=[n.model_dump(mode="json") for n in linked.current.notices],
        )
        tx.outbox.add(linked.id, 1, OutboxKind.PUBLISH, now)
    return answered, linked


def decline_activation(
    ctx: AppContext, *, actor: str, request_id: str, reason: str
) -> ActivationRequest:
    now = ctx.clock()
    with transaction(ctx) as tx:
        request = tx.requests.get(request_id)
        answered = activation.decline(
            request,
            user=tx.users.get(actor),
            plan=plan_for(request.to_state),
            reason=reason,
            now=now,
        )
        tx.requests.save(answered)
        tx.audit(
            "activation.declined",
            actor=actor,
            subject_type="activation_request",
            subject_id=request.id,
            now=now,
            reason=answered.reason,
        )
    return answered


def requests_for_state(ctx: AppContext, state: str) -> list[ActivationRequest]:
    with transaction(ctx) as tx:
        return tx.requests.for_state(state.upper())


@dataclass(frozen=True)
class Suggestion:
    """A state to ask, why, and what became of an earlier request to it for this alert."""

    state: str
    reason: str
    asked: str | None


@dataclass(frozen=True)
class Suggestions:
    states: list[Suggestion]
    note: str


def suggest_states(ctx: AppContext, key: str) -> Suggestions:
    """The other states the alert's plan says to ask, now; a suggestion the coordinator edits.

    When no state is named, the note says why, by the plan's rule and this alert's facts."""
    with transaction(ctx) as tx:
        alert = tx.alerts.get(key)
        if alert.state.is_final:
            raise TransitionRefused(
                f"alert {alert.reference} is {alert.state.value}: there is no state left to ask"
            )
        plan = plan_for(alert.plan)
        now = ctx.clock()
        advice = states_to_ask(
            alert.content, policy=plan.neighbour_policy, home=alert.plan, now=now
        )
        found = advice.states
        asker = ""
        if alert.linked_alert_id is not None:  # the state that asked us needs no asking
            asker = tx.alerts.get(alert.linked_alert_id).plan
            found = [s for s in found if s.state != asker]
        asked = {r.to_state: r.state.value for r in tx.requests.for_alert(alert.id)}
    if found or advice.note:
        note = advice.note
    elif advice.states:  # only the asker was named
        note = f"{_the_plan(plan)} names only {asker}, which asked for this alert"
    else:
        note = _why_no_state(alert, plan, now)
    return Suggestions([Suggestion(s.state, s.reason, asked.get(s.state)) for s in found], note)


def _why_no_state(alert: Alert, plan: StatePlan, now: datetime) -> str:
    """Why the plan's neighbour policy names no other state for this alert now."""
    home = alert.plan
    rule = {
        NeighbourPolicy.NONE: "asks only the states the alert's area reaches into",
        NeighbourPolicy.ADJACENT_STATES: (
            "asks the states the alert's area reaches into or borders"
        ),
        NeighbourPolicy.STATES_IN_TRAVEL_ENVELOPE: (
            "asks the states the alert's area reaches into or the suspect could have reached "
            "since last seen"
        ),
    }[plan.neighbour_policy]
    facts = [f"the area lies inside {home}"]
    if plan.neighbour_policy is NeighbourPolicy.ADJACENT_STATES:
        facts = [f"the area lies inside {home} and touches no other state's border"]
    if plan.neighbour_policy is NeighbourPolicy.STATES_IN_TRAVEL_ENVELOPE:
        facts.append(_envelope_fact(alert, now))
    return f"{_the_plan(plan)} {rule}; " + "; ".join(facts)


def _the_plan(plan: StatePlan) -> str:
    name = plan.name if plan.name.lower().endswith("plan") else f"{plan.name} plan"
    state = jurisdiction(plan.state).name if plan.state else ""
    return f"the {name}" if state in name else f"{state}'s plan, the {name},"


def _envelope_fact(alert: Alert, now: datetime) -> str:
    seen = latest_sighting(alert.content)
    if seen is None:
        return "no sighting has coordinates to draw a travel envelope from"
    if seen.at > now:
        return f"the latest sighting ({seen.where}) is later than now"
    return f"the travel envelope from {seen.where} reaches no other state yet"


def get_request(ctx: AppContext, request_id: str) -> ActivationRequest:
    with transaction(ctx) as tx:
        return tx.requests.get(request_id)
