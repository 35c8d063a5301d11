"""The ``customervalue`` command line."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from . import __version__

    parser = argparse.ArgumentParser(prog="customervalue", description="Customer-value analytics.")
    parser.add_argument("--version", action="version", version=f"customervalue {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="write a self-contained HTML report")
    rep.add_argument("--demo", action="store_true", help="use the bundled sample data")
    rep.add_argument(
        "--config",
        metavar="TOML",
        help="a TOML file mapping your CSV/Parquet files and columns to the sections "
        "(schema: python -c 'import customervalue.report_config as c; help(c)')",
    )
    rep.add_argument("--output", "-o", default="report.html", help="where to write the report")
    rep.add_argument("--seed", type=int, default=0, help="seed of the sample data")
    rep.add_argument("--n", type=int, default=5000, help="customers in the sample data")
    rep.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    rep.add_argument(
        "--format",
        choices=["html", "pdf"],
        default="html",
        help="html (default): a self-contained page; pdf: that page printed by headless Chromium, "
        "which must be on PATH (Debian: apt-get install chromium)",
    )
    args = parser.parse_args(argv)
    if args.command == "report":
        if args.demo == (args.config is not None):
            parser.error("pass --demo (the bundled sample data) or --config my.toml (your own files)")
        from .errors import CustomerValueError
        from .report import write_report

        try:
            path = write_report(
                args.output,
                seed=args.seed,
                n=args.n,
                progress=not args.no_progress,
                config=args.config,
                format=args.format,
            )
        except CustomerValueError as e:
            print(f"customervalue report: {type(e).__name__}: {e}", file=sys.stderr)
            return 2
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
