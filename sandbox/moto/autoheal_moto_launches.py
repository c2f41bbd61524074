"""Scaling activities and failing launches for the sandbox's moto.

moto 5.2.5 answers DescribeScalingActivities with an empty list and always launches what a group asks for. AWS
records an activity per launch attempt — ``Successful`` with the new instance id, or ``Failed`` with EC2's reason in
``StatusMessage`` — and launches nothing while EC2 refuses (no capacity for the type in the zone, an instance quota,
an AMI or instance profile that does not exist). This module adds both:

- every launch of a group records one activity per instance, as AWS words it: ``Description`` "Launching a new EC2
  instance: i-...", ``StatusCode`` ``Successful``, ``Progress`` 100, ``Cause`` "At <time> an instance was started in
  response to a difference between desired and actual capacity, increasing the capacity from N to M.", ``Details``
  (JSON: subnet and zone);
- a launch fault per group, set through the fault extension's control endpoint (``autoheal_moto_faults``):
    POST   /autoheal-faults/launch  {"group": "asg", "cause": "insufficient-capacity" | "instance-limit" |
           "invalid-ami" | "invalid-iam-profile", optional "message": "..." (any other AWS text)}
    GET    /autoheal-faults/launch  the groups with a launch fault
    DELETE /autoheal-faults/launch?group=asg (one group) — DELETE /autoheal-faults clears them all
  While it is on, the group launches nothing; each instance it would have launched becomes a ``Failed`` activity
  whose ``StatusMessage`` is AWS's text for that cause (ending "Launching EC2 instance failed.") and whose
  ``Description`` is "Launching a new EC2 instance.  Status Reason: <message>" (AWS's two spaces). When a fault is
  removed, the group launches what it is short of, as AWS's retries would;
- DescribeScalingActivities (by group, ``ActivityIds``, ``MaxRecords``): newest first, as AWS sorts them.

Not modelled: AWS's own periodic retries while a fault is on (a new ``Failed`` activity appears here only when the
group tries to launch again: a capacity change, a termination with replacement, the fault's removal), activities of
terminations, and pagination (``NextToken`` is never returned; a group keeps its last 100 activities).
"""
from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime, timezone
from typing import Any

from moto.autoscaling import models as as_models
from moto.autoscaling import responses as as_responses
from moto.core.responses import ActionResult

CAUSES = ("insufficient-capacity", "instance-limit", "invalid-ami", "invalid-iam-profile")
KEEP = 100
_lock = threading.RLock()
_faults: dict[str, dict[str, Any]] = {}
_installed = False


def _activities(group: Any) -> list[dict[str, Any]]:
    if not hasattr(group, "autoheal_activities"):
        group.autoheal_activities = []
    return group.autoheal_activities


def set_fault(group: str, cause: str | None, message: str | None = None) -> dict[str, Any]:
    if not group or (cause not in CAUSES and not message):
        raise ValueError(f"need group and a cause of {CAUSES} (or a message)")
    fault = {"group": group, "cause": cause or "message", "message": message}
    with _lock:
        _faults[group] = fault
    return dict(fault)


def faults() -> list[dict[str, Any]]:
    with _lock:
        return [dict(f) for f in _faults.values()]


def clear(group: str | None = None) -> None:
    """Removes one group's launch fault (or all); each group that was held back launches what it is short of."""
    with _lock:
        names = [group] if group else list(_faults)
        for name in names:
            _faults.pop(name, None)
    for name in names:
        for backend in _backends():
            g = backend.autoscaling_groups.get(name)
            if g is not None:
                g.set_desired_capacity(g.desired_capacity)


def _backends() -> list[Any]:
    return [b for regions in as_models.autoscaling_backends.values() for b in regions.values()]


