"""`chaincut gangs`: the gangs behind the reports, with members' roles and evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    EngineOption,
    HomeOption,
    JsonOption,
    app,
    console,
    fail,
    settings_from,
)
from chaincut.model.money import fmt_yuan, to_cents

# the lake engine, Splink and the store are imported inside the command (start-up time)
if TYPE_CHECKING:
    from chaincut.gangs import Analysis, Evidence, Gang
    from chaincut.settings import Settings


@app.command("gangs")
def gangs(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write one JSON object per gang to FILE.jsonl.", show_default=False
        ),
    ] = None,
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            help="Only the gang of report R.",
            show_default=False,
        ),
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Run the analysis even where the saved one is current for the lake and the "
            "analyst's judgements (by default it answers from the saved one).",
        ),
    ] = False,
    ftm: Annotated[
        Path | None,
        typer.Option(
            "--ftm",
            help="Export the gangs as FollowTheMoney JSON lines to FILE.",
            show_default=False,
        ),
    ] = None,
    evaluate: Annotated[
        Path | None,
        typer.Option(
            "--evaluate",
            help="Judge the gangs against a world's truth in DIR "
            "(a simulator or foreign world folder).",
            show_default=False,
        ),
    ] = None,
    json_out: JsonOption = False,
    home: HomeOption = None,
    engine: EngineOption = None,
) -> None:
    """Find the gangs behind the reports (全链条打击): reports linked through traced money,
    shared accounts, numbers, handsets and registrations; people resolved across sources; each
    member's role (financier, core member, operator, card dealer, launderer, mule, recruiter,
    logistics) with its confidence and evidence. Answers from the last analysis where it is
    current (no import and no judgement or hand-filled case since; --ftm and --evaluate
    too), else runs it; --rebuild always runs it. See docs/gangs.md."""
    settings = settings_from(home, engine)
    if not settings.lake_path.exists():
        fail(f"no lake in {settings.home}", code=EXIT_BAD_INPUT,
             hint="import data first: chaincut import DIR --home HOME")  # fmt: skip
    if ftm is not None:
        _need_ftm()  # before the analysis: it takes minutes, and then the export failed
    if out is not None and out.suffix.lower() not in (".jsonl", ".json", ".ndjson"):
        fail(f"cannot write {out}: unknown extension", code=EXIT_BAD_INPUT,
             hint="use --out FILE.jsonl")  # fmt: skip
    reports, ran, objects, evidence = _gangs_of(settings, rebuild, ftm, evaluate)
    if report is not None:
        objects = [o for o in objects if report in o["reports"]]
        if not objects:
            _no_gang(settings, report)
    from chaincut.gangs.summary import with_boxes

    # (added: `boxes`, and `box` on the operator lines and handsets folded under one)
    objects = [with_boxes(o) for o in objects]
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for o in objects:
                fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    if ftm is not None and evidence is not None:
        _ftm(ran, evidence, ftm)
    figures = _evaluate(ran, evaluate) if evaluate is not None else None
    if json_out:
        for o in objects:
            typer.echo(json.dumps(o, ensure_ascii=False))
        if figures is not None:
            typer.echo(json.dumps({"evaluation": figures}, ensure_ascii=False))
        return
    if reports:  # (else it said why there are none: no table of no gangs)
        _show(objects)
        _show_cases(settings, objects)
    if figures is not None:
        console.print_json(json.dumps(figures))


def _gangs_of(
    settings: Settings, rebuild: bool, ftm: Path | None, evaluate: Path | None
) -> tuple[int, list[Gang], list[dict[str, Any]], Evidence | None]:
    """The lake's reports, the gangs the export and the evaluation read, the gangs as
    `Gang.json` gives them and the evidence the export reads: from the saved analysis where it
    is current (a run takes minutes; the export reads its gangs and the evidence kept in the
    link graph saved with them), else from a run."""
    from chaincut.lake.stats import report_count

    reports = report_count(settings)
    found = None if rebuild or not reports else _saved_gangs(settings)
    evidence = _saved_evidence(settings) if found is not None and ftm is not None else None
    ran: list[Gang]
    if not reports:
        # (a lake of transactions alone, as the AMLworld sample imports: the analysis ran for
        # minutes to find nothing and said only "0 gangs")
        typer.echo(f"the lake of {settings.home} holds no reports: no gangs to find (a gang is "
                   "grouped around the fraud reports its money and contacts link; import a "
                   "reports table, docs/data-format.md)", err=True)  # fmt: skip
        from chaincut.gangs import Evidence

        return reports, [], [], Evidence()
    if found is None or (ftm is not None and evidence is None):
        analysis, evidence = _analyse(settings)
        return reports, analysis.gangs, [g.json() for g in analysis.gangs], evidence
    from chaincut.gangs.persist import as_gangs

    ran = as_gangs(found) if ftm is not None or evaluate is not None else []
    return reports, ran, [{k: g[k] for k in _JSON_KEYS if k in g} for g in found], evidence


def _no_gang(settings: Settings, report: str) -> NoReturn:
    """Exit saying why `report` has no gang: the lake holds no such report (a typo: `chaincut
    stats` lists no ids, so the error says where to look), or it links to no other report."""
    from chaincut.lake.engine import EngineError, get_engine
    from chaincut.lake.readers.events import report_row

    try:
        with get_engine(settings) as lake:
            known = report_row(lake, report) is not None
    except EngineError as error:
        fail(str(error))
    if not known:
        fail(f"no report {report!r} in the lake of {settings.home}", code=EXIT_BAD_INPUT,
             hint="report ids are those of the reports table you imported (its report_id "
             "column); ids match exactly, case included")  # fmt: skip
    fail(f"report {report!r} is in no gang", code=EXIT_BAD_INPUT,
         hint="a report whose traced money, contacts and accounts link to no other report "
         "forms no gang (docs/gangs.md)")  # fmt: skip


def _analyse(settings: Settings) -> tuple[Analysis, Evidence]:
    """The gangs of the lake, the analyst's judgements applied, saved in the home."""
    from chaincut.gangs import analyse, collect, persist
    from chaincut.gangs.people import Judgement
    from chaincut.lake.engine import EngineError, get_engine
    from chaincut.store import gang as gang_store
    from chaincut.store import open_store

    with open_store(settings.resolved_store_url) as store, store.session(readonly=True) as s:
        said = [Judgement(j.person_a, j.person_b, j.same) for j in gang_store.judgements(s)]
        cases = gang_store.cases_by_gang(s)
        by_hand = gang_store.analyst_cases(s)
    try:
        with get_engine(settings) as lake:
            evidence = collect(lake)
            generation = lake.generation()
    except EngineError as error:
        fail(str(error))
    inputs = persist.inputs_key(((j.a, j.b, j.same) for j in said), by_hand)
    analysis = analyse(evidence, said, cases=by_hand)
    if cases:  # the cases opened from gangs follow the gangs (docs/gangs.md)
        from chaincut.lake.readers.events import report_row
        from chaincut.services.gangs import keep_cases_current

        details = [g.detail() for g in analysis.gangs]
        with (
            open_store(settings.resolved_store_url) as store,
            store.session() as s,
            get_engine(settings) as lake,
        ):  # (a report joining the gang from the lake is registered in the store)
            keep_cases_current(s, details, "chaincut gangs", lambda r: report_row(lake, r))
            s.commit()
            cases = gang_store.cases_by_gang(s)
    for g in analysis.gangs:
        g.cases = sorted(set(cases.get(g.gang_id, [])) | set(g.cases))
    persist.save(settings.home, [g.detail() for g in analysis.gangs])
    _save_graph(settings, analysis, evidence, generation)
    persist.save_inputs(settings.home, generation, inputs)  # (last: the others are current)
    return analysis, evidence


