"""1. A newcomer's first minutes: open the printed address, sign in with the printed password
(after a wrong one), open the sample book, open a chapter, type, see it saved, reload."""

import json

from webapp import (Api, css, css_all, editor_value, fill_sign_in, put_caret, type_keys, visible,
                    wait_for, wait_saved, wait_until)


def test_a_newcomer_signs_in_writes_and_finds_the_text_after_a_reload(server, admin, browser, screenshot):
    book = server.book_id
    title = admin.book(book)["title"]
    d = browser()

    # Without a token, the address the server printed shows the sign-in form.
    d.get(server.url("/"))
    wait_for(d, "form#signin-form")
    assert css(d, "#signin-username").get_attribute("autocomplete") in (None, "", "username")
    screenshot(d, "signin", both=True)

    # A wrong password: a clear message, still on the sign-in form.
    fill_sign_in(d, "admin", "not-the-password")
    error = wait_until(lambda: visible(d, "#signin-error"), 10, message="#signin-error")
    assert error.get_attribute("role") == "alert"
    assert "do not match" in error.text or "password" in error.text.lower(), error.text
    screenshot(d, "signin-error")

    # The printed password.
    fill_sign_in(d, "admin", server.admin_password)
    wait_until(lambda: css(d, "#user-name").text.strip() == "admin", 15, message="#user-name = admin")
    assert visible(d, "button#signout")
    assert css(d, "#connection").get_attribute("data-state") in ("online", "connecting", "offline")
    wait_until(lambda: css(d, "#connection").get_attribute("data-state") == "online", 10,
               message="#connection online")
    assert css(d, "#connection").text.strip(), "#connection says nothing in words"

    # The books: the sample book is there.
    link = wait_until(lambda: [a for a in css_all(d, "ul#books > li > a.book-link") if a.text.strip() == title],
                      15, message=f"a link to {title!r} in ul#books")[0]
    assert link.get_attribute("href").endswith(f"/books/{book}")
    screenshot(d, "books", both=True)

    # The book page: its TOC, parts, chapters with status and words.
    link.click()
    wait_for(d, "#toc li.toc-chapter a.chapter-link")
    assert css(d, "h1#book-title").text.strip() == title
    assert css_all(d, "#toc li.toc-part > .toc-row > .part-title"), "the sample book's parts are missing from #toc"
    chapters = admin.chapter_ids(book)
    shown = [li.get_attribute("data-chapter") for li in css_all(d, "#toc li.toc-chapter")]
    assert shown == chapters, "the TOC on the page is not the book's"
    assert int(css(d, "#book-words").get_attribute("data-words")) > 1000
    screenshot(d, "book", both=True)

    # A chapter: the second one in the TOC, opened by its link.
    chapter = chapters[1]
    css(d, f"li.toc-chapter[data-chapter='{chapter}'] a.chapter-link").click()
    wait_for(d, "textarea#editor")
    state = wait_saved(d)
    head = admin.chapter(book, chapter)
    assert state["revision"] == head["revision"]
    assert editor_value(d) == head["text"]
    wait_until(lambda: css_all(d, "#preview [data-line]"), 10, message="#preview with data-line blocks")

    # Type a new paragraph at the end, at a person's pace.
    put_caret(d, len(editor_value(d)))
    sentence = "A newcomer wrote this sentence in the first minutes."
    type_keys(d, "\n\n" + sentence, delay=0.03)
    saved = wait_saved(d, 15)
    assert saved["revision"] > head["revision"]
    assert sentence in admin.chapter(book, chapter)["text"]
    wait_until(lambda: sentence in css(d, "#preview").text, 10, message="the sentence in the preview")
    screenshot(d, "editor", both=True)

    # Reload: the text is there (from the server), and saved.
    d.refresh()
    wait_for(d, "textarea#editor")
    wait_saved(d)
    assert sentence in editor_value(d)
    assert editor_value(d) == admin.chapter(book, chapter)["text"]

    # Sign out: back to the sign-in form, and the token (kept in localStorage) is revoked.
    stored = d.execute_script("return Object.keys(localStorage).map(k => localStorage.getItem(k))")
    candidates = [v for v in stored if v] + [t for v in stored for t in tokens_in_json(v)]
    tokens = [v for v in candidates if Api(server.base, v).request("GET", "/api/v1/books")[0] == 200]
    assert tokens, "no working token in localStorage"
    css(d, "button#signout").click()
    wait_for(d, "form#signin-form")
    for token in tokens:
        assert Api(server.base, token).request("GET", "/api/v1/books")[0] == 401, "sign-out left the token valid"
    d.get(server.url(f"/books/{book}"))
    wait_for(d, "form#signin-form")


def tokens_in_json(value: str) -> list[str]:
    """The string fields of a JSON object kept in localStorage (a token may be one)."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return [v for v in parsed.values() if isinstance(v, str)] if isinstance(parsed, dict) else []
