"""Waits for browser tests on the page's own events, never on time.

Playwright's actions (fill, click) return once the page has handled the input's events; what the page
queued from them (a redraw in the next frame, a timer) has run once ``settle`` returns. A wait's time
limit is Playwright's default, a safeguard against a hang that fails with the condition awaited.
"""
from __future__ import annotations

SETTLED = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))"


def settle(page) -> None:
    """Return once the page has loaded and run what it queued: the next frame, then the next task."""
    page.wait_for_load_state("load")
    page.evaluate(SETTLED)
