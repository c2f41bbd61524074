"""Tests of autoheal_moto_ext against the real launcher (a moto server on a free loopback port), through boto3.

Run with sandbox/moto/test.sh (uses the sandbox's moto venv).
"""
import json
import re
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
HOOK = "launch-gate"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def endpoint():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "launcher.py"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=2)
            break
        except Exception:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("launcher did not start: " + proc.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture()
def aws(endpoint):
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    return _client("autoscaling", endpoint), _client("ec2", endpoint)


def _template(ec2, name="lt"):
    ec2.create_launch_template(LaunchTemplateName=name,
                               LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    return {"LaunchTemplateName": name, "Version": "$Latest"}


def _group(asg, ec2, name="g", desired=1, hooks=True, timeout=None, default_result=None):
    spec = {"LifecycleHookName": HOOK, "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING"}
    if timeout is not None:
        spec["HeartbeatTimeout"] = timeout
    if default_result is not None:
        spec["DefaultResult"] = default_result
    extra = {"LifecycleHookSpecificationList": [spec]} if hooks else {}
    asg.create_auto_scaling_group(AutoScalingGroupName=name, LaunchTemplate=_template(ec2, name + "-lt"),
                                  MinSize=0, MaxSize=5, DesiredCapacity=desired,
                                  AvailabilityZones=["us-east-1a"], **extra)


def _members(asg, name="g"):
    group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return {i["InstanceId"]: i["LifecycleState"] for i in group["Instances"]}


def _ec2_state(ec2, instance_id):
    r = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    return r["State"]["Name"]


def test_without_hook_instances_are_in_service_as_in_plain_moto(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=2, hooks=False)
    assert sorted(_members(asg).values()) == ["InService", "InService"]


def test_hook_in_create_group_puts_new_instances_in_pending_wait(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=2)
    assert sorted(_members(asg).values()) == ["Pending:Wait", "Pending:Wait"]
    hooks = asg.describe_lifecycle_hooks(AutoScalingGroupName="g")["LifecycleHooks"]
    assert [h["LifecycleHookName"] for h in hooks] == [HOOK]
    # pending instances count towards capacity: nothing extra is launched on a capacity update
    asg.update_auto_scaling_group(AutoScalingGroupName="g", DesiredCapacity=2)
    assert len(_members(asg)) == 2


def test_put_lifecycle_hook_then_scale_out(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=1, hooks=False)
    (old,) = _members(asg)
    asg.put_lifecycle_hook(AutoScalingGroupName="g", LifecycleHookName=HOOK,
                           LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING")
    asg.set_desired_capacity(AutoScalingGroupName="g", DesiredCapacity=2)
    members = _members(asg)
    assert members.pop(old) == "InService"  # hooks apply to launches after they were put
    assert list(members.values()) == ["Pending:Wait"]


def test_continue_puts_instance_in_service(aws):
    asg, ec2 = aws
    _group(asg, ec2)
    (iid,) = _members(asg)
    asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK,
                                  LifecycleActionResult="CONTINUE", InstanceId=iid)
    assert _members(asg) == {iid: "InService"}
    inst = asg.describe_auto_scaling_instances(InstanceIds=[iid])["AutoScalingInstances"][0]
    assert inst["LifecycleState"] == "InService"


def test_abandon_terminates_and_replacement_waits_again(aws):
    asg, ec2 = aws
    _group(asg, ec2)
    (iid,) = _members(asg)
    asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK,
                                  LifecycleActionResult="ABANDON", InstanceId=iid)
    members = _members(asg)
    assert iid not in members
    assert list(members.values()) == ["Pending:Wait"]
    assert _ec2_state(ec2, iid) == "terminated"
    (new,) = members
    assert _ec2_state(ec2, new) == "running"


def test_heartbeat_is_accepted_for_pending_instance(aws):
    asg, ec2 = aws
    _group(asg, ec2)
    (iid,) = _members(asg)
    r = asg.record_lifecycle_action_heartbeat(AutoScalingGroupName="g", LifecycleHookName=HOOK, InstanceId=iid)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _members(asg) == {iid: "Pending:Wait"}


def test_errors_like_aws(aws):
    asg, ec2 = aws
    _group(asg, ec2)
    (iid,) = _members(asg)

    def code_and_message(call, **kw):
        with pytest.raises(ClientError) as e:
            call(AutoScalingGroupName="g", LifecycleHookName=HOOK, **kw)
        err = e.value.response["Error"]
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        return err["Code"], err["Message"]

    assert code_and_message(asg.complete_lifecycle_action, LifecycleActionResult="CONTINUE",
                            InstanceId="i-0123456789abcdef0") == (
        "ValidationError", "No active Lifecycle Action found with instance ID i-0123456789abcdef0")
    assert code_and_message(asg.record_lifecycle_action_heartbeat, InstanceId="i-0123456789abcdef0")[1] == \
        "No active Lifecycle Action found with instance ID i-0123456789abcdef0"
    assert code_and_message(asg.complete_lifecycle_action, LifecycleActionResult="CONTINUE",
                            LifecycleActionToken="00000000-0000-0000-0000-000000000000")[0] == "ValidationError"
    # completed once: a second completion finds no active action
    asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK,
                                  LifecycleActionResult="CONTINUE", InstanceId=iid)
    assert code_and_message(asg.complete_lifecycle_action, LifecycleActionResult="CONTINUE", InstanceId=iid) == (
        "ValidationError", f"No active Lifecycle Action found with instance ID {iid}")
    assert code_and_message(asg.record_lifecycle_action_heartbeat, InstanceId=iid)[0] == "ValidationError"


