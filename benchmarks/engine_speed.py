"""How fast the engine's forward + backward pass is, against two references.

    .venv/bin/python benchmarks/engine_speed.py

1. The floor: a 784-256-256-10 sigmoid network on a batch of 256 samples. One
   forward + backward pass contains eight matrix products (three forward, three
   for ∂E/∂W, two to pass δ back); the floor is those same eight products on the
   same arrays. Everything else (σ, σ′, the bias, the loss) is the engine's
   overhead. Target (issue 14): ≤ 1.2 × the floor. Reported for one BLAS thread
   (steady, what a reader's laptop core does) and for the machine's default, each
   also with glibc keeping freed memory, which separates the allocator's share of
   the overhead from the engine's own element-wise work.
2. book_utils.autograd on the same small MLP (4-8-8-1, one sample): the scalar
   graph against the engine's matrices.

Times are the median of many runs; nothing here is asserted by the tests.
"""

import os
import subprocess
import sys
import time

import numpy as np

FLOOR_SCRIPT = r"""
import time, numpy as np
from book_utils import Network
rng = np.random.default_rng(0)
net = Network.random([784, 256, 256, 10], "sigmoid", seed=0)
X, Y = rng.random((256, 784)), np.eye(10)[rng.integers(0, 10, 256)]
cache = net.forward(X)
grads = net.backward(cache, cache.output - Y)
A, D, W = cache.activations, grads.deltas, net.weights

def floor():
    for l in range(3):
        A[l] @ W[l].T          # Z(l) = A(l-1) W(l)^T
    for l in range(3):
        D[l].T @ A[l]          # dE/dW(l) = delta(l)^T A(l-1)
    for l in (2, 1):
        D[l] @ W[l]            # delta(l) W(l)

def engine():
    c = net.forward(X)
    net.backward(c, c.output - Y)

def median(f, n=60):
    for _ in range(5):
        f()
    ts = []
    for _ in range(n):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return float(np.median(ts))

e, fl = median(engine), median(floor)
print(f"{e * 1e3:.2f} {fl * 1e3:.2f}")
"""


# glibc hands every freed block over 128 KB straight back to the operating system and
# page-faults it in again on the next allocation; a pass allocates dozens of arrays of
# 0.5-1.6 MB. With these two settings it keeps them, which shows how much of the
# overhead is the allocator rather than the engine's own arithmetic.
KEEP_MEMORY = {
    "MALLOC_MMAP_THRESHOLD_": str(64 << 20),
    "MALLOC_TRIM_THRESHOLD_": str(256 << 20),
}


def floor_ratio(threads: str | None, keep_memory: bool = False) -> tuple[float, float]:
    env = dict(os.environ)
    if keep_memory:
        env.update(KEEP_MEMORY)
    if threads:
        env.update(
            OPENBLAS_NUM_THREADS=threads,
            OMP_NUM_THREADS=threads,
            MKL_NUM_THREADS=threads,
        )
    out = subprocess.run([sys.executable, "-c", FLOOR_SCRIPT], capture_output=True, text=True,
                         env=env, check=True)  # fmt: skip
    engine_ms, floor_ms = map(float, out.stdout.split())
    return engine_ms, floor_ms


def autograd_against_engine() -> tuple[float, float]:
    from book_utils import Network
    from book_utils.autograd import Value

    rng = np.random.default_rng(0)
    net = Network.random([4, 8, 8, 1], "sigmoid", seed=0)
    x, y = rng.random(4), 0.5

    def scalar():
        params = [[[Value(v) for v in row] for row in W] for W in net.weights]
        biases = [[Value(v) for v in b] for b in net.biases]
        a = [Value(v) for v in x]
        for W, b in zip(params, biases):
            a = [
                sum((w * ai for w, ai in zip(row, a)), bj).sigmoid()
                for row, bj in zip(W, b)
            ]
        (a[0] - y).half_squared().backward()

    def matrices():
        net.loss_and_gradients([x], [[y]], "half_sse")

    times = []
    for f in (scalar, matrices):
        ts = []
        for _ in range(30):
            t = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t)
        times.append(float(np.median(ts)))
    return times[0], times[1]


def main():
    print("1. forward + backward of a 784-256-256-10 sigmoid network, 256 samples")
    runs = (("one BLAS thread", "1", False), ("default threads", None, False),
            ("one thread, memory kept", "1", True),
            ("default, memory kept", None, True))  # fmt: skip
    for label, threads, keep in runs:
        engine_ms, floor_ms = floor_ratio(threads, keep)
        print(f"   {label:24s} engine {engine_ms:6.2f} ms, its matrix products {floor_ms:6.2f} ms"
              f"  → {engine_ms / floor_ms:.2f} × the floor (target ≤ 1.2)")  # fmt: skip
    print(
        "   (memory kept: glibc told to keep freed blocks, "
        "MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_)"
    )
    scalar_s, engine_s = autograd_against_engine()
    print("2. a 4-8-8-1 network, one sample, every gradient")
    print(f"   book_utils.autograd {scalar_s * 1e3:.2f} ms, the engine {engine_s * 1e3:.3f} ms"
          f"  → scalar autograd is {scalar_s / engine_s:.0f} × slower")  # fmt: skip


if __name__ == "__main__":
    main()
