"""Tests of autoheal_moto_warm against the real launcher (its own moto with --events-queue on a free loopback port),
through boto3: warm-pool spares, their lifecycle hooks, spares taken first, and the EventBridge events AWS sends.

Run with sandbox/moto/test.sh (uses the sandbox's moto venv).
"""
import pytest

from test_events import Aws, endpoint  # noqa: F401  (the module-scoped launcher with the events queue)
import urllib.request

HOOK = "gate"


@pytest.fixture()
def aws(endpoint):  # noqa: F811
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    return Aws(endpoint)


def _group(aws, desired=1, hook=True, name="g"):
    aws.ec2.create_launch_template(LaunchTemplateName=name + "-lt", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    extra = {"LifecycleHookSpecificationList": [{"LifecycleHookName": HOOK, "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING",
                                                  "DefaultResult": "ABANDON"}]} if hook else {}
    aws.asg.create_auto_scaling_group(AutoScalingGroupName=name, LaunchTemplate={"LaunchTemplateName": name + "-lt", "Version": "$Latest"},
                                      MinSize=0, MaxSize=5, DesiredCapacity=desired, AvailabilityZones=["us-east-1a"], **extra)


def _members(aws, name="g"):
    g = aws.asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return {i["InstanceId"]: i["LifecycleState"] for i in g["Instances"]}


def _spares(aws, name="g"):
    return {i["InstanceId"]: i["LifecycleState"] for i in aws.asg.describe_warm_pool(AutoScalingGroupName=name)["Instances"]}


def _ec2(aws, iid):
    return aws.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["State"]["Name"]


def _continue(aws, iid):
    aws.asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK, LifecycleActionResult="CONTINUE", InstanceId=iid)


def test_a_fixed_size_pool_launches_its_spares_into_warmed_pending_wait_under_the_launch_hook(aws):
    _group(aws, desired=2)
    aws.drain()
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=1, MaxGroupPreparedCapacity=1, PoolState="Stopped")
    spares = _spares(aws)
    assert list(spares.values()) == ["Warmed:Pending:Wait"]
    (spare,) = spares
    assert spare not in _members(aws) and len(_members(aws)) == 2  # a spare is no member and counts toward no capacity
    cfg = aws.asg.describe_warm_pool(AutoScalingGroupName="g")["WarmPoolConfiguration"]
    assert (cfg["MinSize"], cfg["MaxGroupPreparedCapacity"], cfg["PoolState"]) == (1, 1, "Stopped")
    g = aws.asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]
    assert g["WarmPoolConfiguration"]["MinSize"] == 1
    # the instance carries the group's name like any launch (the operator finds it by that tag)
    tags = aws.ec2.describe_instances(InstanceIds=[spare])["Reservations"][0]["Instances"][0]["Tags"]
    assert {"Key": "aws:autoscaling:groupName", "Value": "g"} in tags
    actions = [e["detail"] for e in aws.drain() if e["detail-type"] == "EC2 Instance-launch Lifecycle Action"]
    assert [(a["EC2InstanceId"], a["Origin"], a["Destination"]) for a in actions] == [(spare, "EC2", "WarmPool")]
    # size is absolute: a repeated put or a changed desired capacity launches no second spare
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=1, MaxGroupPreparedCapacity=1, PoolState="Stopped")
    aws.asg.set_desired_capacity(AutoScalingGroupName="g", DesiredCapacity=3)
    assert len([s for s in _spares(aws).values() if not s.startswith("Warmed:Terminat")]) == 1


def test_continue_stops_the_spare_and_abandon_replaces_it_in_the_pool(aws):
    _group(aws, desired=1)
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=1, MaxGroupPreparedCapacity=1)
    (spare,) = _spares(aws)
    _continue(aws, spare)
    assert _spares(aws) == {spare: "Warmed:Stopped"} and _ec2(aws, spare) == "stopped"
    # a second CONTINUE finds no action, as on AWS
    with pytest.raises(Exception, match="No active Lifecycle Action"):
        _continue(aws, spare)
    aws.asg.delete_warm_pool(AutoScalingGroupName="g")
    assert _ec2(aws, spare) in ("shutting-down", "terminated")
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=1, MaxGroupPreparedCapacity=1, PoolState="Running")
    (failing,) = _spares(aws)
    aws.asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK, LifecycleActionResult="ABANDON", InstanceId=failing)
    assert _ec2(aws, failing) in ("shutting-down", "terminated")
    spares = _spares(aws)
    assert failing not in spares and list(spares.values()) == ["Warmed:Pending:Wait"]  # the pool launched another
    (other,) = spares
    _continue(aws, other)
    assert _spares(aws) == {other: "Warmed:Running"} and _ec2(aws, other) == "running"