#: the keys of `Gang.json` (the saved gangs add `victims`, `span` and a live join's `joined`)
_JSON_KEYS = ("gang_id", "reports", "cases", "members", "money", "dens", "related", "stability",
              "firmness")  # fmt: skip


def _saved_gangs(settings: Settings) -> list[dict[str, Any]] | None:
    """The gangs of the last run (`persist`, with the live joins since) as `Gang.detail`
    gives them, the cases opened since listed, when they are current: the link graph saved with
    them is of the lake's generation (no import since) and the analyst's person judgements
    and hand-filled cases are those the run read (`persist.inputs_key`; for a home analysed
    before they were recorded: no judgement since the run). Else None, having said why on
    stderr (the caller runs the analysis)."""
    from chaincut.gangs import persist
    from chaincut.gangs.saved import graph_path
    from chaincut.lake.engine import EngineError, get_engine
    from chaincut.store import gang as gang_store
    from chaincut.store import open_store
    from chaincut.store.types import as_utc

    found = persist.load(settings.home)
    saved_at = persist.gangs_path(settings.home)
    why = None
    if found is None:
        why = "no analysis saved in the home"
    else:
        kept = _saved_generation(settings.home)
        try:
            with get_engine(settings) as lake:
                now = lake.generation()
        except EngineError as error:
            fail(str(error))
        if kept is None:
            why = "no link graph saved with it, to say which data it read"
        elif kept != now:
            why = "the lake changed since the last run (an import)"
        elif quick := persist.provisional(settings.home):
            why = (f"reports joined by the quick path since the last run: {len(quick)}, "
                   f"{quick[0]} first")  # fmt: skip
    if why is None:
        read = persist.load_inputs(settings.home)
        with open_store(settings.resolved_store_url) as store, store.session(readonly=True) as s:
            said = gang_store.judgements(s)
            if read is not None:
                key = persist.inputs_key(((j.person_a, j.person_b, j.same) for j in said),
                                         gang_store.analyst_cases(s))  # fmt: skip
                if key != read[1]:
                    why = "an analyst judged two persons or filled a case since the last run"
                elif (code := persist.load_code(settings.home)) and code != persist.code_key():
                    why = "chaincut's analysis or its models changed since the last run"
            else:  # (the graph's base is written by a run only; a live join adds to its journal)
                run_at = datetime.fromtimestamp(graph_path(settings.home).stat().st_mtime, UTC)
                if any(as_utc(j.judged_at) > run_at for j in said):
                    why = "an analyst judged two persons since the last run"
            cases = gang_store.cases_by_gang(s)
    if why is not None or found is None:
        typer.echo(f"the saved analysis is not current ({why}): running the analysis", err=True)
        return None
    made = datetime.fromtimestamp(saved_at.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
    typer.echo(f"from the saved analysis of {made} ({saved_at}, current for the lake and the "
               "analyst's judgements; --rebuild runs it again)", err=True)  # fmt: skip
    for g in found:
        g["cases"] = sorted(set(g.get("cases", [])) | set(cases.get(g["gang_id"], [])))
    return found


def _saved_evidence(settings: Settings) -> Evidence | None:
    """The evidence the saved analysis read (kept in its link graph, the live joins since
    applied), for the export; None where it cannot be read (the caller runs the analysis)."""
    from chaincut.gangs.saved import load_graph

    try:
        graph = load_graph(settings.home)
    except (OSError, ValueError, KeyError, TypeError, EOFError) as error:
        typer.echo(f"the saved link graph cannot be read ({error}): running the analysis",
                   err=True)  # fmt: skip
        return None
    if graph is None:
        typer.echo("no link graph saved with the analysis: running the analysis", err=True)
        return None
    return graph.evidence


def _saved_generation(home: Path) -> int | None:
    """The lake generation of the link graph saved with the gangs, read from its head (the
    file is megabytes; `saved.save_graph` writes the generation second); None without one."""
    import gzip
    import re

    from chaincut.gangs.saved import VERSION, graph_path

    try:
        with gzip.open(graph_path(home), "rt", encoding="utf-8") as fh:
            head = fh.read(200)
    except OSError:
        return None
    found = re.match(r'\{"version": (\d+), "generation": (\d+)', head)
    if found is None or int(found[1]) != VERSION:
        return None
    return int(found[2])


def _save_graph(
    settings: Settings, analysis: Analysis, evidence: Evidence, generation: int
) -> None:
    """Keep the link graph beside the gangs, so that a report filed later joins its gang live
    (`chaincut.gangs.incremental.live_join`, docs/gangs.md How it works 5)."""
    from chaincut.gangs.community import communities
    from chaincut.gangs.saved import SavedGraph, save_graph

    weights, groups = analysis.weights, analysis.grouping
    if not weights or analysis.seed != 0:  # (grouped on another seed: the saved graph's is 0)
        weights = analysis.graph.weighted()
        groups = communities(weights)  # (the grouping before `analyse` placed idle cards)
    save_graph(settings.home, SavedGraph(generation, evidence, analysis.links, groups, weights))


def _need_ftm() -> None:
    """Fail, saying what to install, where the optional `followthemoney` package is missing
    (`make demo` installs chaincut without its extras; round eleven's new-user run got a
    traceback after the whole analysis)."""
    try:
        import followthemoney  # noqa: F401
    except ImportError:
        fail(
            "--ftm needs the optional followthemoney package, which is not installed",
            hint="pip install 'chaincut[ftm]' (in a checkout: .venv/bin/pip install -e '.[ftm]')",
        )


def _ftm(gangs: list[Gang], evidence: Evidence, path: Path) -> None:
    from chaincut.gangs.ftm import write_ftm

    write_ftm(gangs, evidence, path)


def _evaluate(gangs: list[Gang], folder: Path) -> dict[str, Any]:
    from chaincut.gangs.evaluate import (
        account_holders,
        evaluate,
        read_truth,
        recorded_accounts,
        recorded_persons,
    )

    try:
        truth = read_truth(folder)
        return evaluate(gangs, truth, seen=recorded_persons(folder),
                        recorded=recorded_accounts(folder), holders=account_holders(folder))  # fmt: skip
    except FileNotFoundError as error:
        fail(str(error), code=EXIT_BAD_INPUT)


def _show(objects: list[dict[str, Any]]) -> None:
    from chaincut.gangs.summary import count_lines

    title = f"{len(objects)} gang" + ("" if len(objects) == 1 else "s")
    # a stop holds what may be the victims' money on each account it hits, so accounts one
    # after another on a chain hold the same yuan twice: stopped can exceed reported
    caption = ("stopped: what the emergency stops trace --all issues for the gang's reports "
               "hold (overlapping along a chain, so it can exceed reported)")  # fmt: skip
    # no vertical rules, and each gang a block of lines (its id over its stability, one role
    # a line, one amount a line): the table fits 80 characters (a pipe, a log file) with every
    # id, role and amount whole
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)  # fmt: skip
    widest = max([len(o["gang_id"]) for o in objects] + [len("stability 0.00")])
    # a gang id cut to "GANG-F…" cannot be typed into --report, /v1/gangs/{id} or a search
    table.add_column("gang", no_wrap=True, min_width=widest)
    table.add_column("reports", no_wrap=True)
    table.add_column("members by role", no_wrap=True)
    table.add_column("money", no_wrap=True)
    for o in objects:
        amounts = {k: _yuan(o["money"][k]) for k in ("reported", "stopped", "exited")}
        digits = max(len(a) for a in amounts.values())
        table.add_row(
            f"{escape(o['gang_id'])}\n[dim]stability {o['stability']:.2f}[/dim]",
            str(len(o["reports"])),
            "\n".join(_folded(count_lines(o["members"], o.get("boxes", ())))),
            "\n".join(f"{k:8} {a:>{digits}}" for k, a in amounts.items()),
        )
    console.print(table)