def test_wrong_hook_name_and_bad_result(aws):
    asg, ec2 = aws
    _group(asg, ec2)
    (iid,) = _members(asg)
    with pytest.raises(ClientError) as e:
        asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName="nope",
                                      LifecycleActionResult="CONTINUE", InstanceId=iid)
    assert e.value.response["Error"]["Code"] == "ValidationError"
    with pytest.raises(ClientError) as e:
        asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK,
                                      LifecycleActionResult="MAYBE", InstanceId=iid)
    assert e.value.response["Error"]["Code"] == "ValidationError"
    assert _members(asg) == {iid: "Pending:Wait"}


def test_heartbeat_timeout_applies_default_result(aws):
    asg, ec2 = aws
    _group(asg, ec2, name="c", timeout=1, default_result="CONTINUE")
    _group(asg, ec2, name="a", timeout=1, default_result="ABANDON")
    (c_iid,) = _members(asg, "c")
    (a_iid,) = _members(asg, "a")
    time.sleep(1.5)
    assert _members(asg, "c") == {c_iid: "InService"}
    members = _members(asg, "a")
    assert a_iid not in members and list(members.values()) == ["Pending:Wait"]


def test_terminating_pending_instance_via_ec2_is_replaced(aws):
    asg, ec2 = aws
    _group(asg, ec2)
    (iid,) = _members(asg)
    ec2.terminate_instances(InstanceIds=[iid])
    members = _members(asg)
    assert iid not in members and list(members.values()) == ["Pending:Wait"]


def test_delete_group_deletes_its_hooks(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=0)
    asg.delete_auto_scaling_group(AutoScalingGroupName="g", ForceDelete=True)
    assert asg.describe_lifecycle_hooks(AutoScalingGroupName="g")["LifecycleHooks"] == []


def test_delete_hook_abandons_its_waiting_instances_and_the_replacements_do_not_wait(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=2)
    waiting = sorted(_members(asg))
    assert set(_members(asg).values()) == {"Pending:Wait"}
    asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK,
                                  LifecycleActionResult="CONTINUE", InstanceId=waiting[0])
    asg.delete_lifecycle_hook(AutoScalingGroupName="g", LifecycleHookName=HOOK)
    members = _members(asg)
    assert members[waiting[0]] == "InService", "an instance already in service is not touched"
    assert waiting[1] not in members and _ec2_state(ec2, waiting[1]) == "terminated"
    assert sorted(members.values()) == ["InService", "InService"]


def test_extension_survives_reset(aws, endpoint):
    asg, ec2 = aws
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    _group(asg, ec2)
    (iid,) = _members(asg)
    assert _members(asg) == {iid: "Pending:Wait"}
    asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName=HOOK,
                                  LifecycleActionResult="CONTINUE", InstanceId=iid)
    assert _members(asg) == {iid: "InService"}


# ----- autoheal_moto_faults: injected AWS errors

def _faults(endpoint, method="GET", spec=None):
    data = None if spec is None else json.dumps(spec).encode()
    req = urllib.request.Request(endpoint + "/autoheal-faults", method=method, data=data,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture()
def no_faults(endpoint):
    _faults(endpoint, "DELETE")
    yield
    _faults(endpoint, "DELETE")


def _no_retries(service, endpoint):
    from botocore.config import Config
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1}))


