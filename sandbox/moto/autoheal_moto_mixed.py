"""Mixed instances groups in the sandbox's moto, where moto 5.2.5 differs from AWS.

- UpdateAutoScalingGroup ignores ``CapacityRebalance`` in moto; AWS changes it. Here it is honoured.
- moto launches a mixed instances group's machines with the launch template's instance type; AWS, with the
  ``prioritized`` strategy, launches the first override it has capacity for — in the sandbox, always the first.
  Here a mixed group launches its first override's type.
"""
from __future__ import annotations

from typing import Any

from moto.autoscaling import models as as_models
from moto.autoscaling import responses as as_responses

_installed = False


def _wrap_update(original):
    def wrapper(self: Any):
        result = original(self)
        rebalance = self._get_bool_param("CapacityRebalance", None)
        if rebalance is not None:
            group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
            if group is not None:
                group.capacity_rebalance = rebalance
        return result
    return wrapper


def _first_override(group: Any) -> str | None:
    policy = group.mixed_instances_policy or {}
    overrides = (policy.get("LaunchTemplate") or {}).get("Overrides") or []
    return overrides[0].get("InstanceType") if overrides else None


def _wrap_instance_type(original):
    def getter(self: Any) -> str:
        return _first_override(self) or original.fget(self)
    return property(getter)


def install() -> None:
    """Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    R = as_responses.AutoScalingResponse
    R.update_auto_scaling_group = _wrap_update(R.update_auto_scaling_group)
    G = as_models.FakeAutoScalingGroup
    G.instance_type = _wrap_instance_type(G.instance_type)
    _installed = True
