"""The README's screenshot of the audit screen (``docs/audit-screen.svg``).

    .venv/bin/python -m tests.tui.screenshot            # rewrite docs/audit-screen.svg

120×40, the luding sample with one requests cell broken (31 → 32), the first
finding selected. Deterministic: a fresh database under a relative name in a
temporary folder (the header shows ``audit.json``), no clock, no cursor blink.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "docs" / "audit-screen.svg"
SIZE = (120, 40)


async def _render(folder: Path) -> str:
    from store import AuditStore
    from tui.app import GiprApp

    from .conftest import write_broken_luding

    store = AuditStore.open("audit.json", auditor="审核人")
    try:
        store.import_file(write_broken_luding(folder))
        app = GiprApp(store)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("right_square_bracket")
            await pilot.pause()
            await pilot.pause()
            return app.export_screenshot(title="gipr-tui 审核界面")
    finally:
        store.close()


def render() -> str:
    """The audit screen as SVG text."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            return asyncio.run(_render(Path(tmp)))
        finally:
            os.chdir(here)


def main() -> int:
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(render(), encoding="utf-8")
    print(OUTPUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
