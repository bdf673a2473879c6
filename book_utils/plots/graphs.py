"""Computational graphs: the values a formula is made of, and the gradients flowing back.

The graph is the one ``book_utils.autograd`` records, so the picture is the
computation itself: every box is a ``Value`` (its name and number), every arrow an
input feeding an operation, labelled with its local derivative. The backward pass
is revealed one node at a time, in the order ``Value.backward`` visits them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..prose import fmt_number as f
from .style import COLORS, live

BOX = dict(boxstyle="round,pad=0.35", fc="white", ec="#333333", lw=1.2)
GRAD = COLORS["gradient"]
FADED = "#b0b0b0"


def shown_nodes(graph: dict) -> list[str]:
    """The named values of a graph, in backward (visiting) order."""
    output = list(graph.values())[-1]
    order = output.backward()
    names = {id(v): k for k, v in graph.items()}
    return [names[id(v)] for v in order if id(v) in names]


def computational_graph(
    make: Callable, positions: dict[str, tuple[float, float]], output: str = "E"
):
    """Explorable drawing: a recorded computation and its backward pass, step by step.

    ``make(**values)`` returns {name: autograd.Value} with the output last (e.g.
    ``autograd.neuron_graph``); ``positions`` places each named value (x, y in 0…1).
    ``update(step, **values)``: forward values in every box; the gradients of the
    first ``step`` values in backward order appear under their boxes, and the arrows
    they flowed along turn vermillion with their local derivatives. Step 0 is the
    forward pass alone.
    """

    def build(fig):
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-0.06, 1.06)
        ax.set_ylim(-0.12, 1.08)
        graph = make()
        names = list(graph)
        boxes, grads, arrows, labels = {}, {}, {}, {}
        for name in names:
            x, y = positions[name]
            boxes[name] = ax.text(
                x, y, "", ha="center", va="center", fontsize=11.5, bbox=BOX, zorder=4
            )
            grads[name] = ax.text(
                x,
                y - 0.11,
                "",
                ha="center",
                va="top",
                fontsize=11.5,
                color=GRAD,
                zorder=4,
            )
        ids = {id(v): k for k, v in graph.items()}
        for name, v in graph.items():
            for u in v.inputs:
                if id(u) not in ids:
                    continue  # a constant (such as the ½ of E) is part of the operation
                src, dst = ids[id(u)], name
                (x0, y0), (x1, y1) = positions[src], positions[dst]
                arrows[src, dst] = ax.annotate(
                    "",
                    (x1, y1),
                    xytext=(x0, y0),
                    zorder=2,
                    arrowprops=dict(
                        arrowstyle="-|>", color=FADED, lw=1.4, shrinkA=17, shrinkB=17
                    ),
                )
                # clear of short, flat edges' boxes
                lift = 0.1 if abs(y1 - y0) < 0.05 else 0.05
                labels[src, dst] = ax.text(
                    (x0 + x1) / 2,
                    (y0 + y1) / 2 + lift,
                    "",
                    ha="center",
                    fontsize=10.5,
                    color="#444444",
                    zorder=3,
                )
        ax.text(
            0.0,
            -0.1,
            "boxes: each value as the forward pass computes it;  "
            "arrows: what feeds what, labelled with the local derivative",
            fontsize=9.5,
            color=COLORS["neutral"],
            va="top",
        )
        info = ax.set_title("", fontsize=11)
        live(*boxes.values(), *grads.values(), *arrows.values(), *labels.values(), info)

        def update(step, **values):
            graph = make(**values)
            order = shown_nodes(graph)  # also fills every .grad
            step = int(round(step))
            seen = set(order[:step])
            for name, v in graph.items():
                boxes[name].set_text(f"{name}\n{f(v.data, '.3g')}")
                shown = f"∂{output}/∂{_wrap(name)}\n= {f(v.grad, '.4g')}"
                grads[name].set_text(shown if name in seen else "")
            for (src, dst), arrow in arrows.items():
                local = dict(zip([id(u) for u in graph[dst].inputs], graph[dst].local))
                done = dst in seen
                arrow.arrow_patch.set_color(GRAD if done else FADED)
                labels[src, dst].set_text(
                    f"×{f(local[id(graph[src])], '.3g')}" if done else ""
                )
                labels[src, dst].set_color(GRAD if done else "#444444")
            if step == 0:
                info.set_text("the forward pass: every value computed, no gradient yet")
                return (
                    "Forward pass: "
                    + ", ".join(f"{k} = {f(v.data, '.4g')}" for k, v in graph.items())
                    + "."
                )
            last = order[min(step, len(order)) - 1]
            info.set_text(
                f"backward step {min(step, len(order))} of {len(order)}: "
                f"the gradient reaches {last}"
            )
            reached = ", ".join(
                f"∂{output}/∂{_wrap(k)} = {f(graph[k].grad, '.4g')}"
                for k in order[:step]
            )
            return f"Backward step {min(step, len(order))} of {len(order)}: {reached}."

        return update

    return build


def _wrap(name: str) -> str:
    """A name with an operation in it gets brackets: ∂E/∂(a − y), not ∂E/∂a − y."""
    return f"({name})" if " " in name else name
