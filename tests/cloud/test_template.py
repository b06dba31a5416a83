"""The SAM template rendered from reviewers.yaml: it lints clean, and holds what the linters cannot see."""

from __future__ import annotations

import fnmatch
import json
import re

import pytest
from cloud_helpers import (
    FAKE_ACCOUNT,
    REPO,
    as_list,
    every_template,
    lint,
    parse,
    raw,
    region_of,
    rendered,
    rendered_all,
    resources_of_type,
    statements,
    translated,
    translated_part,
    variant_config,
)

from framework import config as config_module
from framework.cloud import names, template
from framework.cloud.remote import QUALIFIED_ARN
from framework.errors import ConfigError


def test_every_variant_lints_clean_as_rendered(variant):
    for filename, text in rendered_all(variant).items():
        matches = lint(text, region_of(variant))
        assert [str(match) for match in matches] == [], filename


def test_every_variant_lints_clean_once_translated_by_sam(variant):
    for filename, _, translated_template in every_template(variant):
        matches = lint(json.dumps(translated_template, indent=1), region_of(variant))
        assert [str(match) for match in matches] == [], filename
        # The translation really happened: no SAM resource is left.
        assert not [
            r for r in translated_template["Resources"].values() if r["Type"].startswith("AWS::Serverless")
        ]


def test_linters_do_catch_a_broken_template():
    """The lint tests above could not pass vacuously: the same linter fails a broken copy."""
    broken = rendered("builtins").replace("MemorySize: 2048", "MemorySize: 99999", 1)
    assert [match.rule.id for match in lint(broken, "us-east-1")] == ["E3034"]


def test_the_file_system_bucket_is_the_bucket_arn(variant):
    """S3 Files wants the bucket ARN; a Ref (the bucket name) passes the linters but fails at deploy."""
    for tpl in (raw(variant), translated(variant)):
        (file_system,) = resources_of_type(tpl, "AWS::S3Files::FileSystem").values()
        assert file_system["Properties"]["Bucket"] == {"Fn::GetAtt": ["WorkspaceBucket", "Arn"]}
        assert file_system["Properties"]["RoleArn"] == {"Fn::GetAtt": ["WorkspaceSyncRole", "Arn"]}


def test_every_mounting_function_depends_on_every_mount_target(variant):
    """Directly, or through the nested stack that holds it."""
    for tpl in (raw(variant), translated(variant)):
        mount_targets = set(resources_of_type(tpl, "AWS::S3Files::MountTarget"))
        nested = resources_of_type(tpl, "AWS::CloudFormation::Stack")
        for name, resource in nested.items():
            assert mount_targets <= set(as_list(resource.get("DependsOn", []))), name
        mounting = _mounting_functions(tpl)
        for name, resource in mounting.items():
            assert mount_targets <= set(as_list(resource.get("DependsOn", []))), name
        in_parts = {
            name: resource
            for _, part, translated_part in every_template(variant)[1:]
            for name, resource in _mounting_functions(part).items()
        }
        assert not set(mounting) & set(in_parts)
        assert len(mounting) + len(in_parts) == 1 + len(variant_config(variant).enabled_names())
        access_point = template.access_point_logical(variant_config(variant).cloud.workspace)
        for name, resource in {**mounting, **in_parts}.items():
            (mount,) = resource["Properties"]["FileSystemConfigs"]
            expected = {"Ref": "AccessPointArn"} if name in in_parts else {"Fn::GetAtt": [access_point, "AccessPointArn"]}
            assert mount["Arn"] == expected
            assert mount["LocalMountPath"] == variant_config(variant).cloud.workspace.mount_path


def _mounting_functions(tpl) -> dict:
    return {
        name: resource
        for name, resource in tpl["Resources"].items()
        if resource["Type"] in ("AWS::Serverless::Function", "AWS::Lambda::Function")
        and "FileSystemConfigs" in resource["Properties"]
    }


