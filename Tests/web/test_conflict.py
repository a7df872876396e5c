"""3. Two people change the same word differently: the one whose save lands second gets the
conflict view with both versions and the base, chooses both, resolves; the head is the
resolution and the conflict record is resolved."""

from webapp import (css, css_all, editor_value, open_chapter, put_caret, save_state, sign_in, type_keys,
                    visible, wait_saved, wait_until)

TEXT = "# Foxes\n\nThe quick brown fox jumps over the lazy dog.\n\nA second paragraph nobody touches.\n"


def offline(driver, on: bool):
    """Cuts the browser off the network (the server stays up), or reconnects it."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": on, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def test_the_same_word_changed_twice_opens_the_conflict_view_and_resolves(server, browser, screenshot):
    book = server.book_id
    admin = server.api()
    ben = server.add_author("ben", "ben-password-2")
    chapter = admin.create_chapter(book, "Foxes", TEXT)["id"]

    a = browser()
    a.allowed_console.append(r"ERR_INTERNET_DISCONNECTED|Failed to fetch|NetworkError|409")
    sign_in(a, server.base, "admin", server.admin_password)
    open_chapter(a, server.base, book, chapter)
    assert save_state(a)["revision"] == 1

    # Ana (admin, in the browser) is offline and changes "quick" to "slow"...
    offline(a, True)
    at = editor_value(a).index("quick")
    put_caret(a, at)
    a.execute_script("document.querySelector('#editor').setSelectionRange(arguments[0], arguments[0] + 5)", at)
    type_keys(a, "slow")
    assert "The slow brown fox" in editor_value(a)
    wait_until(lambda: save_state(a)["unsent"] > 0, 10, message="unsent edits while offline")

    # ... while Ben's save of "quick" -> "swift" lands on the server, from the same base.
    saved = ben.save(book, chapter, 1, TEXT.replace("quick", "swift"))
    assert saved["revision"] == 2

    # Back online: Ana's save from base 1 conflicts with Ben's.
    offline(a, False)
    section = wait_until(lambda: visible(a, "section#conflict"), 30, message="section#conflict visible")
    assert section.get_attribute("hidden") is None
    assert css(a, "#save-state").get_attribute("data-state") == "conflict"
    assert a.execute_script("return document.querySelector('#editor').readOnly"), \
        "the editor must be read-only while the conflict is open"
    hunks = css_all(a, ".conflict-hunk")
    assert len(hunks) == 1, f"{len(hunks)} hunks"
    hunk = hunks[0]
    mine = hunk.find_element("css selector", ".hunk-mine").text
    theirs = hunk.find_element("css selector", ".hunk-theirs").text
    base = hunk.find_element("css selector", ".hunk-base").text
    assert "slow" in mine and "swift" not in mine, mine
    assert "swift" in theirs and "slow" not in theirs, theirs
    assert "quick" in base, base
    # The author's text is safe on the server meanwhile: an open conflict record.
    conflicts = admin.chapter(book, chapter)["conflicts"]
    assert len(conflicts) == 1, conflicts
    record = admin.conflict(book, chapter, conflicts[0])
    assert record["state"] == "open" and "The slow brown fox" in record["text"]
    screenshot(a, "conflict", both=True)

    # Both, then an edit of the result by hand.
    hunk.find_element("css selector", "button.choose-both").click()
    result = hunk.find_element("css selector", "textarea.hunk-result")
    both = result.get_attribute("value")
    assert "slow" in both and "swift" in both, both
    resolution = "The slow and swift brown fox jumps over the lazy dog."
    result.clear()
    result.send_keys(resolution)
    css(a, "button#resolve-conflict").click()

    wait_until(lambda: not visible(a, "section#conflict"), 15, message="section#conflict hidden again")
    state = wait_saved(a, 15)
    head = admin.chapter(book, chapter)
    assert state["revision"] == head["revision"] == 3
    lines = head["text"].split("\n")
    assert resolution in lines, head["text"]
    assert head["text"].startswith("# Foxes\n\n") and head["text"].endswith("\n\nA second paragraph nobody touches.\n")
    assert "quick" not in head["text"], head["text"]
    assert editor_value(a) == head["text"]
    assert "<<<<<<<" not in head["text"] and ">>>>>>>" not in head["text"]
    assert not a.execute_script("return document.querySelector('#editor').readOnly")
    assert admin.conflict(book, chapter, conflicts[0])["state"] == "resolved"
    assert head["conflicts"] == []