def test_ec2_throttling_is_answered_count_times_as_aws_does(endpoint, no_faults):
    ec2 = _no_retries("ec2", endpoint)
    _faults(endpoint, "POST", {"action": "DescribeInstances", "code": "RequestLimitExceeded", "status": 503, "count": 2})
    for _ in range(2):
        with pytest.raises(ClientError) as e:
            ec2.describe_instances()
        assert e.value.response["Error"]["Code"] == "RequestLimitExceeded"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    ec2.describe_instances()  # the rule is used up
    ec2.describe_addresses()  # other actions were never affected
    assert [(r["action"], r["remaining"], r["hits"]) for r in _faults(endpoint)] == [("DescribeInstances", 0, 2)]


def test_autoscaling_outage_lasts_until_cleared_and_sdk_retries_absorb_a_short_one(endpoint, no_faults):
    asg = _no_retries("autoscaling", endpoint)
    _faults(endpoint, "POST", {"action": "DescribeAutoScalingGroups", "code": "ServiceUnavailable", "status": 503, "count": -1})
    for _ in range(3):
        with pytest.raises(ClientError) as e:
            asg.describe_auto_scaling_groups()
        assert e.value.response["Error"]["Code"] == "ServiceUnavailable"
    _faults(endpoint, "DELETE")
    asg.describe_auto_scaling_groups()
    # a botocore client with its standard retries gets through two throttles without seeing them
    _faults(endpoint, "POST", {"action": "DescribeAutoScalingGroups", "code": "Throttling", "status": 400, "count": 2})
    from botocore.config import Config
    retrying = boto3.client("autoscaling", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                            aws_secret_access_key="testing", config=Config(retries={"mode": "standard", "max_attempts": 4}))
    retrying.describe_auto_scaling_groups()
    assert _faults(endpoint)[0]["hits"] == 2


def test_a_bad_rule_is_refused(endpoint, no_faults):
    with pytest.raises(urllib.error.HTTPError) as e:
        _faults(endpoint, "POST", {"action": "DescribeInstances", "code": "X", "status": 200, "count": 1})
    assert e.value.code == 400


def test_a_lost_answer_does_the_work_and_then_fails_the_caller(aws, endpoint, no_faults):
    ec2 = _no_retries("ec2", endpoint)
    _faults(endpoint, "POST", {"action": "AllocateAddress", "code": "InternalError", "status": 500, "count": 1,
                               "kind": "lost-answer"})
    with pytest.raises(ClientError) as e:
        ec2.allocate_address(Domain="vpc")
    assert e.value.response["Error"]["Code"] == "InternalError"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert len(ec2.describe_addresses()["Addresses"]) == 1, "AWS did the work although the caller saw a failure"
    ec2.allocate_address(Domain="vpc")  # the rule is used up: the next one is answered
    assert len(ec2.describe_addresses()["Addresses"]) == 2
    assert [(r["kind"], r["hits"]) for r in _faults(endpoint)] == [("lost-answer", 1)]


def test_a_plain_error_rule_does_not_do_the_work(aws, endpoint, no_faults):
    ec2 = _no_retries("ec2", endpoint)
    _faults(endpoint, "POST", {"action": "AllocateAddress", "code": "InternalError", "status": 500, "count": 1})
    with pytest.raises(ClientError):
        ec2.allocate_address(Domain="vpc")
    assert ec2.describe_addresses()["Addresses"] == []


def test_an_unknown_fault_kind_is_refused(endpoint, no_faults):
    with pytest.raises(urllib.error.HTTPError) as e:
        _faults(endpoint, "POST", {"action": "AllocateAddress", "code": "X", "status": 500, "kind": "sometimes"})
    assert e.value.code == 400


# ----- autoheal_moto_idempotency: client tokens of launch template writes

LT_DATA = {"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"}


def test_create_launch_template_with_the_same_token_and_parameters_creates_one(aws):
    _, ec2 = aws
    first = ec2.create_launch_template(LaunchTemplateName="tok", LaunchTemplateData=LT_DATA, ClientToken="t-1")
    again = ec2.create_launch_template(LaunchTemplateName="tok", LaunchTemplateData=LT_DATA, ClientToken="t-1")
    assert again["LaunchTemplate"]["LaunchTemplateId"] == first["LaunchTemplate"]["LaunchTemplateId"]
    assert len(ec2.describe_launch_templates()["LaunchTemplates"]) == 1
    # without the token moto (and AWS) refuses a second template of that name
    with pytest.raises(ClientError) as e:
        ec2.create_launch_template(LaunchTemplateName="tok", LaunchTemplateData=LT_DATA)
    assert "AlreadyExists" in e.value.response["Error"]["Code"]


