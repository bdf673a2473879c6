"""Drawings of mini-batches: how noisy a mini-batch gradient is, and how the batch
size changes a training run (loss against updates and against epochs)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..diagnostics import minibatch_gradients, spread
from ..prose import fmt_number as f
from .style import COLORS, OKABE_ITO, live, warning_note


def gradient_noise(
    net,
    X,
    Y,
    loss: str,
    pair: Sequence[int],
    names: Sequence[str],
    sizes: Sequence[int],
    draws: int = 200,
):
    """Explorable drawing: the cloud of mini-batch gradients around the full gradient.

    Left: ``draws`` mini-batch gradients of batch size B (the slider ``B``), as
    points in the plane of two of the gradient's entries (``pair``, named by
    ``names``), and the full-batch gradient as a star. Right: the measured spread
    (``spread``) against B on log–log axes for every B in ``sizes``, and the
    statistician's prediction for drawing without replacement,
    spread(1)·√((N − B) / (B (N − 1))) for N examples, with the current B marked. Returns ``build``.
    """
    X, Y = np.asarray(X, float), np.asarray(Y, float)
    N = len(X)
    full = net.loss_and_gradients(X, Y, loss)[1].flat()
    measured = {
        B: spread(minibatch_gradients(net, X, Y, loss, B, draws), full) for B in sizes
    }
    theory_B = np.unique(np.geomspace(1, N - 1, 60).round())
    theory = measured[1] * np.sqrt((N - theory_B) / (theory_B * (N - 1)))
    i, j = pair
    cloud_1 = minibatch_gradients(net, X, Y, loss, 1, draws)
    reach = 1.1 * np.max(np.abs(cloud_1[:, [i, j]] - full[[i, j]]))

    def build(fig):
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.2]})
        left.set_xlim(full[i] - reach, full[i] + reach)
        left.set_ylim(full[j] - reach, full[j] + reach)
        left.set_aspect("equal", adjustable="box")
        left.set_xlabel(f"${names[0]}$")
        left.set_ylabel(f"${names[1]}$")
        (dots,) = left.plot(
            [],
            [],
            "o",
            color=COLORS["path"],
            ms=3.5,
            alpha=0.55,
            label="mini-batch gradients",
        )
        left.plot(
            [full[i]],
            [full[j]],
            "*",
            color=OKABE_ITO["black"],
            ms=15,
            label="full-batch gradient",
            zorder=5,
        )
        left.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), ncols=1)
        title = left.set_title(" ", fontsize=11)
        right.loglog(
            theory_B,
            theory,
            color=COLORS["neutral"],
            lw=1.5,
            label=r"prediction $\propto\sqrt{(N-B)/B}$",
        )
        shown = {B: v for B, v in measured.items() if B < N}  # B = N: no spread at all
        right.loglog(
            list(shown),
            list(shown.values()),
            "o",
            color=COLORS["loss"],
            ms=6,
            label="measured",
        )
        (mark,) = right.loglog(
            [],
            [],
            "o",
            color=COLORS["step"],
            ms=11,
            zorder=5,
            label="this batch size",
            clip_on=False,
        )
        low = min(v for B, v in measured.items() if B < N)
        right.set_ylim(low / 3, 2 * max(measured.values()))
        right.set_xlabel("batch size $B$")
        right.set_ylabel("spread / length of full gradient")
        right.legend(loc="lower left")
        live(dots, title, mark)

        def update(B):
            B = int(round(B))
            cloud = minibatch_gradients(net, X, Y, loss, B, draws)
            dots.set_data(cloud[:, i], cloud[:, j])
            s = spread(cloud, full)
            mark.set_data([B], [max(s, low / 3)])  # B = N sits on the floor
            title.set_text(f"B = {B}: spread {f(100 * s, '.0f')} % of the gradient")
            where = (
                "none at all: every batch is the whole set"
                if B == N
                else (f"{f(100 * s, '.0f')} % of the full gradient's length")
            )
            return (
                f"With batches of {B} of the {N} examples, {draws} mini-batch "
                f"gradients scatter around the full one by {where}."
            )

        return update

    return build


def batch_size_runs(
    get_runs: Callable,
    labels: Sequence[str],
    N: int,
    epochs: int,
    loss_label: str = "cross-entropy $L$",
    loss_range=(0.05, 1.0),
):
    """Explorable drawing: one training run per batch size, on two clocks.

    ``get_runs(lr)`` returns one History per batch size (in the order of
    ``labels``), each ``epochs`` long on ``N`` examples, with the training loss
    after every epoch. Left: the loss
    against the number of updates (log scale); right: against epochs. The slider
    ``batch`` (one of ``labels``) picks the run drawn bold. Returns ``build``.
    """
    colours = [COLORS["loss"], COLORS["step"], COLORS["target"]]

    def build(fig):
        left, right = fig.subplots(1, 2, sharey=True)
        for ax in (left, right):
            ax.set_yscale("log")
            ax.set_ylim(*loss_range)
        left.set_xscale("log")
        left.set_xlim(0.8, 1.5 * N * epochs)
        right.set_xlim(0, epochs)
        left.set_xlabel("updates (steps taken)")
        right.set_xlabel("epochs (passes over the data)")
        left.set_ylabel(loss_label)
        lines = []
        for label, colour in zip(labels, colours):
            a = left.plot([], [], "o-", color=colour, ms=3, label=label)[0]
            b = right.plot([], [], "o-", color=colour, ms=3, label=label)[0]
            lines.append((a, b))
        # in the left panel's empty corner: a phone shows the left panel first
        left.legend(loc="upper right", title="batch size", ncols=len(labels))
        note = warning_note(right, 0.5, 0.5, va="baseline")
        live(*[ln for pair in lines for ln in pair], note)

        def update(lr, batch):
            runs = get_runs(lr)
            said, broke = [], []
            for label, history, (a, b) in zip(labels, runs, lines):
                losses = np.clip(history.losses, *loss_range)
                epochs = np.arange(len(losses))
                steps = np.maximum(epochs * history.steps_per_epoch, 0.8)
                a.set_data(steps, losses)
                b.set_data(epochs, losses)
                bold = label == batch
                for line in (a, b):
                    line.set_linewidth(3.2 if bold else 1.3)
                    line.set_alpha(1.0 if bold else 0.45)
                    line.set_zorder(4 if bold else 2)
                if history.diverged:
                    broke.append(f"{label}: diverged at epoch {history.diverged_at}")
                per = history.steps_per_epoch
                said.append(
                    f"batch size {label}: {per} update{'s' if per > 1 else ''} per epoch, "
                    f"loss {f(history.losses[-1], '.3g')} after {history.epochs} epochs"
                )
            note.set_text("\n".join(broke))
            note.set_visible(bool(broke))
            return f"η = {f(lr, '.3g')}. " + "; ".join(said) + "."

        return update

    return build
