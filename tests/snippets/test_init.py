"""Xavier and He initialization: shapes, seeding, and the variances checked empirically."""

import numpy as np
import pytest

from snippets.init import he, init_params, init_weight, target_variance, xavier


def test_targets():
    assert target_variance("xavier", 100, 300) == pytest.approx(2 / 400)
    assert target_variance("he", 100, 300) == pytest.approx(2 / 300)


@pytest.mark.parametrize("scheme", ["xavier", "he"])
@pytest.mark.parametrize("distribution", ["normal", "uniform"])
def test_empirical_variance(scheme, distribution):
    rng = np.random.default_rng(0)
    W = np.stack([init_weight(scheme, 64, 200, rng, distribution) for _ in range(40)])  # 512 000 entries
    target = target_variance(scheme, 64, 200)
    # standard error of a sample variance is about target·√(2/N) ≈ 0.2 % here; allow 2 %
    assert np.var(W) == pytest.approx(target, rel=0.02)
    assert abs(W.mean()) < 0.01 * np.sqrt(target)


def test_uniform_bound():
    W = xavier(10, 20, np.random.default_rng(1), "uniform")
    assert np.abs(W).max() <= np.sqrt(6 / 30)


def test_shapes_and_seeding():
    W1 = he(3, 5, np.random.default_rng(7))
    W2 = he(3, 5, np.random.default_rng(7))
    assert W1.shape == (3, 5)
    np.testing.assert_array_equal(W1, W2)
    params = init_params([4, 3, 2], np.random.default_rng(0))
    assert [(W.shape, b.shape) for W, b in params] == [((3, 4), (3, 1)), ((2, 3), (2, 1))]
    assert all(not b.any() for _, b in params)


def test_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="scheme"):
        init_weight("lecun", 2, 2, rng)
    with pytest.raises(ValueError, match="distribution"):
        init_weight("he", 2, 2, rng, "cauchy")
    with pytest.raises(ValueError, match="n_in"):
        xavier(2, 0, rng)
    with pytest.raises(ValueError, match="rng"):
        xavier(2, 2, 0)
