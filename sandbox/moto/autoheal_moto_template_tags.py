"""A launch template's tags as they are now, as AWS reports them.

moto 5.2.5 copies a launch template's tags once, when it is created, and DescribeLaunchTemplates answers that copy:
CreateTags / DeleteTags on the template change its tags in moto's tag store but never show in the answer. AWS
answers the current tags. The operator proves a template is its own by those tags, and deletionPolicy Orphan
rewrites them (autoheal.io/cluster removed, autoheal.io/orphaned-from added) so that a cluster created again under the
same name never versions or deletes the orphaned group's template. This module answers the template's current tags.
"""
from __future__ import annotations

from typing import Any

from moto.ec2.models.launch_templates import LaunchTemplate

_installed = False


def _tags(self: Any) -> list[dict[str, str]]:
    return self.get_tags()


def _ignore(self: Any, value: Any) -> None:
    # moto's __init__ stores its copy here; the answer is read from the tag store instead
    pass


def install() -> None:
    """Patches moto's LaunchTemplate. Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    LaunchTemplate.tags = property(_tags, _ignore)
    _installed = True
