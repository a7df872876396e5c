"""5. The book's settings in the browser: metadata and a cover changed in the form show in
the exported EPUB (EPUBCheck 0/0/0, title, authors, language, license and cover in the
OPF); right-to-left languages shown right to left; the workflow edited (a state in use
refused in words); the image library (thumbnails, upload, delete warned with the chapters
that show it); deleted chapters restored; axe-core clean; screenshots."""

import zipfile

import pytest
from lxml import etree

from test_downloads import downloaded
from test_images import png
from webapp import css, css_all, epubcheck, open_chapter, sign_in, visible, wait_for, wait_until

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def open_settings(d, server, book=None):
    d.get(server.url(f"/books/{book or server.book_id}/settings"))
    wait_for(d, "form#metadata-form")


def fill(d, selector, text):
    field = css(d, selector)
    field.clear()
    field.send_keys(text)


def status_says(d, selector, words, timeout=15):
    return wait_until(lambda: words in css(d, selector).text, timeout,
                      message=f"{selector} to say {words!r} (it says {css(d, selector).text!r})")


def image_loaded(d, selector):
    return d.execute_script("""const i = document.querySelector(arguments[0]);
        return !!i && i.complete && i.naturalWidth > 0 && i.src.startsWith('blob:');""", selector)


def opf_of(epub) -> tuple[etree._Element, str, zipfile.ZipFile]:
    z = zipfile.ZipFile(epub)
    container = etree.fromstring(z.read("META-INF/container.xml"))
    path = container.find(".//{*}rootfile").get("full-path")
    return etree.fromstring(z.read(path)), path.rsplit("/", 1)[0], z


def test_metadata_and_cover_from_the_form_show_in_the_epub(server, browser, screenshot, tmp_path):
    book = server.book_id
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_settings(d, server)
    assert css(d, "#tab-settings").get_attribute("aria-current") == "page"

    fill(d, "#meta-title", "Sprint Notes from the Browser")
    fill(d, "#meta-subtitle", "Written in four days")
    fill(d, "#meta-authors", "Ada Lovelace\nGrace Hopper")
    # A right-to-left language turns the book's own fields right to left, and back.
    fill(d, "#meta-language", "ar")
    wait_until(lambda: css(d, "#meta-title").get_attribute("dir") == "rtl", 5, message="#meta-title dir=rtl for ar")
    assert css(d, "#meta-description").get_attribute("dir") == "rtl"
    fill(d, "#meta-language", "fr")
    wait_until(lambda: css(d, "#meta-title").get_attribute("dir") == "ltr", 5, message="#meta-title dir=ltr for fr")
    from selenium.webdriver.support.ui import Select
    Select(css(d, "#meta-license")).select_by_visible_text("CC BY-SA 4.0")
    fill(d, "#meta-description", "What a room of people wrote in a week.")
    css(d, "#save-metadata").click()
    status_says(d, "#metadata-status", "Saved")
    saved = server.api().book(book)
    assert (saved["title"], saved["subtitle"], saved["authors"], saved["language"], saved["license"]) == (
        "Sprint Notes from the Browser", "Written in four days", ["Ada Lovelace", "Grace Hopper"], "fr", "CC BY-SA 4.0")

    # The cover: chosen, uploaded as an asset, set as the book's, previewed.
    cover = tmp_path / "my cover.png"
    cover.write_bytes(png(60, 90, (20, 90, 160)))
    css(d, "#cover-file").send_keys(str(cover))
    status_says(d, "#cover-status", "The cover is now")
    wait_until(lambda: image_loaded(d, "#cover-image"), 10, message="the cover preview loaded")
    assert server.api().book(book).get("cover") == "images/cover.png"
    d.execute_script("window.scrollTo(0, 0)")
    screenshot(d, "settings", both=True)
    d.execute_script("document.querySelector('#cover-heading').scrollIntoView()")
    screenshot(d, "settings-cover")

    # The EPUB from the publishing page carries all of it.
    css(d, "#tab-publish").click()
    wait_for(d, "#export-epub").click()
    epub = downloaded(d, ".epub")
    complaints = epubcheck(epub)
    assert complaints == [], "EPUBCheck:\n" + "\n".join(complaints)
    opf, folder, z = opf_of(epub)
    assert opf.findtext(".//dc:title", namespaces=OPF) == "Sprint Notes from the Browser"
    assert opf.findtext(".//dc:language", namespaces=OPF) == "fr"
    assert [c.text for c in opf.findall(".//dc:creator", OPF)] == ["Ada Lovelace", "Grace Hopper"]
    assert opf.findtext(".//dc:rights", namespaces=OPF) == "CC BY-SA 4.0"
    assert "What a room of people wrote" in (opf.findtext(".//dc:description", namespaces=OPF) or "")
    items = opf.findall(".//opf:manifest/opf:item[@properties='cover-image']", OPF)
    assert len(items) == 1, etree.tostring(opf).decode()[:2000]
    assert z.read(f"{folder}/{items[0].get('href')}") == cover.read_bytes()


