"""Client tokens for moto's EC2 launch template writes (installed by launcher.py before the server starts).

AWS makes ``CreateLaunchTemplate`` and ``CreateLaunchTemplateVersion`` idempotent with a ``ClientToken``
("Ensuring idempotency in Amazon EC2 API requests", EC2 developer guide): a repeat of a request with the same
token and the same parameters returns the first request's result and creates nothing; the same token with other
parameters is refused with ``IdempotentParameterMismatch`` (HTTP 400). moto 5.2.5 ignores the token, so a retry
after a lost answer would create a second template version where AWS creates none. This module adds the AWS
behaviour on moto's own response class:

- requests without ``ClientToken`` behave exactly as in moto;
- the first request with a token runs as usual and its result is remembered, with a fingerprint of every other
  parameter, per account, region, action and token;
- a repeat with the same fingerprint gets the remembered result (a failed first request is not remembered, so
  its repeat runs again, as on AWS); a different fingerprint gets ``IdempotentParameterMismatch``.

Not modelled: the expiry of tokens (AWS keeps them for at least 24 hours; here until ``/moto-api/reset``, which
drops them with the backends they are stored on).
"""
from __future__ import annotations

import json
import threading
from typing import Any, Callable

from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses import launch_templates

ACTIONS = ("create_launch_template", "create_launch_template_version")
_lock = threading.Lock()
_installed = False


class IdempotentParameterMismatch(EC2ClientError):
    def __init__(self, token: str) -> None:
        super().__init__("IdempotentParameterMismatch",
                         f"The client token {token} was used before with different parameters.")


def _tokens(backend: Any) -> dict[tuple[str, str], tuple[str, Any]]:
    # Kept on the region's EC2 backend, so moto's reset (which replaces the backends) forgets them too.
    if "_autoheal_client_tokens" not in backend.__dict__:
        backend.__dict__["_autoheal_client_tokens"] = {}
    return backend.__dict__["_autoheal_client_tokens"]


def _fingerprint(querystring: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in querystring.items() if k != "ClientToken"}, sort_keys=True, default=str)


def _idempotent(name: str, original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def call(self: Any) -> Any:
        token = self._get_param("ClientToken")
        if not token:
            return original(self)
        fingerprint = _fingerprint(self.querystring)
        with _lock:  # one request per token at a time: a concurrent repeat waits for the first result
            tokens = _tokens(self.ec2_backend)
            seen = tokens.get((name, token))
            if seen is not None:
                if seen[0] != fingerprint:
                    raise IdempotentParameterMismatch(token)
                return seen[1]
            result = original(self)
            tokens[(name, token)] = (fingerprint, result)
            return result

    call.__name__ = name
    return call


def install() -> None:
    """Wraps the two launch template writes of moto's EC2 responses. Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    for name in ACTIONS:
        setattr(launch_templates.LaunchTemplates, name, _idempotent(name, getattr(launch_templates.LaunchTemplates, name)))
    _installed = True