def test_one_mount_target_per_subnet(variant):
    network = variant_config(variant).cloud.network
    targets = resources_of_type(raw(variant), "AWS::S3Files::MountTarget")
    subnets = [target["Properties"]["SubnetId"] for target in targets.values()]
    if network.existing:
        assert subnets == network.subnet_ids
        groups = {tuple(target["Properties"]["SecurityGroups"]) for target in targets.values()}
        assert groups == {tuple(network.mount_target_groups())}
    else:
        assert subnets == [{"Ref": "PrivateSubnet1"}, {"Ref": "PrivateSubnet2"}]


def _reviewer_functions(variant) -> dict[str, dict]:
    """Every translated reviewer function, root and nested, by its CODEPANEL_REVIEWER."""
    found = {}
    for _, _, tpl in every_template(variant):
        for resource in resources_of_type(tpl, "AWS::Lambda::Function").values():
            variables = resource["Properties"].get("Environment", {}).get("Variables", {})
            if "CODEPANEL_REVIEWER" in variables:
                found[variables["CODEPANEL_REVIEWER"]] = resource
    return found


def test_every_invoke_target_is_a_qualified_arn(variant):
    """The orchestrator derives each reviewer's alias from its stack, as the template named the function."""
    tpl = translated(variant)
    env = tpl["Resources"]["OrchestratorFunction"]["Properties"]["Environment"]["Variables"]
    stack = variant_config(variant).cloud.stack_name
    assert env["CODEPANEL_STACK"] == stack
    assert env["CODEPANEL_FUNCTION_ARN_PREFIX"] == {
        "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
    }
    assert "CODEPANEL_REVIEWER_FUNCTIONS" not in env
    prefix = f"arn:aws:lambda:eu-west-1:{FAKE_ACCOUNT}:function:"
    functions = _reviewer_functions(variant)
    assert sorted(functions) == sorted(variant_config(variant).enabled_names())
    for name, function in functions.items():
        target = names.reviewer_function_arn(prefix, stack, name)
        assert QUALIFIED_ARN.match(target), target
        assert target == prefix + function["Properties"]["FunctionName"] + ":live"
    for _, _, part in every_template(variant):
        aliases = resources_of_type(part, "AWS::Lambda::Alias")
        assert {alias["Properties"]["Name"] for alias in aliases.values()} <= {"live"}
    assert tpl["Outputs"]["OrchestratorAliasArn"]["Value"] == {"Ref": "OrchestratorFunctionAliaslive"}


def test_the_orchestrator_may_invoke_only_its_stacks_reviewers_live_aliases(variant):
    tpl = translated(variant)
    (invoke,) = [
        s for name, s in statements(tpl) if name == "OrchestratorRole" and s["Sid"] == "InvokeReviewers"
    ]
    stack = variant_config(variant).cloud.stack_name
    assert invoke["Resource"] == {
        "Fn::Sub": f"arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{stack}-r-*:live"
    }
    # Every reviewer function's name matches it; the orchestrator's and the trigger's do not.
    for function in _reviewer_functions(variant).values():
        assert fnmatch.fnmatchcase(function["Properties"]["FunctionName"] + ":live", f"{stack}-r-*:live")
    assert not fnmatch.fnmatchcase(f"{stack}-orchestrator:live", f"{stack}-r-*:live")


def test_long_names_keep_a_digest_within_lambdas_64_characters():
    stack = "s" * 51
    assert names.reviewer_function_name("codepanel", "security") == "codepanel-r-security"
    long_a, long_b = names.reviewer_function_name(stack, "a" * 40), names.reviewer_function_name(stack, "a" * 39 + "b")
    assert len(long_a) == len(long_b) == 64 and long_a != long_b
    assert long_a.startswith(stack + "-r-a-")


def test_no_bedrock_or_invoke_statement_has_a_wildcard_resource(variant):
    checked = 0
    for tpl in (raw(variant), translated(variant)):
        for name, statement in statements(tpl):
            actions = as_list(statement["Action"])
            if any(
                a.startswith(("bedrock:", "lambda:Invoke")) or a in ("*", "lambda:*")
                for a in actions
            ):
                checked += 1
                resources = as_list(statement["Resource"])
                assert "*" not in resources, name
                for resource in resources:
                    arn = resource.get("Fn::Sub", "") if isinstance(resource, dict) else resource
                    assert not arn.endswith(":*") and "foundation-model/*" not in arn, (name, arn)
    assert checked >= 2  # at least the orchestrator's invoke statement, in both forms


