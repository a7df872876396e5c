"""8. The book leaves the book page as EPUB (passing EPUBCheck 0/0/0), single-file HTML and a
book-folder zip, each saved as a file by clicking its link."""

import time
import zipfile

from webapp import css, epubcheck, open_book, sign_in, wait_until


def downloaded(driver, suffix: str, timeout: float = 60):
    """The finished file ending in `suffix` in the browser's download folder."""
    def done():
        files = [p for p in driver.download_dir.iterdir() if p.name.endswith(suffix)]
        partial = [p for p in driver.download_dir.iterdir() if p.name.endswith(".crdownload")]
        return files[0] if files and not partial and files[0].stat().st_size > 0 else None
    path = wait_until(done, timeout, 0.1, message=f"a downloaded *{suffix} in {driver.download_dir}")
    time.sleep(0.2)  # the browser renames the finished file, then closes it
    return path


def test_the_epub_downloaded_from_the_book_page_passes_epubcheck(server, browser):
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_book(d, server.base, server.book_id)

    css(d, "a#download-epub").click()
    epub = downloaded(d, ".epub")
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
        assert names[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
    complaints = epubcheck(epub)
    assert complaints == [], f"EPUBCheck on {epub.name}:\n" + "\n".join(complaints)


def test_html_and_zip_download_from_the_book_page(server, browser):
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_book(d, server.base, server.book_id)
    title = css(d, "h1#book-title").text.strip()

    css(d, "a#download-html").click()
    html = downloaded(d, ".html")
    text = html.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html"), text[:200]
    assert title in text

    css(d, "a#download-zip").click()
    folder = downloaded(d, ".zip")
    with zipfile.ZipFile(folder) as z:
        names = z.namelist()
    assert any(n.endswith("book.yaml") for n in names), names
    assert any(n.endswith(".md") for n in names), names
    assert html.stem == folder.stem, "the three downloads should share the book's slug"
