"""The ASVS map (docs/security/asvs.md) covers what it must, names real requirements, and its evidence exists."""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
import subprocess  # nosec B404: runs pytest's own collection, with fixed arguments
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CSV_PATH = ROOT / "tests" / "data" / "asvs-5.0.0-en.csv"
MAP_PATH = ROOT / "docs" / "security" / "asvs.md"
LEVEL_3_CHAPTERS = frozenset({"V8", "V11", "V14", "V16"})
STATUSES = frozenset({"met", "planned", "n/a"})
ROW = re.compile(
    r"^\|\s*(?P<id>V\d+(?:\.\d+)+)\s*\|\s*(?P<level>[^|]*?)\s*\|\s*(?P<status>[^|]*?)\s*\|(?P<evidence>.*)\|\s*$"
)
CODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Row:
    req_id: str
    level: str
    status: str
    evidence: str
    line: int

    def node_ids(self) -> list[str]:
        return [code for code in CODE.findall(self.evidence) if "::" in code]


def requirements() -> dict[str, dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8") as handle:
        return {row["req_id"]: row for row in csv.DictReader(handle)}


def required_ids(catalogue: dict[str, dict[str, str]]) -> set[str]:
    """Levels 1 and 2 everywhere, and level 3 of chapters V8, V11, V14 and V16."""
    return {
        req_id
        for req_id, row in catalogue.items()
        if row["L"] in ("1", "2") or (row["L"] == "3" and row["chapter_id"] in LEVEL_3_CHAPTERS)
    }


@functools.cache
def map_rows() -> list[Row]:
    rows = []
    for number, line in enumerate(MAP_PATH.read_text(encoding="utf-8").splitlines(), start=1):
        match = ROW.match(line)
        if match:
            rows.append(Row(match["id"], match["level"], match["status"], match["evidence"].strip(), number))
    return rows


def control_exists(name: str) -> bool:
    """A named control is a file or folder of the repository, a Django setting or an importable module."""
    if "/" in name or name.endswith((".py", ".md", ".txt", ".toml")):
        return (ROOT / name).exists()
    if name.isupper():
        return hasattr(settings, name)
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


@pytest.fixture(scope="module")
def collected_node_ids() -> set[str]:
    """Node ids pytest collects from the test files the map names (one collection run)."""
    files = sorted({node.split("::", 1)[0] for row in map_rows() for node in row.node_ids()})
    missing_files = [name for name in files if not (ROOT / name).is_file()]
    assert not missing_files, f"the ASVS map names test files that do not exist: {missing_files}"
    result = subprocess.run(  # nosec B603: fixed interpreter and arguments, file names from our own map
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    collected = {line.strip() for line in result.stdout.splitlines() if "::" in line}
    # A parametrised test is named by its function (pytest runs every parameter) or by one parameter.
    collected |= {node.split("[", 1)[0] for node in collected}
    assert collected, f"collection failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return collected


def test_the_map_covers_every_required_requirement():
    mapped = {row.req_id for row in map_rows()}
    missing = sorted(required_ids(requirements()) - mapped, key=lambda i: [int(p) for p in i[1:].split(".")])
    assert not missing, f"{MAP_PATH.name} lacks {len(missing)} required ids: {', '.join(missing)}"


def test_every_id_in_the_map_is_a_real_asvs_requirement_at_its_level():
    catalogue = requirements()
    unknown = [f"{row.req_id} (line {row.line})" for row in map_rows() if row.req_id not in catalogue]
    assert not unknown, f"not ASVS 5.0.0 ids: {unknown}"
    wrong_level = [row.req_id for row in map_rows() if row.level != catalogue[row.req_id]["L"]]
    assert not wrong_level, f"level differs from the CSV: {wrong_level}"
    ids = [row.req_id for row in map_rows()]
    assert len(ids) == len(set(ids)), "an id is listed twice"


def test_every_row_has_a_valid_status_and_a_reason():
    bad = [f"{row.req_id}: {row.status!r}" for row in map_rows() if row.status not in STATUSES]
    assert not bad, f"status must be one of {sorted(STATUSES)}: {bad}"
    empty = [row.req_id for row in map_rows() if len(row.evidence) < 5]
    assert not empty, f"rows without evidence or reason: {empty}"


def test_planned_rows_point_to_no_closed_issue():
    # Issues 1 to 8 are closed: a planned row says what is missing instead of where it was once planned.
    bad = [row.req_id for row in map_rows() if row.status == "planned" and re.search(r"\bissue [1-8]\b", row.evidence)]
    assert not bad, f"planned rows must not point to a closed issue (1 to 8): {bad}"


def test_met_rows_name_a_control_that_exists_or_a_test():
    problems = []
    for row in map_rows():
        if row.status != "met":
            continue
        if row.evidence.startswith("control:"):
            names = [code for code in CODE.findall(row.evidence) if "::" not in code]
            if not names or not control_exists(names[0]):
                problems.append(f"{row.req_id}: control {names[:1]} not found")
        elif not row.node_ids():
            problems.append(f"{row.req_id}: neither 'control: `...`' nor a pytest node id")
    assert not problems, "\n".join(problems)


def test_every_test_the_map_names_is_collected(collected_node_ids):
    missing = sorted(
        {f"{row.req_id}: {node}" for row in map_rows() for node in row.node_ids() if node not in collected_node_ids}
    )
    assert not missing, "node ids that pytest does not collect:\n" + "\n".join(missing)
