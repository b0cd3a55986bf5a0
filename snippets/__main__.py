"""`python -m snippets [--no-cache] [--out DIR] [NAME ...]`: build values and figures.

Runs every snippet (or the named ones) without MkDocs, reports ran or cached and how
long, and writes `values.json` and the figures under DIR (default `build/`).
"""
import argparse
import json
import time

from snippets import _engine


def main():
    parser = argparse.ArgumentParser(prog="python -m snippets", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="snippets to build (default: all)")
    parser.add_argument("--no-cache", action="store_true", help="run every snippet afresh")
    parser.add_argument("--out", default=str(_engine.ROOT / "build"), help="output folder")
    args = parser.parse_args()

    start = time.perf_counter()
    results = _engine.build(args.names or None, use_cache=not args.no_cache)
    for result in results.values():
        print(_engine.status_line(result))
    out = _engine.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    records = _engine.value_records(results)
    (out / "values.json").write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    figures = _engine.write_figures(results, out / "figures")
    print(f"{len(records)} values and {len(figures)} figure files in {out} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
