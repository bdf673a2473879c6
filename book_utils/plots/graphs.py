"""Computational graphs: the values a formula is made of, and the gradients flowing back.

The graph is the one ``book_utils.autograd`` records, so the picture is the
computation itself: every box is a ``Value`` (its name and number), every arrow an
input feeding an operation. The backward pass is revealed one operation at a time,
in the order ``Value.backward`` visits them: each step, one box passes its gradient
back along its incoming arrows, each multiplied by the arrow's local derivative.
A value that feeds several others collects one contribution per path, and they add.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..prose import fmt_number as f
from .style import COLORS, live

BOX = dict(boxstyle="round,pad=0.35", fc="white", ec="#333333", lw=1.2)
GRAD = COLORS["gradient"]
FADED = "#b0b0b0"
# where a box's gradient is written, relative to the box (axes units)
SIDES = {
    "below": ((0.0, -0.1), "center", "top"),
    "above": ((0.0, 0.1), "center", "bottom"),
    "left": ((-0.055, 0.0), "right", "center"),
    "right": ((0.055, 0.0), "left", "center"),
}
EDGE_OFFSET = 0.045  # how far an arrow's label sits from the arrow


def shown_nodes(graph: dict) -> list[str]:
    """The named values of a graph, in backward (visiting) order."""
    output = list(graph.values())[-1]
    order = output.backward()
    names = {id(v): k for k, v in graph.items()}
    return [names[id(v)] for v in order if id(v) in names]


def backward_steps(graph: dict) -> list[str]:
    """The operations in the order the backward pass visits them: the values that
    pass a gradient on (inputs, which have nothing to pass, are left out)."""
    named = {k for k, v in graph.items() if any(id(u) in _ids(graph) for u in v.inputs)}
    return [k for k in shown_nodes(graph) if k in named]


def _ids(graph: dict) -> dict[int, str]:
    return {id(v): k for k, v in graph.items()}


def arrivals(graph: dict, step: int) -> dict[str, list[tuple[str, float]]]:
    """After ``step`` backward steps: for every value, the contributions that have
    reached it, (the value that sent it, local derivative × that value's gradient),
    in the order they arrived. Fills every ``.grad`` of the graph."""
    steps = backward_steps(graph)  # runs backward: every .grad is final
    ids = _ids(graph)
    out: dict[str, list[tuple[str, float]]] = {k: [] for k in graph}
    for sender in steps[:step]:
        v = graph[sender]
        for u, local in zip(v.inputs, v.local):
            if id(u) in ids:
                out[ids[id(u)]].append((sender, local * v.grad))
    return out


def consumers(graph: dict) -> dict[str, list[str]]:
    """For every value, the values it feeds (one path back per entry)."""
    ids = _ids(graph)
    out: dict[str, list[str]] = {k: [] for k in graph}
    for name, v in graph.items():
        for u in v.inputs:
            if id(u) in ids:
                out[ids[id(u)]].append(name)
    return out


def _place(spec):
    """(x, y) or (x, y, side) → (x, y, side); the gradient goes below by default."""
    return (spec[0], spec[1], spec[2] if len(spec) > 2 else "below")


def computational_graph(
    make: Callable,
    positions: dict[str, tuple],
    output: str | None = None,
    ylim: tuple[float, float] = (-0.12, 1.08),
):
    """Explorable drawing: a recorded computation and its backward pass, step by step.

    ``make(**values)`` returns {name: autograd.Value} with the output last (e.g.
    ``autograd.neuron_graph``); ``positions`` places each named value, (x, y) in 0…1,
    or (x, y, side) with side "below", "above", "left" or "right": where its
    gradient is written. ``update(step, **values)``: forward values in every box;
    after ``step`` backward steps, the arrows the gradient has flowed back along are
    vermillion and labelled ×(local derivative), and every value shows the gradient
    that has reached it. A value used twice shows each contribution as it arrives,
    then their sum. Step 0 is the forward pass alone.
    """

    def build(fig):
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(*ylim)
        graph = make()
        names = list(graph)
        out_name = output or names[-1]
        places = {k: _place(positions[k]) for k in names}
        boxes, grads, arrows, labels = {}, {}, {}, {}
        for name in names:
            x, y, side = places[name]
            (dx, dy), ha, va = SIDES[side]
            boxes[name] = ax.text(
                x, y, "", ha="center", va="center", fontsize=11.5, bbox=BOX, zorder=4
            )
            grads[name] = ax.text(
                x + dx,
                y + dy,
                "",
                ha=ha,
                va=va,
                fontsize=11,
                color=GRAD,
                zorder=4,
                linespacing=1.15,
            )
        ids = _ids(graph)
        for name, v in graph.items():
            for u in v.inputs:
                if id(u) not in ids:
                    continue  # a constant (such as the ½ of E) is part of the operation
                src, dst = ids[id(u)], name
                (x0, y0, _), (x1, y1, _) = places[src], places[dst]
                arrows[src, dst] = ax.annotate(
                    "",
                    (x1, y1),
                    xytext=(x0, y0),
                    zorder=2,
                    arrowprops=dict(
                        arrowstyle="-|>", color=FADED, lw=1.4, shrinkA=18, shrinkB=18
                    ),
                )
                # the label sits beside the arrow's middle, on its left as it points
                # (above a rightward arrow, to the right of a downward one)
                length = max(1e-9, float(np.hypot(x1 - x0, y1 - y0)))
                nx, ny = -(y1 - y0) / length, (x1 - x0) / length
                labels[src, dst] = ax.text(
                    (x0 + x1) / 2 + EDGE_OFFSET * nx,
                    (y0 + y1) / 2 + EDGE_OFFSET * ny,
                    "",
                    ha="center" if abs(nx) < 0.5 else ("left" if nx > 0 else "right"),
                    va="center" if abs(ny) < 0.5 else ("bottom" if ny > 0 else "top"),
                    fontsize=10.5,
                    color=GRAD,
                    zorder=3,
                )
        ax.text(
            0.5,
            ylim[0],
            "boxes: each value as the forward pass computes it; arrow labels: "
            "× the local derivative",
            fontsize=9.5,
            color=COLORS["neutral"],
            ha="center",
            va="bottom",
        )
        info = ax.set_title("", fontsize=11)
        live(*boxes.values(), *grads.values(), *arrows.values(), *labels.values(), info)
        uses = consumers(graph)

        def update(step, **values):
            graph = make(**values)
            steps = backward_steps(graph)
            step = min(int(round(step)), len(steps))
            came = arrivals(graph, step)  # also fills every .grad
            passed = set(steps[:step])
            for name, v in graph.items():
                boxes[name].set_text(f"{name}\n{f(v.data, '.3g')}")
                grads[name].set_text(
                    _gradient_text(out_name, name, v, came[name], len(uses[name]), step)
                )
            for (src, dst), arrow in arrows.items():
                local = dict(zip([id(u) for u in graph[dst].inputs], graph[dst].local))
                done = dst in passed
                arrow.arrow_patch.set_color(GRAD if done else FADED)
                labels[src, dst].set_text(
                    f"×{f(local[id(graph[src])], '.3g')}" if done else ""
                )
            if step == 0:
                info.set_text("the forward pass: every value computed, no gradient yet")
                return (
                    "Forward pass: "
                    + ", ".join(f"{k} = {f(v.data, '.4g')}" for k, v in graph.items())
                    + "."
                )
            sender = steps[step - 1]
            to = [k for k in graph if any(s == sender for s, _ in came[k])]
            info.set_text(
                f"backward step {step} of {len(steps)}: {sender} passes its "
                f"gradient back to {' and '.join(to)}"
            )
            said = [
                f"∂{out_name}/∂{_wrap(k)} = {_sum_text(came[k], len(uses[k]))}"
                for k in shown_nodes(graph)
                if came[k]
            ]
            return (
                f"Backward step {step} of {len(steps)}: ∂{out_name}/∂{out_name} = 1, "
                + ", ".join(said)
                + "."
            )

        return update

    return build


def _gradient_text(out: str, name: str, v, came, n_uses: int, step: int) -> str:
    """What a box says about its gradient after ``step`` steps: nothing yet; the
    contributions so far ("+ …" while a path is still missing); or the total."""
    head = f"∂{out}/∂{_wrap(name)}"
    if n_uses == 0:  # the output: ∂out/∂out = 1 from the first step on
        return f"{head}\n= 1" if step > 0 else ""
    if not came:
        return ""
    parts = [f(c, ".3g") for _, c in came]
    if len(came) < n_uses:
        return f"{head}\n= {_join(parts)} + …"
    if n_uses == 1:
        return f"{head}\n= {f(v.grad, '.3g')}"
    return f"{head}\n= {_join(parts)}\n= {f(v.grad, '.3g')}"


def _sum_text(came, n_uses: int) -> str:
    """A gradient in words: its total, the sum of its paths, or the paths so far."""
    parts = [f(c, ".4g") for _, c in came]
    if len(came) < n_uses:
        return f"{_join(parts)} so far ({len(came)} of {n_uses} paths)"
    total = f(sum(c for _, c in came), ".4g")
    return total if len(parts) == 1 else f"{_join(parts)} = {total}"


def _join(parts: list[str]) -> str:
    """Numbers added up as a reader writes it: 0.109 − 0.0545, not 0.109 + −0.0545."""
    out = parts[0]
    for p in parts[1:]:
        out += f" − {p[1:]}" if p.startswith("−") else f" + {p}"
    return out


def _wrap(name: str) -> str:
    """A name with an operation in it gets brackets: ∂E/∂(a − y), ∂E/∂(w·x)."""
    return f"({name})" if (" " in name or "·" in name) else name