def test_the_workflow_is_edited_and_a_state_in_use_is_refused_in_words(server, browser, screenshot):
    book = server.book_id
    api = server.api()
    before = api.book(book)
    workflow = before["workflow"]
    used = {c["status"] for c in before["chapters"].values()}
    first_used = next(s for s in workflow if s in used)
    chapters_in_it = [cid for cid, c in before["chapters"].items() if c["status"] == first_used]
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_settings(d, server)
    wait_for(d, "#workflow-states li.workflow-state")

    # Add a state, rename one that chapters are in, move the new one up, by keyboard-reachable buttons.
    fill(d, "#new-state", "copy-edited")
    css(d, "#add-state-form button[type=submit]").click()
    rows = css_all(d, "#workflow-states li.workflow-state")
    assert rows[-1].find_element("css selector", ".state-name").get_attribute("value") == "copy-edited"
    rows[-1].find_element("css selector", ".state-up").click()
    assert d.switch_to.active_element.get_attribute("class") == "state-up", "the moved state's button lost the focus"
    status_says(d, "#workflow-status", f"copy-edited is now state {len(workflow)} of {len(workflow) + 1}")
    index = workflow.index(first_used)
    row = css(d, f"#workflow-states li[data-state='{first_used}'] .state-name")
    row.clear()
    row.send_keys(first_used + " (renamed)")
    css(d, "#save-workflow").click()
    status_says(d, "#workflow-status", "The workflow is saved")
    expected = workflow[:-1] + ["copy-edited", workflow[-1]]
    expected[index] = first_used + " (renamed)"
    after = api.book(book)
    assert after["workflow"] == expected
    # Chapters in the renamed state followed it.
    assert {after["chapters"][c]["status"] for c in chapters_in_it} == {first_used + " (renamed)"}
    screenshot(d, "settings-workflow")

    # Removing a state that chapters are in: the server's 409, said in words, nothing lost.
    css(d, f"#workflow-states li[data-state='{first_used} (renamed)'] .state-remove").click()
    css(d, "#save-workflow").click()
    status_says(d, "#workflow-status", "not saved")
    message = css(d, "#workflow-status").text
    assert "cannot be dropped" in message, message
    assert all(before["chapters"][c]["title"] in message for c in chapters_in_it), message
    assert css(d, "#workflow-status [role=alert]")
    assert api.book(book)["workflow"] == expected


def test_the_image_library_uploads_shows_and_deletes_with_a_warning(server, browser, screenshot, tmp_path):
    book = server.book_id
    api = server.api()
    api.put_asset(book, "diagram.png", png(30, 20), "image/png")
    chapter = api.create_chapter(book, "With a diagram", "# With a diagram\n\n![The diagram](images/diagram.png)\n")
    d = browser(390, 844)
    sign_in(d, server.base, "admin", server.admin_password)
    open_settings(d, server)
    item = "#image-library li[data-asset='diagram.png']"
    wait_for(d, item)
    wait_until(lambda: image_loaded(d, f"{item} img.thumb"), 10, message="the diagram's thumbnail")
    assert "With a diagram" in css(d, f"{item} .image-use").text

    # Upload one more.
    photo = tmp_path / "A Photo.png"
    photo.write_bytes(png(40, 40, (10, 200, 10)))
    css(d, "#image-upload").send_keys(str(photo))
    wait_for(d, "#image-library li[data-asset='a-photo.png']")
    d.execute_script("document.querySelector('#images-heading').scrollIntoView()")
    screenshot(d, "settings-images")
    assert any(a["name"] == "a-photo.png" for a in api.call("GET", f"/api/v1/books/{book}/assets")["assets"])

    # Delete the diagram: warned with the chapter that shows it, kept on "Keep it", gone on confirm.
    css(d, f"{item} .delete-image").click()
    warning = wait_for(d, f"{item} .confirm [role=alert]")
    assert "With a diagram" in warning.text and "missing image" in warning.text
    css(d, f"{item} .cancel-delete").click()
    assert not visible(d, f"{item} .confirm")
    css(d, f"{item} .delete-image").click()
    wait_for(d, f"{item} .confirm-delete").click()
    wait_until(lambda: not css_all(d, item), 10, message="the diagram gone from the library")
    names = [a["name"] for a in api.call("GET", f"/api/v1/books/{book}/assets")["assets"]]
    assert "diagram.png" not in names and "a-photo.png" in names
    assert chapter["id"]