def test_the_same_token_with_other_parameters_is_a_mismatch(aws):
    _, ec2 = aws
    ec2.create_launch_template(LaunchTemplateName="tok", LaunchTemplateData=LT_DATA, ClientToken="t-2")
    lt = ec2.describe_launch_templates()["LaunchTemplates"][0]["LaunchTemplateId"]
    with pytest.raises(ClientError) as e:
        ec2.create_launch_template(LaunchTemplateName="other", LaunchTemplateData=LT_DATA, ClientToken="t-2")
    assert e.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData=LT_DATA, ClientToken="v-2")
    with pytest.raises(ClientError) as e:
        ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData={**LT_DATA, "InstanceType": "t3.large"},
                                           ClientToken="v-2")
    assert e.value.response["Error"]["Code"] == "IdempotentParameterMismatch"
    assert ec2.describe_launch_templates()["LaunchTemplates"][0]["LatestVersionNumber"] == 2


def test_create_launch_template_version_with_the_same_token_returns_the_same_version(aws):
    _, ec2 = aws
    lt = ec2.create_launch_template(LaunchTemplateName="ver", LaunchTemplateData=LT_DATA)["LaunchTemplate"]["LaunchTemplateId"]
    data = {**LT_DATA, "InstanceType": "t3.small"}
    first = ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData=data, ClientToken="v-1")
    again = ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData=data, ClientToken="v-1")
    assert first["LaunchTemplateVersion"]["VersionNumber"] == again["LaunchTemplateVersion"]["VersionNumber"] == 2
    assert ec2.describe_launch_templates()["LaunchTemplates"][0]["LatestVersionNumber"] == 2
    # another token is another version; no token at all is moto's (and AWS') plain behaviour
    ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData=data, ClientToken="v-other")
    ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData=data)
    assert ec2.describe_launch_templates()["LaunchTemplates"][0]["LatestVersionNumber"] == 4


def test_a_retry_after_a_lost_answer_creates_no_second_version(aws, endpoint, no_faults):
    _, ec2 = aws
    lt = ec2.create_launch_template(LaunchTemplateName="lost", LaunchTemplateData=LT_DATA)["LaunchTemplate"]["LaunchTemplateId"]
    _faults(endpoint, "POST", {"action": "CreateLaunchTemplateVersion", "code": "InternalError", "status": 500, "count": 1,
                               "kind": "lost-answer"})
    single = _no_retries("ec2", endpoint)
    with pytest.raises(ClientError):
        single.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData=LT_DATA, ClientToken="lost-1")
    assert ec2.describe_launch_templates()["LaunchTemplates"][0]["LatestVersionNumber"] == 2  # the lost one exists
    retried = single.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData=LT_DATA, ClientToken="lost-1")
    assert retried["LaunchTemplateVersion"]["VersionNumber"] == 2
    assert ec2.describe_launch_templates()["LaunchTemplates"][0]["LatestVersionNumber"] == 2


def test_reset_forgets_the_tokens(aws, endpoint):
    _, ec2 = aws
    ec2.create_launch_template(LaunchTemplateName="r", LaunchTemplateData=LT_DATA, ClientToken="t-reset")
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    ec2.create_launch_template(LaunchTemplateName="r2", LaunchTemplateData=LT_DATA, ClientToken="t-reset")
    assert [t["LaunchTemplateName"] for t in ec2.describe_launch_templates()["LaunchTemplates"]] == ["r2"]


# ----- autoheal_moto_versions: the launch template version of each instance

def test_instances_report_the_template_version_they_were_launched_from(aws):
    asg, ec2 = aws
    sub = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    lt = ec2.create_launch_template(LaunchTemplateName="roll", LaunchTemplateData={"ImageId": "ami-12c6146b",
                                                                                 "InstanceType": "t3.micro"})["LaunchTemplate"]
    asg.create_auto_scaling_group(AutoScalingGroupName="roll", MinSize=0, MaxSize=3, DesiredCapacity=2, VPCZoneIdentifier=sub,
                                  LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "Version": "1"})
    ec2.create_launch_template_version(LaunchTemplateId=lt["LaunchTemplateId"],
                                       LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
    asg.update_auto_scaling_group(AutoScalingGroupName="roll",
                                  LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "Version": "$Latest"})
    old = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["roll"])["AutoScalingGroups"][0]["Instances"]
    assert [i["LaunchTemplate"]["Version"] for i in old] == ["1", "1"]
    asg.terminate_instance_in_auto_scaling_group(InstanceId=old[0]["InstanceId"], ShouldDecrementDesiredCapacity=False)
    now = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["roll"])["AutoScalingGroups"][0]["Instances"]
    versions = {i["InstanceId"]: i["LaunchTemplate"]["Version"] for i in now}
    new = [i for i in versions if i != old[1]["InstanceId"]]
    assert versions[old[1]["InstanceId"]] == "1" and [versions[i] for i in new] == ["2"]
    assert ec2.describe_instances(InstanceIds=new)["Reservations"][0]["Instances"][0]["InstanceType"] == "t3.small"
    gone = ec2.describe_instances(Filters=[{"Name": "tag:aws:autoscaling:groupName", "Values": ["roll"]}])
    states = {i["InstanceId"]: i["State"]["Name"] for r in gone["Reservations"] for i in r["Instances"]}
    assert states[old[0]["InstanceId"]] in ("shutting-down", "terminated"), "as AWS: the group's tag stays on a terminated instance"


