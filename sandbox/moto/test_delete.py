"""Tests of autoheal_moto_delete (DeleteAutoScalingGroup with and without ForceDelete) against the real launcher."""
import pytest
from botocore.exceptions import ClientError

from test_ext import _group, _members, _ec2_state, aws, endpoint  # noqa: F401 (fixtures)

TERMINATING_HOOK = {"LifecycleHookName": "drain", "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
                    "HeartbeatTimeout": 600, "DefaultResult": "CONTINUE"}


def test_without_force_a_group_with_instances_is_refused_and_an_empty_one_deleted(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=1, hooks=False)
    with pytest.raises(ClientError) as e:
        asg.delete_auto_scaling_group(AutoScalingGroupName="g")
    assert e.value.response["Error"]["Code"] == "ResourceInUse"
    assert len(_members(asg)) == 1
    asg.update_auto_scaling_group(AutoScalingGroupName="g", MinSize=0, DesiredCapacity=0)
    assert _members(asg) == {}
    asg.delete_auto_scaling_group(AutoScalingGroupName="g")
    assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"] == []


def test_force_terminates_every_instance_at_once_past_a_terminating_hook(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=2, hooks=False)
    asg.put_lifecycle_hook(AutoScalingGroupName="g", **TERMINATING_HOOK)
    ids = list(_members(asg))
    asg.delete_auto_scaling_group(AutoScalingGroupName="g", ForceDelete=True)
    assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"] == []
    assert len(ids) == 2
    assert {_ec2_state(ec2, i) for i in ids} <= {"shutting-down", "terminated"}


def test_scale_to_zero_under_a_terminating_hook_waits_then_the_empty_group_goes(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=1, hooks=False)
    asg.put_lifecycle_hook(AutoScalingGroupName="g", **TERMINATING_HOOK)
    asg.update_auto_scaling_group(AutoScalingGroupName="g", MinSize=0, DesiredCapacity=0)
    [(instance, state)] = _members(asg).items()
    assert state == "Terminating:Wait"
    with pytest.raises(ClientError):
        asg.delete_auto_scaling_group(AutoScalingGroupName="g")
    asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName="drain", InstanceId=instance,
                                  LifecycleActionResult="CONTINUE")
    assert _members(asg) == {}
    asg.delete_auto_scaling_group(AutoScalingGroupName="g")
