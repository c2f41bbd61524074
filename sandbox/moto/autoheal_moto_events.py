"""EC2 and Auto Scaling events for the sandbox's moto: published to EventBridge and delivered to SQS, as AWS does.

moto 5.2.5 models EventBridge rules and SQS queues, but EC2 and Auto Scaling never publish events (moto publishes
only S3 CreateBucket). The operator's event-driven healing consumes AWS's service events from an SQS queue fed by
EventBridge rules (deploy/aws/event-rules.json), so this module publishes, with AWS's documented shapes:

- ``aws.ec2`` "EC2 Instance State-change Notification" (detail ``instance-id``, ``state``) whenever moto changes an
  instance's state: RunInstances (also Auto Scaling launches), Start/Stop/TerminateInstances (also Auto Scaling
  replacements and ABANDON). moto jumps straight to the final state; AWS passes through the intermediate one and
  sends an event for each, so one call yields two events: pending+running, stopping+stopped,
  shutting-down+terminated. A call that changes nothing (stopping a stopped instance) sends none.
- ``aws.autoscaling`` "EC2 Instance Launch Successful" for every instance a group launches, and
  "EC2 Instance-launch Lifecycle Action" (with the action's ``LifecycleActionToken``) when autoheal_moto_ext puts it
  in ``Pending:Wait``. AWS does not document the order of the two; we send Launch Successful first, with
  ``StatusCode: InProgress`` as in AWS's example (the activity is still in progress while the hook waits).
  "EC2 Instance-terminate Lifecycle Action" (LifecycleTransition ``autoscaling:EC2_INSTANCE_TERMINATING``) when
  autoheal_moto_ext puts an instance in ``Terminating:Wait``, one per terminating hook.
- Events AWS sends and moto never will, on request through a control endpoint on moto's port (tests only):
  ``POST /autoheal-events`` ``{"kind": "spot-interruption", "instanceId": "i-..."}`` ("EC2 Spot Instance
  Interruption Warning", ``instance-action`` terminate unless ``"action"`` says stop/hibernate),
  ``{"kind": "rebalance-recommendation", "instanceId": ...}`` ("EC2 Instance Rebalance Recommendation"),
  ``{"kind": "scheduled-change", "instanceIds": [...], "eventTypeCode": "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED"}``
  (``aws.health`` "AWS Health Event", category scheduledChange, service EC2) and
  ``{"kind": "launch-unsuccessful", "group": "asg", "message": "..."}`` ("EC2 Instance Launch Unsuccessful").
  The answer is the published event. Nothing changes in moto: a spot warning does not stop the instance.

Delivery: the event goes to every ENABLED rule of the default event bus of the instance's region whose pattern
matches (moto's own pattern matcher), and to each SQS target of such a rule as the whole event JSON — what AWS
delivers to SQS. We deliver ourselves instead of calling moto's PutEvents path because that path drops the
``account`` field and ignores the rule's state. Not modelled: targets other than SQS, InputPath/InputTransformer
(a constant ``Input`` is honoured), the queue policy check, retries and dead-letter queues of EventBridge.
Publishing never fails the API call that caused it.

Sandbox plumbing: ``install(plumbing=True)`` (launcher ``--events-queue NAME``) creates the queue and the rules of
deploy/aws/event-rules.json (targets: the queue) in the default account and region at start-up and again after
every ``POST /moto-api/reset`` — like moto's default VPC, they are part of the sandbox's baseline, so tests that
reset moto do not cut off the operator's event queue.
"""
from __future__ import annotations

import json
import os
import threading
import time
import uuid
from typing import Any

from moto.autoscaling import models as as_models
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.models import instances as ec2_instances
from moto.moto_api._internal import models as api_models
from moto.moto_server import werkzeug_app
from moto.utilities.arns import parse_arn
from moto.utilities.utils import get_partition

PATH = "/autoheal-events"
RULES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "aws", "event-rules.json")
PLUMBING_REGION = "us-east-1"
# What AWS passes through between moto's states (AWS sends an event for each state, moto only knows the last one).
INTERMEDIATE = {"running": "pending", "stopped": "stopping", "terminated": "shutting-down"}

_lock = threading.Lock()
_installed = False
_plumbing_queue: str | None = None


