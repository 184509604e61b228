"""What an auditor may type into a cell: validation and normalisation.

A count is a whole number >= 0 (the 2019 format's 本年增/减 may be negative);
money (万元) is a decimal string with at most 6 places (to the fen: real reports print 万元 to 6 decimals), kept as written; the
2019 procurement amount may carry its unit (``"123.5万元"``). ``None`` means
"no value in the source". A bad value raises ValueError with a Chinese message.
"""

from __future__ import annotations

import re

from parsing.model.schema import cell_label, is_money, is_signed

_INT = re.compile(r"^[+-]?\d+$")
_MONEY = re.compile(r"^\d+(\.\d{1,6})?$")
_MONEY_UNIT = re.compile(r"^\d+(\.\d{1,6})?(万元|元|亿元)?$")


def normalize(path: str, value, fmt: str | None):
    """The value to store for ``path``, or ValueError."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("，", "")
        if value == "":
            return None
    label = cell_label(path, fmt)
    if is_money(path):
        return _money(path, value, label)
    return _count(path, value, fmt, label)


def _money(path: str, value, label: str) -> str:
    if isinstance(value, bool):
        raise ValueError(f"{label}：金额必须是数字")
    if isinstance(value, int):
        value = str(value)
    elif isinstance(value, float):
        value = repr(value)
    if not isinstance(value, str):
        raise ValueError(f"{label}：金额必须是数字")
    pattern = _MONEY_UNIT if path.endswith(".procurement.amount") else _MONEY
    if value.startswith("-"):
        raise ValueError(f"{label}：金额不能为负数")
    if not pattern.match(value):
        raise ValueError(f"{label}：金额必须是最多 6 位小数的数字（如 204.92），收到 {value!r}")
    return value


def _count(path: str, value, fmt: str | None, label: str) -> int:
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
    if value < 0 and not is_signed(path, fmt):
        raise ValueError(f"{label}：件数不能为负数")
    return value
