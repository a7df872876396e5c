"""Fixtures of the browser tests: a real `booksprint serve` on loopback with a fresh data
folder, an API client, headless Chromium sessions, screenshots, axe-core and EPUBCheck.

The tests use the debug binary that `swift build --build-tests` made
(`.build/debug/booksprint`; `BOOKSPRINT_BINARY` names another). A missing browser, driver,
binary or oracle fails a test: it never skips one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from webapp import (  # noqa: F401  (re-exported for the tests)
    REPO,
    Api,
    ApiError,
    console_problems,
    epubcheck,
    wait_until,
)

BINARY = Path(os.environ.get("BOOKSPRINT_BINARY", REPO / ".build" / "debug" / "booksprint"))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = REPO / ".build" / "web-screenshots"
SIZES = [(1280, 800), (390, 844)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `booksprint serve` process on loopback; `kill9()` and `start()` keep its data
    folder and port, so a browser reconnects to the same address."""

    def __init__(self, data: Path, log: Path, port: int | None = None, binary: Path = BINARY):
        if not binary.exists():
            pytest.fail(f"{binary} is missing: run `swift build --build-tests` first (Scripts/test does)")
        self.binary = binary
        self.data = data
        self.log_path = log
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.admin_password: str | None = None
        self.book_id: str | None = None
        self.starts = 0

    def start(self, timeout: float = 60) -> None:
        assert self.process is None or self.process.poll() is not None, "the server is running already"
        log = open(self.log_path, "ab")
        log.write(f"--- start {self.starts + 1}: {self.binary} serve --port {self.port}\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--data", str(self.data), "--port", str(self.port)],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        self.starts += 1
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"booksprint serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                status, _, _ = Api(self.base).request("GET", "/api/v1/openapi.yaml", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"booksprint serve did not answer within {timeout} s:\n{self.log()}")
            time.sleep(0.1)
        if self.admin_password is None:
            found = re.search(r"one-time password (\S+)", self.log())
            if not found:
                pytest.fail(f"no admin password in the server's output:\n{self.log()}")
            self.admin_password = found.group(1)
            imported = re.search(r"imported the sample book from \S+ as (\S+)", self.log())
            self.book_id = imported.group(1) if imported else None

    def kill9(self) -> None:
        """SIGKILL: no clean shutdown, as when the machine loses power."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def url(self, path: str = "/") -> str:
        return self.base + path

    # --- API and CLI helpers -----------------------------------------------------------

    def api(self, username: str = "admin", password: str | None = None) -> Api:
        """An API client signed in as `username` (the admin by default)."""
        api = Api(self.base)
        api.login(username, password if password is not None else self.admin_password)
        return api

    def add_user(self, name: str, password: str, admin: bool = False) -> None:
        """`booksprint user add` on the live store (SQLite WAL lets it write beside serve)."""
        command = [str(self.binary), "user", "add", name, "--password-stdin", "--data", str(self.data)]
        if admin:
            command.insert(3, "--admin")
        done = subprocess.run(command, input=password + "\n", capture_output=True, text=True, cwd=REPO, timeout=60)
        if done.returncode != 0:
            pytest.fail(f"user add {name} failed ({done.returncode}): {done.stdout}{done.stderr}")

    def add_author(self, name: str, password: str, book: str | None = None, role: str = "author") -> Api:
        """A new account with `role` on `book` (the sample book by default), signed in."""
        self.add_user(name, password)
        self.api().put_member(book or self.book_id, name, role)
        return self.api(name, password)


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

def _require_browser() -> None:
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.exists(tool) and os.access(tool, os.X_OK)):
            pytest.fail(f"{tool} is missing: Scripts/install-deps --test installs chromium and chromium-driver")


def set_viewport(driver, width: int, height: int) -> None:
    """Makes the page's viewport exactly width x height CSS pixels (a phone-like, touch-less
    mobile viewport below 600 px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.viewport = (width, height)


@pytest.fixture
def browser(request, tmp_path):
    """A factory of headless Chromium sessions: `browser(width=1280, height=800)`. Each has a
    profile of its own (its own localStorage), a download folder (`driver.download_dir`), and
    its console collected; at teardown a test fails on any SEVERE console entry that is not
    a network answer (`driver.allowed_console` holds regexes a test expects)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    _require_browser()
    drivers = []

    def make(width: int = 1280, height: int = 800):
        n = len(drivers) + 1
        downloads = tmp_path / f"downloads-{n}"
        downloads.mkdir()
        profile = tmp_path / f"profile-{n}"
        options = Options()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--no-first-run", "--disable-extensions", "--disable-background-networking",
                    "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                    "--disable-backgrounding-occluded-windows", "--disable-search-engine-choice-screen",
                    f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(arg)
        options.add_experimental_option("prefs", {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
        })
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # Dialogs stay open for the test to see (beforeunload, or an alert it must not get).
        options.set_capability("unhandledPromptBehavior", "ignore")
        service = Service(CHROMEDRIVER, log_output=str(tmp_path / f"chromedriver-{n}.log"))
        try:
            driver = webdriver.Chrome(options=options, service=service)
        except Exception as error:  # a browser that does not start is a failure, not a skip
            pytest.fail(f"Chromium did not start: {error}")
        driver.set_script_timeout(60)
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
            "behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True})
        set_viewport(driver, width, height)
        driver.download_dir = downloads
        driver.console = []
        driver.allowed_console = []
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
