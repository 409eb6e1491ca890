"""Drawing a Value graph to a file, falling back to the Graphviz source if nothing renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def draw_graph(root: Any, out_dir: Path, stem: str, fmt: str = "svg") -> Path:
    """Render the graph that produced ``root`` to ``out_dir/stem.fmt``, or write ``stem.dot``.

    The .dot fallback is used when no Graphviz renderer is installed (neither ``dot`` on
    PATH nor pygraphviz); the message says how to render it elsewhere.
    """
    from autograd import viz

    target = Path(out_dir) / f"{stem}.{fmt}"
    try:
        path = Path(viz.render(root, target))
    except (RuntimeError, OSError, ImportError) as err:
        path = target.with_suffix(".dot")
        path.write_text(viz.draw(root).source)
        print(f"  no Graphviz renderer available ({err}); wrote the graph's source instead:")
        print(f"    {path}  (render it with: dot -T{fmt} {path.name} -o {target.name})")
        return path
    print(f"  wrote {path}")
    return path
