"""Report charts as inline SVG drawn on the server: no JavaScript, no inline style.

A chart always sits beside the table holding the same numbers; it adds a picture, not data.
So each one prints its values as text (nothing is told by colour alone), draws dark marks on
white that survive grayscale printing, and is an `role="img"` labelled by its own <title>
and <desc>. The Content-Security-Policy refuses `style` attributes: only SVG presentation
attributes (fill, stroke, font-size...) and classes are used.

The drawing is 360 units wide (a phone screen) and scales to its container (width="100%");
its height follows the data. Numbers are formatted by the caller (`value_format`, e.g.
flask_babel.format_number), so they read as the rest of the page.

Every function returns None for empty data: the table beside it already says there is
nothing, and an empty frame would only add noise. Values must not be negative (ValueError).
"""

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from markupsafe import Markup, escape

Number = int | float | Decimal
ValueFormat = Callable[[Number], str]

WIDTH = 360
FONT_SIZE = 12
SMALL_FONT_SIZE = 11
# Text cannot be measured on the server: an average sans-serif glyph is about 0.6 em wide.
GLYPH_WIDTH = 0.6
TEXT_COLOUR = "#212529"
BAR_COLOUR = "#1b3a5c"  # the brand colour, 11:1 on white
AXIS_COLOUR = "#495057"
GRID_COLOUR = "#ced4da"

_ID_PREFIX = re.compile(r"[A-Za-z][\w-]*")


def bar_chart(
    items: Sequence[tuple[str, Number]],
    *,
    title: str,
    description: str,
    value_format: ValueFormat = str,
    id_prefix: str | None = None,
) -> Markup | None:
    """Horizontal bars, one per (label, value): the label on the left, the value at the
    bar's end; the largest value spans the full bar width."""
    items = list(items)
    if not items:
        return None
    _check_not_negative(value for _, value in items)
    shown_values = [value_format(value) for _, value in items]
    label_width, gap, row, bar_height, padding = 132, 6, 28, 18, 6
    value_width = _text_width(max(map(len, map(str, shown_values))), FONT_SIZE) + gap
    full_width = max(WIDTH - label_width - gap - value_width, 60)
    largest = max(float(value) for _, value in items)
    label_chars = int((label_width - gap) / (GLYPH_WIDTH * FONT_SIZE))
    body = []
    for index, ((label, value), shown) in enumerate(zip(items, shown_values, strict=True)):
        top = padding + index * row
        width = full_width * float(value) / largest if largest else 0
        baseline = top + bar_height / 2 + 4
        bar_x = label_width + gap
        body.append(
            Markup(
                '<text x="{label_x}" y="{baseline}" text-anchor="end">{label}</text>'
                '<rect class="fcc-chart-bar" x="{bar_x}" y="{top}" width="{width}"'
                ' height="{height}" fill="{fill}"/>'
                '<text x="{value_x}" y="{baseline}">{value}</text>'
            ).format(
                label_x=label_width,
                baseline=_n(baseline),
                label=_label(label, label_chars),
                bar_x=bar_x,
                top=top,
                width=_n(width),
                height=bar_height,
                fill=BAR_COLOUR,
                value_x=_n(bar_x + width + gap),
                value=shown,
            )
        )
    height = 2 * padding + len(items) * row - (row - bar_height)
    return _svg("bar", height, title, description, id_prefix, body)


