"""Fault injection for the sandbox's moto: make chosen API actions fail the way AWS fails under load.

moto answers every request it can; to test how the operator lives through throttling and outages (SDK retries,
conditions, metrics, recovery) the tests need AWS to fail on purpose. This module adds, on top of moto:

- a control endpoint on moto's own port, ``/autoheal-faults`` (JSON):
    POST   {"action": "DescribeInstances", "code": "RequestLimitExceeded", "status": 400, "count": 2,
            "message": "..."}   adds a rule: the next ``count`` requests of that action fail (count -1: until cleared)
           optional ``"kind": "lost-answer"``: moto performs the request, then answers with the error instead of
           its result — as when AWS did the work but the answer never reached the caller (a 5xx from a proxy, a
           dropped connection); the default kind ``"error"`` fails the request without performing it
    GET    lists the rules with ``remaining`` and ``hits`` (how many requests each one failed)
    DELETE removes every rule
- a hook in moto's request dispatch (``BaseResponse._dispatch``, shared by EC2 and Auto Scaling) that answers a
  request whose action has a live rule with the AWS error document of that service's protocol: EC2's
  ``<Response><Errors><Error>`` and Auto Scaling's ``<ErrorResponse><Error>``, with the given HTTP status and code.
  The AWS SDK classifies them as AWS would: ``RequestLimitExceeded`` / ``Throttling`` are throttling, 5xx are
  server errors, both retried with back-off.

- EC2 status checks that fail: ``POST /autoheal-faults/instance-status`` ``{"instanceId": "i-...", "status":
  "impaired"}`` makes DescribeInstanceStatus report that running instance's instance check ``impaired`` (moto
  always reports ``ok``); ``"status": "ok"`` undoes it, DELETE on ``/autoheal-faults`` clears all.

- failing launches (``autoheal_moto_launches``): ``POST /autoheal-faults/launch`` ``{"group": "asg", "cause":
  "insufficient-capacity"}`` makes the group launch nothing and record AWS's ``Failed`` scaling activities instead;
  ``DELETE /autoheal-faults/launch?group=asg`` ends it (the group then launches what it is short of).

Rules live in the moto process only; ``POST /moto-api/reset`` does not clear them (DELETE does).
"""
from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from moto.core import responses as core_responses
from moto.ec2.models import instances as ec2_instances
from moto.moto_server import werkzeug_app

import autoheal_moto_launches as launches

PATH = "/autoheal-faults"
STATUS_PATH = PATH + "/instance-status"
LAUNCH_PATH = PATH + "/launch"

_lock = threading.Lock()
_rules: list[dict[str, Any]] = []
_impaired: set[str] = set()
_installed = False


KINDS = ("error", "lost-answer")


def add_rule(action: str, code: str, status: int, count: int, message: str | None = None,
             kind: str = "error") -> dict[str, Any]:
    if not action or not code or not 400 <= int(status) <= 599 or int(count) == 0 or int(count) < -1:
        raise ValueError("need action, code, status 400-599 and count > 0 (or -1 for until cleared)")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    rule = {"action": action, "code": code, "status": int(status), "remaining": int(count), "hits": 0,
            "message": message or f"{code} injected by the autoheal sandbox", "kind": kind}
    with _lock:
        _rules.append(rule)
    return dict(rule)


def rules() -> list[dict[str, Any]]:
    with _lock:
        return [dict(r) for r in _rules]


def clear() -> None:
    with _lock:
        _rules.clear()
        _impaired.clear()
    launches.clear()


def set_instance_status(instance_id: str, status: str) -> dict[str, Any]:
    if not instance_id or status not in ("impaired", "ok"):
        raise ValueError("need instanceId and status impaired or ok")
    with _lock:
        (_impaired.add if status == "impaired" else _impaired.discard)(instance_id)
    return {"instanceId": instance_id, "status": status}


