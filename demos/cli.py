"""Running a demo from the command line: ``--out`` and ``--quick``, timing, where files went."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

DEFAULT_ROOT = Path("demo_output")


def output_dir(out_dir: str | Path) -> Path:
    """Create ``out_dir`` (and its parents) if needed and return it as a Path."""
    path = Path(out_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def run(
    main: Callable[..., object], name: str, doc: str | None, argv: Sequence[str] | None = None
) -> Path:
    """Parse ``--out`` / ``--quick``, call ``main(out_dir, quick=...)``, report the folder."""
    summary = (doc or "").strip().splitlines()[0] if doc else None
    parser = argparse.ArgumentParser(
        prog="python -m demos" if name == "flagship" else f"python -m demos.{name}",
        description=summary,
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_ROOT / name,
        help=f"folder for the pictures (default: {DEFAULT_ROOT / name})",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small settings: a few seconds, rougher pictures"
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    start = time.perf_counter()
    main(args.out, quick=args.quick)
    elapsed = time.perf_counter() - start
    print(f"\nDone in {elapsed:.1f} s. Output folder: {Path(args.out).resolve()}")
    return Path(args.out)
