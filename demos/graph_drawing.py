"""Drawing a computation graph to a file, falling back to the Graphviz source if nothing renders;
and writing its interactive explorer page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autograd import viz


def draw_graph(root: Any, out_dir: Path, stem: str, fmt: str = "svg", **draw_options: Any) -> Path:
    """Render the graph that produced ``root`` to ``out_dir/stem.fmt``, or write ``stem.dot``.

    The .dot fallback is used when no Graphviz renderer is installed (neither ``dot`` on
    PATH nor pygraphviz); the message says how to render it elsewhere. ``draw_options``
    go to ``autograd.viz.draw`` (e.g. ``module=`` to name parameters).
    """
    target = Path(out_dir) / f"{stem}.{fmt}"
    try:
        path = Path(viz.render(root, target, **draw_options))
    except viz.RendererNotFoundError as err:
        path = target.with_suffix(".dot")
        path.write_text(viz.draw(root, **draw_options).source)
        print(f"  {err}\n  Wrote the graph's Graphviz source instead: {path}")
        print(f"  (render it elsewhere with: dot -T{fmt} {path.name} -o {target.name})")
        return path
    print(f"  wrote {path}")
    return path


def explore_graph(root: Any, out_dir: Path, stem: str, **options: Any) -> Path | None:
    """Write the explorer page of ``root``'s graph to ``out_dir/stem.html`` (call it before
    ``backward()``: it runs its own). Returns None, with a message, when nothing can lay
    the graph out (no Graphviz renderer). ``options`` go to ``autograd.viz.explore``."""
    target = Path(out_dir) / f"{stem}.html"
    try:
        viz.explore(root, target, **options)
    except viz.RendererNotFoundError as err:
        print(f"  {err}\n  No explorer page written.")
        return None
    print(f"  wrote {target} (open it in a browser: step through forward and backward)")
    return target
