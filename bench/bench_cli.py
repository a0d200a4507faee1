"""Benchmark: how long ``wbk`` commands take as whole processes, against ``python -c pass``.

Each process is run several times (after one untimed warm-up run, so the file cache is warm)
and the median is printed, with the difference to ``python -c pass`` on the same
interpreter: that difference is what wbk itself costs.

- ``python -c pass``: the interpreter alone (site, the editable install's finder);
- ``wbk --help``: the command list (every command's one-line help);
- ``wbk score FILE.csv``: an answers CSV (``code,answer``, every LKE item) scored against the
  shipped catalog and printed as tables;
- ``wbk portfolio --unit ROOT --json``: 5,000 units on PostgreSQL (the builder of
  bench_portfolio.py, a throwaway server from tests/integration/pg.py).

Targets (whole process, wall clock, on the 2-core reference machine): ``wbk --help`` < 0.3 s,
``wbk score FILE.csv`` < 0.5 s, ``wbk portfolio --json`` at 5,000 units < 2 s. The exit status
is 1 when a target is missed. Not part of the test suite; run it by hand:

    .venv/bin/python bench/bench_cli.py [--runs N] [--units N] [--no-portfolio] [--code DIR]

The ``wbk`` run is the console script next to the interpreter, with this checkout (or
``--code DIR``) first on PYTHONPATH. Timings on a busy machine are noisy: the load average
is printed with them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))

TARGETS = {"help": 0.3, "score": 0.5, "portfolio": 2.0}
YEAR = 2026


def wbk_executable() -> list[str]:
    script = Path(sys.executable).with_name("wbk")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from wbk.cli import app; sys.exit(app())"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    cmd: list[str], env: dict[str, str], runs: int, warm_up: bool = True
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of ``runs`` runs of ``cmd`` (after one
    untimed warm-up run unless ``warm_up`` is False). The CPU time of the process itself
    (not of a database server) is less disturbed by other work on the machine than the wall
    clock."""
    wall, cpu = [], []
    skip = 1 if warm_up else 0
    for i in range(runs + skip):
        cpu_before = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(
                f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr.decode()[-2000:]}"
            )
        if i >= skip:
            wall.append(elapsed)
            cpu.append(_children_cpu() - cpu_before)
    return wall, cpu


