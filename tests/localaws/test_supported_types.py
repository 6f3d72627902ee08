"""Every resource type the mesh's templates use can be created by the local AWS."""

from __future__ import annotations

from aws_cdk.assertions import Template
from moto.cloudformation import parsing

from localaws import engine, support


def test_every_resource_type_of_the_example_mesh_is_supported(templates: dict[str, Template]) -> None:
    support.install()
    used = {r["Type"] for t in templates.values() for r in t.to_json()["Resources"].values()}
    assert used, "the example mesh synthesized no resources"
    unsupported = {stack: found for stack, t in templates.items() if (found := engine.unrecognized_types(t.to_json()))}
    assert unsupported == {}


def test_the_local_models_are_the_ones_moto_uses() -> None:
    support.install()
    models = parsing.get_model_map()
    assert {m.cloudformation_type(): models[m.cloudformation_type()] for m in support.LOCAL_MODELS} == {
        m.cloudformation_type(): m for m in support.LOCAL_MODELS
    }
    assert engine.unrecognized_types({"Resources": {"Share": {"Type": "AWS::RAM::ResourceShare"}}}) == [
        "AWS::RAM::ResourceShare"
    ]
