"""4. The server is killed (kill -9) while an author types and restarted 10 s later: the
screen says offline, nothing typed is lost, and it is saved once the server is back. And
edits still unsent when the page reloads come back from the device and get saved."""

import time

from webapp import (alert_text, connection_state, css, editor_value, open_chapter, put_caret, reload_page,
                    save_state, sign_in, type_keys, wait_for, wait_saved, wait_until)

TEXT = "# Outage\n\nThe first paragraph was there before.\n"
OFFLINE_CONSOLE = r"ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|Failed to fetch|NetworkError|network"


def test_kill_9_while_typing_loses_nothing_and_saves_after_the_restart(server, browser, screenshot):
    book = server.book_id
    admin = server.api()
    chapter = admin.create_chapter(book, "Outage", TEXT)["id"]
    d = browser()
    d.allowed_console.append(OFFLINE_CONSOLE)
    sign_in(d, server.base, "admin", server.admin_password)
    open_chapter(d, server.base, book, chapter)
    put_caret(d, len(editor_value(d)))

    typed = type_keys(d, "\nTyped before the crash,", delay=0.05, check_caret=True)
    server.kill9()
    killed = time.monotonic()
    typed += type_keys(d, " typed while the server was down,", delay=0.08, check_caret=True)

    # The outage is loud: the connection and the save state say offline, with edits kept.
    wait_until(lambda: connection_state(d) == "offline", 10, message=f"#connection offline (now {connection_state(d)})")
    state = wait_until(lambda: (lambda s: s if s["state"] == "offline" and s["unsent"] > 0 else None)(save_state(d)),
                       10, message=f"#save-state offline with unsent edits (now {save_state(d)})")
    assert "offline" in css(d, "#connection").text.lower() or "connect" in css(d, "#connection").text.lower()
    assert "offline" in state["text"].lower(), state
    screenshot(d, "offline", both=True)
    typed += type_keys(d, " and more after the screen said so.", delay=0.08, check_caret=True)
    assert editor_value(d) == TEXT + typed

    time.sleep(max(0.0, killed + 10 - time.monotonic()))
    server.start()
    wait_saved(d, 30)
    wait_until(lambda: connection_state(d) == "online", 30, message="#connection online after the restart")
    head = admin.chapter(book, chapter)
    assert head["text"] == TEXT + typed, f"\nhead: {head['text']!r}\nwant: {TEXT + typed!r}"
    assert editor_value(d) == head["text"]


def block_saves(driver, on: bool):
    """Makes the browser fail every save request (POST .../revisions) as if the network
    dropped it, while the page, the chapter and the event stream still load."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/revisions*"] if on else []})


def test_edits_unsent_at_a_reload_come_back_from_the_device_and_are_saved(server, browser):
    book = server.book_id
    admin = server.api()
    chapter = admin.create_chapter(book, "Reload", TEXT)["id"]
    d = browser()
    d.allowed_console.append(OFFLINE_CONSOLE + "|ERR_BLOCKED_BY_CLIENT")
    sign_in(d, server.base, "admin", server.admin_password)
    open_chapter(d, server.base, book, chapter)
    put_caret(d, len(editor_value(d)))

    # Saves cannot get through; type, and the edits stay on the device.
    block_saves(d, True)
    typed = type_keys(d, "\nKept on the device across a crash and a reload.", delay=0.03)
    wait_until(lambda: save_state(d)["unsent"] > 0, 10, message=f"unsent edits (now {save_state(d)})")
    time.sleep(1.0)  # the autosave has tried, and failed
    assert save_state(d)["unsent"] > 0

    # The server dies and comes back; the page reloads before any save got through.
    server.kill9()
    server.start()
    # Leaving asks first. (ChromeDriver answers a beforeunload dialog by itself, so the test
    # asks the page's handler directly, as the browser does before it shows one.)
    assert d.execute_script(
        "const e = new Event('beforeunload', {cancelable: true}); dispatchEvent(e); return e.defaultPrevented"), \
        "leaving with unsent edits did not ask first"
    reload_page(d)
    wait_for(d, "textarea#editor")
    wait_until(lambda: typed in editor_value(d), 15, message="the unsent edits back in the editor after the reload")
    assert editor_value(d) == TEXT + typed
    assert save_state(d)["unsent"] > 0
    assert admin.chapter(book, chapter)["text"] == TEXT, "a save got through although saves were blocked"

    # Saves get through again: the edits from the device are saved from their base.
    block_saves(d, False)
    wait_saved(d, 30)
    head = admin.chapter(book, chapter)
    assert head["text"] == TEXT + typed, f"\nhead: {head['text']!r}\nwant: {TEXT + typed!r}"
    assert head["revision"] == 2
    assert editor_value(d) == head["text"]
    assert alert_text(d) is None
