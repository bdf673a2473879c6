"""Drawings of a whole network: its neurons and connections, the forward pass on them."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np

from ..notation import layer_symbol
from ..prose import fmt_number as f
from .style import COLORS, MIN_FONT, OKABE_ITO, live, rgb_of

WEIGHT_KEY = (
    "line colour: blue = positive weight, vermillion = negative; thickness = size"
)


class NetworkDrawing:
    """A fully connected network drawn on ``ax``: one circle per neuron, one line per weight.

    Layer l's neurons sit in column l (inputs first); the line for W[l][j, k] joins
    neuron k of layer l−1 to neuron j of layer l. Everything a slider can change
    (line colours and widths, the numbers in and under the circles) is live.
    """

    def __init__(
        self,
        ax,
        sizes: Sequence[int],
        input_names=None,
        output_name="ŷ",
        key: str = WEIGHT_KEY,
    ):
        self.ax, self.sizes = ax, list(sizes)
        ax.set_axis_off()
        n = len(self.sizes)
        self.ys = [
            np.linspace(0.9, 0.1, m) if m > 1 else np.array([0.5]) for m in self.sizes
        ]
        self.xs = np.linspace(0.08, 0.92, n)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.12, 1.06)
        self.edges = []  # (l, j, k, Line2D), l 0-based: the line of W(l+1)[j, k]
        for l in range(n - 1):
            for j in range(self.sizes[l + 1]):
                for k in range(self.sizes[l]):
                    xy = (
                        [self.xs[l], self.xs[l + 1]],
                        [self.ys[l][k], self.ys[l + 1][j]],
                    )
                    (line,) = ax.plot(*xy, zorder=1, solid_capstyle="round")
                    self.edges.append((l, j, k, line))
        self.centres = [(l, k) for l in range(n) for k in range(self.sizes[l])]
        self.dots = ax.scatter(
            [self.xs[l] for l, _ in self.centres],
            [self.ys[l][k] for l, k in self.centres],
            s=1100,
            zorder=3,
            edgecolors="#333333",
            linewidths=1.2,
            facecolors="white",
        )
        self.inside, self.below = {}, {}
        below_box = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9)
        for l, k in self.centres:
            x, y = self.xs[l], self.ys[l][k]
            self.inside[l, k] = ax.text(
                x, y, "", ha="center", va="center", fontsize=10, zorder=4
            )
            if l > 0:
                self.below[l, k] = ax.text(
                    x,
                    y - 0.1,
                    "",
                    ha="center",
                    va="top",
                    fontsize=MIN_FONT,
                    color="#333333",
                    zorder=4,
                    bbox=below_box,
                )
        names = (
            list(input_names)
            if input_names
            else [f"$x_{k + 1}$" for k in range(self.sizes[0])]
        )
        for k, name in enumerate(names):
            ax.text(
                self.xs[0] - 0.06,
                self.ys[0][k],
                name,
                ha="right",
                va="center",
                fontsize=11,
            )
        ax.text(
            self.xs[-1] + 0.06,
            self.ys[-1][0],
            output_name,
            ha="left",
            va="center",
            fontsize=12,
        )
        # the key under the drawing (an explorable may rewrite it: ``self.key``)
        self.key = ax.text(
            0.5,
            -0.06,
            key,
            ha="center",
            va="top",
            fontsize=MIN_FONT,
            color=COLORS["neutral"],
        )
        for l in range(n):
            label = "input" if l == 0 else ("output" if l == n - 1 else f"hidden {l}")
            ax.text(
                self.xs[l],
                1.04,
                label,
                ha="center",
                va="bottom",
                fontsize=10,
                color=COLORS["neutral"],
            )
        live(
            *[e[3] for e in self.edges],
            self.dots,
            *self.inside.values(),
            *self.below.values(),
        )

    def show_weights(self, net) -> None:
        """Colour every line by the sign of its weight and thicken it by its size."""
        wmax = max(1e-9, max(float(np.abs(W).max()) for W in net.weights))
        for l, j, k, line in self.edges:
            w = float(net.weights[l][j, k])
            line.set_color(COLORS["positive"] if w >= 0 else COLORS["negative"])
            line.set_linewidth(0.4 + 4.0 * abs(w) / wmax)
            line.set_alpha(0.35 + 0.6 * abs(w) / wmax)

    def show_forward(self, net, cache, sample: int = 0) -> None:
        """The forward pass: each neuron's activation a inside it, its z underneath."""
        self.show_weights(net)
        acts = cache.activations
        strength = [min(1.0, abs(float(acts[l][sample, k]))) for l, k in self.centres]
        sky, white = rgb_of(OKABE_ITO["sky"]), np.ones(3)
        # opaque circles (the lines stay behind the numbers), darker for larger |a|
        self.dots.set_facecolors(
            [(*(white + (0.15 + 0.6 * a) * (sky - white)), 1.0) for a in strength]
        )
        for (l, k), text in self.inside.items():
            text.set_text(f(acts[l][sample, k], ".2f"))
        for (l, k), text in self.below.items():
            text.set_text(f"z={f(cache.zs[l - 1][sample, k], '.2f')}")

    def show_backward(self, net, cache, grads, reached: int, sample: int = 0) -> None:
        """The backward pass after ``reached`` layers, counted from the output.

        Reached neurons are highlighted (sky blue, whatever the sign) with δ written
        under them; the lines into reached layers show ∂E/∂w (colour: its sign, blue
        positive, vermillion negative; thickness: its size over the whole network);
        lines not reached yet are light grey. At reached = 0 every line is grey.
        """
        D = net.n_layers
        known = set(range(D - reached + 1, D + 1))  # layers whose δ is computed
        gmax = max(1e-12, max(float(np.abs(g).max()) for g in grads.dW))
        for l, j, k, line in self.edges:
            if l + 1 in known:
                g = float(grads.dW[l][j, k])
                line.set_color(COLORS["positive"] if g >= 0 else COLORS["negative"])
                line.set_linewidth(0.8 + 5.0 * abs(g) / gmax)
                line.set_alpha(0.55 + 0.45 * abs(g) / gmax)
            else:
                line.set_color("#c4c4c4")
                line.set_linewidth(0.9)
                line.set_alpha(0.9)
        reached_face = (
            *(0.15 + 0.85 * rgb_of(OKABE_ITO["sky"])),
            1.0,
        )
        waiting_face = mpl.colors.to_rgba("#ffffff", 1.0)
        self.dots.set_facecolors(
            [reached_face if l in known else waiting_face for l, _ in self.centres]
        )
        acts = cache.activations
        for (l, k), text in self.inside.items():
            text.set_text(f(acts[l][sample, k], ".2f"))
        for (l, k), text in self.below.items():
            text.set_text(
                f"δ={f(grads.deltas[l - 1][sample, k], '.3f')}" if l in known else ""
            )
            text.set_color("#111111")
            text.set_fontsize(11)