def funnel_chart(
    stages: Sequence[tuple[str, int]],
    *,
    title: str,
    description: str,
    value_format: ValueFormat = str,
    share_format: Callable[[float], str] = lambda share: f"{share:.0%}",
    id_prefix: str | None = None,
) -> Markup | None:
    """Centred bars, one per stage, each captioned "stage: count (share)" where the share
    is the count over the first stage's (left out when the first stage is zero).
    `share_format` gets a fraction, e.g. flask_babel.format_percent."""
    stages = list(stages)
    if not stages:
        return None
    _check_not_negative(count for _, count in stages)
    first = stages[0][1]
    largest = max(count for _, count in stages)
    row, caption_height, bar_height, padding = 48, 16, 22, 4
    line_chars = int(WIDTH / (GLYPH_WIDTH * FONT_SIZE))
    body = []
    for index, (label, count) in enumerate(stages):
        top = padding + index * row
        figures = value_format(count)
        if first:
            figures = f"{figures} ({share_format(count / first)})"
        width = WIDTH * count / largest if largest else 0
        body.append(
            Markup(
                '<text x="{middle}" y="{baseline}" text-anchor="middle">{label}: '
                '<tspan font-weight="bold">{figures}</tspan></text>'
                '<rect class="fcc-chart-bar" x="{x}" y="{bar_top}" width="{width}"'
                ' height="{height}" fill="{fill}"/>'
            ).format(
                middle=_n(WIDTH / 2),
                baseline=top + caption_height - 4,
                label=_label(label, max(line_chars - len(figures) - 2, 12)),
                figures=figures,
                x=_n((WIDTH - width) / 2),
                bar_top=top + caption_height,
                width=_n(width),
                height=bar_height,
                fill=BAR_COLOUR,
            )
        )
    height = 2 * padding + len(stages) * row - (row - caption_height - bar_height)
    return _svg("funnel", height, title, description, id_prefix, body)


def trend_chart(
    points: Sequence[tuple[str, Number]],
    *,
    title: str,
    description: str,
    value_format: ValueFormat = str,
    id_prefix: str | None = None,
) -> Markup | None:
    """Columns over time (e.g. one per month, labels as the caller words them), on a y axis
    of round ticks from 0 to at least the largest value. Each value is printed above its
    column when there is room, and is always in the column's tooltip."""
    points = list(points)
    if not points:
        return None
    _check_not_negative(value for _, value in points)
    ticks = axis_ticks(
        max(float(value) for _, value in points),
        whole=all(isinstance(value, int) for _, value in points),
    )
    axis_top = float(ticks[-1])
    tick_labels = [value_format(tick) for tick in ticks]
    shown_values = [value_format(value) for _, value in points]

    x_label_chars = 12
    longest_x_label = _text_width(
        min(max(len(str(label)) for label, _ in points), x_label_chars), SMALL_FONT_SIZE
    )
    left = _text_width(max(len(str(text)) for text in tick_labels), SMALL_FONT_SIZE) + 8
    slot = (WIDTH - left - 4) / len(points)
    rotate = longest_x_label > slot - 2
    if rotate:
        # Labels at 45 degrees reach left of their column: keep the first one inside.
        left = max(left, longest_x_label * 0.71)
        slot = (WIDTH - left - 4) / len(points)
    column_width = min(slot * 0.6, 36)
    plot_top, plot_height = 18, 160
    zero_y = plot_top + plot_height
    values_fit = _text_width(max(len(str(text)) for text in shown_values), 10) <= slot

    body = []
    for tick, text in zip(ticks, tick_labels, strict=True):
        y = zero_y - plot_height * float(tick) / axis_top
        body.append(
            Markup(
                '<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="{stroke}"/>'
                '<text class="fcc-chart-tick" x="{text_x}" y="{baseline}" text-anchor="end"'
                ' font-size="{size}">{text}</text>'
            ).format(
                left=_n(left),
                right=WIDTH - 4,
                y=_n(y),
                stroke=AXIS_COLOUR if tick == 0 else GRID_COLOUR,
                text_x=_n(left - 6),
                baseline=_n(y + 4),
                size=SMALL_FONT_SIZE,
                text=text,
            )
        )
    body.append(
        Markup('<line x1="{x}" x2="{x}" y1="{top}" y2="{bottom}" stroke="{stroke}"/>').format(
            x=_n(left), top=plot_top, bottom=zero_y, stroke=AXIS_COLOUR
        )
    )
    for index, ((label, value), shown) in enumerate(zip(points, shown_values, strict=True)):
        centre = left + slot * (index + 0.5)
        height = plot_height * float(value) / axis_top
        body.append(
            Markup(
                '<rect class="fcc-chart-bar" x="{x}" y="{y}" width="{width}" height="{height}"'
                ' fill="{fill}"><title>{label}: {value}</title></rect>'
            ).format(
                x=_n(centre - column_width / 2),
                y=_n(zero_y - height),
                width=_n(column_width),
                height=_n(height),
                fill=BAR_COLOUR,
                label=label,
                value=shown,
            )
        )
        if values_fit:
            body.append(
                Markup(
                    '<text x="{x}" y="{y}" text-anchor="middle" font-size="10">{value}</text>'
                ).format(x=_n(centre), y=_n(zero_y - height - 4), value=shown)
            )
        label_y = zero_y + (12 if rotate else 14)
        body.append(
            Markup(
                '<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}"{turn}>'
                "{label}</text>"
            ).format(
                x=_n(centre),
                y=label_y,
                anchor="end" if rotate else "middle",
                size=SMALL_FONT_SIZE,
                turn=Markup(' transform="rotate(-45 {} {})"').format(_n(centre), label_y)
                if rotate
                else "",
                label=_label(label, x_label_chars),
            )
        )
    bottom = longest_x_label * 0.71 + 18 if rotate else 20
    return _svg("trend", math.ceil(zero_y + bottom), title, description, id_prefix, body)


