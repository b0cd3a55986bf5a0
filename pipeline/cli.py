"""The command line: `python -m pipeline [--no-cache] [--out DIR] [NAME ...]` builds values
and figures without MkDocs; `python snippets/<topic>/<stem>.py` runs one snippet."""
import argparse
import json
import time
from pathlib import Path

from pipeline.building import build, status_line
from pipeline.discovery import name_of
from pipeline.paths import ROOT
from pipeline.records import is_table, value_records
from pipeline.running import run


def show(file):
    """Run the snippet at `file`, print its values, write its figures under build/figures/."""
    from snippets.lib import fmt

    result = run(name_of(file))
    print(f"{result.title}  ({result.path}, {result.seconds:.2f} s)\n")
    width = max((len(k) for k in result.values), default=0)
    for key, value in result.values.items():
        if is_table(value):
            print(f"{key:<{width}}  table of {len(value)} rows:")
            for row in value:
                print(" " * (width + 4) + " | ".join(fmt.text(v) if v is not None else "" for v in row.values()))
        else:
            print(f"{key:<{width}}  {fmt.text(value)}")
    for path in write_figures({result.name: result}, ROOT / "build" / "figures"):
        print(f"figure: {path.relative_to(ROOT)}")


def write_figures(results, out_dir):
    """Write every figure as <out_dir>/<snippet>/<id>.<theme>.svg; return the paths."""
    paths = []
    for result in results.values():
        for fig in result.figures.values():
            for theme, svg in fig.svg.items():
                path = Path(out_dir) / result.name / f"{fig.id}.{theme}.svg"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(svg, encoding="utf-8")
                paths.append(path)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="snippets to build, as <topic>_<stem> (default: all)")
    parser.add_argument("--no-cache", action="store_true", help="run every snippet afresh")
    parser.add_argument("--out", default=str(ROOT / "build"), help="output folder")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    results = build(args.names or None, use_cache=not args.no_cache)
    for result in results.values():
        print(status_line(result))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    records = value_records(results)
    (out / "values.json").write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    figures = write_figures(results, out / "figures")
    print(f"{len(records)} values and {len(figures)} figure files in {out} ({time.perf_counter() - start:.1f} s)")