def test_a_deleted_chapter_is_listed_and_restored(server, browser):
    book = server.book_id
    api = server.api()
    chapter = api.create_chapter(book, "Taken out too soon", "# Taken out too soon\n\nKeep me.\n")["id"]
    api.call("DELETE", f"/api/v1/books/{book}/chapters/{chapter}", headers={"Idempotency-Key": "delete-1"})
    assert chapter not in api.chapter_ids(book)
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_settings(d, server)
    wait_for(d, f"#deleted-chapters li[data-chapter='{chapter}']")
    css(d, f"#deleted-chapters li[data-chapter='{chapter}'] .restore-chapter").click()
    status_says(d, "#deleted-status", "Taken out too soon is back")
    assert chapter in api.chapter_ids(book)
    assert "Keep me." in api.chapter(book, chapter)["text"]
    wait_until(lambda: not css_all(d, f"#deleted-chapters li[data-chapter='{chapter}']"), 5, message="the list updated")


def test_an_author_sees_why_the_settings_are_not_theirs(server, browser):
    server.add_author("writer", "writer-password-1")
    d = browser()
    sign_in(d, server.base, "writer", "writer-password-1")
    d.get(server.url(f"/books/{server.book_id}/settings"))
    wait_until(lambda: "Only the book’s facilitators" in css(d, "#main").text, 10, message="the facilitators-only message")
    assert not css_all(d, "#metadata-form")
    assert not css_all(d, "#tab-settings"), "an author sees a Settings tab"


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["wide", "narrow"])
def test_the_settings_page_has_no_critical_or_serious_axe_violation(server, browser, axe, size):
    api = server.api()
    api.put_asset(server.book_id, "diagram.png", png(30, 20), "image/png")
    d = browser(*size)
    sign_in(d, server.base, "admin", server.admin_password)
    open_settings(d, server)
    wait_for(d, "#image-library li[data-asset='diagram.png']")
    wait_for(d, "#deleted-chapters li")
    axe.assert_clean(d, "the settings page")
    css(d, "#image-library li[data-asset='diagram.png'] .delete-image").click()
    wait_for(d, "#image-library .confirm-delete")
    axe.assert_clean(d, "the settings page with a delete warning")


def test_a_cover_must_be_one_of_the_books_images(server):
    api = server.api()
    book = server.book_id
    for bad in ("../../etc/passwd", "images/../book.yaml", "cover.png", "images/a b.png"):
        status, _, body = api.request("PATCH", f"/api/v1/books/{book}", {"cover": bad})
        assert status == 422, (bad, status, body)
    api.put_asset(book, "front.png", png(10, 15), "image/png")
    assert api.call("PATCH", f"/api/v1/books/{book}", {"cover": "images/front.png"})["cover"] == "images/front.png"
    assert "cover" not in api.call("PATCH", f"/api/v1/books/{book}", {"cover": ""})


def test_a_right_to_left_book_is_written_and_previewed_right_to_left(server, browser, screenshot):
    api = server.api()
    book = api.create_book("كتاب الأسبوع")["id"]
    api.call("PATCH", f"/api/v1/books/{book}", {"language": "ar"})
    chapter = api.create_chapter(book, "مقدمة", "# مقدمة\n\nكتبنا هذا الكتاب في أسبوع.\n")["id"]
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_chapter(d, server.base, book, chapter)
    for pane in ("#editor", "#preview"):
        assert (css(d, pane).get_attribute("lang"), css(d, pane).get_attribute("dir")) == ("ar", "rtl"), pane
    screenshot(d, "editor-rtl")
    # A left-to-right book stays left to right.
    d.get(server.url(f"/books/{server.book_id}/chapters/{api.chapter_ids(server.book_id)[0]}"))
    wait_until(lambda: css_all(d, "#editor") and css(d, "#editor").get_attribute("dir") == "ltr", 10, message="#editor dir=ltr")