def test_a_replacement_takes_the_prepared_spare_which_passes_the_launch_hook_again_then_the_pool_refills(aws):
    _group(aws, desired=1)
    (member,) = _members(aws)
    _continue(aws, member)
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=1, MaxGroupPreparedCapacity=1)
    (spare,) = _spares(aws)
    _continue(aws, spare)
    aws.drain()
    aws.asg.terminate_instance_in_auto_scaling_group(InstanceId=member, ShouldDecrementDesiredCapacity=False)
    members = _members(aws)
    assert members == {spare: "Pending:Wait"}  # the spare, not a cold launch; Warmed:Stopped -> Pending -> Pending:Wait
    assert _ec2(aws, spare) == "running"
    events = aws.drain()
    taken = [e["detail"] for e in events if e["detail-type"] == "EC2 Instance-launch Lifecycle Action" and e["detail"]["EC2InstanceId"] == spare]
    assert [(a["Origin"], a["Destination"]) for a in taken] == [("WarmPool", "AutoScalingGroup")]
    assert (spare, "running") in [(e["detail"]["instance-id"], e["detail"]["state"]) for e in events
                                  if e["detail-type"] == "EC2 Instance State-change Notification"]
    _continue(aws, spare)
    assert _members(aws) == {spare: "InService"}
    refill = _spares(aws)
    assert spare not in refill and list(refill.values()) == ["Warmed:Pending:Wait"]


def test_scale_out_takes_spares_first_and_only_prepared_ones(aws):
    _group(aws, desired=1, hook=False)
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=2, MaxGroupPreparedCapacity=2)
    spares = _spares(aws)
    assert sorted(spares.values()) == ["Warmed:Stopped", "Warmed:Stopped"]  # no hook: straight to the pool state
    aws.asg.set_desired_capacity(AutoScalingGroupName="g", DesiredCapacity=2)
    members = _members(aws)
    assert len(members) == 2 and len(set(members) & set(spares)) == 1 and set(members.values()) == {"InService"}
    assert len(_spares(aws)) == 2  # refilled


def test_a_spare_is_terminated_in_its_group_and_the_pool_refills(aws):
    _group(aws, desired=0)
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=1, MaxGroupPreparedCapacity=1)
    (spare,) = _spares(aws)
    aws.asg.terminate_instance_in_auto_scaling_group(InstanceId=spare, ShouldDecrementDesiredCapacity=False)
    assert _ec2(aws, spare) in ("shutting-down", "terminated")
    (next_spare,) = _spares(aws)
    assert next_spare != spare and _members(aws) == {}


def test_a_spare_whose_hook_times_out_gets_the_default_result(aws):
    _group(aws, desired=0, hook=False)
    aws.asg.put_lifecycle_hook(AutoScalingGroupName="g", LifecycleHookName=HOOK, LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING",
                               HeartbeatTimeout=1, DefaultResult="ABANDON")
    aws.asg.put_warm_pool(AutoScalingGroupName="g", MinSize=1, MaxGroupPreparedCapacity=1)
    (spare,) = _spares(aws)
    aws.asg.record_lifecycle_action_heartbeat(AutoScalingGroupName="g", LifecycleHookName=HOOK, InstanceId=spare)  # a spare's action is found
    import time
    time.sleep(1.5)
    spares = _spares(aws)  # the sweep at the start of this request applies ABANDON, then the pool refills
    assert spare not in spares and list(spares.values()) == ["Warmed:Pending:Wait"]
    assert _ec2(aws, spare) in ("shutting-down", "terminated")
