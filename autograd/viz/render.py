"""Turning DOT source into SVG or PNG: ``dot`` on PATH, else the Graphviz inside pygraphviz."""

from __future__ import annotations

import os
import shutil

import graphviz

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}


class RendererNotFoundError(RuntimeError):
    """Neither the ``dot`` program nor pygraphviz is available."""


def _no_renderer() -> RendererNotFoundError:
    return RendererNotFoundError(
        "no Graphviz renderer found: pygraphviz (a provengrad dependency whose wheels bundle "
        "Graphviz) does not import and `dot` is not on PATH; `pip install pygraphviz`, or "
        "install Graphviz so that `dot` is on PATH. "
        "The DOT source is available without a renderer: autograd.viz.draw(root).source"
    )


def to_bytes(source: str, fmt: str) -> bytes:
    """Lay out ``source`` with dot and return the image in ``fmt`` ('svg', 'png', 'pdf')."""
    if shutil.which("dot"):
        return graphviz.pipe("dot", fmt, source.encode())
    try:
        import pygraphviz
    except ImportError:
        raise _no_renderer() from None
    return pygraphviz.AGraph(string=source).draw(format=fmt, prog="dot")


def write(source: str, path: str | os.PathLike[str]) -> str:
    """Write the image of ``source`` to ``path``, the format chosen by its suffix."""
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"render: cannot tell the format from {path!r}; use one of the suffixes "
            f"{', '.join(FORMATS)}"
        )
    data = to_bytes(source, FORMATS[suffix])
    with open(path, "wb") as f:
        f.write(data)
    return path


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that shows itself in Jupyter even without ``dot`` on PATH."""

    def _repr_image_svg_xml(self) -> str:
        return to_bytes(self.source, "svg").decode("utf-8")

    def _repr_image_png(self) -> bytes:
        return to_bytes(self.source, "png")
