"""A scalar computation graph with reverse-mode derivatives, in the style of micrograd.

Every operation builds a new :class:`Value` that remembers its parents and, computed at the same
moment as the forward value, the *local* derivative of the result with respect to each parent.
``backward()`` then needs only one rule for every node, the chain rule written out::

    parent.grad += local * child.grad        # downstream = upstream x local

The ``+=`` is the branching rule: a value used twice receives the sum of both paths' gradients.
"""

import math
from numbers import Real
from typing import NamedTuple


class Value:
    """A float in a computation graph, with the gradient of the graph's output with respect to it."""

    def __init__(self, data, label="", *, op="", parents=(), local_grads=()):
        self.data = _finite(data, "Value")
        self.grad = 0.0
        self.label = label      # a name for drawings and prose, e.g. "x"; "" if unnamed
        self.op = op            # the operation that produced this value; "" for leaves
        self.parents = tuple(parents)
        self.local_grads = tuple(float(g) for g in local_grads)  # d(self)/d(parent), one per parent

    def named(self, label):
        """Set the label and return self, so a chapter can write ``q = (x + y).named("q")``."""
        self.label = label
        return self

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r}, label={self.label!r}, op={self.op!r})"

    # Each operation: forward value, then the local derivative for each parent, side by side.
    def __add__(self, other):
        other = _as_value(other, "+")
        return _result(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __sub__(self, other):
        other = _as_value(other, "-")
        return _result(self.data - other.data, "-", (self, other), (1.0, -1.0))

    def __mul__(self, other):
        other = _as_value(other, "*")
        return _result(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __truediv__(self, other):
        other = _as_value(other, "/")
        a, b = self.data, other.data
        if b == 0:
            raise ValueError(f"/: expected a non-zero divisor, got {b!r}")
        return _result(a / b, "/", (self, other), (1.0 / b, -a / (b * b)))

    def __neg__(self):
        return _result(-self.data, "neg", (self,), (-1.0,))

    def __pow__(self, k):
        # Only constant exponents: d(a**k)/da = k * a**(k-1) is the rule a chapter teaches.
        if isinstance(k, Value) or not isinstance(k, Real) or isinstance(k, bool):
            raise ValueError(f"**: expected a constant int or float exponent, got {type(k).__name__}")
        k, a = float(k), self.data
        if a < 0 and not k.is_integer():
            raise ValueError(f"**: expected a non-negative base for exponent {k!r}, got {a!r}")
        if a == 0 and k < 1 and k != 0:
            raise ValueError(f"**: expected a non-zero base for exponent {k!r} (derivative is infinite), got {a!r}")
        try:
            data, local = a ** k, (0.0 if k == 0 else k * a ** (k - 1))
        except OverflowError:
            raise ValueError(f"**: expected a result within float range, got {a!r} ** {k!r}") from None
        return _result(data, f"**{k:g}", (self,), (local,))

    # Python numbers on the left: 2 * v, 1 + v, 1 - v, 1 / v.
    def __radd__(self, other):
        return _as_value(other, "+") + self

    def __rsub__(self, other):
        return _as_value(other, "-") - self

    def __rmul__(self, other):
        return _as_value(other, "*") * self

    def __rtruediv__(self, other):
        return _as_value(other, "/") / self

    def backward(self):
        """Fill ``grad`` of every node in this graph with d(self)/d(node).

        Grads are zeroed first, so calling backward() twice gives the same numbers, not double.
        """
        nodes, _ = trace(self)
        for node in nodes:
            node.grad = 0.0
        self.grad = 1.0                               # seed: d(self)/d(self) = 1
        for node in reversed(nodes):                  # children before their parents
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad      # += : gradients add where a value forks


def exp(v):
    v = _as_value(v, "exp")
    try:
        e = math.exp(v.data)
    except OverflowError:
        raise ValueError(f"exp: expected an input below ~709.78 (result must be finite), got {v.data!r}") from None
    return _result(e, "exp", (v,), (e,))


def log(v):
    v = _as_value(v, "log")
    if v.data <= 0:
        raise ValueError(f"log: expected a positive input, got {v.data!r}")
    return _result(math.log(v.data), "log", (v,), (1.0 / v.data,))


def maximum(a, b):
    """max(a, b); the whole gradient is routed to the larger input.

    Tie rule: when a == b the first argument ``a`` wins and receives the gradient (``b`` gets 0).
    """
    a, b = _as_value(a, "max"), _as_value(b, "max")
    first = a.data >= b.data
    return _result(a.data if first else b.data, "max", (a, b), (1.0, 0.0) if first else (0.0, 1.0))


def relu(v):
    """max(0, v); the local derivative at exactly 0 is taken to be 0."""
    v = _as_value(v, "relu")
    return _result(max(v.data, 0.0), "relu", (v,), (1.0 if v.data > 0 else 0.0,))


def sigmoid(v):
    v = _as_value(v, "sigmoid")
    z = v.data
    # Two algebraically equal forms, so exp never overflows for large |z|.
    s = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    return _result(s, "sigmoid", (v,), (s * (1.0 - s),))


def tanh(v):
    v = _as_value(v, "tanh")
    t = math.tanh(v.data)
    return _result(t, "tanh", (v,), (1.0 - t * t,))


class Edge(NamedTuple):
    """parent -> child, with local = d(child)/d(parent) recorded at forward time."""
    parent: Value
    child: Value
    local: float


def trace(root):
    """All nodes of root's graph in topological order (parents first), and its edges.

    A parent used twice by one child (``a * a``) gives two edges, one per use.

    The order is that of a depth-first walk that lists a node once all its parents are listed.
    The walk keeps its own stack instead of recursing, so a graph 100,000 nodes deep (a long
    loop of ``x = x * w + b``) does not hit Python's recursion limit of about 1,000.
    """
    if not isinstance(root, Value):
        raise ValueError(f"trace: expected a Value, got {type(root).__name__} {root!r}")
    nodes, seen = [], {id(root)}
    stack = [(root, iter(root.parents))]          # each node with the parents still to visit
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in seen:            # go deeper: this parent comes first
                seen.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:                                     # every parent is listed: list the node
            stack.pop()
            nodes.append(node)
    edges = [Edge(p, n, g) for n in nodes for p, g in zip(n.parents, n.local_grads)]
    return nodes, edges


def _as_value(x, op):
    """Wrap a Python number as a constant leaf; refuse anything else with a clear message."""
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, Real):
        raise ValueError(f"{op}: expected a Value or a real number, got {type(x).__name__} {x!r}")
    return Value(x)


def _finite(x, where):
    if isinstance(x, bool) or not isinstance(x, Real):
        raise ValueError(f"{where}: expected a real number, got {type(x).__name__} {x!r}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{where}: expected a finite number, got {x!r}")
    return x


def _result(data, op, parents, local_grads):
    """Build an op's output, refusing overflow (inf/nan) instead of letting it spread silently."""
    for g in (data, *local_grads):
        if not math.isfinite(g):
            inputs = ", ".join(repr(p.data) for p in parents)
            raise ValueError(f"{op}: expected inputs with a finite result, got {g!r} from ({inputs})")
    return Value(data, op=op, parents=parents, local_grads=local_grads)
