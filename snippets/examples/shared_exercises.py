"""Helpers shared by the exercise modules (``snippets/examples/<note>_exercises.py``).

Every exercise draws its numbers from ``rng(seed)``, shows its inputs with two decimals and uses those rounded
inputs, so the numbers a reader sees are exactly the numbers the answer is computed from.
"""

from __future__ import annotations

import numpy as np


def rng(seed: int, note: str) -> np.random.Generator:
    """A generator of its own for each note and seed, apart from the seeds the chapters use."""
    return np.random.default_rng([2024, sum(map(ord, note)), seed])


def shown(x, decimals: int = 2):
    """``x`` rounded as the page shows it (an array stays an array, a scalar becomes a float); never -0.0."""
    rounded = np.round(x, decimals) + 0.0
    return float(rounded) if np.ndim(rounded) == 0 else rounded


def shuffled(generator: np.random.Generator, right: str, wrong: list[str]) -> tuple[tuple[str, ...], int]:
    """The options in a seeded order, and the index where the right one landed."""
    options = [right, *wrong]
    if len(set(options)) != len(options):
        raise ValueError(f"options: expected distinct options, got {options!r}")
    order = generator.permutation(len(options))
    return tuple(options[i] for i in order), int(np.flatnonzero(order == 0)[0])
