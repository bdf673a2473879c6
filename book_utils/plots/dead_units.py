"""Drawings of dead neurons: a network whose hidden ReLU units are marked by how often
they fire, and the count of units that never fire, epoch by epoch, with the loss."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib as mpl
import numpy as np

from ..diagnostics import never_firing_per_epoch
from ..prose import fmt_number as f
from .networks import NetworkDrawing
from .style import COLORS, MIN_FONT, OKABE_ITO, live, rgb_of, warning_note

DEAD_FACE = "#8a8a8a"


def dead_units_in_training(
    get_run: Callable,
    sizes,
    epochs: int,
    loss_label: str = "loss $L$",
    loss_range=(1e-3, 3.0),
):
    """Explorable drawing: which hidden units a training run killed.

    ``get_run(**values)`` returns ``(net, history, X)``: a network with layer sizes
    ``sizes``, the History of its run of ``epochs`` epochs (trained with
    ``record_epochs=True``) and its inputs. Left: the network, each hidden
    neuron showing the share of inputs on which its weighted sum z is positive;
    a neuron at 0 % (z ≤ 0 for every input) is filled grey. Right: the number of
    such neurons after every epoch, and the training loss. Returns ``build``.
    """
    counts_cache: dict[tuple, np.ndarray] = {}

    def counts(key, net, history, X) -> np.ndarray:
        """Neurons that never fire after each epoch (once per run: cached)."""
        if key not in counts_cache:
            counts_cache[key] = never_firing_per_epoch(net, history.snapshots, X)
        return counts_cache[key]

    def build(fig):
        grid = fig.add_gridspec(2, 2, width_ratios=[1.25, 1], hspace=0.1)
        ax_net = fig.add_subplot(grid[:, 0])
        ax_dead, ax_loss = fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, 1])
        drawing = NetworkDrawing(ax_net, sizes, key="")
        drawing.dots.set_sizes([820])
        for *_, line in drawing.edges:  # the connections stay put: drawn once, in grey
            line.set(color="#b9b9b9", linewidth=0.8, animated=False)
        key = drawing.key
        title = ax_net.set_title(" ", pad=16)
        ax_dead.set_ylabel("never fire")
        ax_dead.tick_params(labelbottom=False)
        ax_dead.set_ylim(-0.4, sum(sizes[1:-1]) + 0.6)
        for a in (ax_dead, ax_loss):
            a.set_xlim(0, epochs)
        (dead_line,) = ax_dead.plot(
            [], [], color=DEAD_FACE, lw=2.2, drawstyle="steps-post"
        )
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(*loss_range)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel(loss_label)
        (loss_line,) = ax_loss.plot([], [], color=COLORS["loss"])
        note = warning_note(ax_loss, 0.5, 0.9, fontsize=10)
        live(title, key, dead_line, loss_line, note)
        sky = rgb_of(OKABE_ITO["sky"])

        def update(**values):
            net, history, X = get_run(**values)
            per_epoch = counts(tuple(sorted(values.items())), net, history, X)
            dead_line.set_data(np.arange(len(per_epoch)), per_epoch)
            losses = np.asarray(history.losses)
            loss_line.set_data(np.arange(len(losses)), np.clip(losses, *loss_range))
            net.set_flat(history.snapshots[-1])
            cache = net.forward(X)
            faces, hidden = [], []
            for l, k in drawing.centres:
                if 0 < l < len(net.sizes) - 1:
                    share = float(np.mean(cache.zs[l - 1][:, k] > 0))
                    hidden.append(share)
                    drawing.inside[l, k].set_text(f"{f(100 * share, '.0f')}%")
                    drawing.inside[l, k].set_color("white" if share == 0 else "black")
                    drawing.inside[l, k].set_fontsize(MIN_FONT)
                    faces.append(
                        mpl.colors.to_rgba(DEAD_FACE)
                        if share == 0
                        else (*(1 - (0.25 + 0.6 * share) * (1 - sky)), 1.0)
                    )
                else:
                    drawing.inside[l, k].set_text("")
                    faces.append((1.0, 1.0, 1.0, 1.0))
            drawing.dots.set_facecolors(faces)
            leaky = net.activations[0].name == "leaky_relu"
            key.set_text(
                "in each hidden neuron: the share of inputs with z > 0\n"
                + (
                    "grey: none at all. Asleep: slope 0.01, still learning slowly"
                    if leaky
                    else "grey: none at all. Dead: output 0, slope 0, no gradient"
                )
            )
            for text in drawing.below.values():
                text.set_text("")
            start, end = int(per_epoch[0]), int(per_epoch[-1])
            n_hidden = len(hidden)
            done = len(history.losses) - 1
            title.set_text(
                f"after {done} epochs: {end} of {n_hidden} hidden neurons never fire"
            )
            if history.diverged:
                note.set_text(f"diverged at epoch {history.diverged_at}")
            elif losses[-1] > loss_range[1]:
                note.set_text(f"the loss ends at {f(losses[-1], '.3g')}: off the chart")
            else:
                note.set_text("")
            note.set_visible(bool(note.get_text()))
            setting = ("Leaky ReLU" if leaky else "ReLU") + "".join(
                f", {label} {f(values[k], '.3g')}"
                for k, label in (("lr", "η ="), ("b0", "starting bias"))
                if k in values
            )
            said = setting + (
                f": {start} of {n_hidden} hidden neurons never fire at the start, {end} "
                f"after {done} epochs; the loss goes from {f(losses[0], '.3g')} to "
                f"{f(losses[-1], '.3g')}."
            )
            if history.diverged:
                said += f" The run diverged at epoch {history.diverged_at}."
            return said

        return update

    return build
