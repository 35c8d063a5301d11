"""The ``customervalue`` command line."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="customervalue", description="Customer-value analytics.")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="write a self-contained HTML report")
    rep.add_argument("--demo", action="store_true", help="use the bundled sample data")
    rep.add_argument("--output", "-o", default="report.html", help="where to write the report")
    rep.add_argument("--seed", type=int, default=0, help="seed of the sample data")
    rep.add_argument("--n", type=int, default=5000, help="customers in the sample data")
    rep.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)
    if args.command == "report":
        if not args.demo:
            parser.error("only --demo is available so far: pass --demo")
        from .report import write_report

        path = write_report(args.output, seed=args.seed, n=args.n, progress=not args.no_progress)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
