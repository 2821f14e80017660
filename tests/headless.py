"""Headless Chromium for the tests: one bounded run of the browser, and the width a page lays out
at a given window width (the layout viewport of a headless window is at least 500 px wide, so a
narrower width is measured in an iframe of that width)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
SKIP_REASON = "no headless browser: apt-get install -y chromium (scripts/setup --system installs it)"

# a page that shows another in an iframe of a given width and, once it is loaded, writes the width
# its document lays out at (scrollWidth) and the width it has (clientWidth) into its own DOM
FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>html, body {{ margin: 0; overflow: hidden; }}
iframe {{ border: 0; display: block; }}</style></head><body>
<iframe id="page" src="{src}" style="width: {width}px; height: {height}px"></iframe>
<script>document.getElementById("page").addEventListener("load", function () {{
  var d = this.contentDocument.documentElement, out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({{scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, scrollHeight: d.scrollHeight}});
  document.body.appendChild(out);
}});</script></body></html>"""


def browser(*args: str, user_data: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    command = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--allow-file-access-from-files",
        f"--user-data-dir={user_data}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, timeout=timeout, check=True)


def measure(page: Path, width: int, height: int, work: Path) -> dict:
    """scrollWidth, clientWidth and scrollHeight of a page (a file) laid out `width` px wide."""
    frame = Path(page).parent / f".measure-{width}.html"
    frame.write_text(FRAME.format(src=Path(page).name, width=width, height=height), encoding="utf-8")
    try:
        result = browser("--dump-dom", f"--window-size={max(width, 500)},{height}", frame.as_uri(), user_data=work)
    finally:
        frame.unlink()
    found = re.search(r'<pre id="measured">([^<]*)</pre>', result.stdout.decode("utf-8"))
    assert found, "the page did not load in the iframe"
    return json.loads(found.group(1))
