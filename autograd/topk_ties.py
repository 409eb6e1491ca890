"""Which entries PyTorch's CPU ``topk`` picks when values tie at the cut.

``torch.topk(v, k)`` on the CPU chooses the k entries with a selection algorithm from the C++
standard library (GCC's): a partial heap sort when ``64 * k <= n``, otherwise introselect
(quickselect with median-of-three pivots, insertion sort for the last few, a heap select if
the recursion gets too deep). The comparison looks at values only, so among equal values at
the cut the entries chosen depend on those algorithms' steps. ``topk_index_set`` gives the
same set: directly (numpy) when no tie straddles the cut, and otherwise by running the same
steps here. NaN counts as larger than every number, as in torch.

Pruning (``nn.utils.prune``) uses this so that its masks are torch's, ties included.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["topk_index_set"]

_Item = tuple[float, int]
_Less = Callable[[_Item, _Item], bool]


def topk_index_set(values: np.ndarray, k: int, largest: bool = True) -> np.ndarray:
    """Indices (ascending) of the ``k`` entries of ``values`` (flattened) that torch's CPU
    ``topk(k, largest=largest)`` returns."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    n = v.size
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k >= n:
        return np.arange(n)
    nan = np.isnan(v)
    # a lexicographic key, smallest first: (is it NaN, value) or, for largest, (is it a
    # number, -value)
    primary = ~nan if largest else nan
    secondary = np.where(nan, 0.0, -v if largest else v)
    order = np.lexsort((secondary, primary))
    cut = order[k - 1]
    p, s = primary[cut], secondary[cut]
    below = (primary < p) | ((primary == p) & (secondary < s))
    at = (primary == p) & (secondary == s)
    if int(below.sum()) + int(at.sum()) == k:  # no tie straddles the cut
        return np.flatnonzero(below | at)
    return np.sort(np.asarray(_select(v.tolist(), k, largest), dtype=np.int64))


def _select(values: list[float], k: int, largest: bool) -> list[int]:
    """The indices the C++ selection leaves in the first ``k`` places."""

    def greater(a: _Item, b: _Item) -> bool:
        return (math.isnan(a[0]) and not math.isnan(b[0])) or a[0] > b[0]

    def smaller(a: _Item, b: _Item) -> bool:
        return (not math.isnan(a[0]) and math.isnan(b[0])) or a[0] < b[0]

    before = greater if largest else smaller
    items = [(x, i) for i, x in enumerate(values)]
    if k * 64 <= len(items):
        _heap_select(items, 0, k, len(items), before)
    else:
        _introselect(items, 0, k - 1, len(items), before)
    return [i for _, i in items[:k]]


# ----- a binary max-heap (by ``before``) over items[first:first + length] ---------------------
def _sift(items: list, first: int, hole: int, length: int, value: _Item, before: _Less) -> None:
    """Fill the hole at ``hole`` by moving the larger child up all the way down, then put
    ``value`` in the hole left at the bottom and move it up to its place."""
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if before(items[first + child], items[first + child - 1]):
            child -= 1
        items[first + hole] = items[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        items[first + hole] = items[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and before(items[first + parent], value):
        items[first + hole] = items[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    items[first + hole] = value


def _heapify(items: list, first: int, last: int, before: _Less) -> None:
    length = last - first
    for parent in range((length - 2) // 2, -1, -1):
        _sift(items, first, parent, length, items[first + parent], before)


def _heap_select(items: list, first: int, middle: int, last: int, before: _Less) -> None:
    """Leave in items[first:middle] the middle - first items that come first: a heap of
    them, replacing its top by every later item that comes before it."""
    _heapify(items, first, middle, before)
    for i in range(middle, last):
        if before(items[i], items[first]):
            value = items[i]
            items[i] = items[first]
            _sift(items, first, 0, middle - first, value, before)


# ----- introselect ------------------------------------------------------------------------------
def _median_to_first(items: list, result: int, a: int, b: int, c: int, before: _Less) -> None:
    """Swap into ``result`` the median of the items at a, b and c."""
    if before(items[a], items[b]):
        if before(items[b], items[c]):
            pick = b
        elif before(items[a], items[c]):
            pick = c
        else:
            pick = a
    elif before(items[a], items[c]):
        pick = a
    elif before(items[b], items[c]):
        pick = c
    else:
        pick = b
    items[result], items[pick] = items[pick], items[result]


def _partition(items: list, first: int, last: int, pivot: int, before: _Less) -> int:
    """Hoare's partition of items[first:last] around items[pivot] (no bounds checks: the
    median-of-three guarantees sentinels); returns where the second part starts."""
    while True:
        while before(items[first], items[pivot]):
            first += 1
        last -= 1
        while before(items[pivot], items[last]):
            last -= 1
        if first >= last:
            return first
        items[first], items[last] = items[last], items[first]
        first += 1


def _insertion_sort(items: list, first: int, last: int, before: _Less) -> None:
    for i in range(first + 1, last):
        value = items[i]
        if before(value, items[first]):
            items[first + 1 : i + 1] = items[first:i]
            items[first] = value
            continue
        j = i
        while before(value, items[j - 1]):
            items[j] = items[j - 1]
            j -= 1
        items[j] = value


def _introselect(items: list, first: int, nth: int, last: int, before: _Less) -> None:
    """Put at ``nth`` the item a full sort would, with everything before it not after it."""
    depth = 2 * ((last - first).bit_length() - 1)
    while last - first > 3:
        if depth == 0:
            _heap_select(items, first, nth + 1, last, before)
            items[first], items[nth] = items[nth], items[first]
            return
        depth -= 1
        _median_to_first(items, first, first + 1, first + (last - first) // 2, last - 1, before)
        cut = _partition(items, first + 1, last, first, before)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(items, first, last, before)
