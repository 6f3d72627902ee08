"""Round-trip editing of domain files: comments, key order and quoting survive an edit.

Edits are staged in an :class:`Edit` and written only together, after which the whole
mesh is validated again; if it no longer validates every file is put back as it was.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from datamesh.config import ConfigError, Mesh, load_mesh
from datamesh.policies.parameter_rules import parameter_problems


def domain_file(mesh_file: Path, domain: str) -> Path:
    """``domains/<domain>.yaml`` beside ``mesh_file``, where the loader reads it."""
    return Path(mesh_file).parent / "domains" / f"{domain}.yaml"


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def dump(document: CommentedMap) -> str:
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: a temporary file in the same folder, synced, then renamed.

    An interrupt leaves either the old file or the new one, never half of it.
    """
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


class Edit:
    """Domain files to change together; :meth:`save` keeps them only if the mesh stays valid."""

    def __init__(self, mesh_file: Path):
        self.mesh_file = Path(mesh_file)
        self._documents: dict[Path, CommentedMap] = {}
        self._originals: dict[Path, str] = {}

    def domain(self, name: str) -> CommentedMap:
        """The parsed file of domain ``name``, loaded once per edit."""
        path = domain_file(self.mesh_file, name)
        if path not in self._documents:
            text = path.read_text(encoding="utf-8")
            self._originals[path] = text
            self._documents[path] = _yaml().load(text)
        return self._documents[path]

    def save(self) -> Mesh:
        """Write every changed file, then validate the mesh; restore the files on any problem.

        :raises ConfigError: with the problems the edit would cause (the files are unchanged).
        """
        for path, document in self._documents.items():
            write_atomically(path, dump(document))
        try:
            return load_mesh(self.mesh_file, rules=parameter_problems)
        except ConfigError:
            for path, text in self._originals.items():
                write_atomically(path, text)
            raise
