"""Tables as HTML: the three-way gradient check, readable by eye and by screen reader.

Every table is real HTML (never a picture), with the book's symbols written in
HTML (w<sup>(1)</sup><sub>11</sub>) so it needs no MathJax when a scrubber swaps it
in, and ``data-label`` on each cell so a phone can reflow a row into a card.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from ..prose import fmt_number as f

GOOD_VERDICTS = ("good", "near kink")


def gradient_table_html(table, extra: tuple[Sequence[str], dict] | None = None,
                        caption: str | None = None) -> str:  # fmt: skip
    """A ``symbolic.GradientTable`` as an HTML table.

    extra: (column names, {entry name: [cell texts]}) for columns after the check.
    The footer gives the verdict on every row checked, shown or not.
    """
    columns = [
        table.row_header,
        "SymPy",
        table.method,
        "finite difference",
        "relative error",
    ]
    extra_names, extra_cells = extra if extra else ((), {})
    columns += list(extra_names)
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = []
    for r in table.visible_rows:
        ok = r.verdict in GOOD_VERDICTS
        mark = {"good": "✔", "near kink": "⚑ near kink"}.get(
            r.verdict, f"✘ {r.verdict}"
        )
        cells = [f(r.symbolic, ".8g"), f(r.backprop, ".8g"), f(r.numeric, ".8g")]
        tds = "".join(
            f'<td data-label="{escape(c)}">{v}</td>'
            for c, v in zip(columns[1:4], cells)
        )
        tds += (
            f'<td data-label="relative error" class="{"lfm-ok" if ok else "lfm-bad"}">'
            f"{f(r.rel_error, '.0e')} {mark}</td>"
        )
        tds += "".join(
            f'<td data-label="{escape(c)}">{escape(v)}</td>'
            for c, v in zip(extra_names, extra_cells.get(r.name, []))
        )
        body.append(f'<tr><th scope="row">{r.label.html}</th>{tds}</tr>')
    state = "lfm-ok" if table.passed else "lfm-bad"
    foot = (
        f'<tfoot><tr><td colspan="{len(columns)}" class="{state}">'
        f"{escape(table.summary())}</td></tr></tfoot>"
    )
    title = escape(caption if caption is not None else table.caption)
    return (
        f'<table class="lfm-table lfm-gradcheck"><caption>{title}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>{foot}</table>"
    )


def three_way_table(
    make_problem: Callable, loss: str, names: Sequence[str] | None = None
):
    """``make(**values)`` for an ``explore.Table``: the three-way check at the sliders.

    ``make_problem(**values)`` returns (network, X, Y) for the slider values. The
    table shows, per parameter, SymPy | backprop | finite differences | relative
    error, then the parameter's value and, when there is an ``lr`` slider, its
    value after one gradient-descent step.
    """
    from ..losses import get_loss
    from ..symbolic import three_way
    from ..training import gradient_descent_step

    symbol = get_loss(loss).symbol

    def make(**values):
        net, X, Y = make_problem(**values)
        table = three_way(net, X, Y, loss, names=list(names) if names else None)
        flat = dict(zip(net.flat_names(), net.get_flat()))
        if "lr" in values:
            columns = ["now → after one step"]
            cells = {
                r.name: [
                    f"{f(flat[r.name], '.4g')} → "
                    f"{f(gradient_descent_step(flat[r.name], r.backprop, values['lr']), '.4g')}"
                ]
                for r in table.rows
            }
        else:
            columns, cells = (
                ["value"],
                {r.name: [f(flat[r.name], ".4g")] for r in table.rows},
            )
        value = f(net.loss(X, Y, loss), ".6g")
        caption = f"∂{symbol}/∂θ three ways, at {symbol} = {value}"
        page = gradient_table_html(table, (columns, cells), caption)
        return page, f"At {symbol} = {value}: {table.summary()}."

    return make


class HTMLTable(str):
    """HTML that Jupyter and the book display as itself (a table, not its source)."""

    def _repr_html_(self) -> str:
        return str(self)


def html_table(
    header: Sequence[str], rows: Sequence[Sequence], caption: str = ""
) -> HTMLTable:
    """A plain table in the book's table style: ``header`` names the columns and the
    first cell of every row names the row. Cells are shown as text (numbers should
    be formatted first, with real minus signs)."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in header)
    body = []
    for row in rows:
        first, *rest = [str(c) for c in row]
        tds = "".join(
            f'<td data-label="{escape(str(c))}">{escape(v)}</td>'
            for c, v in zip(header[1:], rest)
        )
        body.append(f'<tr><th scope="row">{escape(first)}</th>{tds}</tr>')
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return HTMLTable(
        f'<table class="lfm-table">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
