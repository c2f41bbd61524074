"""Who owns a network interface's public IP, as AWS reports it.

AWS answers DescribeInstances / DescribeNetworkInterfaces with an association per public IP whose ``IpOwnerId`` is
``amazon`` for a public IP it assigned at launch, and the owning account's id for an Elastic IP. moto 5.2.5 reports
the account id for both, so an instance with an ordinary public IP would look as if it carried an Elastic IP. The
operator reads this field to leave alone a machine that already holds an Elastic IP from outside its pool (an
association would replace that address). This module reports ``amazon`` unless an Elastic IP of the account is
associated with that very interface.
"""
from __future__ import annotations

from typing import Any

from moto.ec2.models.elastic_network_interfaces import NetworkInterface

AMAZON = "amazon"

_installed = False
_orig_association = NetworkInterface.association


def _association(self: Any) -> dict[str, Any]:
    association = _orig_association.fget(self)
    if association.get("publicIp"):
        eips = self.ec2_backend.address_by_ip([self.public_ip], fail_if_not_found=False)
        if not any(eip.eni is self for eip in eips):
            association["ipOwnerId"] = AMAZON
    return association


def install() -> None:
    """Patches moto's NetworkInterface. Idempotent; call before the server starts."""
    global _installed
    if _installed:
        return
    NetworkInterface.association = property(_association)
    _installed = True
