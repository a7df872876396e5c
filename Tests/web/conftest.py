"""Fixtures of the browser tests: a real `booksprint serve` on loopback with a fresh data
folder, an API client, headless Chromium sessions, screenshots, axe-core and EPUBCheck.

The tests use the debug binary that `swift build --build-tests` made
(`.build/debug/booksprint`; `BOOKSPRINT_BINARY` names another). A missing browser, driver,
binary or oracle fails a test: it never skips one.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from webapp import REPO, Api, Server, console_problems, make_chrome, set_viewport

SCREENSHOTS = REPO / ".build" / "web-screenshots"
SIZES = [(1280, 800), (390, 844)]


@pytest.fixture
def server(tmp_path):
    """A fresh `booksprint serve` (debug build) on a free loopback port, started from the
    repository root so that it imports the sample book; its output is in TMP/server.log."""
    data = tmp_path / "data"
    data.mkdir()
    s = Server(data, tmp_path / "server.log")
    s.start()
    if not s.book_id:
        pytest.fail(f"the server imported no sample book:\n{s.log()}")
    yield s
    s.stop()


@pytest.fixture
def admin(server) -> Api:
    return server.api()


# --- browsers ----------------------------------------------------------------------------

@pytest.fixture
def browser(request, tmp_path):
    """A factory of headless Chromium sessions: `browser(width=1280, height=800)`. Each has a
    profile of its own (its own localStorage), a download folder (`driver.download_dir`), and
    its console collected; at teardown a test fails on any SEVERE console entry that is not
    a network answer (`driver.allowed_console` holds regexes a test expects)."""
    drivers = []

    def make(width: int = 1280, height: int = 800):
        n = len(drivers) + 1
        try:
            driver = make_chrome(tmp_path, f"{n}", width, height)
        except Exception as error:  # a browser that does not start is a failure, not a skip
            pytest.fail(f"Chromium did not start: {error}")
        drivers.append(driver)
        return driver

    yield make

    problems = []
    for n, driver in enumerate(drivers, 1):
        try:
            bad = console_problems(driver)
        except Exception as error:
            bad = [f"could not read the console: {error}"]
        problems += [f"browser {n}: {line}" for line in bad]
        (tmp_path / f"console-{n}.log").write_text(
            "\n".join(f"{e['level']} {e.get('source', '')} {e['message']}" for e in driver.console))
        try:
            driver.quit()
        except Exception:
            pass
    if problems:
        pytest.fail("the app logged errors in the browser console:\n" + "\n".join(problems))


# --- screenshots, axe-core ---------------------------------------------------------------

@pytest.fixture
def screenshot():
    """`screenshot(driver, name)` saves `.build/web-screenshots/NAME-WxH.png` at the current
    viewport; `screenshot(driver, name, both=True)` takes it at 1280x800 and 390x844 and
    puts the viewport back."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(driver, name: str, both: bool = False) -> list[Path]:
        before = getattr(driver, "viewport", (1280, 800))
        sizes = SIZES if both else [before]
        saved = []
        for width, height in sizes:
            if (width, height) != driver.viewport:
                set_viewport(driver, width, height)
                time.sleep(0.4)  # layout and fonts settle
            path = SCREENSHOTS / f"{name}-{width}x{height}.png"
            driver.save_screenshot(str(path))
            saved.append(path)
        if driver.viewport != before:
            set_viewport(driver, *before)
            time.sleep(0.2)
        return saved

    return take


AXE_SCRIPT = None


def axe_violations(driver) -> list[dict]:
    """axe-core (the copy axe-selenium-python carries) on the current page: its violations."""
    global AXE_SCRIPT
    if AXE_SCRIPT is None:
        import axe_selenium_python
        path = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
        if not path.exists():
            pytest.fail(f"axe-core missing at {path}: Scripts/install-deps --test")
        AXE_SCRIPT = path.read_text(encoding="utf-8")
    driver.execute_script(AXE_SCRIPT)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations), e => done({error: String(e)}));")
    if isinstance(result, dict) and "error" in result:
        pytest.fail(f"axe-core failed: {result['error']}")
    return result


def axe_report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
            lines.append(f"        {node.get('html', '')[:200]}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """`axe(driver)` returns axe-core's violations on the page; `axe.assert_clean(driver,
    what)` fails on any critical or serious one, printing them readably."""

    class Axe:
        def __call__(self, driver):
            return axe_violations(driver)

        def assert_clean(self, driver, what: str) -> list[dict]:
            violations = axe_violations(driver)
            bad = [v for v in violations if v.get("impact") in ("critical", "serious")]
            if bad:
                pytest.fail(f"axe-core on {what}: {len(bad)} critical or serious violations\n" + axe_report(bad))
            return violations

    return Axe()
