"""Tests of autoheal_moto_targets against the real launcher (its own moto on a free loopback port), through boto3:
what moto does for target groups attached to an Auto Scaling group, and the health a test sets.

Run with sandbox/moto/test.sh (uses the sandbox's moto venv).
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "launcher.py"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def _control(endpoint, method, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(endpoint + "/autoheal-targets", data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.fixture()
def group(endpoint):
    """A group of two attached at creation to one target group, and a second target group attached later."""
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=10)
    _control(endpoint, "DELETE")
    ec2, elb, asg = _client("ec2", endpoint), _client("elbv2", endpoint), _client("autoscaling", endpoint)
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    tg1 = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    tg2 = elb.create_target_group(Name="api", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    ec2.create_launch_template(LaunchTemplateName="tgt", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    asg.create_auto_scaling_group(AutoScalingGroupName="g", MinSize=2, MaxSize=3, DesiredCapacity=2,
                                  LaunchTemplate={"LaunchTemplateName": "tgt"}, VPCZoneIdentifier=subnet, TargetGroupARNs=[tg1])
    members = [i["InstanceId"] for i in asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]["Instances"]]
    return {"elb": elb, "asg": asg, "tg1": tg1, "tg2": tg2, "members": members}


def _health(elb, tg):
    return {d["Target"]["Id"]: d["TargetHealth"] for d in elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]}


def test_moto_registers_the_groups_instances_and_reports_them_healthy(group):
    elb, asg = group["elb"], group["asg"]
    assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]["TargetGroupARNs"] == [group["tg1"]]
    health = _health(elb, group["tg1"])
    assert set(health) == set(group["members"])
    assert {h["State"] for h in health.values()} == {"healthy"}
    asg.attach_load_balancer_target_groups(AutoScalingGroupName="g", TargetGroupARNs=[group["tg2"]])
    assert set(_health(elb, group["tg2"])) == set(group["members"])
    asg.detach_load_balancer_target_groups(AutoScalingGroupName="g", TargetGroupARNs=[group["tg2"]])
    assert _health(elb, group["tg2"]) == {}


def test_a_set_health_is_reported_for_that_target_only_and_undone(group):
    elb = group["elb"]
    victim, other = group["members"]
    status, _ = _control(elb._endpoint.host, "POST", {"instanceId": victim, "state": "unhealthy", "reason": "Target.ResponseCodeMismatch",
                                                       "description": "Health checks failed with these codes: [503]"})
    assert status == 200
    health = _health(elb, group["tg1"])
    assert health[victim] == {"State": "unhealthy", "Reason": "Target.ResponseCodeMismatch",
                              "Description": "Health checks failed with these codes: [503]"}
    assert health[other]["State"] == "healthy"
    _control(elb._endpoint.host, "POST", {"instanceId": victim, "state": "healthy"})
    assert _health(elb, group["tg1"])[victim]["State"] == "healthy"


def test_a_health_set_for_one_target_group_leaves_the_others(group):
    elb, asg = group["elb"], group["asg"]
    asg.attach_load_balancer_target_groups(AutoScalingGroupName="g", TargetGroupARNs=[group["tg2"]])
    victim = group["members"][0]
    _control(elb._endpoint.host, "POST", {"instanceId": victim, "state": "draining", "reason": "Target.DeregistrationInProgress",
                                          "targetGroupArn": group["tg2"]})
    assert _health(elb, group["tg2"])[victim]["State"] == "draining"
    assert _health(elb, group["tg1"])[victim]["State"] == "healthy"
    status, listed = _control(elb._endpoint.host, "GET")
    assert status == 200 and listed == [{"targetGroupArn": group["tg2"], "instanceId": victim, "state": "draining",
                                         "reason": "Target.DeregistrationInProgress", "description": None}]


def test_an_unregistered_target_is_not_made_unhealthy(group):
    elb = group["elb"]
    _control(elb._endpoint.host, "POST", {"instanceId": "i-00000000000000000", "state": "unhealthy"})
    described = elb.describe_target_health(TargetGroupArn=group["tg1"], Targets=[{"Id": "i-00000000000000000"}])["TargetHealthDescriptions"]
    assert described[0]["TargetHealth"]["State"] == "unused"


def test_bad_requests_are_refused(endpoint):
    assert _control(endpoint, "POST", {"instanceId": "i-1", "state": "sick"})[0] == 400
    assert _control(endpoint, "POST", {"state": "unhealthy"})[0] == 400
