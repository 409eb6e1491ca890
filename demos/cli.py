"""Running a demo from the command line: ``--out`` and ``--quick``, timing, where files went.

Kept light (no numpy, matplotlib or scikit-learn), so that ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

DEFAULT_ROOT = Path("demo_output")


def output_dir(out_dir: str | Path) -> Path:
    """Create ``out_dir`` (and its parents) if needed and return it as a Path."""
    path = Path(out_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def plain(text: str) -> str:
    """Docstring text for a terminal: ``code`` markup becomes plain code."""
    return re.sub(r"``(.+?)``", r"\1", text)


def summary_of(name: str) -> str:
    """The first line of demo ``name``'s docstring, read from its source without importing
    it (importing a demo loads matplotlib and more)."""
    source = (Path(__file__).parent / f"{name}.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source)) or ""
    return plain(doc.strip().splitlines()[0]) if doc.strip() else ""


def demo_list(width: int = 100) -> str:
    """Every demo's name with its one-line summary, for ``python -m demos --help``."""
    from demos import STORIES

    pad = max(len(n) for n in STORIES) + 4
    lines = ["python -m demos.NAME runs one more demo (same --out and --quick); NAME is one of:"]
    for name in STORIES:
        lines += textwrap.wrap(
            summary_of(name),
            width,
            initial_indent=f"  {name:<{pad - 2}}",
            subsequent_indent=" " * pad,
        )
    return "\n".join(lines)


def run(
    main: Callable[..., object], name: str, doc: str | None, argv: Sequence[str] | None = None
) -> Path:
    """Parse ``--out`` / ``--quick``, call ``main(out_dir, quick=...)``, report the folder.

    ``--help`` shows ``doc`` (the demo's docstring) without its markup; the flagship's
    also lists every demo.
    """
    parser = argparse.ArgumentParser(
        prog="python -m demos" if name == "flagship" else f"python -m demos.{name}",
        description=plain(textwrap.dedent(doc or "").strip()) or None,
        epilog=demo_list() if name == "flagship" else "python -m demos --help lists every demo.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
