"""KPIs from the git history of the parameter files: request-to-decision lead times and a monthly trend.

A request is the commit that first lists ``<producer>.<product>`` in a consumer's
``consumes``; its decision is the commit that first records the producer's answer for that
consumer. Times are commit times (``%ct``): when the change entered the history.
"""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from datamesh.config import ConfigError, Mesh, ShareState, load_mesh
from datamesh.git import revision
from datamesh.policies.parameter_rules import parameter_problems


@dataclass(frozen=True)
class Commit:
    sha: str
    time: datetime
    changed: tuple[tuple[str, str], ...]  # (status letter, path)


@dataclass(frozen=True)
class Decision:
    consumer: str
    product: str
    decision: str
    requested: datetime
    decided: datetime

    @property
    def days(self) -> float:
        return round((self.decided - self.requested).total_seconds() / 86400, 1)


@dataclass(frozen=True)
class History:
    """What the commits say: every decision with its request, and when each open request was made."""

    decisions: tuple[Decision, ...]
    requested: dict[tuple[str, str], datetime]  # (consumer, product) -> when the current request appeared
    commits: tuple[Commit, ...]
    mesh_file: Path


def _where(mesh_file: Path) -> tuple[Path, PurePosixPath]:
    folder = Path(mesh_file).resolve().parent
    top = revision.top_level(folder)
    return top, PurePosixPath(folder.relative_to(top).as_posix())


def _commits(top: Path, paths: list[str]) -> list[Commit]:
    """Commits touching ``paths``, oldest first, with the files each changed."""
    text = revision.git(
        top, "log", "--reverse", "--no-renames", "--format=%x01%H %ct", "--name-status", "--", *paths
    ).decode()
    commits = []
    for block in text.split("\x01")[1:]:
        head, *rest = block.strip("\n").split("\n")
        sha, stamp = head.split()
        changed = tuple((line.split("\t")[0][0], line.split("\t")[-1]) for line in rest if "\t" in line)
        commits.append(Commit(sha, datetime.fromtimestamp(int(stamp), UTC), changed))
    return commits


def _requests_and_answers(document: Any) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
    """(consumer, product) requests and answers of one domain file, read leniently (any past version)."""
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        return set(), {}
    name = document["name"]
    requests = {(name, str(sub.get("product"))) for sub in document.get("consumes") or [] if isinstance(sub, dict)}
    answers = {}
    for product in document.get("products") or []:
        if not isinstance(product, dict):
            continue
        for decision in product.get("decisions") or []:
            if isinstance(decision, dict):
                answers[(str(decision.get("consumer")), f"{name}.{product.get('name')}")] = str(
                    decision.get("decision")
                )
    return requests, answers


def read(mesh_file: Path) -> History:
    """Walk the commits of ``domains/*.yaml`` beside ``mesh_file``.

    :raises revision.GitError: not a git repository, or git failed.
    """
    top, folder = _where(mesh_file)
    domains = folder / "domains"
    commits = _commits(top, [str(folder / Path(mesh_file).name), f"{domains}/"])
    documents: dict[str, Any] = {}
    requested: dict[tuple[str, str], datetime] = {}
    answered: dict[tuple[str, str], str] = {}
    decisions = []
    for commit in commits:
        touched = [
            (status, path)
            for status, path in commit.changed
            if PurePosixPath(path).parent == domains and path.endswith(".yaml")
        ]
        if not touched:
            continue
        for status, path in touched:
            if status == "D":
                documents.pop(path, None)
                continue
            try:
                documents[path] = yaml.safe_load(revision.git(top, "show", f"{commit.sha}:{path}"))
            except yaml.YAMLError:
                documents[path] = None
        requests: set[tuple[str, str]] = set()
        answers: dict[tuple[str, str], str] = {}
        for document in documents.values():
            found, given = _requests_and_answers(document)
            requests |= found
            answers.update(given)
        requested = {key: requested.get(key, commit.time) for key in requests}
        for key, answer in answers.items():
            if answered.get(key) != answer and key in requested:
                decisions.append(Decision(key[0], key[1], answer, requested[key], commit.time))
        answered = answers
    return History(tuple(decisions), requested, tuple(commits), Path(mesh_file).resolve())


def lead_times(found: History, mesh: Mesh, now: datetime) -> dict[str, Any]:
    """Request-to-decision days of every decision in the history, and how long the pending requests wait."""
    days = [d.days for d in found.decisions]
    pending = [s for s in mesh.shares(now.date()) if s.state is ShareState.PENDING]
    waiting = []
    for share in pending:
        since = found.requested.get((share.consumer, f"{share.producer}.{share.product}"))
        waiting.append(
            {
                "consumer": share.consumer,
                "product": f"{share.producer}.{share.product}",
                "requested": since.isoformat() if since else None,
                "waiting_days": round((now - since).total_seconds() / 86400, 1) if since else None,
            }
        )
    return {
        "decided": len(days),
        "median_days": round(statistics.median(days), 1) if days else None,
        "max_days": max(days) if days else None,
        "decisions": [
            {
                "consumer": d.consumer,
                "product": d.product,
                "decision": d.decision,
                "requested": d.requested.isoformat(),
                "decided": d.decided.isoformat(),
                "days": d.days,
            }
            for d in found.decisions
        ],
        "pending": waiting,
    }


def months(since: date, today: date) -> list[date]:
    """The first day of every month from ``since``'s to ``today``'s."""
    first, found = date(since.year, since.month, 1), []
    while first <= today:
        found.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return found


def _month_end(first: date) -> datetime:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return datetime.combine(following, datetime.min.time(), UTC) - timedelta(seconds=1)


def trend(found: History, since: date, now: datetime) -> list[dict[str, Any]]:
    """Per month from ``since`` (or the first commit's month): the mesh as the month's last commit left it,
    and the decisions made in the month."""
    if not found.commits:
        return []
    rows = []
    for first in months(max(since, found.commits[0].time.date().replace(day=1)), now.date()):
        end = min(_month_end(first), now)
        last = [c for c in found.commits if c.time <= end]
        in_month = [d.days for d in found.decisions if first <= d.decided.date() <= end.date()]
        row: dict[str, Any] = {
            "month": first.strftime("%Y-%m"),
            "commit": last[-1].sha[:12] if last else None,
            "decisions": len(in_month),
            "median_lead_days": round(statistics.median(in_month), 1) if in_month else None,
        }
        row.update(_counts(found, last[-1].sha, end.date()))
        rows.append(row)
    return rows


def _counts(found: History, sha: str, day: date) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        copied = revision.checkout_mesh(sha, found.mesh_file, Path(folder)).mesh_file
        try:
            mesh = load_mesh(copied, rules=parameter_problems) if copied else None
        except ConfigError:
            return {"valid": False, "domains": None, "products": None, "granted": None, "pending": None}
    if mesh is None:
        return {"valid": True, "domains": 0, "products": 0, "granted": 0, "pending": 0}
    shares = mesh.shares(day)
    return {
        "valid": True,
        "domains": len(mesh.domains),
        "products": sum(len(d.products) for d in mesh.domains),
        "granted": sum(1 for s in shares if s.state is ShareState.GRANTED),
        "pending": sum(1 for s in shares if s.state is ShareState.PENDING),
    }