# --- publishing ---------------------------------------------------------------------------------------------


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def event(source: str, detail_type: str, account: str, region: str, resources: list[str], detail: dict[str, Any]) -> dict[str, Any]:
    """An EventBridge event as AWS delivers it to a target."""
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": detail_type, "source": source, "account": account,
            "time": _now(), "region": region, "resources": resources, "detail": detail}


def publish(evt: dict[str, Any]) -> int:
    """Delivers the event to the SQS targets of the matching enabled rules of its region's default bus; returns how many."""
    from moto.events.models import events_backends
    from moto.sqs.models import sqs_backends

    delivered = 0
    bus = events_backends[evt["account"]][evt["region"]].event_buses.get("default")
    if bus is None:
        return 0
    body = json.dumps(evt)
    for rule in list(bus.rules.values()):
        if rule.state != "ENABLED" or not rule.event_pattern.matches_event(evt):
            continue
        for target in list(rule.targets):
            arn = parse_arn(target.get("Arn", ""))
            if arn.service != "sqs":
                continue  # not modelled (see the module doc)
            try:
                sqs_backends[arn.account][arn.region].send_message(queue_name=arn.resource_id, message_body=target.get("Input") or body)
                delivered += 1
            except Exception:  # a deleted queue: AWS drops the event (FailedInvocations); so do we
                pass
    return delivered


def _safely(fn, *args: Any) -> None:
    try:
        fn(*args)
    except Exception:  # never let an event break the API call that caused it
        pass


def _instance_arn(instance: Any) -> str:
    b = instance.ec2_backend
    return f"arn:{get_partition(b.region_name)}:ec2:{b.region_name}:{b.account_id}:instance/{instance.id}"


def _state_changed(instance: Any, states: list[str]) -> None:
    b = instance.ec2_backend
    for state in states:
        publish(event("aws.ec2", "EC2 Instance State-change Notification", b.account_id, b.region_name,
                      [_instance_arn(instance)], {"instance-id": instance.id, "state": state}))


def _transition(before: str, after: str) -> list[str]:
    """The states AWS reports for one moto state change (none when nothing changed)."""
    if before == after:
        return []
    middle = INTERMEDIATE.get(after)
    return [middle, after] if middle and middle != before else [after]


# --- EC2 model patches --------------------------------------------------------------------------------------


def _wrap_state_change(original):
    def wrapper(self: Any, *args: Any, **kwargs: Any):
        before = self._state.name
        result = original(self, *args, **kwargs)
        _safely(_state_changed, self, _transition(before, self._state.name))
        return result
    return wrapper


def _wrap_init(original):
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        _safely(_state_changed, self, _transition("", self._state.name))
    return wrapper


# --- Auto Scaling patches -----------------------------------------------------------------------------------


def _group_events(group: Any, new_states: list[Any]) -> None:
    backend = group.autoscaling_backend
    account, region = backend.account_id, backend.region_name
    for state in new_states:
        instance = state.instance
        placement = getattr(instance, "placement", None)
        zone = getattr(instance, "availability_zone", None) or getattr(placement, "zone", None)
        publish(event("aws.autoscaling", "EC2 Instance Launch Successful", account, region, [group.arn, _instance_arn(instance)], {
            "Origin": "EC2", "Destination": "AutoScalingGroup", "StatusCode": "InProgress",
            "Description": f"Launching a new EC2 instance: {instance.id}", "AutoScalingGroupName": group.name,
            "ActivityId": str(uuid.uuid4()), "Details": {"Availability Zone": zone, "Subnet ID": instance.subnet_id},
            "RequestId": str(uuid.uuid4()), "StatusMessage": "", "EndTime": _now(), "EC2InstanceId": instance.id,
            "StartTime": _now(), "Cause": f"An instance was started in response to a difference between desired and "
                                          f"actual capacity, increasing the capacity to {group.desired_capacity}."}))
        if state.lifecycle_state == "Pending:Wait":
            for action in list(getattr(state, "autoheal_lifecycle_actions", {}).values()):
                lifecycle_action(group, action)


