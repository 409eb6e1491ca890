"""Drawing computation graphs: ``draw`` (a graphviz.Digraph) and ``render`` (an SVG/PNG file).

Rendering uses the ``dot`` program when it is on PATH, else the Graphviz bundled in the
pygraphviz wheel (a dependency, so a plain ``pip install provengrad`` renders). The DOT source
never needs either.
"""

from __future__ import annotations

import os
from typing import Any

import graphviz

from . import render as _render
from .draw import draw, retain_grads
from .explore import Explorer, explore
from .render import Drawing, RendererNotFoundError

__all__ = [
    "Drawing",
    "Explorer",
    "RendererNotFoundError",
    "draw",
    "explore",
    "render",
    "retain_grads",
]


def render(root: Any, path: str | os.PathLike[str], **draw_options: Any) -> str:
    """Draw ``root`` (or take an existing Digraph) and write it to ``path``; returns the path.

    The suffix picks the format: .svg, .png or .pdf. ``draw_options`` go to ``draw``.
    """
    if isinstance(root, (graphviz.Digraph, graphviz.Graph, graphviz.Source)):
        if draw_options:
            raise TypeError(
                f"render: draw options {sorted(draw_options)} cannot apply to an existing drawing"
            )
        source = root.source
    else:
        source = draw(root, **draw_options).source
    return _render.write(source, path)