def draw_network(ax, sizes: Sequence[int], input_names=None, output_name: str = "ŷ"):
    """Draw a network on ``ax``; return ``show(net, cache)`` for the forward pass."""
    return NetworkDrawing(ax, sizes, input_names, output_name).show_forward


def _prediction_panel(ax, target: float, label_at: float):
    """The previews' right panel: bars for ŷ now and after one step (heights set
    by ``update``) under the target's dashed line. Returns (line, its label, bars)."""
    ax.set_ylim(0, 1)
    ax.set_xlim(-0.6, 1.6)
    ax.set_xticks([0, 1], ["now", "after one\nstep"])
    ax.set_ylabel("prediction $\\hat y$")
    goal = ax.axhline(target, color=COLORS["target"], ls="--", lw=1.5)
    label = ax.text(
        1.55,
        label_at,
        "target y",
        ha="right",
        va="top",
        color=COLORS["target"],
        fontsize=10,
    )
    bars = ax.bar([0, 1], [0, 0], color=[COLORS["loss"], COLORS["step"]], width=0.6)
    return goal, label, bars


def forward_preview(
    net,
    target: float,
    params: dict[str, str],
    inputs: Sequence[str],
    loss: str = "half_sse",
):
    """Explorable drawing: the forward pass of ``net`` layer by layer, and one learning step.

    ``params`` maps slider names to parameter entries ("w1_11": "W1[0,0]"), ``inputs``
    names the input sliders in order, and an ``lr`` slider sets η. Left: the network
    with every z and a. Right: the prediction now and after one gradient-descent
    step on every parameter towards ``target``.
    """

    def build(fig):
        ax_net, ax_out = fig.subplots(1, 2, width_ratios=[2.6, 1])
        drawing = NetworkDrawing(ax_net, net.sizes)
        *_, bars = _prediction_panel(ax_out, target, target - 0.02)
        title = ax_out.set_title("", fontsize=11)
        live(*bars, title)

        def update(lr, **values):
            trial = net.with_entries(
                {entry: values[name] for name, entry in params.items()}
            )
            x = [[values[name] for name in inputs]]
            E, grads, cache = trial.loss_and_gradients(x, [[target]], loss)
            drawing.show_forward(trial, cache)
            # one step on everything
            trial.set_flat(trial.get_flat() - lr * grads.flat())
            now, after = cache.output.item(), trial.predict(x).item()
            E_after = trial.loss(x, [[target]], loss)
            bars[0].set_height(now)
            bars[1].set_height(after)
            title.set_text(
                f"ŷ: {f(now, '.3f')} → {f(after, '.3f')}\nE: {f(E, '.4f')} → {f(E_after, '.4f')}"
            )
            hidden = "; ".join(
                f"layer {l}: a = " + ", ".join(f(v, ".2f") for v in a.ravel())
                for l, a in enumerate(cache.activations[1:-1], start=1)
            )
            return (
                f"Inputs {', '.join(f(v, '.2f') for v in x[0])}; {hidden}. Prediction "
                f"ŷ = {f(now, '.3f')}, error E = {f(E, '.4f')}; after one step with "
                f"η = {f(lr, '.3g')}: ŷ = {f(after, '.3f')}, E = {f(E_after, '.4f')}."
            )

        return update

    return build


