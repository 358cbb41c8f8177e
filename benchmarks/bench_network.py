"""How fast is ``snippets.network.forward_backward`` next to the same mathematics written by hand?

On the workbook's network (1024-512-256-10, relu, relu, softmax + cross-entropy, a batch of 256
examples, one BLAS thread) one call of ``forward_backward`` is timed side by side with:

* plain numpy: the same forward and backward pass written out in a dozen lines, no checks;
* the GEMMs alone: only the eight matrix products of that pass, the floor no numpy code can beat;
* PyTorch CPU eager (autograd), when torch is installed (it is not a dependency of the project).

The contenders run interleaved (one call of each per round, in a rotating order), so a slow moment
of a shared machine hits them all alike. Each ratio against plain numpy is the median over the rounds
of the two calls' ratio within a round; the times shown are the medians over the rounds. This runs
in float64 and float32. A last table gives the time per call on a tiny 4-4-2 network, where the
arrays are so small that the package's checks and bookkeeping are all that differ.

Run with ``make bench`` (or ``python benchmarks/bench_network.py [--rounds N]``).
"""

import os

# One BLAS thread, set before numpy loads its BLAS: the comparison is about the Python around the
# matrix products, not about how many cores a shared machine happens to have free.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402  (after the environment is set)
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from snippets.network import forward_backward  # noqa: E402

SIZES = (1024, 512, 256, 10)  # the workbook's network
BATCH = 256
ACTIVATIONS = ["relu", "relu", "softmax"]
LOSS = "cross_entropy"
TARGET = 1.10  # forward_backward may take at most this many times plain numpy's time


