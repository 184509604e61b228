"""What an auditor may type into a cell: validation and normalisation.

What a cell may hold is the format's (``parsing.value_rule``): a count is a
whole number >= 0 (the 2019 format's 本年增/减 may be negative); money (万元)
is a decimal string with at most 6 places, kept as written; the 2019
procurement amount may carry its unit (``"123.5万元"``). ``None`` means "no
value in the source". A bad value raises ValueError with a Chinese message.
"""

from __future__ import annotations

import re

from parsing import value_rule
from parsing.model.schema import cell_label

_INT = re.compile(r"^[+-]?\d+$")


def normalize(path: str, value, fmt: str | None):
    """The value to store for ``path``, or ValueError."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("，", "")
        if value == "":
            return None
    label = cell_label(path, fmt)
    rule = value_rule(path, fmt)
    if rule.decimal:
        return _money(value, label, rule)
    return _count(value, label, rule)


def _money(value, label: str, rule) -> str:
    if isinstance(value, bool):
        raise ValueError(f"{label}：金额必须是数字")
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, float):
        value = repr(value)
    if not isinstance(value, str):
        raise ValueError(f"{label}：金额必须是数字")
    problem = rule.problem(value)
    if problem == "negative":
        raise ValueError(f"{label}：金额不能为负数")
    if problem:
        raise ValueError(f"{label}：金额必须是最多 {rule.places} 位小数的数字（如 204.92），收到 {value!r}")
    return value


def _count(value, label: str, rule) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{label}：必须是整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{label}：必须是整数，收到 {value!r}")
        value = int(value)
    elif isinstance(value, str):
        if not _INT.match(value):
            raise ValueError(f"{label}：必须是整数，收到 {value!r}")
        value = int(value)
    elif not isinstance(value, int):
        raise ValueError(f"{label}：必须是整数")
    if rule.problem(value) == "negative":
        raise ValueError(f"{label}：件数不能为负数")
    return value
