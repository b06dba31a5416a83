"""The functions' network: a new VPC's layout for the template, and existing subnets checked against EC2.

S3 Files allows one mount target per availability zone, and the template makes one per subnet:
two subnets in one zone fail the deploy half-way. A subnet whose route table sends nothing to a
NAT gateway (or another way out) leaves the functions unable to clone or to call model APIs;
that is said in a warning, since endpoints or a proxy may serve instead.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from framework.cloud import aws
from framework.config.cloud import Network
from framework.errors import ConfigError

WHERE = "cloud.network.subnet_ids"
# Targets of a default route that give a private subnet outbound access.
EGRESS_TARGETS = ("NatGatewayId", "TransitGatewayId", "InstanceId", "NetworkInterfaceId", "VpcPeeringConnectionId")


def check_subnets(ec2: Any, network: Network) -> list[str]:
    """Refuse subnets sharing a zone, in one zone only, or in several VPCs; warn of those without egress."""
    with aws.aws_errors(f"reading the subnets of {WHERE}"):
        subnets = ec2.describe_subnets(SubnetIds=list(network.subnet_ids))["Subnets"]
    by_zone: dict[str, list[str]] = defaultdict(list)
    for subnet in subnets:
        by_zone[subnet["AvailabilityZone"]].append(subnet["SubnetId"])
    shared = {zone: ids for zone, ids in by_zone.items() if len(ids) > 1}
    if shared:
        zone, ids = min(shared.items())
        raise ConfigError(
            f"{WHERE}: {' and '.join(sorted(ids))} are both in {zone}; S3 Files allows one mount target "
            "per availability zone: keep one subnet per zone"
        )
    if len(by_zone) < 2:
        raise ConfigError(f"{WHERE}: expected subnets in at least two availability zones, got {len(by_zone)}")
    vpcs = sorted({subnet["VpcId"] for subnet in subnets})
    if len(vpcs) > 1:
        raise ConfigError(f"{WHERE}: expected subnets of one VPC, got subnets of {', '.join(vpcs)}")
    return egress_warnings(ec2, vpcs[0], [subnet["SubnetId"] for subnet in subnets])


def egress_warnings(ec2: Any, vpc: str, subnet_ids: list[str]) -> list[str]:
    with aws.aws_errors(f"reading the route tables of {vpc}"):
        tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    explicit, main = {}, None
    for table in tables:
        for association in table.get("Associations", []):
            if association.get("Main"):
                main = table
            elif association.get("SubnetId"):
                explicit[association["SubnetId"]] = table
    warnings = []
    for subnet in subnet_ids:
        table = explicit.get(subnet, main)
        routes = table.get("Routes", []) if table else []
        if not any(route.get("DestinationCidrBlock") == "0.0.0.0/0" and any(route.get(k) for k in EGRESS_TARGETS)
                   for route in routes):  # fmt: skip
            warnings.append(
                f"{WHERE}: {subnet} has no default route through a NAT gateway: the functions there cannot "
                "clone from the internet or call model APIs outside AWS (see docs/deploy.md, Networks)"
            )
    return warnings


@dataclass(frozen=True)
class MountTarget:
    logical: str
    subnet: str
    security_groups: list[str]


def nat_layout(mode: str, services: list[str]) -> dict[str, Any]:
    """A new VPC's egress: NAT gateways (public subnets 0 and 3 of the four), route tables, endpoints."""
    gateways = [
        {"logical": f"NatGateway{i}", "address": f"NatAddress{i}", "subnet": f"PublicSubnet{i}", "zone": i - 1,
         "cidr_index": 0 if i == 1 else 3}
        for i in {"per_zone": [1, 2], "single": [1], "none": []}[mode]
    ]  # fmt: skip
    if mode == "per_zone":
        tables = [{"logical": f"PrivateRouteTable{i}", "gateway": f"NatGateway{i}", "subnets": [i]} for i in (1, 2)]
    else:
        tables = [{"logical": "PrivateRouteTable", "gateway": gateways[0]["logical"] if gateways else None, "subnets": [1, 2]}]
    endpoints = [
        {"logical": "".join(part.capitalize() for part in service.split("-")) + "Endpoint", "service": service}
        for service in (services if mode == "none" else [])
    ]
    return {"gateways": gateways, "route_tables": tables, "endpoints": endpoints}


def networking(network: Network, services: list[str] | None = None) -> dict[str, Any]:
    """Subnets and security groups as the template writes them: ids, or references to its own."""
    if network.existing:
        subnets = list(network.subnet_ids)
        function_groups = list(network.security_group_ids)
        mount_groups = network.mount_target_groups()
    else:
        subnets = ["!Ref PrivateSubnet1", "!Ref PrivateSubnet2"]
        function_groups = ["!Ref FunctionSecurityGroup"]
        mount_groups = ["!Ref MountTargetSecurityGroup"]
    prefix = ipaddress.IPv4Network(network.cidr).prefixlen
    return {
        "function_subnets": subnets,
        "function_groups": function_groups,
        "mount_targets": [
            MountTarget(f"WorkspaceMountTarget{index}", subnet, list(mount_groups))
            for index, subnet in enumerate(subnets, start=1)
        ],
        # Four equal subnets: two private ones, and a public one per NAT gateway.
        "subnet_bits": 32 - prefix - 2,
        "nat": nat_layout(network.nat_mode, services or ["lambda"]),
    }