def axis_ticks(largest: float, *, whole: bool = False) -> list[Number]:
    """Round ticks from 0 to at least `largest`: multiples of 1, 2 or 5 x 10^n, about five
    intervals; never a fraction when `whole` (counts). [0, 1] when `largest` is 0."""
    if largest <= 0:
        return [0, 1]
    wanted = Decimal(largest) / 5
    exponent = math.floor(math.log10(wanted))
    step = next(
        step
        for step in (Decimal(mantissa).scaleb(exponent) for mantissa in (1, 2, 5, 10))
        if step >= wanted
    )
    if whole:
        step = max(step, Decimal(1))
    ticks = (step * index for index in range(math.ceil(Decimal(largest) / step) + 1))
    return [int(tick) if tick == tick.to_integral_value() else float(tick) for tick in ticks]


def _svg(
    kind: str,
    height: float,
    title: str,
    description: str,
    id_prefix: str | None,
    body: list[Markup],
) -> Markup:
    if id_prefix is None:
        # Deterministic, so a page renders the same twice; pass id_prefix when one page
        # shows two charts of the same kind and title.
        digest = hashlib.blake2s(f"{kind}\0{title}".encode(), digest_size=4).hexdigest()
        id_prefix = f"chart-{kind}-{digest}"
    elif not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"not a usable id prefix: {id_prefix!r}")
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="fcc-chart fcc-chart-{kind}" role="img"'
        ' aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {width} {height}"'
        ' width="100%" font-family="system-ui, sans-serif" font-size="{size}" fill="{text}">'
        '<title id="{prefix}-title">{title}</title><desc id="{prefix}-desc">{description}</desc>'
        "{body}</svg>"
    ).format(
        kind=kind,
        prefix=id_prefix,
        width=WIDTH,
        height=_n(height),
        size=FONT_SIZE,
        text=TEXT_COLOUR,
        title=title,
        description=description,
        body=Markup("").join(body),
    )


def _label(text: str, max_chars: int) -> Markup:
    """The text escaped, cut to `max_chars` with an ellipsis; then the full text stays in a
    <title> child of the <text> element (a tooltip)."""
    text = str(text)
    if len(text) <= max_chars:
        return escape(text)
    return Markup("<title>{}</title>{}\N{HORIZONTAL ELLIPSIS}").format(
        text, text[: max_chars - 1].rstrip()
    )


def _check_not_negative(values: Iterable[Number]) -> None:
    if any(value < 0 for value in values):
        raise ValueError("charts draw quantities: values cannot be negative")


def _text_width(chars: int, font_size: int) -> float:
    return chars * GLYPH_WIDTH * font_size


def _n(value: float) -> str:
    """A coordinate with at most one decimal: short and the same on every run."""
    return f"{value:.1f}".removesuffix(".0")
