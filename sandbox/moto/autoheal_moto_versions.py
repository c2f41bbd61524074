"""Which launch template version each Auto Scaling instance was launched from, as AWS reports it.

moto 5.2.5 launches new instances from the group's current launch template version (ImageId, InstanceType), but
DescribeAutoScalingGroups / DescribeAutoScalingInstances report every instance with the template's *default*
version number, whatever version it came from. The operator's rolling replacement compares each instance's
version with the group's, so with moto's answer a rollout would never see an instance as up to date. This module
records the version an instance was launched from (the group's LaunchTemplate Version, with $Latest/$Default
resolved at launch, as AWS does) and reports that one.
"""
from __future__ import annotations

from typing import Any

from moto.autoscaling import models as as_models

_installed = False
_orig_init = as_models.InstanceState.__init__


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    _orig_init(self, *args, **kwargs)
    group = self.auto_scaling_group
    template = getattr(group, "ec2_launch_template", None) if group is not None else None
    self.autoheal_launch_template_version = (
        str(template.get_version(group.launch_template_version).number) if template is not None else None
    )


def _launch_template(self: Any) -> dict[str, Any] | None:
    group = self.auto_scaling_group
    if group is None or group.ec2_launch_template is None:
        return None
    template = group.ec2_launch_template
    return {
        "LaunchTemplateId": template.id,
        "LaunchTemplateName": template.name,
        "Version": getattr(self, "autoheal_launch_template_version", None) or str(template.default_version_number),
    }


def install() -> None:
    """Patches moto's InstanceState. Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    as_models.InstanceState.__init__ = _init
    as_models.InstanceState.launch_template = property(_launch_template)
    _installed = True