def test_an_instance_status_check_can_be_made_impaired_and_ok_again(aws, endpoint, no_faults):
    _, ec2 = aws
    iid = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]

    def status():
        return ec2.describe_instance_status(InstanceIds=[iid])["InstanceStatuses"][0]["InstanceStatus"]["Status"]

    assert status() == "ok"
    req = urllib.request.Request(endpoint + "/autoheal-faults/instance-status", method="POST",
                                 data=json.dumps({"instanceId": iid, "status": "impaired"}).encode())
    urllib.request.urlopen(req, timeout=10)
    assert status() == "impaired"
    assert ec2.describe_instance_status(InstanceIds=[iid])["InstanceStatuses"][0]["SystemStatus"]["Status"] == "ok"
    _faults(endpoint, "DELETE")
    assert status() == "ok"


# ----- autoheal_moto_addresses: "amazon" owns a public IP that is no Elastic IP

def _owners(ec2, iid):
    instance = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    eni = instance["NetworkInterfaces"][0]
    described = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni["NetworkInterfaceId"]])["NetworkInterfaces"][0]
    return (instance.get("PublicIpAddress"), eni.get("Association", {}).get("IpOwnerId"),
            eni["PrivateIpAddresses"][0].get("Association", {}).get("IpOwnerId"),
            described.get("Association", {}).get("IpOwnerId"))


def test_a_launch_public_ip_is_owned_by_amazon_an_elastic_ip_by_the_account(aws):
    _, ec2 = aws
    sub = sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s.get("DefaultForAz"))[0]
    iid = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=sub)["Instances"][0]["InstanceId"]
    launch_ip, *owners = _owners(ec2, iid)
    assert launch_ip and owners == ["amazon", "amazon", "amazon"]

    eip = ec2.allocate_address(Domain="vpc")
    assoc = ec2.associate_address(AllocationId=eip["AllocationId"], InstanceId=iid)["AssociationId"]
    account = ec2.describe_addresses(AllocationIds=[eip["AllocationId"]])["Addresses"][0]["NetworkInterfaceOwnerId"]
    ip, *owners = _owners(ec2, iid)
    assert ip == eip["PublicIp"] and account != "amazon" and owners == [account, account, account]

    ec2.disassociate_address(AssociationId=assoc)
    ip, *owners = _owners(ec2, iid)
    assert ip != eip["PublicIp"] and owners == ["amazon", "amazon", "amazon"]


# --- terminating hooks (Terminating:Wait) -------------------------------------------------------------------

DRAIN = "drain"


