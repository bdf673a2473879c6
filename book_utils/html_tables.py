"""Tables as HTML: the book's one table writer. It formats; it never computes.

Every table is real HTML (never a picture), with the book's symbols written in
HTML (w<sup>(1)</sup><sub>11</sub>) so it needs no MathJax when a scrubber swaps it
in, and ``data-label`` on each cell so a phone can reflow a row into a card.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .prose import fmt_number as f


class HTMLTable(str):
    """HTML that Jupyter and the book display as itself (a table, not its source)."""

    def _repr_html_(self) -> str:
        return str(self)


def _table(
    columns: Sequence[str],
    body: Sequence[str],
    caption: str = "",
    classes: str = "lfm-table",
    foot: str = "",
) -> HTMLTable:
    """Caption, a header row naming ``columns``, the rows of ``body``, a footer."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in columns)
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return HTMLTable(
        f'<table class="{classes}">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody>{foot}</table>"
    )


def _cells(columns: Sequence[str], values: Sequence[str]) -> str:
    """Data cells, each labelled with its column (a phone shows the label beside it)."""
    return "".join(
        f'<td data-label="{escape(str(c))}">{v}</td>' for c, v in zip(columns, values)
    )


def html_table(
    header: Sequence[str], rows: Sequence[Sequence], caption: str = ""
) -> HTMLTable:
    """A plain table in the book's table style: ``header`` names the columns and the
    first cell of every row names the row. Cells are shown as text (numbers should
    be formatted first, with real minus signs)."""
    body = []
    for row in rows:
        first, *rest = [str(c) for c in row]
        cells = _cells(header[1:], [escape(v) for v in rest])
        body.append(f'<tr><th scope="row">{escape(first)}</th>{cells}</tr>')
    return _table(header, body, caption)


def gradient_table_html(
    table, extra: tuple[Sequence[str], dict] | None = None, caption: str | None = None
) -> HTMLTable:
    """A ``gradcheck.GradientTable`` as an HTML table: per entry SymPy (when the
    check has it) | the analytic gradient | finite difference | relative error, with
    each row's verdict as the table holds it, and the summary underneath.

    extra: (column names, {entry name: [cell texts]}) for columns after the check.
    """
    sympy = ["SymPy"] if table.three_way else []
    columns = [table.row_header, *sympy, table.method, "finite difference"]
    extra_names, extra_cells = extra if extra else ((), {})
    body = []
    for r in table.visible_rows:
        numbers = ([r.symbolic] if sympy else []) + [r.backprop, r.numeric]
        mark = {"good": "✔", "near kink": "⚑ near kink"}.get(
            r.verdict, f"✘ {r.verdict}"
        )
        state = "lfm-ok" if r.passed else "lfm-bad"
        cells = _cells(columns[1:], [f(v, ".8g") for v in numbers])
        cells += (
            f'<td data-label="relative error" class="{state}">'
            f"{f(r.rel_error, '.0e') if r.rel_error else '0'} {mark}</td>"
        )
        cells += _cells(extra_names, [escape(v) for v in extra_cells.get(r.name, [])])
        body.append(f'<tr><th scope="row">{r.label.html}</th>{cells}</tr>')
    columns += ["relative error", *extra_names]
    state = "lfm-ok" if table.passed else "lfm-bad"
    foot = (
        f'<tfoot><tr><td colspan="{len(columns)}" class="{state}">'
        f"{escape(table.summary())}</td></tr></tfoot>"
    )
    title = caption if caption is not None else table.caption
    return _table(columns, body, title, "lfm-table lfm-gradcheck", foot)