def _bedrock_resources_of(tpl, role: str) -> list[str]:
    found = [s for name, s in statements(tpl) if name == role and s.get("Sid") == "BedrockModel"]
    return [r["Fn::Sub"] for s in found for r in as_list(s["Resource"])]


def _bedrock_resources(tpl, reviewer: str) -> list[str]:
    return _bedrock_resources_of(tpl, f"Reviewer{template.logical_name(reviewer)}Role")


def test_bedrock_is_granted_only_on_the_configured_models():
    # An inference profile: the profile in the deploy region and its model wherever it routes.
    assert _bedrock_resources(raw("builtins-api"), "security") == [
        ("arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/"
        "us.anthropic.claude-sonnet-4-20250514-v1:0"),
        "arn:${AWS::Partition}:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0",
    ]
    assert _bedrock_resources(raw("builtins-api"), "style") == []  # offline: no Bedrock at all
    # A plain model id: that foundation model only.
    assert _bedrock_resources(raw("three"), "secret-scan") == [
        "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"
    ]
    assert _bedrock_resources(raw("three"), "security") == []
    # A global profile also needs the region-less foundation-model ARN.
    assert _bedrock_resources(raw("three-api"), "todo")[-1] == (
        "arn:${AWS::Partition}:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"
    )
    actions = [
        s["Action"] for name, s in statements(raw("three")) if s.get("Sid") == "BedrockModel"
    ]
    assert actions == [["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]]


def test_the_orchestrator_may_call_the_default_model_for_the_aggregate_step():
    assert _bedrock_resources_of(raw("builtins-api"), "OrchestratorRole") == _bedrock_resources(
        raw("builtins-api"), "security"
    )  # defaults.model, which security inherits
    assert _bedrock_resources_of(raw("three"), "OrchestratorRole") == []  # offline by default
    assert _bedrock_resources_of(raw("existing-vpc"), "OrchestratorRole") == [
        "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"
    ]


def test_a_model_region_is_used_in_its_arns():
    config = config_module.parse(
        "reviewers:\n  a:\n    model: {provider: bedrock, model_id: eu.amazon.nova-pro-v1:0, region: eu-west-3}\n"
    )
    assert template.reviewer_functions(config)[0].bedrock_arns[0] == (
        "arn:${AWS::Partition}:bedrock:eu-west-3:${AWS::AccountId}:inference-profile/eu.amazon.nova-pro-v1:0"
    )


def _reviewer_resources(tpl) -> set[str]:
    # A version's logical id ends in a hash of the function's code and configuration: left out.
    return {
        name
        for name in tpl["Resources"]
        if name.startswith("Reviewer") and "FunctionVersion" not in name
    }


def test_adding_a_reviewer_adds_exactly_its_function_role_and_log_group():
    added = _reviewer_resources(raw("three")) - _reviewer_resources(raw("builtins"))
    assert added == {
        "ReviewerSecretScanFunction",
        "ReviewerSecretScanRole",
        "ReviewerSecretScanLogGroup",
    }
    assert _reviewer_resources(raw("builtins")) <= _reviewer_resources(raw("three"))
    translated_added = _reviewer_resources(translated("three")) - _reviewer_resources(
        translated("builtins")
    )
    assert translated_added == {
        "ReviewerSecretScanFunction", "ReviewerSecretScanRole", "ReviewerSecretScanLogGroup",
        "ReviewerSecretScanFunctionAliaslive",
    }  # fmt: skip
    versions = resources_of_type(translated("three"), "AWS::Lambda::Version")
    assert len(versions) == 1 + 3  # the orchestrator and each reviewer


def test_a_disabled_reviewer_has_no_function():
    names = _reviewer_resources(raw("existing-vpc"))
    assert not [name for name in names if name.startswith("ReviewerStyle")]
    assert {"ReviewerSecurityFunction", "ReviewerLicenceFunction"} <= names


def test_reviewer_functions_take_memory_timeout_and_model_from_reviewers_yaml():
    function = raw("three")["Resources"]["ReviewerSecretScanFunction"]["Properties"]
    assert (function["MemorySize"], function["Timeout"]) == (3008, 840)
    config = variant_config("three")
    assert function["Environment"]["Variables"] == {
        "CODEPANEL_REVIEWER": "secret-scan",
        "CODEPANEL_WORKSPACE": "/mnt/workspace",
        "CODEPANEL_CONFIG_DIGEST": template.digest(
            config.resolved("secret-scan").model_dump(mode="json"), config.cloud.workspace.model_dump(mode="json")
        ),
        "CODEPANEL_PLUGINS_DIR": "/opt/codepanel/plugins",
    }
    assert function["ImageConfig"] == {"Command": ["framework.cloud.lambda_reviewer.handler"]}
    assert function["Role"] == {"Fn::GetAtt": ["ReviewerSecretScanRole", "Arn"]}
    assert function["FunctionName"] == "codepanel-r-secret-scan"
    assert (function["AutoPublishAlias"], function["AutoPublishAliasAllProperties"]) == ("live", True)
    security = raw("builtins")["Resources"]["ReviewerSecurityFunction"]["Properties"]
    assert (security["MemorySize"], security["Timeout"]) == (1024, 300)  # reviewers.yaml defaults


def test_the_orchestrator_is_durable_with_its_own_checkpoint_permission():
    resources = raw("three")["Resources"]
    function = resources["OrchestratorFunction"]["Properties"]
    assert function["DurableConfig"] == {"ExecutionTimeout": 7200, "RetentionPeriodInDays": 30}
    assert function["AutoPublishAlias"] == "live"
    assert function["FunctionName"] == {"Fn::Sub": "${AWS::StackName}-orchestrator"}
    assert function["ImageConfig"] == {"Command": ["framework.cloud.lambda_orchestrator.handler"]}
    variables = function["Environment"]["Variables"]
    assert variables["CODEPANEL_WORKSPACE"] == "/mnt/workspace"
    assert variables["CODEPANEL_CONFIG"] == "/opt/codepanel/project/reviewers.yaml"
    assert variables["CODEPANEL_MAX_CONCURRENCY"] == "8"  # the default
    assert raw("hundred")["Resources"]["OrchestratorFunction"]["Properties"]["Environment"]["Variables"][
        "CODEPANEL_MAX_CONCURRENCY"
    ] == "20"
    (durable,) = [s for name, s in statements(raw("three")) if s.get("Sid") == "DurableExecution"]
    assert durable["Action"] == [
        "lambda:CheckpointDurableExecution",
        "lambda:GetDurableExecutionState",
    ]
    assert durable["Resource"]["Fn::Sub"].endswith(":function:${AWS::StackName}-orchestrator:*")


def test_the_bucket_is_versioned_private_and_encrypted(variant):
    bucket = raw(variant)["Resources"]["WorkspaceBucket"]
    properties = bucket["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert set(properties["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(properties["PublicAccessBlockConfiguration"]) == 4
    rule = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert bucket["DeletionPolicy"] == "RetainExceptOnCreate"  # a failed first deploy strands no bucket
    rules = {rule["Id"]: rule for rule in properties["LifecycleConfiguration"]["Rules"]}
    expire_after = variant_config(variant).cloud.workspace.expire_runs_after_days
    if expire_after:
        # Empty folder markers hold the folders' owner for S3 Files: they must never expire.
        assert rules["expire-runs"]["ObjectSizeGreaterThan"] == "0"
        assert (rules["expire-runs"]["Prefix"], rules["expire-runs"]["ExpirationInDays"]) == (
            "codepanel/runs/",
            expire_after,
        )
    else:
        assert "expire-runs" not in rules
    cache = variant_config(variant).cloud.workspace.expire_cache_after_days
    assert (rules["expire-cache"]["Prefix"], rules["expire-cache"]["ExpirationInDays"]) == (
        variant_config(variant).cloud.workspace.bucket_prefix + "cache/", cache,
    )


def test_the_sync_role_trusts_only_s3_files_for_this_account(variant):
    role = raw(variant)["Resources"]["WorkspaceSyncRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "elasticfilesystem.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"].endswith(":file-system/*")
    sids = [s["Sid"] for s in role["Policies"][0]["PolicyDocument"]["Statement"]]
    assert sids == ["BucketListing", "ObjectReadWrite", "SyncRulesManage", "SyncRulesRead"]


def test_the_access_point_sets_the_posix_user_and_creates_its_root_for_it():
    (properties,) = [r["Properties"] for r in resources_of_type(raw("three-api"), "AWS::S3Files::AccessPoint").values()]
    assert properties["PosixUser"] == {"Uid": "2000", "Gid": "2001"}
    assert properties["RootDirectory"] == {
        "Path": "/reviews/panel",
        "CreationPermissions": {"OwnerUid": "2000", "OwnerGid": "2001", "Permissions": "770"},
    }
    assert raw("three-api")["Outputs"]["WorkspacePrefix"]["Value"] == "reviews/panel/"
    mount = raw("three-api")["Resources"]["ReviewerTodoFunction"]["Properties"][
        "FileSystemConfigs"
    ][0]
    assert mount["LocalMountPath"] == "/mnt/panel"


def test_the_workspace_statements_are_scoped_to_the_access_point_and_prefix():
    (mount,) = [
        s
        for name, s in statements(raw("builtins"))
        if name == "ReviewerStyleRole" and s["Sid"] == "WorkspaceMount"
    ]
    assert mount["Action"] == ["s3files:ClientMount", "s3files:ClientWrite"]
    assert mount["Resource"] == {"Fn::GetAtt": ["WorkspaceFileSystem", "FileSystemArn"]}
    access_point = template.access_point_logical(variant_config("builtins").cloud.workspace)
    assert mount["Condition"] == {
        "ArnEquals": {"s3files:AccessPointArn": {"Fn::GetAtt": [access_point, "AccessPointArn"]}}
    }
    (reads,) = [
        s
        for name, s in statements(raw("builtins"))
        if name == "ReviewerStyleRole" and s["Sid"] == "WorkspaceDirectReads"
    ]
    assert reads["Resource"] == {"Fn::Sub": "${WorkspaceBucket.Arn}/codepanel/*"}


def test_a_new_vpc_admits_nfs_to_the_mount_targets_from_the_functions_only():
    resources = raw("builtins")["Resources"]
    ingress = resources_of_type(raw("builtins"), "AWS::EC2::SecurityGroupIngress")
    assert [rule["Properties"] for rule in ingress.values()] == [{
        "Description": "NFS from the codepanel functions", "GroupId": {"Ref": "MountTargetSecurityGroup"},
        "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
        "SourceSecurityGroupId": {"Ref": "FunctionSecurityGroup"},
    }]  # fmt: skip
    assert "SecurityGroupIngress" not in resources["MountTargetSecurityGroup"]["Properties"]
    egress = resources["FunctionSecurityGroup"]["Properties"]["SecurityGroupEgress"]
    assert [(rule["FromPort"], rule["CidrIp"]) for rule in egress] == [(443, "0.0.0.0/0")]
    assert {"NatGateway1", "PrivateSubnet1", "PrivateSubnet2", "S3GatewayEndpoint"} <= set(resources)
    zones = [resources[f"PrivateSubnet{i}"]["Properties"]["AvailabilityZone"] for i in (1, 2)]
    assert zones[0] != zones[1]


def test_existing_vpc_mode_uses_the_given_subnets_and_groups_and_makes_no_network():
    resources = raw("existing-vpc")["Resources"]
    assert not [name for name, r in resources.items() if r["Type"].startswith("AWS::EC2::")]
    vpc = resources["OrchestratorFunction"]["Properties"]["VpcConfig"]
    assert vpc == {
        "SubnetIds": [
            "subnet-0123456789abcdef0",
            "subnet-0fedcba9876543210",
            "subnet-00112233445566778",
        ],
        "SecurityGroupIds": ["sg-0123456789abcdef0"],
    }


@pytest.mark.parametrize("name", ["builtins-api", "three-api"])
def test_the_api_is_iam_authorised_and_starts_the_orchestrator(name):
    resources = raw(name)["Resources"]
    api = resources["TriggerApi"]["Properties"]
    assert api["Auth"] == {"EnableIamAuthorizer": True, "DefaultAuthorizer": "AWS_IAM"}
    trigger = resources["TriggerFunction"]["Properties"]
    assert trigger["Events"]["Review"]["Properties"] == {
        "ApiId": {"Ref": "TriggerApi"},
        "Path": "/review",
        "Method": "POST",
    }
    assert trigger["Environment"]["Variables"] == {
        "CODEPANEL_ORCHESTRATOR": {"Ref": "OrchestratorFunction.Alias"}
    }
    assert "FileSystemConfigs" not in trigger  # it never touches the workspace
    # Once translated, the route itself demands SigV4.
    body = resources_of_type(translated(name), "AWS::ApiGatewayV2::Api")["TriggerApi"][
        "Properties"
    ]["Body"]
    operation = body["paths"]["/review"]["post"]
    assert operation["security"] == [{"AWS_IAM": []}]
    assert "ApiUrl" in raw(name)["Outputs"]


@pytest.mark.parametrize("name", ["builtins", "three", "existing-vpc"])
def test_without_the_api_there_is_no_trigger(name):
    resources = raw(name)["Resources"]
    assert not [n for n in resources if n.startswith(("Trigger", "Api"))]
    assert "ApiUrl" not in raw(name)["Outputs"]


def test_the_logical_names_of_reviewers():
    assert template.logical_name("security") == "Security"
    assert template.logical_name("secret-scan_v2") == "SecretScanV2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("reviewers:\n  a:\n    timeout: 1200\n",
         "reviewers.a.timeout: expected at most 900 seconds on AWS Lambda, got 1200"),
        ("reviewers:\n  a-b: {}\n  a_b: {}\n",
         "reviewers.a_b: its resource names would clash with reviewers.a-b's (AB); rename one of them"),
        ("reviewers:\n  a:\n    timeout: 900\ncloud:\n  orchestrator:\n    execution_timeout: 900\n",
         "cloud.orchestrator.execution_timeout: expected more than the longest reviewer timeout (900 s), got 900"),
        ("reviewers:\n  a:\n    enabled: false\n", "reviewers: no reviewer is enabled, so there is nothing to deploy"),
        ("reviewers:\n  a:\n    model: 'bedrock:bad id${x}'\n", "reviewers.a.model: 'bad id${x}' is not a Bedrock model id"),
    ],
)  # fmt: skip
def test_what_cannot_be_deployed_is_a_one_line_error(text, message):
    with pytest.raises(ConfigError) as raised:
        template.render(config_module.parse(text))
    assert str(raised.value) == message


def test_a_hundred_reviewers_stay_within_cloudformations_limits():
    """500 resources, 200 parameters and outputs a template, 1 MB a template uploaded to S3."""
    templates = every_template("hundred")
    assert [filename for filename, _, _ in templates] == [
        "template.yaml", "template.reviewers-1.yaml", "template.reviewers-2.yaml",
    ]  # fmt: skip
    for filename, as_rendered, as_translated in templates:
        assert len(as_translated["Resources"]) <= 500, filename
        assert len(as_translated.get("Parameters", {})) <= 200 and len(as_translated.get("Outputs", {})) <= 200
        assert len(json.dumps(as_translated)) < 1_000_000, filename
    root = raw("hundred")["Resources"]
    stacks = resources_of_type(raw("hundred"), "AWS::CloudFormation::Stack")
    assert [stack["Properties"]["TemplateURL"] for stack in stacks.values()] == [
        "template.reviewers-1.yaml", "template.reviewers-2.yaml",
    ]  # fmt: skip
    assert not [name for name in root if name.startswith("Reviewer") and not name.endswith("Stack")]
    assert len(_reviewer_functions("hundred")) == 100
    # A nested reviewer has what an inline one has: its role, its model, its log group.
    part = translated_part("hundred", "template.reviewers-1.yaml")
    assert _bedrock_resources(part, "reviewer-003") == [
        "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/eu.anthropic.claude-sonnet-4-20250514-v1:0",
        "arn:${AWS::Partition}:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0",
    ]
    assert _bedrock_resources(part, "reviewer-004") == []
    log_group = part["Resources"]["ReviewerReviewer003LogGroup"]["Properties"]
    assert log_group["LogGroupName"] == "/codepanel/big-panel/reviewers/reviewer-003"


def test_sixty_reviewers_stay_in_the_root_template():
    def panel(size: int) -> config_module.Config:
        return config_module.parse("reviewers:\n" + "".join(f"  r{i:03d}: {{}}\n" for i in range(size)))

    assert list(template.render_all(panel(60))) == ["template.yaml"]
    assert list(template.render_all(panel(61))) == ["template.yaml", "template.reviewers-1.yaml", "template.reviewers-2.yaml"]


def test_every_function_runs_one_image_tagged_with_its_build_contexts_digest(tmp_path):
    from framework.cloud import image
    from framework.panel import Panel

    (tmp_path / "reviewers.yaml").write_text((REPO / "reviewers.yaml").read_text())
    panel = Panel.load(str(tmp_path / "reviewers.yaml"))
    build = image.assemble(panel, tmp_path / "context")
    out = tmp_path / "deploy" / "template.yaml"
    template.write(panel.config, out, build, stack="Team-Panel")
    functions = resources_of_type(parse(out.read_text()), "AWS::Serverless::Function")
    assert len(functions) == 3
    uris = {json.dumps(function["Properties"]["ImageUri"]) for function in functions.values()}
    assert uris == {json.dumps({
        "Fn::Sub": f"${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.${{AWS::URLSuffix}}/codepanel/team-panel:{build.digest}"
    })}  # fmt: skip
    assert not [f for f in functions.values() if "Metadata" in f]  # nothing for `sam build` to build
    assert re.fullmatch(r"[0-9a-f]{16}", build.digest)
    (tmp_path / "reviewers.yaml").write_text((REPO / "reviewers.yaml").read_text() + "# edited\n")
    assert image.assemble(Panel.load(str(tmp_path / "reviewers.yaml")), tmp_path / "context").digest != build.digest


def test_generate_command_writes_the_template(tmp_path):
    from click.testing import CliRunner

    from framework.cli.commands import cli

    out = tmp_path / "template.yaml"
    (tmp_path / "reviewers.yaml").write_text((REPO / "reviewers.yaml").read_text())
    result = CliRunner().invoke(
        cli, ["generate", "--config", str(tmp_path / "reviewers.yaml"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Wrote {out}"
    assert result.output.splitlines()[1].startswith(f"The image's build context is in {tmp_path / '.codepanel-image'} (")
    assert set(resources_of_type(parse(out.read_text()), "AWS::Serverless::Function")) == {
        "OrchestratorFunction", "ReviewerSecurityFunction", "ReviewerStyleFunction",
    }  # fmt: skip


def test_generate_refuses_a_reviewer_whose_plugin_does_not_exist(tmp_path):
    from click.testing import CliRunner

    from framework.cli.commands import cli

    config_file = tmp_path / "reviewers.yaml"
    config_file.write_text("reviewers:\n  ghost:\n    plugin: ghost\n")
    result = CliRunner().invoke(
        cli, ["generate", "--config", str(config_file), "-o", str(tmp_path / "t.yaml")]
    )
    assert result.exit_code == 2
    assert "reviewers.ghost.plugin: unknown plugin 'ghost'" in result.output
    assert not (tmp_path / "t.yaml").exists()