def _drained_group(asg, ec2, desired=2, timeout=None, default_result=None, name="d"):
    _group(asg, ec2, name=name, desired=desired, hooks=False)
    kwargs = {}
    if timeout is not None:
        kwargs["HeartbeatTimeout"] = timeout
    if default_result is not None:
        kwargs["DefaultResult"] = default_result
    asg.put_lifecycle_hook(AutoScalingGroupName=name, LifecycleHookName=DRAIN,
                           LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING", **kwargs)
    return sorted(_members(asg, name))


def test_terminate_in_group_waits_in_terminating_wait_and_the_replacement_launches_at_once(aws):
    asg, ec2 = aws
    a, b = _drained_group(asg, ec2)
    asg.terminate_instance_in_auto_scaling_group(InstanceId=a, ShouldDecrementDesiredCapacity=False)
    members = _members(asg, "d")
    assert members.pop(a) == "Terminating:Wait"
    assert members.pop(b) == "InService"
    assert list(members.values()) == ["InService"]  # the replacement: a leaving instance no longer counts
    assert _ec2_state(ec2, a) == "running"  # EC2 keeps running it while the hook waits
    described = asg.describe_auto_scaling_instances(InstanceIds=[a])["AutoScalingInstances"]
    assert described[0]["LifecycleState"] == "Terminating:Wait"
    # a second request for the same instance changes nothing
    asg.terminate_instance_in_auto_scaling_group(InstanceId=a, ShouldDecrementDesiredCapacity=False)
    assert len(_members(asg, "d")) == 3
    asg.record_lifecycle_action_heartbeat(AutoScalingGroupName="d", LifecycleHookName=DRAIN, InstanceId=a)
    asg.complete_lifecycle_action(AutoScalingGroupName="d", LifecycleHookName=DRAIN,
                                  LifecycleActionResult="CONTINUE", InstanceId=a)
    assert a not in _members(asg, "d") and len(_members(asg, "d")) == 2
    assert _ec2_state(ec2, a) == "terminated"
    with pytest.raises(ClientError, match=f"No active Lifecycle Action found with instance ID {a}"):
        asg.complete_lifecycle_action(AutoScalingGroupName="d", LifecycleHookName=DRAIN,
                                      LifecycleActionResult="CONTINUE", InstanceId=a)


def test_terminate_with_decrement_launches_no_replacement_and_abandon_terminates_too(aws):
    asg, ec2 = aws
    a, b = _drained_group(asg, ec2)
    asg.terminate_instance_in_auto_scaling_group(InstanceId=a, ShouldDecrementDesiredCapacity=True)
    assert _members(asg, "d") == {a: "Terminating:Wait", b: "InService"}
    group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["d"])["AutoScalingGroups"][0]
    assert group["DesiredCapacity"] == 1
    asg.complete_lifecycle_action(AutoScalingGroupName="d", LifecycleHookName=DRAIN,
                                  LifecycleActionResult="ABANDON", InstanceId=a)  # both results terminate (AWS)
    assert _members(asg, "d") == {b: "InService"}
    assert _ec2_state(ec2, a) == "terminated"


def test_scale_in_waits_in_terminating_wait_and_protected_instances_stay(aws):
    asg, ec2 = aws
    a, b, c = _drained_group(asg, ec2, desired=3)
    asg.set_instance_protection(AutoScalingGroupName="d", InstanceIds=[a], ProtectedFromScaleIn=True)
    asg.set_desired_capacity(AutoScalingGroupName="d", DesiredCapacity=1)
    members = _members(asg, "d")
    assert members == {a: "InService", b: "Terminating:Wait", c: "Terminating:Wait"}
    # another capacity write neither picks the leaving instances again nor replaces them
    asg.update_auto_scaling_group(AutoScalingGroupName="d", DesiredCapacity=1)
    assert _members(asg, "d") == members
    for iid in (b, c):
        asg.complete_lifecycle_action(AutoScalingGroupName="d", LifecycleHookName=DRAIN,
                                      LifecycleActionResult="CONTINUE", InstanceId=iid)
    assert _members(asg, "d") == {a: "InService"}
    # scale out while one leaves: the leaving one does not count
    asg.set_desired_capacity(AutoScalingGroupName="d", DesiredCapacity=0)
    asg.set_instance_protection(AutoScalingGroupName="d", InstanceIds=[a], ProtectedFromScaleIn=False)
    asg.set_desired_capacity(AutoScalingGroupName="d", DesiredCapacity=0)
    assert _members(asg, "d") == {a: "Terminating:Wait"}
    asg.set_desired_capacity(AutoScalingGroupName="d", DesiredCapacity=1)
    members = _members(asg, "d")
    assert members.pop(a) == "Terminating:Wait" and list(members.values()) == ["InService"]


def test_terminating_timeout_applies_the_default_result_and_a_heartbeat_extends_it(aws):
    asg, ec2 = aws
    a, b = _drained_group(asg, ec2, timeout=2, default_result="CONTINUE")
    asg.terminate_instance_in_auto_scaling_group(InstanceId=a, ShouldDecrementDesiredCapacity=True)
    asg.terminate_instance_in_auto_scaling_group(InstanceId=b, ShouldDecrementDesiredCapacity=True)
    time.sleep(1.2)
    asg.record_lifecycle_action_heartbeat(AutoScalingGroupName="d", LifecycleHookName=DRAIN, InstanceId=b)
    time.sleep(1.2)
    assert _members(asg, "d") == {b: "Terminating:Wait"}  # a timed out; b's heartbeat moved its deadline
    assert _ec2_state(ec2, a) == "terminated"
    time.sleep(1.2)
    assert _members(asg, "d") == {}
    assert _ec2_state(ec2, b) == "terminated"


