"""Finding data products by words: entries from the files or from a Glue catalog, and their score.

Score of an entry, summed over the words of the query (each word must match somewhere,
case-insensitive, or the entry is left out):

=================================================  =====
the product's name is the word                      10
the product's name contains the word                 6
a column's name is the word                          5
the domain's name contains the word                  4
a column's name contains the word                    3
a tag's value is the word                            3
the description contains the word                    2
the owner (team or e-mail) contains the word         2
a column's description contains the word            1
=================================================  =====

Highest score first; ties in domain and product order. An empty query matches every entry.

The catalog portal ranks in the browser with ``datamesh/portal/static/search.js``, a port
of :func:`search` that reads :data:`WEIGHTS` and the whitespace of :func:`words` from the
index this module writes (:func:`portal_index`); a test runs both on the same queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from datamesh.config import Mesh

WEIGHTS = {
    "name": 10,
    "name_part": 6,
    "column": 5,
    "domain": 4,
    "column_part": 3,
    "tag": 3,
    "description": 2,
    "owner": 2,
    "column_description": 1,
}
# What str.split() splits on: the browser's \\s is a different set.
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


@dataclass(frozen=True)
class Entry:
    domain: str
    product: str
    description: str
    owner: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    columns: tuple[tuple[str, str], ...] = ()  # (name, description)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: int
    matched: tuple[str, ...]


def entries_from_mesh(mesh: Mesh) -> list[Entry]:
    """One entry per product of the files; tags are the LF-tags the mesh sets, plus format."""
    return [
        Entry(
            domain=d.name,
            product=p.name,
            description=p.description,
            owner=f"{d.owner.team} {d.owner.email}",
            tags={
                "domain": d.name,
                "confidentiality": p.confidentiality,
                "format": p.format.value,
                "pii": str(bool(p.pii_columns)).lower(),
            },
            columns=_columns(
                (t.name, [(c.name, c.description) for c in [*t.columns, *t.partition_keys]]) for t in p.tables
            ),
        )
        for d in mesh.domains
        for p in d.products
    ]


def _columns(tables: Iterable[tuple[str, list[tuple[str, str]]]]) -> tuple[tuple[str, str], ...]:
    """(name, description) of every column, tables by name; ``table.column`` when there are several tables."""
    ordered = sorted(tables)
    several = len(ordered) > 1
    return tuple(
        (f"{table}.{name}" if several else name, description)
        for table, columns in ordered
        for name, description in columns
    )


def entries_from_glue(databases: Iterable[dict[str, Any]], tables: dict[str, list[dict[str, Any]]]) -> list[Entry]:
    """Entries of the mesh's databases (those with a ``datamesh:domain`` parameter) as Glue describes them."""
    result = []
    for database in databases:
        parameters = database.get("Parameters", {})
        if "datamesh:domain" not in parameters:
            continue
        found = tables.get(database["Name"], [])
        if not found:
            continue
        table_parameters = found[0].get("Parameters", {})
        tags = {"domain": parameters["datamesh:domain"]}
        if "datamesh:confidentiality" in table_parameters:
            tags["confidentiality"] = table_parameters["datamesh:confidentiality"]
        if "classification" in table_parameters:
            tags["format"] = table_parameters["classification"]
        result.append(
            Entry(
                domain=parameters["datamesh:domain"],
                product=parameters.get("datamesh:product", found[0]["Name"]),
                description=database.get("Description") or found[0].get("Description", ""),
                tags=tags,
                columns=_columns(
                    (
                        t["Name"],
                        [
                            (c["Name"], c.get("Comment", ""))
                            for c in [*t.get("StorageDescriptor", {}).get("Columns", []), *t.get("PartitionKeys", [])]
                        ],
                    )
                    for t in found
                ),
            )
        )
    return result


def words(text: str) -> list[str]:
    """The query's words, lower case."""
    return text.lower().split()


def _score_word(entry: Entry, word: str) -> tuple[int, list[str]]:
    w = WEIGHTS
    rules: list[tuple[int, str, bool]] = [
        (w["name"], "name", entry.product.lower() == word),
        (w["name_part"], "name", word in entry.product.lower() and entry.product.lower() != word),
        (w["domain"], "domain", word in entry.domain.lower()),
        (w["description"], "description", word in entry.description.lower()),
        (w["owner"], "owner", word in entry.owner.lower()),
    ]
    rules += [(w["tag"], f"tag {key}", value.lower() == word) for key, value in entry.tags.items() if key != "domain"]
    for name, description in entry.columns:
        rules += [
            (w["column"], f"column {name}", name.lower() == word),
            (w["column_part"], f"column {name}", word in name.lower() and name.lower() != word),
            (w["column_description"], f"column {name} description", word in description.lower()),
        ]
    hits = [(points, why) for points, why, matched in rules if matched]
    return sum(points for points, _ in hits), [why for _, why in hits]


def search(
    entries: Iterable[Entry],
    text: str,
    *,
    domain: str | None = None,
    tags: dict[str, str] | None = None,
    column: str | None = None,
) -> list[Hit]:
    """Entries matching every word of ``text`` and every filter, best first."""
    query = words(text)
    hits = []
    for entry in entries:
        if domain is not None and entry.domain != domain:
            continue
        if any(entry.tags.get(k, "").lower() != v.lower() for k, v in (tags or {}).items()):
            continue
        if column is not None and column.lower() not in {
            n.lower() for name, _ in entry.columns for n in (name, name.rpartition(".")[2])
        }:
            continue
        scored = [_score_word(entry, word) for word in query]
        if any(points == 0 for points, _ in scored):
            continue
        matched = tuple(dict.fromkeys(why for _, reasons in scored for why in reasons))
        hits.append(Hit(entry, sum(points for points, _ in scored), matched))
    return sorted(hits, key=lambda h: (-h.score, h.entry.domain, h.entry.product))


def portal_index(entries: Iterable[Entry]) -> dict[str, Any]:
    """What the portal's ``search.js`` ranks with: the weights, the whitespace and the entries.

    Entries come in domain and product order (the tie order of :func:`search`) with their
    text lower-cased here, so the browser's lower-casing only ever touches the query.
    """
    ordered = sorted(entries, key=lambda e: (e.domain, e.product))
    return {
        "weights": WEIGHTS,
        "whitespace": WHITESPACE,
        "entries": [
            [
                e.domain,
                e.product,
                e.description,
                e.description.lower(),
                e.owner.lower(),
                [[k, v.lower()] for k, v in e.tags.items() if k != "domain"],
                [[name, name.lower(), description.lower()] for name, description in e.columns],
            ]
            for e in ordered
        ],
    }
