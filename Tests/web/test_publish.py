"""6. Publishing in the browser: "Check before publishing" lists a broken link planted in a
chapter, with the chapter and line, and its link opens the editor with the caret at that
line; the four exports download from their buttons, with progress; a reader can publish
too; axe-core clean; screenshots."""

import zipfile

import pytest

from test_downloads import downloaded
from webapp import css, css_all, epubcheck, sign_in, wait_for, wait_saved, wait_until

LINE = 61


def text_with_a_broken_link() -> str:
    lines = ["# Loose ends", ""]
    while len(lines) < LINE - 1:
        lines += [f"Paragraph {len(lines)} of a chapter long enough to scroll.", ""]
    lines = lines[:LINE - 1]
    lines.append("As the [appendix](missing-appendix.md) says, nothing is ever finished.")
    lines += ["", "The last paragraph.", ""]
    return "\n".join(lines)


def open_publish(d, server, book=None):
    d.get(server.url(f"/books/{book or server.book_id}/publish"))
    wait_for(d, "#export-epub")


def check_done(d):
    return wait_until(lambda: "Checking" not in css(d, "#check-state").text and css(d, "#check-state").text.strip(), 60,
                      message="the check to finish")


CARET_LINE = """const e = document.querySelector('#editor');
    return {start: e.selectionStart, end: e.selectionEnd, line: e.value.slice(0, e.selectionStart).split('\\n').length,
            focused: document.activeElement === e, scrollTop: e.scrollTop, lineHeight: parseFloat(getComputedStyle(e).lineHeight),
            height: e.clientHeight};"""


def test_check_before_publishing_lists_a_broken_link_that_opens_the_editor_at_its_line(server, browser, screenshot):
    book = server.book_id
    api = server.api()
    text = text_with_a_broken_link()
    assert text.split("\n")[LINE - 1].startswith("As the [appendix]")
    chapter = api.create_chapter(book, "Loose ends", text)["id"]

    # The server's answer names the chapter and the line.
    found = api.call("GET", f"/api/v1/books/{book}/problems")["problems"]
    mine = [p for p in found if p.get("chapter") == chapter]
    assert [(p["line"], "missing-appendix.md" in p["message"]) for p in mine] == [(LINE, True)], found

    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_publish(d, server)
    assert css(d, "#tab-publish").get_attribute("aria-current") == "page"
    check_done(d)
    link = wait_for(d, f"#problems a.problem-link[href$='/chapters/{chapter}?line={LINE}']")
    assert link.text == f"Loose ends, line {LINE}"
    item = link.find_element("xpath", "./ancestor::li[1]")
    assert "missing-appendix.md" in item.text
    screenshot(d, "publish", both=True)

    link.click()
    wait_for(d, "textarea#editor")
    wait_saved(d)
    caret = wait_until(lambda: (lambda c: c if c["focused"] else None)(d.execute_script(CARET_LINE)), 5,
                       message="the editor focused")
    assert caret["start"] == caret["end"] == text.index("As the [appendix]")
    assert caret["line"] == LINE
    # Scrolled to it: the line is in view, a few lines below the top.
    assert caret["scrollTop"] > 0, "the editor did not scroll to the line"
    assert d.current_url.endswith(f"/chapters/{chapter}?line={LINE}")
    # The preview follows the editor to that place.
    wait_until(lambda: d.execute_script("return document.querySelector('#preview').scrollTop") > 0, 10,
               message="the preview scrolled along")
    screenshot(d, "publish-opened-at-line")


def test_the_four_exports_download_from_their_buttons_with_progress(server, browser):
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_publish(d, server)
    # Every text the export state shows, recorded as it changes.
    d.execute_script("""window.exportStates = [];
        new MutationObserver(() => window.exportStates.push(document.querySelector('#export-state').textContent))
            .observe(document.querySelector('#export-state'), {childList: true, characterData: true, subtree: true});""")

    css(d, "#export-epub").click()
    epub = downloaded(d, ".epub")
    assert epubcheck(epub) == []
    states = d.execute_script("return window.exportStates")
    assert states[0].startswith("Preparing the EPUB"), states
    assert any(s.startswith("Downloading the EPUB:") and " of " in s for s in states), states
    wait_until(lambda: css(d, "#export-state").text.startswith("Downloaded "), 10, message="Downloaded …")
    assert not css(d, "#export-progress").is_displayed()

    css(d, "#export-html").click()
    html = downloaded(d, ".html")
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")

    wait_until(lambda: css(d, "#export-state").text.startswith("Downloaded "), 10, message="Downloaded the HTML")
    css(d, "#export-zip").click()
    folder = wait_until(lambda: [p for p in d.download_dir.iterdir() if p.name.endswith(".zip") and "site" not in p.name
                                 and not p.name.endswith(".crdownload")], 60, message="the book folder")[0]
    with zipfile.ZipFile(folder) as z:
        assert any(n.endswith("book.yaml") for n in z.namelist())

    wait_until(lambda: css(d, "#export-state").text.startswith("Downloaded "), 10, message="Downloaded the zip")
    css(d, "#export-site").click()
    wait_until(lambda: css(d, "#export-state").text.startswith("Downloaded "), 60,
               message=f"the site downloaded (it says {css(d, '#export-state').text!r})")
    site = wait_until(lambda: [p for p in d.download_dir.iterdir() if p.name.endswith(".zip") and p != folder
                               and not p.name.endswith(".crdownload")], 60, message="the site zip")[0]
    with zipfile.ZipFile(site) as z:
        assert any(n.endswith("index.html") for n in z.namelist()), z.namelist()


def test_a_reader_can_publish_but_not_change_the_settings(server, browser):
    server.add_author("reader1", "reader-password-1", role="reader")
    d = browser(390, 844)
    sign_in(d, server.base, "reader1", "reader-password-1")
    open_publish(d, server)
    assert not css_all(d, "#tab-settings") and css_all(d, "#tab-publish")
    check_done(d)
    css(d, "#export-html").click()
    downloaded(d, ".html")


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["wide", "narrow"])
def test_the_publishing_page_has_no_critical_or_serious_axe_violation(server, browser, axe, size):
    server.api().create_chapter(server.book_id, "Loose ends", text_with_a_broken_link())
    d = browser(*size)
    sign_in(d, server.base, "admin", server.admin_password)
    open_publish(d, server)
    check_done(d)
    wait_for(d, "#problems li.problem")
    axe.assert_clean(d, "the publishing page")
