"""The last gang analysis, kept in the home (`HOME/gangs/gangs.jsonl`) for the service and the
console to read: one JSON object per gang, as `chaincut gangs` writes them, written atomically;
beside it (`HOME/gangs/inputs.json`) what the analysis read besides the lake, so that a later
`chaincut gangs` can tell the saved gangs are still the ones a run would give.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chaincut.gangs.analyse import Gang

FILE = Path("gangs") / "gangs.jsonl"
#: the lake generation and the analyst's input (`inputs_key`) the saved gangs were made from
INPUTS = Path("gangs") / "inputs.json"
#: present while a report joined by the quick path (`gangs.quick`) since the last run: the
#: saved groups are then what local moves gave, not necessarily what a run gives
PROVISIONAL = Path("gangs") / "provisional"


def gangs_path(home: Path) -> Path:
    return home / FILE


def _write(path: Path, lines: Iterable[str]) -> Path:
    """Write `lines` to `path`, all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        with partial.open("w", encoding="utf-8") as fh:
            fh.writelines(lines)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def save(home: Path, gangs: list[dict[str, Any]]) -> Path:
    """Write `gangs` (JSON objects) to the home, all or nothing."""
    return _write(gangs_path(home), (json.dumps(g, ensure_ascii=False) + "\n" for g in gangs))


def inputs_key(
    judgements: Iterable[tuple[str, str, bool]], cases: Mapping[str, Iterable[str]]
) -> str:
    """A digest of what an analysis reads besides the lake: the analyst's person judgements
    (person a, person b, same) and the cases filled by hand (case id -> report ids). Equal
    digests: the same input, whatever the order it was read in or when it was recorded."""
    said = sorted([str(a), str(b), bool(same)] for a, b, same in judgements)
    filled = {str(k): sorted(map(str, v)) for k, v in cases.items()}
    text = json.dumps({"judgements": said, "cases": filled}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: what the analysis's answer depends on besides the lake and the analyst: its own code and the
#: models and weights it reads (package folders, relative to `chaincut`)
CODE_PARTS = ("gangs", "trace", "scoring", "telecom/model", "telecom/clue")


@functools.cache
def code_key() -> str:
    """A digest of the analysis's own code and models (`CODE_PARTS`): another chaincut (an
    upgrade, a refitted model) makes the saved gangs stale, whatever the lake and the analyst
    did."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in CODE_PARTS:
        for path in sorted((root / part).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".json", ".txt", ".gz"):
                digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def save_inputs(home: Path, generation: int, key: str) -> Path:
    """Record that the saved gangs were made from the lake at `generation` and the analyst's
    input `key` (`inputs_key`), by this chaincut (`code_key`)."""
    text = json.dumps({"generation": generation, "inputs": key, "code": code_key()})
    (home / PROVISIONAL).unlink(missing_ok=True)
    return _write(home / INPUTS, [text + "\n"])


def mark_provisional(home: Path, report_id: str) -> None:
    """Record that `report_id` joined the saved gangs by the quick path: the next `chaincut
    gangs` runs the analysis rather than answer from them."""
    path = home / PROVISIONAL
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(report_id + "\n")


def clear_provisional(home: Path) -> None:
    """The quick joins since the last run were grouped exactly (the service's settling)."""
    (home / PROVISIONAL).unlink(missing_ok=True)


def provisional(home: Path) -> list[str]:
    """The reports joined by the quick path since the last run."""
    try:
        return (home / PROVISIONAL).read_text(encoding="utf-8").split()
    except OSError:
        return []


def load_inputs(home: Path) -> tuple[int, str] | None:
    """The lake generation and the input key of the saved gangs; None where none was recorded
    (a home analysed before round twelve)."""
    try:
        data = json.loads((home / INPUTS).read_text(encoding="utf-8"))
        return int(data["generation"]), str(data["inputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load_code(home: Path) -> str | None:
    """The `code_key` of the chaincut that made the saved gangs; None where none was recorded."""
    try:
        code = json.loads((home / INPUTS).read_text(encoding="utf-8")).get("code")
    except (OSError, ValueError, AttributeError):
        return None
    return str(code) if code is not None else None


def as_gangs(found: Iterable[Mapping[str, Any]]) -> list[Gang]:
    """The saved gangs (`load`) as the run's `Gang`s, for what reads a run's gangs (the
    FollowTheMoney export, `chaincut gangs --evaluate`): ids, reports, members with their
    roles, confidences and evidence as saved (the first 12 items; confidences to two
    places), amounts in cents."""
    from decimal import Decimal

    from chaincut.gangs.analyse import Gang
    from chaincut.gangs.member import Member

    out = []
    for g in found:
        members = [Member(str(m["kind"]), str(m["id"]), str(m["role"]), float(m["confidence"]),
                          list(m.get("evidence", [])), list(m.get("evidence_codes", [])))
                   for m in g["members"]]  # fmt: skip
        span = g.get("span") or {}
        out.append(
            Gang(
                gang_id=str(g["gang_id"]),
                reports=list(g["reports"]),
                members=members,
                money={str(k): Decimal(str(v)) for k, v in g["money"].items()},
                dens=list(g.get("dens", [])),
                victims=list(g.get("victims", [])),
                span=(str(span.get("first", "")), str(span.get("last", ""))),
                cases=list(g.get("cases", [])),
                related=list(g.get("related", [])),
                stability=float(g.get("stability", 1.0)),
                firmness=dict(g.get("firmness", {})),
            )
        )
    return out


def load(home: Path) -> list[dict[str, Any]] | None:
    """The gangs of the last analysis, or None when none was run in this home."""
    path = gangs_path(home)
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