def message_for(fault: dict[str, Any], group: Any, requested: int) -> str:
    if fault.get("message"):
        return fault["message"]
    zone = group.availability_zones[0] if group.availability_zones else "us-east-1a"
    others = ", ".join(z for z in sorted({zone[:-1] + s for s in "abcdef"}) if z != zone)
    itype = group.instance_type or "m5.large"
    cause = fault["cause"]
    if cause == "insufficient-capacity":
        return (f"We currently do not have sufficient {itype} capacity in the Availability Zone you requested ({zone}). Our system "
                f"will be working on provisioning additional capacity. You can currently get {itype} capacity by not specifying an "
                f"Availability Zone in your request or choosing {others}. Launching EC2 instance failed.")
    if cause == "instance-limit":
        running = len(group.active_instances())
        return (f"You have requested more instances ({running + requested}) than your current instance limit of {running} allows for the "
                "specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this "
                "limit. Launching EC2 instance failed.")
    if cause == "invalid-ami":
        return f"The image id '[{group.image_id or 'ami-00000000'}]' does not exist. Launching EC2 instance failed."
    profile = "autoheal-missing-profile"
    return (f"Value ({profile}) for parameter iamInstanceProfile.name is invalid. Invalid IamInstanceProfile name. "
            "Launching EC2 instance failed.")


def _record(group: Any, status: str, description: str, capacity_from: int, message: str | None, zone: str | None) -> None:
    now = datetime.now(timezone.utc)
    activity = {
        "ActivityId": str(uuid.uuid4()), "AutoScalingGroupName": group.name, "AutoScalingGroupARN": group.arn,
        "Description": description,
        "Cause": f"At {now.strftime('%Y-%m-%dT%H:%M:%SZ')} an instance was started in response to a difference between desired and "
                 f"actual capacity, increasing the capacity from {capacity_from} to {capacity_from + 1}.",
        "StartTime": now, "EndTime": now, "StatusCode": status, "Progress": 100,
        "Details": json.dumps({"Subnet ID": (group.vpc_zone_identifier or "").split(",")[0], "Availability Zone": zone or ""}),
    }
    if message:
        activity["StatusMessage"] = message
    with _lock:
        kept = _activities(group)
        kept.append(activity)
        del kept[:-KEEP]


def _wrap_replace(original):
    def wrapper(self: Any, count_needed: int, propagated_tags: dict[str, str]) -> None:
        with _lock:
            fault = _faults.get(self.name)
        current = len(self.active_instances())
        if fault is not None:
            message = message_for(fault, self, count_needed)
            zone = self.availability_zones[0] if self.availability_zones else None
            for n in range(count_needed):
                _record(self, "Failed", "Launching a new EC2 instance.  Status Reason: " + message, current + n, message, zone)
            return
        before = {id(s) for s in self.instance_states}
        original(self, count_needed, propagated_tags)
        for n, state in enumerate(s for s in self.instance_states if id(s) not in before):
            _record(self, "Successful", f"Launching a new EC2 instance: {state.instance.id}", current + n, None,
                    state.instance.placement.zone)
    return wrapper


def describe(group_name: str | None, ids: list[str], max_records: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for backend in _backends():
        for g in backend.autoscaling_groups.values():
            if group_name and g.name != group_name:
                continue
            with _lock:
                out.extend(a for a in _activities(g) if not ids or a["ActivityId"] in ids)
    out.sort(key=lambda a: a["StartTime"], reverse=True)
    return out[:max_records]


def _describe_scaling_activities(self: Any) -> ActionResult:
    max_records = int(self._get_param("MaxRecords") or 100)
    ids = self._get_param("ActivityIds", []) or []
    return ActionResult({"Activities": describe(self._get_param("AutoScalingGroupName"), ids, max_records)})


def install() -> None:
    """Wraps the groups' launches and answers DescribeScalingActivities. Idempotent; before the server starts."""
    global _installed
    if _installed:
        return
    G = as_models.FakeAutoScalingGroup
    G.replace_autoscaling_group_instances = _wrap_replace(G.replace_autoscaling_group_instances)
    as_responses.AutoScalingResponse.describe_scaling_activities = _describe_scaling_activities
    _installed = True
