"""Input checks shared by every module.

Each check raises ``ValueError`` with a message that names the argument, says what was
expected and shows what came, for example::

    W: expected shape (3, 4) to match A_prev with 4 rows, got (3, 5)
    X: expected finite values, got nan at index (1, 0)

A reader who passes a wrong array should learn from the message alone what to fix.
"""

from collections.abc import Iterable, Sequence

import numpy as np


def _format_index(index) -> str:
    """Format an array index as ``(1, 0)`` with plain ints (not ``np.int64(1)``)."""
    return "(" + ", ".join(str(int(i)) for i in index) + (",)" if len(index) == 1 else ")")


def _format_number(value) -> str:
    """Format one entry compactly: 0.5, 1, nan, -inf."""
    return f"{float(value):g}"


def float_dtype(array: np.ndarray) -> np.dtype:
    """The dtype the package computes in for ``array``: float32 stays float32, all else is float64.

    float64 is the default (every page and test uses it); float32 is kept so that a reader's
    float32 network runs in float32 math, at float32 speed, instead of being silently upcast.
    """
    return array.dtype if array.dtype == np.float32 else np.dtype(np.float64)


def as_array(name: str, value) -> np.ndarray:
    """Return ``value`` as a float array of any shape, rejecting non-numbers and nan/inf.

    float32 and float64 arrays keep their dtype; anything else (ints, bools, float16, lists)
    becomes float64. No copy is made when ``value`` already is a float32 or float64 array, so
    callers must not modify it.
    """
    try:
        array = np.asarray(value)
    except ValueError:  # numpy refuses ragged nested lists such as [[1, 2], [3]]
        raise ValueError(
            f"{name}: expected a rectangular array of numbers, got a ragged nested sequence"
        ) from None
    # b = bool, i = int, u = unsigned int, f = float; strings, objects and complex are refused.
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name}: expected real numbers, got an array of dtype {array.dtype}")
    array = array.astype(float_dtype(array), copy=False)
    check_finite(name, array)
    return array


def as_matrix(name: str, value) -> np.ndarray:
    """Return ``value`` as a non-empty 2-D float array (rows = units, columns = examples); see as_array."""
    array = as_array(name, value)
    if array.ndim != 2:
        raise ValueError(
            f"{name}: expected a 2-D array (rows = units, columns = examples), "
            f"got {array.ndim}-D with shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name}: expected at least one row and one column, got shape {array.shape}")
    return array


def check_finite(name: str, array: np.ndarray) -> None:
    """Raise if any entry is nan or ±inf, pointing at the first bad one."""
    if not np.isfinite(array).all():
        value, index = first_non_finite(array)
        raise ValueError(f"{name}: expected finite values, got {value} at index {index}")


def first_non_finite(array: np.ndarray) -> tuple[str, str]:
    """The first nan or ±inf entry of ``array`` and its index, formatted for a message."""
    index = tuple(np.argwhere(~np.isfinite(array))[0])
    return _format_number(array[index]), _format_index(index)


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; the message lists them alphabetically."""
    choices = sorted(choices)
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def check_shape(name: str, array: np.ndarray, shape: tuple[int, ...], why: str = "") -> None:
    """Raise unless ``array.shape == shape``; ``why`` says where the expected shape comes from."""
    shape = tuple(int(n) for n in shape)
    if array.shape != shape:
        reason = f" {why}" if why else ""
        raise ValueError(f"{name}: expected shape {shape}{reason}, got {array.shape}")


def check_same_shape(name: str, array: np.ndarray, other_name: str, other: np.ndarray) -> None:
    """Raise unless ``array`` has the shape of ``other`` (e.g. targets Y and outputs A)."""
    check_shape(name, array, other.shape, f"to match {other_name}")


def check_length(name: str, items: Sequence, length: int, what: str) -> None:
    """Raise unless ``items`` has ``length`` entries, e.g. one activation name per layer."""
    if len(items) != length:
        raise ValueError(f"{name}: expected {length} {what}, got {len(items)}")


def check_in_range(name: str, array: np.ndarray, low: float, high: float, what: str) -> None:
    """Raise unless every entry lies in the closed interval [low, high]."""
    _reject_first(name, array, (array < low) | (array > high), f"{what} in [{low:g}, {high:g}]")


def check_binary(name: str, array: np.ndarray) -> None:
    """Raise unless every entry is exactly 0 or 1 (multilabel targets)."""
    _reject_first(name, array, (array != 0) & (array != 1), "entries 0 or 1")


def _reject_first(name: str, array: np.ndarray, bad: np.ndarray, expected: str) -> None:
    """Raise for the first entry where ``bad`` holds, naming its value and index."""
    if bad.any():
        index = tuple(np.argwhere(bad)[0])
        raise ValueError(
            f"{name}: expected {expected}, got {_format_number(array[index])} at index {_format_index(index)}"
        )


def check_one_hot(name: str, Y: np.ndarray) -> None:
    """Raise unless every column of ``Y`` holds a single 1 and zeros elsewhere."""
    is_one_hot = ((Y == 0) | (Y == 1)).all(axis=0) & (Y.sum(axis=0) == 1)
    if not is_one_hot.all():
        column = int(np.argmin(is_one_hot))  # the first False
        values = ", ".join(_format_number(v) for v in Y[:, column])
        raise ValueError(
            f"{name}: expected one-hot columns (one 1 and the rest 0 in each column), "
            f"got column {column} = [{values}]"
        )


def check_positive(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number > 0 (e.g. a step size h)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name}: expected a positive number, got {value!r}")
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name}: expected a positive finite number, got {value!r}")
    return value