def test_terminating_with_two_hooks_continue_waits_for_both_abandon_does_not(aws):
    asg, ec2 = aws
    a, b = _drained_group(asg, ec2)
    asg.put_lifecycle_hook(AutoScalingGroupName="d", LifecycleHookName="other",
                           LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING")
    asg.terminate_instance_in_auto_scaling_group(InstanceId=a, ShouldDecrementDesiredCapacity=True)
    asg.terminate_instance_in_auto_scaling_group(InstanceId=b, ShouldDecrementDesiredCapacity=True)
    asg.complete_lifecycle_action(AutoScalingGroupName="d", LifecycleHookName=DRAIN,
                                  LifecycleActionResult="CONTINUE", InstanceId=a)
    asg.complete_lifecycle_action(AutoScalingGroupName="d", LifecycleHookName=DRAIN,
                                  LifecycleActionResult="ABANDON", InstanceId=b)
    assert _members(asg, "d") == {a: "Terminating:Wait"}
    asg.complete_lifecycle_action(AutoScalingGroupName="d", LifecycleHookName="other",
                                  LifecycleActionResult="CONTINUE", InstanceId=a)
    assert _members(asg, "d") == {}


def test_deleting_the_terminating_hook_continues_its_waiting_instances(aws):
    asg, ec2 = aws
    a, b = _drained_group(asg, ec2)
    asg.terminate_instance_in_auto_scaling_group(InstanceId=a, ShouldDecrementDesiredCapacity=True)
    asg.delete_lifecycle_hook(AutoScalingGroupName="d", LifecycleHookName=DRAIN)
    assert _members(asg, "d") == {b: "InService"}
    assert _ec2_state(ec2, a) == "terminated"
    # without a terminating hook, termination is immediate again (moto's own path)
    asg.terminate_instance_in_auto_scaling_group(InstanceId=b, ShouldDecrementDesiredCapacity=True)
    assert _members(asg, "d") == {}

# ----- autoheal_moto_launches: scaling activities and failing launches

def _launch_fault(endpoint, method="POST", spec=None, group=None):
    url = endpoint + "/autoheal-faults/launch" + (f"?group={group}" if group else "")
    data = None if spec is None else json.dumps(spec).encode()
    req = urllib.request.Request(url, method=method, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def _activities(asg, name="g"):
    return asg.describe_scaling_activities(AutoScalingGroupName=name)["Activities"]


def test_a_launch_records_a_successful_activity_per_instance_as_aws_words_it(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=2, hooks=False)
    acts = _activities(asg)
    assert sorted(a["Description"] for a in acts) == sorted(f"Launching a new EC2 instance: {i}" for i in _members(asg))
    assert {a["StatusCode"] for a in acts} == {"Successful"}
    assert all(a["Progress"] == 100 and "StatusMessage" not in a for a in acts)
    assert all(re.search(r"increasing the capacity from \d to \d\.$", a["Cause"]) for a in acts)
    assert json.loads(acts[0]["Details"])["Availability Zone"] == "us-east-1a"


@pytest.mark.parametrize("cause,expected", [
    ("insufficient-capacity", r"^We currently do not have sufficient t3\.micro capacity in the Availability Zone you requested "
                              r"\(us-east-1a\)\. .* Launching EC2 instance failed\.$"),
    ("instance-limit", r"^You have requested more instances \(2\) than your current instance limit of 1 allows for the specified "
                       r"instance type\. .* Launching EC2 instance failed\.$"),
    ("invalid-ami", r"^The image id '\[ami-12c6146b\]' does not exist\. Launching EC2 instance failed\.$"),
    ("invalid-iam-profile", r"^Value \(.+\) for parameter iamInstanceProfile\.name is invalid\. Invalid IamInstanceProfile name\. "
                            r"Launching EC2 instance failed\.$"),
])
def test_a_launch_fault_launches_nothing_and_records_aws_failed_activity(aws, endpoint, no_faults, cause, expected):
    asg, ec2 = aws
    _group(asg, ec2, desired=1, hooks=False)
    _launch_fault(endpoint, spec={"group": "g", "cause": cause})
    asg.set_desired_capacity(AutoScalingGroupName="g", DesiredCapacity=2)
    assert len(_members(asg)) == 1
    newest = _activities(asg)[0]
    assert newest["StatusCode"] == "Failed"
    assert re.match(expected, newest["StatusMessage"]), newest["StatusMessage"]
    assert newest["Description"] == "Launching a new EC2 instance.  Status Reason: " + newest["StatusMessage"]
    assert [a["StatusCode"] for a in _activities(asg)] == ["Failed", "Successful"]


def test_removing_the_fault_launches_what_the_group_is_short_of(aws, endpoint, no_faults):
    asg, ec2 = aws
    _group(asg, ec2, desired=0, hooks=False)
    _launch_fault(endpoint, spec={"group": "g", "cause": "insufficient-capacity"})
    asg.set_desired_capacity(AutoScalingGroupName="g", DesiredCapacity=2)
    assert _members(asg) == {}
    assert [f["group"] for f in _launch_fault(endpoint, "GET")] == ["g"]
    _launch_fault(endpoint, "DELETE", group="g")
    assert len(_members(asg)) == 2
    assert [a["StatusCode"] for a in _activities(asg)] == ["Successful", "Successful", "Failed", "Failed"]
    assert _launch_fault(endpoint, "GET") == []


def test_a_fault_on_one_group_leaves_the_others_launching_and_a_custom_message_is_kept(aws, endpoint, no_faults):
    asg, ec2 = aws
    _group(asg, ec2, name="a", desired=0, hooks=False)
    _group(asg, ec2, name="b", desired=0, hooks=False)
    _launch_fault(endpoint, spec={"group": "a", "message": "Max spot instance count exceeded. Launching EC2 instance failed."})
    asg.set_desired_capacity(AutoScalingGroupName="a", DesiredCapacity=1)
    asg.set_desired_capacity(AutoScalingGroupName="b", DesiredCapacity=1)
    assert _activities(asg, "a")[0]["StatusMessage"] == "Max spot instance count exceeded. Launching EC2 instance failed."
    assert [a["StatusCode"] for a in _activities(asg, "b")] == ["Successful"]
    assert len(asg.describe_scaling_activities(AutoScalingGroupName="a", MaxRecords=1)["Activities"]) == 1


def test_a_bad_launch_fault_is_refused(endpoint, no_faults):
    with pytest.raises(urllib.error.HTTPError) as e:
        _launch_fault(endpoint, spec={"group": "g", "cause": "bad-luck"})
    assert e.value.code == 400


def test_a_waiting_launch_under_a_hook_is_a_launch_too(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=1, hooks=True)
    assert [a["StatusCode"] for a in _activities(asg)] == ["Successful"]


# ----- autoheal_moto_mixed: mixed instances groups

def test_a_mixed_group_keeps_its_overrides_in_order_launches_the_first_and_updates_capacity_rebalance(aws):
    asg, ec2 = aws
    lt = _template(ec2, "mixed-lt")
    policy = {"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateName": "mixed-lt", "Version": "1"},
                                 "Overrides": [{"InstanceType": "m5.large"}, {"InstanceType": "m5a.large"}]},
              "InstancesDistribution": {"OnDemandAllocationStrategy": "prioritized", "OnDemandPercentageAboveBaseCapacity": 100}}
    asg.create_auto_scaling_group(AutoScalingGroupName="m", MixedInstancesPolicy=policy, MinSize=0, MaxSize=3, DesiredCapacity=2,
                                  AvailabilityZones=["us-east-1a"], CapacityRebalance=True)
    g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["m"])["AutoScalingGroups"][0]
    assert [o["InstanceType"] for o in g["MixedInstancesPolicy"]["LaunchTemplate"]["Overrides"]] == ["m5.large", "m5a.large"]
    assert g["CapacityRebalance"] is True
    ids = [i["InstanceId"] for i in g["Instances"]]
    types = {i["InstanceType"] for r in ec2.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]}
    assert types == {"m5.large"}
    asg.update_auto_scaling_group(AutoScalingGroupName="m", CapacityRebalance=False)
    assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["m"])["AutoScalingGroups"][0]["CapacityRebalance"] is False
    assert lt["LaunchTemplateName"] == "mixed-lt"