def lifecycle_action(group: Any, action: Any, terminating: bool = False) -> None:
    """'EC2 Instance-launch Lifecycle Action' (or -terminate) for one pending action of autoheal_moto_ext."""
    backend = group.autoscaling_backend
    kind, transition = ("terminate", "TERMINATING") if terminating else ("launch", "LAUNCHING")
    origin, destination = ("AutoScalingGroup", "EC2") if terminating else ("EC2", "AutoScalingGroup")
    publish(event("aws.autoscaling", f"EC2 Instance-{kind} Lifecycle Action", backend.account_id, backend.region_name, [group.arn], {
        "LifecycleActionToken": action.token, "AutoScalingGroupName": group.name, "LifecycleHookName": action.hook_name,
        "EC2InstanceId": action.instance_id, "LifecycleTransition": f"autoscaling:EC2_INSTANCE_{transition}",
        "Origin": origin, "Destination": destination}))


def _terminating_events(group: Any, state: Any) -> None:
    for action in list(getattr(state, "autoheal_lifecycle_actions", {}).values()):
        lifecycle_action(group, action, terminating=True)


def _wrap_start_terminating(original):
    def wrapper(group: Any, state: Any, hooks: list[Any]) -> None:
        original(group, state, hooks)
        _safely(_terminating_events, group, state)
    return wrapper


def _wrap_replace(original):
    def wrapper(self: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
        before = {id(s) for s in self.instance_states}
        original(self, count_needed, propagated_tags)
        _safely(_group_events, self, [s for s in self.instance_states if id(s) not in before])
    return wrapper


# --- events AWS sends and moto never will (control endpoint) ------------------------------------------------


def _find_instance(instance_id: str) -> Any:
    from moto.ec2.models import ec2_backends

    for account, regions in ec2_backends.items():
        for region, backend in regions.items():
            instance = backend.get_instance_by_id(instance_id) if instance_id else None
            if instance is not None:
                return instance
    raise ValueError(f"no instance {instance_id} in moto")


def _find_group(name: str) -> Any:
    for account, regions in as_models.autoscaling_backends.items():
        for region, backend in regions.items():
            group = backend.autoscaling_groups.get(name) if name else None
            if group is not None:
                return group
    raise ValueError(f"no Auto Scaling group {name} in moto")


def publish_requested(spec: dict[str, Any]) -> dict[str, Any]:
    """Builds and publishes the event a test asked for; returns it (ValueError for a bad request)."""
    kind = spec.get("kind")
    if kind in ("spot-interruption", "rebalance-recommendation"):
        instance = _find_instance(spec.get("instanceId"))
        b = instance.ec2_backend
        if kind == "spot-interruption":
            action = spec.get("action", "terminate")
            if action not in ("terminate", "stop", "hibernate"):
                raise ValueError("action must be terminate, stop or hibernate")
            evt = event("aws.ec2", "EC2 Spot Instance Interruption Warning", b.account_id, b.region_name,
                        [_instance_arn(instance)], {"instance-id": instance.id, "instance-action": action})
        else:
            evt = event("aws.ec2", "EC2 Instance Rebalance Recommendation", b.account_id, b.region_name,
                        [_instance_arn(instance)], {"instance-id": instance.id})
    elif kind == "scheduled-change":
        ids = spec.get("instanceIds") or ([spec["instanceId"]] if spec.get("instanceId") else [])
        if not ids:
            raise ValueError("scheduled-change needs instanceIds")
        instances = [_find_instance(i) for i in ids]
        b = instances[0].ec2_backend
        code = spec.get("eventTypeCode", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED")
        start = spec.get("startTime") or time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 14 * 86400))
        # AWS Health lists the instance ids (not ARNs) in resources and affectedEntities.
        evt = event("aws.health", "AWS Health Event", b.account_id, b.region_name, [i.id for i in instances], {
            "eventArn": f"arn:aws:health:{b.region_name}::event/EC2/{code}/{code}_{uuid.uuid4().hex[:12]}",
            "service": "EC2", "eventTypeCode": code, "eventTypeCategory": "scheduledChange", "eventScopeCode": "ACCOUNT_SPECIFIC",
            "communicationId": uuid.uuid4().hex, "startTime": start, "lastUpdatedTime": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()),
            "statusCode": "upcoming", "eventRegion": b.region_name,
            "eventDescription": [{"language": "en_US", "latestDescription": spec.get("description", "EC2 has detected degradation of the underlying hardware hosting your instance.")}],
            "affectedEntities": [{"entityValue": i.id, "status": "IMPAIRED"} for i in instances],
            "affectedAccount": b.account_id})
    elif kind == "launch-unsuccessful":
        group = _find_group(spec.get("group"))
        backend = group.autoscaling_backend
        message = spec.get("message", "We currently do not have sufficient capacity in the Availability Zone you requested.")
        evt = event("aws.autoscaling", "EC2 Instance Launch Unsuccessful", backend.account_id, backend.region_name, [group.arn], {
            "Origin": "EC2", "Destination": "AutoScalingGroup", "StatusCode": "Failed", "AutoScalingGroupName": group.name,
            "ActivityId": str(uuid.uuid4()), "Details": {"Availability Zone": group.availability_zones[0] if group.availability_zones else ""},
            "RequestId": str(uuid.uuid4()), "StatusMessage": message, "EndTime": _now(), "EC2InstanceId": "", "StartTime": _now(),
            "Cause": "An instance was started in response to a difference between desired and actual capacity."})
    else:
        raise ValueError("kind must be spot-interruption, rebalance-recommendation, scheduled-change or launch-unsuccessful")
    with _lock:
        delivered = publish(evt)
    return {"event": evt, "delivered": delivered}


