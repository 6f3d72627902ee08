"""The reader's bounds, on both sides (README, "Validation": nested at most 64 levels, at most
1000 YAML aliases and 200,000 values once aliases are expanded; Glue column types nested at
most 32 levels), through ``load_mesh`` on a domain file written as raw text.

A value is one node of the expanded document: a scalar (a mapping's key included) or a
collection, which counts itself and its contents; an alias counts as the node it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.small_mesh import load, mesh_config, problems, producer

SALES = producer("sales", "222222222222")


def refused(tmp_path: Path, text: str) -> list[str]:
    return problems(tmp_path, mesh_config(), SALES, files={"domains/extra.yaml": text})


def read(tmp_path: Path, text: str) -> list[str]:
    """The problems of a mesh with an extra domain file: none of the reader's when the text is within bounds."""
    found = refused(tmp_path, text)
    return [p for p in found if "refused" in p]


def sequence_of(values: int) -> str:
    """A top-level sequence expanding to ``values`` values: a list of 999 scalars (1000 values), 198 aliases of it,
    then single scalars."""
    assert values >= 1 + 1000 * 199
    return "- &L [" + ", ".join(["a"] * 999) + "]\n" + "- *L\n" * 198 + "- s\n" * (values - 1 - 1000 * 199)


def mapping_of(values: int) -> str:
    """A top-level mapping expanding to ``values`` values (each entry counts its key)."""
    plain = values - 1 - 1001 * 199
    assert plain >= 2 and plain % 2 in (0, 1)
    entries = "".join(f"s{i}: x\n" for i in range(plain // 2 - 1))
    return (
        "l: &L ["
        + ", ".join(["a"] * 999)
        + "]\n"
        + "".join(f"k{i}: *L\n" for i in range(198))
        + entries
        + ("z: [a]\n" if plain % 2 else "z: x\n")
    )


class TestYamlBounds:
    def test_64_levels_are_read_and_65_refused(self, tmp_path: Path) -> None:
        assert read(tmp_path / "64", "[" * 64 + "]" * 64) == []
        assert read(tmp_path / "65", "[" * 65 + "]" * 65) == [
            "domains/extra.yaml: (file): refused: line 1: nested more than 64 levels deep"
        ]

    def test_1000_aliases_are_read_and_1001_refused(self, tmp_path: Path) -> None:
        assert read(tmp_path / "1000", "- &a x\n" + "- *a\n" * 1000) == []
        assert read(tmp_path / "1001", "- &a x\n" + "- *a\n" * 1001) == [
            "domains/extra.yaml: (file): refused: line 1002: more than 1000 aliases"
        ]

    @pytest.mark.parametrize("document", [sequence_of, mapping_of], ids=["sequence", "mapping"])
    def test_200000_values_are_read_and_200001_refused(self, tmp_path: Path, document) -> None:
        assert read(tmp_path / "200000", document(200_000)) == []
        assert read(tmp_path / "200001", document(200_001)) == [
            "domains/extra.yaml: (file): refused: line 1: expands to more than 200000 values (aliases referring to aliases?)"
        ]

    def test_depth_is_counted_down_a_branch_not_across_siblings(self, tmp_path: Path) -> None:
        assert read(tmp_path / "siblings", "- []\n" * 100) == []
        # Below a top-level sequence, 64 nested lists are 65 levels, however many siblings came before.
        assert read(tmp_path / "deep", "- []\n" * 10 + "- " + "[" * 64 + "]" * 64 + "\n") == [
            "domains/extra.yaml: (file): refused: line 11: nested more than 64 levels deep"
        ]

    def test_a_file_of_1_mib_is_read_and_one_byte_more_refused(self, tmp_path: Path) -> None:
        head = "name: extra\n#"
        assert read(tmp_path / "1mib", head + "x" * (1024 * 1024 - len(head))) == []
        assert read(tmp_path / "more", head + "x" * (1024 * 1024 + 1 - len(head))) == [
            "domains/extra.yaml: (file): refused: larger than 1024 KiB"
        ]

    def test_an_alias_inside_its_own_value_is_refused_on_its_line(self, tmp_path: Path) -> None:
        assert read(tmp_path, "name: extra\nowner: &x [*x]\n") == [
            "domains/extra.yaml: (file): refused: line 2: alias *x refers to a value that contains it"
        ]


def nested(kind: str, levels: int) -> str:
    text = "string"
    for _ in range(levels):
        text = {"array": f"array<{text}>", "map": f"map<string,{text}>", "struct": f"struct<f:{text}>"}[kind]
    return text


class TestGlueTypeDepth:
    @pytest.mark.parametrize("kind", ["array", "map", "struct"])
    def test_a_column_type_nested_32_levels_loads_and_33_is_refused(self, tmp_path: Path, kind: str) -> None:
        sales = producer("sales", "222222222222")
        sales["products"][0]["columns"] = [{"name": "id", "type": nested(kind, 32)}]
        assert load(tmp_path / "32", mesh_config(), sales).domains[0].products[0].columns[0].type == nested(kind, 32)
        sales["products"][0]["columns"] = [{"name": "id", "type": nested(kind, 33)}]
        found = problems(tmp_path / "33", mesh_config(), sales)
        assert len(found) == 1 and found[0].startswith("domains/sales.yaml: products[0].columns[0].type: ")
        assert found[0].endswith("nested more than 32 levels deep")