def test_a_plain_group_launches_its_template_type(aws):
    asg, ec2 = aws
    _group(asg, ec2, desired=1, hooks=False)
    ids = list(_members(asg))
    assert ec2.describe_instances(InstanceIds=ids)["Reservations"][0]["Instances"][0]["InstanceType"] == "t3.micro"


def test_describe_launch_templates_answers_the_current_tags(aws):
    _, ec2 = aws
    lt = ec2.create_launch_template(LaunchTemplateName="tagged", LaunchTemplateData={"ImageId": "ami-12c6146b"},
                                    TagSpecifications=[{"ResourceType": "launch-template",
                                                        "Tags": [{"Key": "autoheal.io/cluster", "Value": "ns/c"}]}])
    lt_id = lt["LaunchTemplate"]["LaunchTemplateId"]
    ec2.create_tags(Resources=[lt_id], Tags=[{"Key": "autoheal.io/orphaned-from", "Value": "default/ns/c"}])
    ec2.delete_tags(Resources=[lt_id], Tags=[{"Key": "autoheal.io/cluster", "Value": "ns/c"}])
    tags = ec2.describe_launch_templates(LaunchTemplateNames=["tagged"])["LaunchTemplates"][0]["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"autoheal.io/orphaned-from": "default/ns/c"}