def backward_preview(
    net,
    target,
    params: dict[str, str],
    inputs: Sequence[str],
    loss: str = "half_sse",
    x=None,
):
    """Explorable drawing: backpropagation through ``net``, one layer per step.

    ``update(step, lr, **values)``: step 0 is the forward pass (a in the circles,
    lines grey); step k has computed δ for the last k layers, shown under their
    neurons, and the gradients ∂E/∂w of those layers on their lines. ``params`` maps
    slider names to parameter entries, ``inputs`` input sliders to positions
    ({"x1": 0}), a ``y`` slider sets the target; ``x`` holds the inputs no slider
    moves. Right: once every gradient is known, ŷ now and after one step with η.
    """
    base = np.asarray(x if x is not None else np.zeros((1, net.sizes[0])), dtype=float)
    base = base.reshape(1, -1)

    def build(fig):
        ax_net, ax_out = fig.subplots(1, 2, width_ratios=[3.1, 1])
        drawing = NetworkDrawing(ax_net, net.sizes, key="")
        key = drawing.key
        goal, goal_label, bars = _prediction_panel(ax_out, 0.5, 0.5)  # y moves them
        wait = ax_out.text(
            1.0, 0.3, "", ha="center", va="center", fontsize=10, color=COLORS["neutral"]
        )
        title = ax_out.set_title("", fontsize=11)
        info = ax_net.set_title("", fontsize=11.5, pad=18)
        live(*bars, title, info, key, goal, goal_label, wait)

        def update(step, lr, y=target, **values):
            trial = net.with_entries(
                {entry: values[s] for s, entry in params.items() if s in values}
            )
            xs = base.copy()
            for s, k in inputs.items():
                xs[0, k] = values[s]
            E, grads, cache = trial.loss_and_gradients(xs, [[y]], loss)
            D = trial.n_layers
            step = int(round(step))
            drawing.show_backward(trial, cache, grads, reached=step)
            if step == 0:
                info.set_text("step 0: the forward pass (a in each circle)")
                key.set_text("no gradient yet: the backward pass starts at the output")
            else:
                info.set_text(
                    f"step {step}: δ known down to layer {D - step + 1}"
                    + ("; every gradient computed" if step == D else "")
                )
                key.set_text(
                    "δ under each neuron reached; line: ∂E/∂w (blue +, "
                    "vermillion −), thickness = size"
                )
            after = trial.copy()
            # one step on everything
            after.set_flat(trial.get_flat() - lr * grads.flat())
            now, later = cache.output.item(), after.predict(xs).item()
            E_after = after.loss(xs, [[y]], loss)
            done = step == D
            bars[0].set_height(now)
            bars[1].set_height(later if done else 0.0)
            goal.set_ydata([y, y])
            goal_label.set_y(y - 0.02)
            wait.set_text("" if done else "waits for\nevery\ngradient")
            title.set_text(
                f"ŷ: {f(now, '.3f')} → {f(later, '.3f')}\nE: {f(E, '.4f')} → {f(E_after, '.4f')}"
                if done
                else f"ŷ = {f(now, '.3f')}\nE = {f(E, '.4f')}"
            )
            known = [l for l in range(D, 0, -1) if l > D - step]
            deltas = "; ".join(
                f"{layer_symbol('δ', l)} = "
                + ", ".join(f(d, ".3f") for d in grads.deltas[l - 1].ravel())
                for l in known
            )
            said = f"Step {step} of {D}: " + (
                deltas if deltas else "the forward pass only"
            )
            if not done:
                return said + "."
            return said + (
                f". One step with η = {f(lr, '.3g')} moves ŷ from {f(now, '.3f')} to "
                f"{f(later, '.3f')} (target {f(y, '.3g')})."
            )

        return update

    return build
