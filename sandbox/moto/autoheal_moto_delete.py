"""DeleteAutoScalingGroup as AWS answers it (installed by launcher.py after autoheal_moto_ext).

moto 5.2.5 ignores ForceDelete: it always scales the group to zero and drops it at once. Under a terminating hook
(autoheal_moto_ext) that left the instances in Terminating:Wait and running in EC2 after their group was gone. AWS:

- without ``ForceDelete`` a group that still has instances is refused: ``ResourceInUse`` (HTTP 400), "You cannot
  delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.";
- with ``ForceDelete`` "deletes the group along with all instances associated with the group, without waiting for
  all instances to be terminated" — lifecycle hooks are not run: every instance terminates at once.
"""
from __future__ import annotations

from typing import Any

from moto.autoscaling import responses as as_responses
from moto.autoscaling.exceptions import AutoscalingClientError
from moto.core.responses import EmptyResult


class ResourceInUseError(AutoscalingClientError):
    code = "ResourceInUse"

    def __init__(self) -> None:
        super().__init__("You cannot delete an AutoScalingGroup while there are instances or pending Spot instance "
                         "request(s) still in the group.")


_installed = False


def _delete_auto_scaling_group(self: Any):
    name = self._get_param("AutoScalingGroupName")
    force = str(self._get_param("ForceDelete", "false")).lower() == "true"
    backend = self.autoscaling_backend
    group = backend.autoscaling_groups.get(name)
    if group is not None and group.instance_states:
        if not force:
            raise ResourceInUseError()
        ids = [s.instance.id for s in group.instance_states]
        group.instance_states = []  # no hook runs: the group lets go of every instance now
        backend.ec2_backend.terminate_instances(ids)
    backend.delete_auto_scaling_group(name)
    return EmptyResult()


def install() -> None:
    global _installed
    if _installed:
        return
    as_responses.AutoScalingResponse.delete_auto_scaling_group = _delete_auto_scaling_group
    _installed = True