def _control(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    status, payload = "200 OK", None
    try:
        if environ.get("REQUEST_METHOD") != "POST":
            raise ValueError("POST a JSON request")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        payload = publish_requested(json.loads(environ["wsgi.input"].read(length) or b"{}"))
    except (ValueError, KeyError, TypeError) as e:
        status, payload = "400 Bad Request", {"error": str(e)}
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


# --- sandbox plumbing: the queue and rules of deploy/aws/event-rules.json -----------------------------------


def rules() -> list[dict[str, Any]]:
    with open(RULES_FILE, encoding="utf-8") as f:
        return json.load(f)["rules"]


def create_plumbing(queue_name: str, account: str = DEFAULT_ACCOUNT_ID, region: str = PLUMBING_REGION) -> str:
    """Creates the queue (with the policy AWS needs to let EventBridge send to it) and the rules; returns the queue ARN."""
    from moto.events.models import events_backends
    from moto.sqs.models import sqs_backends

    partition = get_partition(region)
    queue_arn = f"arn:{partition}:sqs:{region}:{account}:{queue_name}"
    rule_arns = [f"arn:{partition}:events:{region}:{account}:rule/{r['name']}" for r in rules()]
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "EventBridgeSendsFleetEvents", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": rule_arns}}}]}
    sqs_backends[account][region].create_queue(queue_name, Policy=json.dumps(policy), MessageRetentionPeriod="300")
    events = events_backends[account][region]
    for r in rules():
        events.put_rule(r["name"], event_pattern=json.dumps(r["eventPattern"]), scheduled_expression=None, state="ENABLED",
                        description=r.get("description"), role_arn=None, tags=[], event_bus_arn=None)
        events.put_targets(r["name"], None, [{"Id": "autoheal-queue", "Arn": queue_arn}])
    return queue_arn


def _wrap_reset(original):
    def wrapper(self: Any) -> None:
        original(self)
        if _plumbing_queue:
            _safely(create_plumbing, _plumbing_queue)
    return wrapper


def _wrap_call(original):
    def wrapper(self: Any, environ: dict[str, Any], start_response: Any):
        if environ.get("PATH_INFO") == PATH:
            return _control(environ, start_response)
        return original(self, environ, start_response)
    return wrapper


def install(plumbing_queue: str | None = None) -> None:
    """Patches moto (after autoheal_moto_ext, whose launches it wraps). Idempotent; call before the server starts."""
    global _installed, _plumbing_queue
    if _installed:
        return
    inst = ec2_instances.Instance
    inst.__init__ = _wrap_init(inst.__init__)
    for name in ("start", "stop", "terminate"):
        setattr(inst, name, _wrap_state_change(getattr(inst, name)))
    G = as_models.FakeAutoScalingGroup
    G.replace_autoscaling_group_instances = _wrap_replace(G.replace_autoscaling_group_instances)
    import autoheal_moto_ext  # its module-level start_terminating is looked up at each call
    autoheal_moto_ext.start_terminating = _wrap_start_terminating(autoheal_moto_ext.start_terminating)
    werkzeug_app.DomainDispatcherApplication.__call__ = _wrap_call(werkzeug_app.DomainDispatcherApplication.__call__)
    api_models.MotoAPIBackend.reset = _wrap_reset(api_models.MotoAPIBackend.reset)
    _plumbing_queue = plumbing_queue
    if plumbing_queue:
        create_plumbing(plumbing_queue)
    _installed = True