def answers_csv(path: Path) -> Path:
    """Every item of the shipped catalog answered (options alternate, ratios and indices
    mid-range): the file ``wbk score`` reads."""
    from wbk.catalog import load_catalog

    catalog = load_catalog()
    lines = ["code,answer"]
    for i, (code, item) in enumerate(catalog.items.items()):
        scale = item.scale
        if scale.kind == "option":
            lines.append(f"{code},{scale.options[i % len(scale.options)].key}")
        elif scale.kind == "ratio":
            lines.append(f"{code},{60 + i % 40}%")
        else:
            lines.append(f"{code},{(scale.minimum + scale.maximum) / 2}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def portfolio_database(n_units: int, workdir: Path):
    """A throwaway PostgreSQL server with ``n_units`` units below ROOT; returns the server
    (stop it) and the workspace's environment, or None without PostgreSQL binaries."""
    import importlib.util

    from sqlalchemy import create_engine, text

    from tests.integration.pg import PgServer, find_pg_bin
    from wbk.services.core.workspace import open_workspace
    from wbk.settings import Settings

    bin_dir = find_pg_bin()
    if bin_dir is None:
        return None
    spec = importlib.util.spec_from_file_location(
        "bench_portfolio", ROOT_DIR / "bench" / "bench_portfolio.py"
    )
    bench_portfolio = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_portfolio)
    server = PgServer(bin_dir)
    try:
        base = server.start()
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench_cli"))
        admin.dispose()
        url = base.rsplit("/", 1)[0] + "/bench_cli"
        data = workdir / "portfolio"
        ws = open_workspace(Settings(data_dir=data, database_url=url))
        start = time.perf_counter()
        bench_portfolio.populate(ws, n_units)
        ws.db.dispose()
        with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))  # settled, as a database in use would be
        print(f"(portfolio: {n_units} units loaded in {time.perf_counter() - start:.0f} s)")
    except BaseException:
        server.stop()
        raise
    return server, {"WBK_DATA_DIR": str(data), "WBK_DATABASE_URL": url}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (median)")
    parser.add_argument("--units", type=int, default=5000, help="units in the portfolio")
    parser.add_argument("--no-portfolio", action="store_true", help="skip wbk portfolio")
    parser.add_argument(
        "--code",
        type=Path,
        default=ROOT_DIR,
        help="the checkout whose wbk is run (default: this one), e.g. an older one to compare",
    )
    args = parser.parse_args()
    if (ROOT_DIR / "criteria").is_dir():  # this process (the CSV, the data): this checkout's
        os.environ.setdefault("WBK_CRITERIA_DIR", str(ROOT_DIR / "criteria"))

    code = args.code.resolve()
    env = {**os.environ, "PYTHONPATH": str(code)}
    if (code / "criteria").is_dir():  # the checkout's own catalogs, whatever is installed
        env["WBK_CRITERIA_DIR"] = str(code / "criteria")
    env.pop("WBK_DATABASE_URL", None)
    wbk = wbk_executable()
    medians: dict[str, float] = {}
    cpu_medians: dict[str, float] = {}
    rows: list[tuple[str, str, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="wbk-bench-cli-") as tmp:
        workdir = Path(tmp)
        env["WBK_DATA_DIR"] = str(workdir / "empty")
        csv = answers_csv(workdir / "answers.csv")
        cases = [
            ("pass", "python -c pass", [sys.executable, "-c", "pass"], env),
            ("help", "wbk --help", [*wbk, "--help"], env),
            ("score", "wbk score FILE.csv", [*wbk, "score", str(csv)], env),
        ]
        server = None
        try:
            # the light commands first, before a database server runs beside them
            for key, label, cmd, case_env in cases:
                times, cpu = timed(cmd, case_env, args.runs)
                medians[key] = statistics.median(times)
                cpu_medians[key] = statistics.median(cpu)
                rows.append((key, label, times))
            if not args.no_portfolio:
                made = portfolio_database(args.units, workdir)
                if made is None:
                    print("PostgreSQL server binaries not found: skipping wbk portfolio")
                else:
                    server, pg_env = made
                    cmd = [*wbk, "portfolio", "--unit", "ROOT", "--year", str(YEAR), "--json"]
                    label = f"wbk portfolio --json ({args.units} units, PostgreSQL)"
                    # the first read scores every assessment and keeps the figures; the timed
                    # runs read them back (each assessment's answers unchanged)
                    first, _ = timed(cmd, {**env, **pg_env}, 1, warm_up=False)
                    print(f"(portfolio: first read, scoring all and keeping: {first[0]:.3f} s)")
                    times, cpu = timed(cmd, {**env, **pg_env}, args.runs)
                    medians["portfolio"] = statistics.median(times)
                    cpu_medians["portfolio"] = statistics.median(cpu)
                    rows.append(("portfolio", label, times))
        finally:
            if server is not None:
                server.stop()

    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cores")
    print(f"median of {args.runs} runs (after a warm-up run): wall clock, then CPU of the process")
    base = medians["pass"]
    missed = []
    for key, label, times in rows:
        spread = f"min {min(times):.3f} max {max(times):.3f}"
        line = f"{label:55s} {medians[key]:6.3f} s  ({spread}), CPU {cpu_medians[key]:.3f} s"
        if key != "pass":
            line += f"  +{medians[key] - base:.3f} s over python -c pass"
            target = TARGETS[key]
            ok = medians[key] < target
            line += f"  target < {target} s: {'met' if ok else 'MISSED'}"
            if not ok:
                missed.append(label)
        print(line)
    if missed:
        print("missed: " + "; ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
