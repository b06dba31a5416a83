"""Networks: the NAT options of a new VPC, and the existing-VPC subnets checked against EC2 (Stubber)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from cloud_helpers import raw, resources_of_type

from framework import config as config_module
from framework.cloud import network
from framework.errors import ConfigError

EXISTING = """
reviewers:
  security: {}
cloud:
  region: eu-west-1
  network:
    vpc: existing
    subnet_ids: [subnet-0123456789abcdef0, subnet-0fedcba9876543210]
    security_group_ids: [sg-0123456789abcdef0]
"""
SUBNET_A, SUBNET_B = "subnet-0123456789abcdef0", "subnet-0fedcba9876543210"


def ec2_with(subnets: list[tuple[str, str, str]], tables: list[dict] | None = None):
    ec2 = boto3.client("ec2", region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t")
    stub = Stubber(ec2)
    stub.add_response(
        "describe_subnets",
        {"Subnets": [{"SubnetId": s, "AvailabilityZone": z, "VpcId": v} for s, z, v in subnets]},
        {"SubnetIds": [s for s, _, _ in subnets]},
    )
    if tables is not None:
        stub.add_response("describe_route_tables", {"RouteTables": tables},
                          {"Filters": [{"Name": "vpc-id", "Values": ["vpc-1"]}]})  # fmt: skip
    stub.activate()
    return ec2, stub


def nat_table(*subnets: str, main: bool = False) -> dict:
    associations = [{"SubnetId": subnet} for subnet in subnets] + ([{"Main": True}] if main else [])
    return {"Associations": associations, "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}]}


def check(subnets, tables=None):
    ec2, stub = ec2_with(subnets, tables)
    result = network.check_subnets(ec2, config_module.parse(EXISTING).cloud.network)
    stub.assert_no_pending_responses()
    return result


def test_subnets_in_two_zones_with_a_nat_route_pass():
    assert check([(SUBNET_A, "eu-west-1a", "vpc-1"), (SUBNET_B, "eu-west-1b", "vpc-1")], [nat_table(main=True)]) == []


def test_subnets_sharing_a_zone_are_refused_in_one_line():
    with pytest.raises(ConfigError) as raised:
        check([(SUBNET_A, "eu-west-1a", "vpc-1"), (SUBNET_B, "eu-west-1a", "vpc-1")])
    assert str(raised.value) == (
        f"cloud.network.subnet_ids: {SUBNET_A} and {SUBNET_B} are both in eu-west-1a; S3 Files allows one "
        "mount target per availability zone: keep one subnet per zone"
    )


def test_subnets_of_two_vpcs_are_refused():
    with pytest.raises(ConfigError, match=r"^cloud.network.subnet_ids: expected subnets of one VPC, got subnets of vpc-1, vpc-2$"):
        check([(SUBNET_A, "eu-west-1a", "vpc-1"), (SUBNET_B, "eu-west-1b", "vpc-2")])


def test_one_zone_is_refused():
    config = config_module.parse(EXISTING.replace(f", {SUBNET_B}", ""))
    ec2, _ = ec2_with([(SUBNET_A, "eu-west-1a", "vpc-1")])
    with pytest.raises(ConfigError, match=r"^cloud.network.subnet_ids: expected subnets in at least two availability zones, got 1$"):
        network.check_subnets(ec2, config.cloud.network)


def test_a_subnet_without_a_way_out_is_a_warning():
    no_route = {"Associations": [{"SubnetId": SUBNET_B}], "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}]}
    warnings = check([(SUBNET_A, "eu-west-1a", "vpc-1"), (SUBNET_B, "eu-west-1b", "vpc-1")], [nat_table(SUBNET_A), no_route])
    assert len(warnings) == 1 and warnings[0].startswith(f"cloud.network.subnet_ids: {SUBNET_B} has no default route through a NAT gateway")


def test_generate_checks_the_subnets_when_it_can_and_says_when_it_cannot(tmp_path, monkeypatch):
    from framework.cloud import template

    (tmp_path / "reviewers.yaml").write_text(EXISTING.replace("security: {}", "security: {plugin: security}"))
    ec2, _ = ec2_with([(SUBNET_A, "eu-west-1a", "vpc-1"), (SUBNET_B, "eu-west-1a", "vpc-1")])

    class Session:
        def client(self, service):
            assert service == "ec2"
            return ec2

    with pytest.raises(ConfigError, match="are both in eu-west-1a"):
        template.generate(str(tmp_path / "reviewers.yaml"), session=Session())
    assert not (tmp_path / "template.yaml").exists()
    # No credentials here: generated anyway, with a one-line warning.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    generated = template.generate(str(tmp_path / "reviewers.yaml"))
    assert [w for w in generated.warnings if w.startswith("the subnets were not checked (")] != []
    assert generated.template.is_file()


def test_nat_per_zone_routes_each_private_subnet_through_its_zones_gateway():
    resources = raw("nat-per-zone")["Resources"]
    gateways = resources_of_type(raw("nat-per-zone"), "AWS::EC2::NatGateway")
    assert sorted(gateways) == ["NatGateway1", "NatGateway2"]
    zones = [resources[gateways[g]["Properties"]["SubnetId"]["Ref"]]["Properties"]["AvailabilityZone"] for g in sorted(gateways)]
    assert zones == [{"Fn::Select": [0, {"Fn::GetAZs": ""}]}, {"Fn::Select": [1, {"Fn::GetAZs": ""}]}]
    for index in (1, 2):
        association = resources[f"PrivateSubnet{index}RouteTable"]["Properties"]
        table = association["RouteTableId"]["Ref"]
        assert resources[f"{table}DefaultRoute"]["Properties"]["NatGatewayId"] == {"Ref": f"NatGateway{index}"}
        assert resources[f"PrivateSubnet{index}"]["Properties"]["AvailabilityZone"] == zones[index - 1]
    cidrs = [r["Properties"]["CidrBlock"]["Fn::Select"][0] for r in resources_of_type(raw("nat-per-zone"), "AWS::EC2::Subnet").values()]
    assert sorted(cidrs) == [0, 1, 2, 3]  # the four quarters of the block, each once


def test_nat_none_has_no_way_out_but_endpoints_for_the_apis_it_calls():
    tpl = raw("nat-none")
    kinds = {r["Type"] for r in tpl["Resources"].values()}
    assert not kinds & {"AWS::EC2::NatGateway", "AWS::EC2::InternetGateway", "AWS::EC2::EIP"}
    assert not [r for r in resources_of_type(tpl, "AWS::EC2::Route").values()]
    endpoints = {r["Properties"]["ServiceName"]["Fn::Sub"]: r["Properties"] for r in resources_of_type(tpl, "AWS::EC2::VPCEndpoint").values()}
    assert sorted(endpoints) == [
        "com.amazonaws.${AWS::Region}.bedrock-runtime", "com.amazonaws.${AWS::Region}.lambda", "com.amazonaws.${AWS::Region}.s3",
    ]  # fmt: skip
    assert endpoints["com.amazonaws.${AWS::Region}.lambda"]["PrivateDnsEnabled"] is True
    egress = tpl["Resources"]["FunctionSecurityGroup"]["Properties"]["SecurityGroupEgress"]
    assert [(rule["FromPort"], rule["CidrIp"]) for rule in egress] == [(443, "10.42.0.0/16")]
    ingress = tpl["Resources"]["EndpointSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert ingress[0]["SourceSecurityGroupId"] == {"Ref": "FunctionSecurityGroup"}
    # Offline reviewers alone need no Bedrock endpoint.
    assert "BedrockRuntimeEndpoint" not in raw("nat-per-zone")["Resources"]


def test_nat_applies_only_to_a_new_vpc():
    with pytest.raises(ConfigError, match=r"nat applies only when vpc is 'new'"):
        config_module.parse(EXISTING + "    nat: none\n")


def test_tracing_and_alarms_are_optional():
    from cloud_helpers import translated

    tpl = translated("nat-per-zone")
    functions = resources_of_type(tpl, "AWS::Lambda::Function")
    assert {f["Properties"]["TracingConfig"]["Mode"] for f in functions.values()} == {"Active"}
    roles = resources_of_type(tpl, "AWS::IAM::Role")
    writers = [name for name, role in roles.items()
               if any("AWSXRayDaemonWriteAccess" in json_text(arn) for arn in role["Properties"].get("ManagedPolicyArns", []))]  # fmt: skip
    assert len(writers) == len(functions)
    alarms = resources_of_type(tpl, "AWS::CloudWatch::Alarm")
    assert sorted((a["Properties"]["MetricName"], a["Properties"]["AlarmActions"][0]["Ref"]) for a in alarms.values()) == [
        ("Errors", "AlarmTopic"), ("Throttles", "AlarmTopic"),
    ]  # fmt: skip
    topic = tpl["Resources"]["AlarmTopic"]["Properties"]
    assert topic["Subscription"] == [{"Protocol": "email", "Endpoint": "ops@example.com"}]
    assert not resources_of_type(translated("builtins"), "AWS::CloudWatch::Alarm")
    assert not [f for f in resources_of_type(translated("builtins"), "AWS::Lambda::Function").values() if "TracingConfig" in f["Properties"]]


def json_text(value) -> str:
    import json

    return json.dumps(value)
