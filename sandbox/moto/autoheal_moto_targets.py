"""Target health that tests can set, for moto's ELBv2 (installed by launcher.py before the server starts).

What moto 5.2.5 already does (checked, so not extended): CreateAutoScalingGroup with TargetGroupARNs and
AttachLoadBalancerTargetGroups register the group's instances with the target groups, and instances the group launches
later (replacements) are registered too; DetachLoadBalancerTargetGroups deregisters them; DescribeAutoScalingGroups
lists TargetGroupARNs; DescribeTargetHealth answers. What it lacks: health checks. Every registered running instance is
``healthy`` (a stopped one ``unused``), for ever. AttachTrafficSources is not implemented (the operator uses
AttachLoadBalancerTargetGroups). Not modelled either: instances that leave the group stay registered (AWS deregisters
them, through ``draining``).

This module adds a control endpoint on moto's own port, ``/autoheal-targets`` (JSON):

    POST   {"instanceId": "i-...", "state": "unhealthy", "reason": "Target.ResponseCodeMismatch",
            "description": "Health checks failed with these codes: [503]", "targetGroupArn": "arn:..." (optional: all)}
           from then on DescribeTargetHealth reports that registered target in that state (any of AWS's states:
           initial, healthy, unhealthy, unused, draining, unavailable), with that reason code and description;
           ``"state": "healthy"`` with no reason undoes it
    GET    lists the overrides
    DELETE removes every override

Only registered targets are affected (an unregistered one is still ``unused`` / Target.NotRegistered, as AWS says).
Overrides live in the moto process; ``POST /moto-api/reset`` does not clear them (DELETE does).
"""
from __future__ import annotations

import json
import threading
from typing import Any

from moto.elbv2 import models as elbv2_models
from moto.moto_server import werkzeug_app

PATH = "/autoheal-targets"
STATES = ("initial", "healthy", "unhealthy", "unused", "draining", "unavailable")
_lock = threading.Lock()
# (target group arn or None for every group, instance id) -> (state, reason, description)
_overrides: dict[tuple[str | None, str], tuple[str, str | None, str | None]] = {}
_installed = False


def set_health(instance_id: Any, state: Any, reason: Any = None, description: Any = None, target_group_arn: Any = None) -> dict[str, Any]:
    if not isinstance(instance_id, str) or not instance_id:
        raise ValueError("instanceId is required")
    if state not in STATES:
        raise ValueError(f"state must be one of {', '.join(STATES)}")
    key = (target_group_arn or None, instance_id)
    with _lock:
        if state == "healthy" and reason is None:
            _overrides.pop(key, None)
        else:
            _overrides[key] = (state, reason, description)
    return {"instanceId": instance_id, "state": state, "targetGroupArn": target_group_arn}


def overrides() -> list[dict[str, Any]]:
    with _lock:
        return [{"targetGroupArn": k[0], "instanceId": k[1], "state": v[0], "reason": v[1], "description": v[2]}
                for k, v in sorted(_overrides.items(), key=lambda kv: (kv[0][1], kv[0][0] or ""))]


def clear() -> None:
    with _lock:
        _overrides.clear()


_orig_health_for = elbv2_models.FakeTargetGroup.health_for


def _health_for(self: Any, target: dict[str, Any], ec2_backend: Any) -> Any:
    status = _orig_health_for(self, target, ec2_backend)
    registered = self.targets.get(target["Id"])
    if registered is None:
        return status
    with _lock:
        o = _overrides.get((self.arn, target["Id"])) or _overrides.get((None, target["Id"]))
    if o is None:
        return status
    return elbv2_models.FakeHealthStatus(target["Id"], registered["Port"], self.health_check_port, o[0], o[1], o[2])


def _control(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    method = environ.get("REQUEST_METHOD", "GET")
    status, payload = "200 OK", None
    try:
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
            payload = set_health(spec.get("instanceId"), spec.get("state"), spec.get("reason"), spec.get("description"),
                                 spec.get("targetGroupArn"))
        elif method == "DELETE":
            clear()
            payload = {"cleared": True}
        else:
            payload = overrides()
    except (ValueError, KeyError, TypeError) as e:
        status, payload = "400 Bad Request", {"error": str(e)}
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def install() -> None:
    """Installs the endpoint and the health hook. Idempotent; call before the server starts (after autoheal_moto_faults)."""
    global _installed
    if _installed:
        return
    elbv2_models.FakeTargetGroup.health_for = _health_for
    orig_call = werkzeug_app.DomainDispatcherApplication.__call__

    def _call(self: Any, environ: dict[str, Any], start_response: Any):
        if environ.get("PATH_INFO") == PATH:
            return _control(environ, start_response)
        return orig_call(self, environ, start_response)

    werkzeug_app.DomainDispatcherApplication.__call__ = _call
    _installed = True