def make_problem(sizes, m, dtype, seed=0):
    """Seeded params (He-scaled W, small b), X of shape (n_x, m) and one-hot Y, all of ``dtype``."""
    rng = np.random.default_rng(seed)
    params = [
        (
            (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(dtype),
            (0.1 * rng.standard_normal((n_out, 1))).astype(dtype),
        )
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
    X = rng.standard_normal((sizes[0], m)).astype(dtype)
    Y = np.eye(sizes[-1], dtype=dtype)[:, rng.integers(0, sizes[-1], m)]
    return params, X, Y


def plain_numpy(params, X, Y):
    """relu, relu, softmax + cross-entropy, forward and backward, as a reader would write it."""
    (W1, b1), (W2, b2), (W3, b3) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    Z3 = W3 @ A2 + b3
    shifted = Z3 - Z3.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    cost = float(-np.sum(Y * log_probs) / m)
    dZ3 = (np.exp(log_probs) - Y) / m
    dZ2 = (W3.T @ dZ3) * (Z2 > 0)
    dZ1 = (W2.T @ dZ2) * (Z1 > 0)
    grads = [
        (dZ1 @ X.T, dZ1.sum(axis=1, keepdims=True)),
        (dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True)),
        (dZ3 @ A2.T, dZ3.sum(axis=1, keepdims=True)),
    ]
    return cost, grads


def gemms_only(params, X, Y):
    """Only the matrix products of the pass above, on stand-in arrays of the right shapes."""
    (W1, _), (W2, _), (W3, _) = params
    A1 = W1 @ X
    A2 = W2 @ A1
    dZ3 = W3 @ A2
    dZ2 = W3.T @ dZ3
    dZ1 = W2.T @ dZ2
    return dZ3 @ A2.T, dZ2 @ A1.T, dZ1 @ X.T


def package(params, X, Y):
    return forward_backward(params, X, Y, activations=ACTIVATIONS[-len(params):], loss=LOSS)


def torch_eager():
    """A contender running the network in PyTorch (CPU, eager, autograd), or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)

    def run(params, X, Y):
        tensors = [(torch.from_numpy(W).requires_grad_(), torch.from_numpy(b).requires_grad_()) for W, b in params]
        A = torch.from_numpy(X)
        for i, (W, b) in enumerate(tensors):
            Z = W @ A + b
            A = torch.relu(Z) if i < len(tensors) - 1 else Z
        labels = torch.from_numpy(Y.argmax(axis=0))
        cost = torch.nn.functional.cross_entropy(Z.T, labels)  # softmax + cross-entropy, mean over the batch
        cost.backward()
        return cost.item(), [(W.grad, b.grad) for W, b in tensors]

    return run


def interleaved_times(contenders, args, rounds):
    """Seconds per call of each contender, one call each per round in a rotating order."""
    names = list(contenders)
    for name in names:  # warm up: first calls allocate and load code
        contenders[name](*args)
    times = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            start = time.perf_counter()
            contenders[name](*args)
            times[name].append(time.perf_counter() - start)
    return times


def paired_ratio(times, name, baseline):
    """Median over the rounds of name's time / baseline's time in the same round."""
    return statistics.median(t / b for t, b in zip(times[name], times[baseline]))


def check_same_numbers(dtype, args):
    """The package and plain numpy compute the same cost and gradients (to the dtype's round-off)."""
    cost, grads = package(*args)
    ref_cost, ref_grads = plain_numpy(*args)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert abs(cost - ref_cost) <= tol * abs(ref_cost)
    for (dW, db), (rW, rb) in zip(grads, ref_grads):
        assert dW.dtype == dtype and db.dtype == dtype, (dW.dtype, db.dtype)
        np.testing.assert_allclose(dW, rW, rtol=tol, atol=tol * np.abs(rW).max())
        np.testing.assert_allclose(db, rb, rtol=tol, atol=tol * np.abs(rb).max())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=41, help="timed calls of each contender (default 41)")
    rounds = parser.parse_args().rounds
    torch_run = torch_eager()
    print(f"network {'-'.join(map(str, SIZES))}, batch {BATCH}, {' '.join(ACTIVATIONS)} + {LOSS}, "
          f"one BLAS thread, median of {rounds} interleaved rounds; numpy {np.__version__}")
    above = []
    for dtype in (np.float64, np.float32):
        args = make_problem(SIZES, BATCH, dtype)
        check_same_numbers(dtype, args)
        contenders = {"snippets": package, "plain numpy": plain_numpy, "GEMMs alone": gemms_only}
        if torch_run is not None:
            contenders["PyTorch eager"] = torch_run
        times = interleaved_times(contenders, args, rounds)
        print(f"\n{np.dtype(dtype).name}:")
        for name in contenders:
            print(f"  {name:<14} {statistics.median(times[name]) * 1e3:8.2f} ms   "
                  f"{paired_ratio(times, name, 'plain numpy'):5.2f} x plain numpy")
        ratio = paired_ratio(times, "snippets", "plain numpy")
        verdict = "ok" if ratio <= TARGET else "ABOVE TARGET"
        print(f"  snippets / plain numpy = {ratio:.3f} (target <= {TARGET:.2f}: {verdict}); "
              f"snippets / GEMMs alone = {paired_ratio(times, 'snippets', 'GEMMs alone'):.3f}")
        if torch_run is not None:
            print(f"  snippets / PyTorch eager = {paired_ratio(times, 'snippets', 'PyTorch eager'):.3f}")
        if ratio > TARGET:
            above.append(np.dtype(dtype).name)

    tiny = make_problem((4, 4, 2), 8, np.float64)
    times = interleaved_times({"snippets": package, "plain numpy": plain_numpy_tiny}, tiny, rounds * 50)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print("\n4-4-2 network, batch 8 (relu, softmax + cross_entropy), float64:")
    for name, seconds in medians.items():
        print(f"  {name:<14} {seconds * 1e6:8.1f} µs per call")
    extra = statistics.median(t - b for t, b in zip(times["snippets"], times["plain numpy"]))
    print(f"  checks and bookkeeping: {extra * 1e6:.1f} µs per call (median of the paired differences)")
    if above:
        print(f"\nabove target in: {', '.join(above)}")


def plain_numpy_tiny(params, X, Y):
    """The two-layer version of ``plain_numpy`` (relu, softmax + cross-entropy)."""
    (W1, b1), (W2, b2) = params
    m = X.shape[1]
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    shifted = Z2 - Z2.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    cost = float(-np.sum(Y * log_probs) / m)
    dZ2 = (np.exp(log_probs) - Y) / m
    dZ1 = (W2.T @ dZ2) * (Z1 > 0)
    return cost, [(dZ1 @ X.T, dZ1.sum(axis=1, keepdims=True)), (dZ2 @ A1.T, dZ2.sum(axis=1, keepdims=True))]


if __name__ == "__main__":
    main()