def _folded(lines: list[str]) -> list[str]:
    """A box's line over two ("  box 860239971152775" over "    24 SIMs, 176 handsets"): on one
    it is the widest line of the table, and past 80 columns (a terminal, a pipe) Rich cut the
    money column's amounts short without a mark (a new user's run on a small world, round 13)."""
    out: list[str] = []
    for line in lines:
        head, sep, tail = line.partition(": ")
        if sep and line.startswith(("  box ", "  phones ")):
            out += [head, "    " + tail]
        else:
            out.append(line)
    return out


def _show_cases(settings: Settings, objects: list[dict[str, Any]]) -> None:
    """The gangs' cases with their figures as the case's page gives them (`cases.get_case`:
    the counts from its suspects and the amount frozen from its reports' open orders where
    the case follows the gang), so that the three say the same."""
    tied = [(o["gang_id"], c) for o in objects for c in o.get("cases", [])]
    if not tied:
        return
    from chaincut.services import cases
    from chaincut.store import open_store
    from chaincut.store.errors import NotFound

    table = Table(title="cases", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  collapse_padding=True)  # fmt: skip
    table.add_column("case", no_wrap=True)
    table.add_column("caught / at large", no_wrap=True)
    table.add_column("money", no_wrap=True)
    with open_store(settings.resolved_store_url) as store, store.session(readonly=True) as s:
        for gang_id, case_id in tied:
            try:
                c = cases.get_case(s, case_id)
            except NotFound:
                continue
            amounts = {"involved": c.amount_involved, "frozen": c.amount_frozen,
                       "seized": c.amount_seized, "returned": c.amount_returned}  # fmt: skip
            said = {k: fmt_yuan(to_cents(v)) for k, v in amounts.items()}
            digits = max(len(a) for a in said.values())
            table.add_row(
                f"{escape(case_id)} ({c.status.value})\n[dim]{escape(gang_id)}[/dim]",
                f"financiers   {c.financiers_caught} / {c.financiers_at_large}\n"
                f"core members {c.core_members_caught} / {c.core_members_at_large}",
                "\n".join(f"{k:8} {a:>{digits}}" for k, a in said.items()),
            )
    console.print(table)


def _yuan(amount: str) -> str:
    """A JSON amount ("80810.97") for people ("¥80,810.97")."""
    return fmt_yuan(to_cents(Decimal(amount)))