def take(action: str) -> dict[str, Any] | None:
    """The rule that fails this request of ``action``, counting it; None when the request goes through."""
    with _lock:
        for rule in _rules:
            if rule["action"] == action and rule["remaining"] != 0:
                if rule["remaining"] > 0:
                    rule["remaining"] -= 1
                rule["hits"] += 1
                return dict(rule)
    return None


def error_body(service: str, rule: dict[str, Any]) -> str:
    request_id = str(uuid.uuid4())
    code, message = rule["code"], rule["message"]
    if service == "ec2":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>%s</Code><Message>%s</Message>'
                "</Error></Errors><RequestID>%s</RequestID></Response>" % (code, message, request_id))
    kind = "Receiver" if rule["status"] >= 500 else "Sender"
    return ('<ErrorResponse xmlns="http://%s.amazonaws.com/doc/2011-01-01/"><Error><Type>%s</Type><Code>%s</Code>'
            "<Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>" % (service, kind, code, message, request_id))


def _dispatch(self: Any, request: Any, full_url: str | None = None, headers: Any = None):
    # Same as moto's BaseResponse._dispatch, with the fault check between parsing and the action.
    self.setup_class(request, full_url, headers)
    rule = take(self._get_action())
    if rule is None:
        return self.call_action()
    if rule["kind"] == "lost-answer":
        self.call_action()  # the work is done (and stays done, whatever moto answered); the answer is lost
    return rule["status"], {"Content-Type": "text/xml"}, error_body(self.service_name, rule)


def _control(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    method = environ.get("REQUEST_METHOD", "GET")
    status, payload = "200 OK", None
    try:
        if environ.get("PATH_INFO") == LAUNCH_PATH:
            payload = _launch_control(method, environ)
        elif method == "POST" and environ.get("PATH_INFO") == STATUS_PATH:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
            payload = set_instance_status(spec.get("instanceId"), spec.get("status"))
        elif method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
            payload = add_rule(spec.get("action"), spec.get("code"), spec.get("status", 503), spec.get("count", 1),
                               spec.get("message"), spec.get("kind", "error"))
        elif method == "DELETE":
            clear()
            payload = {"cleared": True}
        elif environ.get("PATH_INFO") == STATUS_PATH:
            with _lock:
                payload = sorted(_impaired)
        else:
            payload = rules()
    except (ValueError, KeyError, TypeError) as e:
        status, payload = "400 Bad Request", {"error": str(e)}
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _launch_control(method: str, environ: dict[str, Any]) -> Any:
    if method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        spec = json.loads(environ["wsgi.input"].read(length) or b"{}")
        return launches.set_fault(spec.get("group"), spec.get("cause"), spec.get("message"))
    if method == "DELETE":
        from urllib.parse import parse_qs
        group = (parse_qs(environ.get("QUERY_STRING", "")).get("group") or [None])[0]
        launches.clear(group)
        return {"cleared": group or "all"}
    return launches.faults()


_orig_call = werkzeug_app.DomainDispatcherApplication.__call__
_orig_instance_status = ec2_instances.Instance.instance_status


def _instance_status(self: Any) -> dict[str, Any]:
    with _lock:
        impaired = self.id in _impaired
    if impaired and self.state_code == 16:
        return {"Details": [{"Name": "reachability", "Status": "failed"}], "Status": "impaired"}
    return _orig_instance_status.fget(self)


def _call(self: Any, environ: dict[str, Any], start_response: Any):
    if environ.get("PATH_INFO") in (PATH, STATUS_PATH, LAUNCH_PATH):
        return _control(environ, start_response)
    return _orig_call(self, environ, start_response)


def install() -> None:
    """Installs the control endpoint and the dispatch hook. Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    core_responses.BaseResponse._dispatch = _dispatch
    werkzeug_app.DomainDispatcherApplication.__call__ = _call
    ec2_instances.Instance.instance_status = property(_instance_status)
    launches.install()  # after autoheal_moto_ext: it wraps the launches that one holds at the launch hook
    _installed = True
