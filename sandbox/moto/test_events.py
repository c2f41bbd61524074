"""Tests of autoheal_moto_events against the real launcher (its own moto on a free loopback port, started with
--events-queue as sandbox/up.sh does), through boto3: what AWS would put in the operator's SQS queue.

Run with sandbox/moto/test.sh (uses the sandbox's moto venv).
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
QUEUE = "autoheal-events"
ACCOUNT = "123456789012"
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
ENVELOPE = {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
with open(os.path.join(HERE, "..", "..", "deploy", "aws", "event-rules.json")) as f:
    RULES = json.load(f)["rules"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "launcher.py"), "--host", "127.0.0.1", "--port", str(port), "--events-queue", QUEUE],
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


class Aws:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.ec2, self.asg, self.sqs, self.events = (_client(s, endpoint) for s in ("ec2", "autoscaling", "sqs", "events"))
        self.queue = self.sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]

    def drain(self, queue=None):
        """Every message now in the queue, deleted, in the order received."""
        out = []
        while True:
            msgs = self.sqs.receive_message(QueueUrl=queue or self.queue, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
            if not msgs:
                return out
            for m in msgs:
                out.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=queue or self.queue, ReceiptHandle=m["ReceiptHandle"])

    def publish(self, spec):
        req = urllib.request.Request(self.endpoint + "/autoheal-events", method="POST", data=json.dumps(spec).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())


@pytest.fixture()
def aws(endpoint):
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    return Aws(endpoint)


def _run(aws):
    iid = aws.ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    return iid


def _states(events, iid=None):
    return [(e["detail"]["instance-id"], e["detail"]["state"]) for e in events
            if e["detail-type"] == "EC2 Instance State-change Notification" and (iid is None or e["detail"]["instance-id"] == iid)]


def _assert_envelope(e, source, detail_type, resources):
    assert set(e) == ENVELOPE
    assert (e["version"], e["source"], e["detail-type"], e["account"], e["region"]) == ("0", source, detail_type, ACCOUNT, "us-east-1")
    assert TIME.match(e["time"]) and re.match(r"^[0-9a-f-]{36}$", e["id"])
    assert e["resources"] == resources


def test_a_stopped_instance_yields_one_event_per_state_it_passes_with_aws_shape(aws):
    iid = _run(aws)
    assert _states(aws.drain()) == [(iid, "pending"), (iid, "running")]
    aws.ec2.stop_instances(InstanceIds=[iid])
    events = aws.drain()
    assert _states(events) == [(iid, "stopping"), (iid, "stopped")] and len(events) == 2
    for e in events:
        _assert_envelope(e, "aws.ec2", "EC2 Instance State-change Notification", [f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{iid}"])
        assert set(e["detail"]) == {"instance-id", "state"}
    assert len({e["id"] for e in events}) == 2
    aws.ec2.stop_instances(InstanceIds=[iid])  # already stopped: no transition, no event
    assert aws.drain() == []
    aws.ec2.start_instances(InstanceIds=[iid])
    assert _states(aws.drain()) == [(iid, "pending"), (iid, "running")]
    aws.ec2.terminate_instances(InstanceIds=[iid])
    assert _states(aws.drain()) == [(iid, "shutting-down"), (iid, "terminated")]
    aws.ec2.terminate_instances(InstanceIds=[iid])
    assert aws.drain() == []


def test_stopping_a_stopped_instance_then_terminating_it_goes_through_shutting_down(aws):
    iid = _run(aws)
    aws.ec2.stop_instances(InstanceIds=[iid])
    aws.drain()
    aws.ec2.terminate_instances(InstanceIds=[iid])
    assert _states(aws.drain()) == [(iid, "shutting-down"), (iid, "terminated")]


def _group(aws, hook=True, desired=1):
    aws.ec2.create_launch_template(LaunchTemplateName="tmpl", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    extra = {"LifecycleHookSpecificationList": [{"LifecycleHookName": "gate", "LifecycleTransition": "autoscaling:EC2_INSTANCE_LAUNCHING"}]} if hook else {}
    aws.asg.create_auto_scaling_group(AutoScalingGroupName="g", LaunchTemplate={"LaunchTemplateName": "tmpl", "Version": "$Latest"},
                                      MinSize=0, MaxSize=5, DesiredCapacity=desired, AvailabilityZones=["us-east-1a"], **extra)
    return aws.asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]


def test_a_group_launch_under_a_hook_yields_launch_successful_and_a_lifecycle_action_whose_token_completes_it(aws):
    group = _group(aws)
    (iid,) = [i["InstanceId"] for i in group["Instances"]]
    events = aws.drain()
    assert _states(events) == [(iid, "pending"), (iid, "running")]
    launched = [e for e in events if e["detail-type"] == "EC2 Instance Launch Successful"]
    actions = [e for e in events if e["detail-type"] == "EC2 Instance-launch Lifecycle Action"]
    assert len(launched) == 1 and len(actions) == 1 and len(events) == 4
    arn = group["AutoScalingGroupARN"]
    _assert_envelope(launched[0], "aws.autoscaling", "EC2 Instance Launch Successful", [arn, f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{iid}"])
    d = launched[0]["detail"]
    assert (d["AutoScalingGroupName"], d["EC2InstanceId"], d["StatusCode"], d["Origin"], d["Destination"]) == ("g", iid, "InProgress", "EC2", "AutoScalingGroup")
    assert {"ActivityId", "Cause", "Description", "Details", "RequestId", "StartTime", "EndTime", "StatusMessage"} <= set(d)
    _assert_envelope(actions[0], "aws.autoscaling", "EC2 Instance-launch Lifecycle Action", [arn])
    a = actions[0]["detail"]
    assert set(a) == {"LifecycleActionToken", "AutoScalingGroupName", "LifecycleHookName", "EC2InstanceId", "LifecycleTransition", "Origin", "Destination"}
    assert (a["AutoScalingGroupName"], a["LifecycleHookName"], a["EC2InstanceId"], a["LifecycleTransition"]) == ("g", "gate", iid, "autoscaling:EC2_INSTANCE_LAUNCHING")
    # the token is the pending action's own: completing by token alone works
    aws.asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName="gate", LifecycleActionResult="CONTINUE",
                                      LifecycleActionToken=a["LifecycleActionToken"])
    assert [i["LifecycleState"] for i in aws.asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]["Instances"]] == ["InService"]
    assert aws.drain() == []  # InService is no EC2 state change and no lifecycle action


def test_abandon_and_replacement_of_a_terminated_member_publish_both_sides(aws):
    group = _group(aws)
    (old,) = [i["InstanceId"] for i in group["Instances"]]
    aws.drain()
    aws.asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName="gate", LifecycleActionResult="ABANDON", InstanceId=old)
    events = aws.drain()
    (new,) = [i["InstanceId"] for i in aws.asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]["Instances"]]
    assert _states(events, old) == [(old, "shutting-down"), (old, "terminated")]
    assert _states(events, new) == [(new, "pending"), (new, "running")]
    assert [e["detail"]["EC2InstanceId"] for e in events if e["detail-type"] == "EC2 Instance-launch Lifecycle Action"] == [new]
    # EC2 TerminateInstances on a member: the group replaces it at once (moto), without a hook no lifecycle action
    aws.asg.delete_auto_scaling_group(AutoScalingGroupName="g", ForceDelete=True)
    aws.ec2.delete_launch_template(LaunchTemplateName="tmpl")
    aws.drain()
    group = _group(aws, hook=False)
    (member,) = [i["InstanceId"] for i in group["Instances"]]
    aws.drain()
    aws.ec2.terminate_instances(InstanceIds=[member])
    events = aws.drain()
    kinds = sorted(e["detail-type"] for e in events)
    assert kinds == ["EC2 Instance Launch Successful"] + ["EC2 Instance State-change Notification"] * 4
    assert _states(events, member) == [(member, "shutting-down"), (member, "terminated")]


def test_spot_warning_rebalance_and_scheduled_change_on_request(aws):
    iid = _run(aws)
    other = _run(aws)
    aws.drain()
    arn = f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/{iid}"
    answer = aws.publish({"kind": "spot-interruption", "instanceId": iid})
    assert answer["delivered"] == 1
    (spot,) = aws.drain()
    assert spot == answer["event"]
    _assert_envelope(spot, "aws.ec2", "EC2 Spot Instance Interruption Warning", [arn])
    assert spot["detail"] == {"instance-id": iid, "instance-action": "terminate"}

    aws.publish({"kind": "rebalance-recommendation", "instanceId": iid})
    (rebalance,) = aws.drain()
    _assert_envelope(rebalance, "aws.ec2", "EC2 Instance Rebalance Recommendation", [arn])
    assert rebalance["detail"] == {"instance-id": iid}

    aws.publish({"kind": "scheduled-change", "instanceIds": [iid, other]})
    (health,) = aws.drain()
    _assert_envelope(health, "aws.health", "AWS Health Event", [iid, other])
    d = health["detail"]
    assert (d["service"], d["eventTypeCategory"], d["eventTypeCode"]) == ("EC2", "scheduledChange", "AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED")
    assert [e["entityValue"] for e in d["affectedEntities"]] == [iid, other]
    assert d["eventArn"].startswith("arn:aws:health:us-east-1::event/EC2/AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED/")
    # nothing changed in EC2: a warning is only a warning
    assert aws.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"


def test_launch_unsuccessful_on_request_and_bad_requests_are_refused(aws):
    group = _group(aws, hook=False, desired=0)
    aws.drain()
    aws.publish({"kind": "launch-unsuccessful", "group": "g", "message": "InsufficientInstanceCapacity"})
    (failed,) = aws.drain()
    _assert_envelope(failed, "aws.autoscaling", "EC2 Instance Launch Unsuccessful", [group["AutoScalingGroupARN"]])
    assert (failed["detail"]["StatusCode"], failed["detail"]["StatusMessage"], failed["detail"]["EC2InstanceId"]) == ("Failed", "InsufficientInstanceCapacity", "")
    for bad in ({"kind": "spot-interruption", "instanceId": "i-0123456789abcdef0"}, {"kind": "nope"},
                {"kind": "launch-unsuccessful", "group": "missing"}, {"kind": "scheduled-change"}):
        with pytest.raises(urllib.error.HTTPError) as e:
            aws.publish(bad)
        assert e.value.code == 400
    assert aws.drain() == []


def test_rules_are_evaluated_disabled_or_unmatched_rules_deliver_nothing(aws):
    own = aws.sqs.create_queue(QueueName="only-stopped")["QueueUrl"]
    arn = aws.sqs.get_queue_attributes(QueueUrl=own, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.events.put_rule(Name="stopped", EventPattern=json.dumps({"source": ["aws.ec2"], "detail": {"state": ["stopped"]}}))
    aws.events.put_targets(Rule="stopped", Targets=[{"Id": "q", "Arn": arn}])
    iid = _run(aws)
    aws.ec2.stop_instances(InstanceIds=[iid])
    assert _states(aws.drain(own)) == [(iid, "stopped")]
    for r in RULES:
        aws.events.disable_rule(Name=r["name"])
    aws.ec2.start_instances(InstanceIds=[iid])
    aws.drain()  # (what was delivered before the rules were disabled)
    aws.ec2.stop_instances(InstanceIds=[iid])
    assert aws.drain() == []
    assert _states(aws.drain(own)) == [(iid, "stopped")]


def test_the_sandbox_queue_and_rules_exist_as_deploy_describes_them_and_survive_reset(aws, endpoint):
    names = {r["Name"]: r for r in aws.events.list_rules()["Rules"]}
    assert set(names) == {r["name"] for r in RULES}
    queue_arn = aws.sqs.get_queue_attributes(QueueUrl=aws.queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for r in RULES:
        assert json.loads(names[r["name"]]["EventPattern"]) == r["eventPattern"]
        assert names[r["name"]]["State"] == "ENABLED"
        assert [t["Arn"] for t in aws.events.list_targets_by_rule(Rule=r["name"])["Targets"]] == [queue_arn]
    policy = json.loads(aws.sqs.get_queue_attributes(QueueUrl=aws.queue, AttributeNames=["Policy"])["Attributes"]["Policy"])
    assert policy["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    assert aws.sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"] == aws.queue
    iid = _run(aws)
    assert _states(aws.drain()) == [(iid, "pending"), (iid, "running")]


def test_terminate_in_group_under_a_terminating_hook_publishes_the_terminate_lifecycle_action_whose_token_completes_it(aws):
    group = _group(aws, hook=False)
    (iid,) = [i["InstanceId"] for i in group["Instances"]]
    aws.asg.put_lifecycle_hook(AutoScalingGroupName="g", LifecycleHookName="drain",
                               LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING")
    aws.drain()
    aws.asg.terminate_instance_in_auto_scaling_group(InstanceId=iid, ShouldDecrementDesiredCapacity=True)
    events = aws.drain()
    assert [e["detail-type"] for e in events] == ["EC2 Instance-terminate Lifecycle Action"]  # EC2 still runs it
    _assert_envelope(events[0], "aws.autoscaling", "EC2 Instance-terminate Lifecycle Action", [group["AutoScalingGroupARN"]])
    a = events[0]["detail"]
    assert (a["AutoScalingGroupName"], a["LifecycleHookName"], a["EC2InstanceId"], a["LifecycleTransition"], a["Origin"], a["Destination"]) \
        == ("g", "drain", iid, "autoscaling:EC2_INSTANCE_TERMINATING", "AutoScalingGroup", "EC2")
    aws.asg.complete_lifecycle_action(AutoScalingGroupName="g", LifecycleHookName="drain", LifecycleActionResult="CONTINUE",
                                      LifecycleActionToken=a["LifecycleActionToken"])
    assert _states(aws.drain(), iid) == [(iid, "shutting-down"), (iid, "terminated")]
