"""Reading a parameter or contract file from the wild: bounded, strict, one line per problem.

A file is read once. Before anything is built from it, the reader refuses what would
make the rest of the run slow, large or wrong: files over :data:`MAX_FILE_BYTES`, text
that is not UTF-8, nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_ALIASES`
aliases, or a document that would expand (aliases followed) to more than
:data:`MAX_NODES` values, as in an alias bomb. A key given twice in one mapping is an
error (YAML says keys are unique; PyYAML would keep the last one). Dates and timestamps
stay the strings they were written as, as in JSON, so that ``2022-10-03`` validates
where the schema expects a string; the models parse them where they want dates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 1000
MAX_NODES = 200_000

_MERGE = "tag:yaml.org,2002:merge"


class InputRefused(ValueError):
    """The file's text breaks one of the reader's bounds; the message says which and where."""


class _BoundedComposer(Composer):
    """PyYAML's composer, counting depth, aliases and expanded size while it builds nodes."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._aliases = 0
        self._size: dict[int, int] = {}  # expanded size of each composed collection node, by id

    def _weight(self, node: Node) -> int:
        return self._size.get(id(node), 1)

    def _count(self, node: Node, weight: int) -> None:
        self._size[id(node)] = weight
        if weight > MAX_NODES:
            raise InputRefused(
                f"line {node.start_mark.line + 1}: expands to more than {MAX_NODES} values "
                "(aliases referring to aliases?)"
            )

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            alias = self.peek_event()
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise InputRefused(f"line {alias.start_mark.line + 1}: more than {MAX_ALIASES} aliases")
            target = self.anchors.get(alias.anchor)
            if target is not None and not isinstance(target, ScalarNode) and id(target) not in self._size:
                raise InputRefused(
                    f"line {alias.start_mark.line + 1}: alias *{alias.anchor} refers to a value that contains it"
                )
            return super().compose_node(parent, index)
        if self.check_event(yaml.ScalarEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise InputRefused(
                f"line {self.peek_event().start_mark.line + 1}: nested more than {MAX_DEPTH} levels deep"
            )
        node = super().compose_node(parent, index)
        self._depth -= 1
        return node

    def compose_sequence_node(self, anchor: str | None) -> SequenceNode:
        node = super().compose_sequence_node(anchor)
        self._count(node, 1 + sum(self._weight(child) for child in node.value))
        return node

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        node = super().compose_mapping_node(anchor)
        self._count(node, 1 + sum(self._weight(k) + self._weight(v) for k, v in node.value))
        return node


class _StrictConstructor(SafeConstructor):
    """Safe construction that refuses duplicate keys and keeps dates as strings."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key; SafeConstructor reports it below
                continue
            if duplicate:
                raise ConstructorError(None, None, f"duplicate key {str(key)[:80]!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictConstructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)

try:  # libyaml scans and parses; composing stays in Python, where the bounds are counted
    from yaml._yaml import CParser as _Parser

    def _parser_init(loader: Any, text: str) -> None:
        _Parser.__init__(loader, text)

    _PARSER_BASES: tuple[type, ...] = (_Parser,)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    def _parser_init(loader: Any, text: str) -> None:
        Reader.__init__(loader, text)
        Scanner.__init__(loader)
        Parser.__init__(loader)

    _PARSER_BASES = (Reader, Scanner, Parser)


class _BoundedLoader(_BoundedComposer, *_PARSER_BASES, _StrictConstructor, Resolver):  # type: ignore[misc]
    def __init__(self, text: str) -> None:
        _parser_init(self, text)
        _BoundedComposer.__init__(self)
        _StrictConstructor.__init__(self)
        Resolver.__init__(self)


def parse_yaml(text: str) -> Any:
    """The one YAML document in ``text``, within the bounds.

    :raises InputRefused: when a bound is broken.
    :raises yaml.YAMLError: when the text is not YAML (or has a duplicate key).
    """
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark dropped), at most :data:`MAX_FILE_BYTES`.

    :raises OSError: when it cannot be read.
    :raises InputRefused: when it is too large or not UTF-8.
    """
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputRefused(f"larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputRefused(f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})") from None


def yaml_error_reason(exc: yaml.YAMLError) -> str:
    """``invalid YAML: line L, column C: <problem>``, without the snippet of text PyYAML quotes."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"invalid YAML: {where}{problem}"
