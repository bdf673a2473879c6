"""Drawings of a classifier in the plane: the data, the class it predicts everywhere,
the line where its decision flips, and the loss curve of the run behind it.

The colour of each class is one of the book's (blue, orange, green) and each class
also has its own marker shape (circle, triangle, square), so the classes stay apart
for every reader, in colour or not.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from contourpy import contour_generator
from matplotlib.collections import LineCollection

from ..metrics import labels_of, probabilities
from ..prose import fmt_number as f
from .style import COLORS, OKABE_ITO, live, rgb_of, warning_note

CLASS_COLORS = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"]]
CLASS_MARKERS = ["o", "^", "s"]


class BoundaryPanel:
    """One axes showing a classifier over a box of the plane.

    The background is tinted with the colour of the predicted class, deeper where
    the network is more confident; a dark line marks the decision boundary (where
    the predicted class changes); the data sit on top, one colour and shape per
    class. ``show(net, X, Y)`` redraws all of it (every artist is ``live``, so an
    explorable redraws only these), and returns the accuracy on (X, Y).
    """

    def __init__(
        self,
        ax,
        limits=((-1.5, 2.5), (-1.25, 1.75)),
        resolution: int = 90,
        classes: int = 3,
    ):
        (x0, x1), (y0, y1) = limits
        self.ax, self.extent = ax, (x0, x1, y0, y1)
        gx, gy = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
        self.gx, self.gy = np.meshgrid(gx, gy)
        self.grid = np.column_stack([self.gx.ravel(), self.gy.ravel()])
        self.shape = self.gx.shape
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_aspect("equal", adjustable="box")
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        blank = np.ones(self.shape + (3,))
        self.image = ax.imshow(
            blank,
            extent=self.extent,
            origin="lower",
            interpolation="bilinear",
            zorder=0,
        )
        self.points = [
            ax.plot(
                [],
                [],
                CLASS_MARKERS[k],
                ms=5.5,
                mfc=CLASS_COLORS[k],
                mec="white",
                mew=0.6,
                zorder=3,
                label=f"class {k}",
            )[0]
            for k in range(classes)
        ]
        self.boundary = LineCollection(
            [], colors=COLORS["neutral"], linewidths=1.8, zorder=2
        )
        ax.add_collection(self.boundary)
        live(self.image, self.boundary, *self.points)

    def show(self, net, X, Y) -> float:
        """Paint what ``net`` predicts, draw (X, Y) on top; returns the accuracy."""
        P = probabilities(net, self.grid)
        k = P.shape[1]
        colours = np.array([rgb_of(c) for c in CLASS_COLORS[:k]])
        winner = np.argmax(P, axis=1)
        confidence = (P.max(axis=1) - 1 / k) / (1 - 1 / k)  # 0 on the boundary, 1 sure
        depth = (0.18 + 0.42 * confidence)[:, None]
        rgb = 1 - depth * (1 - colours[winner])
        self.image.set_data(rgb.reshape(self.shape + (3,)))
        self.boundary.set_segments(self._boundary_lines(P))
        labels = labels_of(Y)
        X = np.asarray(X, dtype=float)
        for c, artist in enumerate(self.points):
            artist.set_data(X[labels == c, 0], X[labels == c, 1])
        guess = np.argmax(probabilities(net, X), axis=1)
        return float(np.mean(guess == labels))

    def _boundary_lines(self, P) -> list:
        """Where the winning class changes: for each class, the level 0 of its
        probability minus the best other one (smooth, unlike the winner itself)."""
        lines = []
        for c in range(P.shape[1] if P.shape[1] > 2 else 1):
            others = np.delete(P, c, axis=1).max(axis=1)
            margin = (P[:, c] - others).reshape(self.shape)
            gen = contour_generator(self.gx, self.gy, margin)
            lines += [seg for seg in gen.lines(0.0) if len(seg) > 1]
        return lines


def boundary_and_loss(
    get_run: Callable,
    limits=((-1.5, 2.5), (-1.25, 1.75)),
    epoch: str = "epoch",
    loss_label: str = "cross-entropy $L$",
    loss_range=(1e-3, 3.0),
    epochs_max: int | None = None,
    resolution: int = 90,
    validation: bool = False,
    label: Callable | None = None,
    title_label: Callable | None = None,
):
    """Explorable drawing: a training run scrubbed epoch by epoch.

    ``get_run(**values)`` gets every slider value except ``epoch`` and returns
    ``(net, history, X, Y)``: a network (its weights are overwritten), the
    History of a run trained with ``record_epochs=True``, and the data. The left
    panel shows the network after the chosen epoch over the data
    (``BoundaryPanel``); the right one the run's training loss per epoch on a log
    scale, with the chosen epoch marked. With ``validation`` the runs keep a
    validation loss (``train(..., validation=…)``): it is drawn too, with the
    epoch where it was lowest (where early stopping would stop). An epoch past
    the end of a diverged run shows the last finite network and says where the
    run diverged. Cache runs in
    ``get_run``: the slider that moves most is the epoch, and it trains nothing.
    ``label(**values)`` (the same values as ``get_run``) names the run in the
    frame's description, e.g. "moons, η = 1", so a reader who cannot see the
    picture hears which run it is. ``title_label(**values)``, if given, is a short
    name of the run (e.g. "ReLU") shown above the left panel's title, so the
    picture says it too. Returns ``build``.
    """

    def build(fig):
        grid = fig.add_gridspec(1, 2, width_ratios=[1.0, 1.15])
        left, right = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        panel = BoundaryPanel(left, limits, resolution)
        title = left.set_title(" ", fontsize=11)
        right.set_yscale("log")
        right.set_ylim(*loss_range)
        if epochs_max:
            right.set_xlim(0, epochs_max)
        right.set_xlabel("epoch")
        right.set_ylabel(loss_label)
        (curve,) = right.plot([], [], color=COLORS["loss"], label="training loss")
        if validation:
            (val,) = right.plot(
                [], [], color=COLORS["path"], ls="--", label="validation loss"
            )
            (best,) = right.plot(
                [],
                [],
                ":",
                color=COLORS["neutral"],
                lw=1.5,
                label="lowest validation loss",
            )
            live(val, best)
        (mark,) = right.plot(
            [],
            [],
            "o",
            color=COLORS["step"],
            ms=9,
            zorder=5,
            label="this epoch",
            clip_on=False,
        )
        note = warning_note(right, 0.5, 0.92)
        # below the panels, from the left: a phone shows it without a swipe
        fig.legend(
            *right.get_legend_handles_labels(), loc="outside lower left", ncols=2
        )
        live(title, curve, mark, note)

        def update(**values):
            k = int(round(values.pop(epoch)))
            net, history, X, Y = get_run(**values)
            named = f"{label(**values)}. " if label else ""
            shown = min(k, len(history.snapshots) - 1)
            net.set_flat(history.snapshots[shown])
            acc = panel.show(net, X, Y)
            losses = np.asarray(history.losses)
            curve.set_data(np.arange(len(losses)), np.clip(losses, *loss_range))
            mark.set_data([shown], [np.clip(losses[shown], *loss_range)])
            headline = f"after epoch {shown}: {f(100 * acc, '.0f')} % right"
            if title_label:
                headline = f"{title_label(**values)}\n{headline}"
            title.set_text(headline)
            said = named + (
                f"After epoch {shown} the network classifies {f(100 * acc, '.0f')} % "
                f"of the points correctly; the loss is {f(losses[shown], '.3g')}."
            )
            if validation:
                v = np.asarray(history.val_losses)
                k_best = int(np.argmin(v))
                val.set_data(np.arange(len(v)), np.clip(v, *loss_range))
                best.set_data([k_best, k_best], list(loss_range))
                said += (
                    f" The validation loss is {f(v[shown], '.3g')}; it was lowest, "
                    f"{f(v[k_best], '.3g')}, after epoch {k_best}."
                )
            if history.diverged:
                note.set_text(f"diverged at epoch {history.diverged_at}")
                said += f" The run diverged at epoch {history.diverged_at}."
            else:
                note.set_text("")
            note.set_visible(bool(note.get_text()))
            return said

        return update

    return build
