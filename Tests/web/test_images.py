"""6. An image chosen with the editor's button, and one dropped onto the editor: uploaded as
assets, their Markdown inserted at the cursor, shown in the preview, and in the book's EPUB
(which passes EPUBCheck)."""

import base64
import re
import struct
import zipfile
import zlib

from selenium.common.exceptions import ElementNotInteractableException

from webapp import (css, css_all, editor_value, epubcheck, open_chapter, put_caret, sign_in, wait_saved,
                    wait_until)

TEXT = "# Pictures\n\nA paragraph before the picture.\n\nA paragraph after it.\n"


def png(width: int, height: int, rgb=(200, 60, 40)) -> bytes:
    """A small truecolour PNG of one colour."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def image_links(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(1)) for m in re.finditer(r"!\[[^\]]*\]\(images/([A-Za-z0-9._-]+)\)", text)]


def preview_image_loaded(driver, name: str):
    # The preview shows the book's images through blob: URLs (fetched with the token);
    # data-asset names the asset.
    return driver.execute_script("""
        const img = [...document.querySelectorAll('#preview img')].find(i => i.dataset.asset === arguments[0]);
        return img && img.complete && img.naturalWidth > 0 ? img.naturalWidth : 0;""", name)


DROP = """
    const [b64, name] = arguments;
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const file = new File([bytes], name, {type: 'image/png'});
    const data = new DataTransfer();
    data.items.add(file);
    const editor = document.querySelector('#editor');
    for (const type of ['dragenter', 'dragover', 'drop']) {
        editor.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data}));
    }"""


def test_images_from_the_button_and_a_drop_show_in_the_preview_and_the_epub(server, browser, tmp_path):
    book = server.book_id
    admin = server.api()
    chapter = admin.create_chapter(book, "Pictures", TEXT)["id"]
    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_chapter(d, server.base, book, chapter)

    # The button's file input: the Markdown goes in at the caret.
    picture = tmp_path / "red-square.png"
    picture.write_bytes(png(48, 32))
    caret = editor_value(d).index("A paragraph after it.")
    put_caret(d, caret)
    field = css(d, "input#image-file")
    assert field.get_attribute("type") == "file"
    try:
        field.send_keys(str(picture))
    except ElementNotInteractableException:
        d.execute_script("arguments[0].hidden = false; arguments[0].style.display = 'block'", field)
        field.send_keys(str(picture))
    links = wait_until(lambda: image_links(editor_value(d)), 15, message="![...](images/NAME) in the editor")
    at, first = links[0]
    assert at == caret, f"the image went in at {at}, the caret was at {caret}: {editor_value(d)!r}"
    width = wait_until(lambda: preview_image_loaded(d, first), 15, message=f"the preview's img of {first} loaded")
    assert width == 48

    # A drop onto the editor.
    caret = editor_value(d).index("A paragraph before the picture.")
    put_caret(d, caret)
    d.execute_script(DROP, base64.b64encode(png(20, 10, (30, 90, 200))).decode(), "blue-band.png")
    links = wait_until(lambda: (lambda l: l if len(l) == 2 else None)(image_links(editor_value(d))), 15,
                       message="a second image link after the drop")
    dropped = [name for at, name in links if name != first][0]
    assert links[0] == (caret, dropped), (links, caret)
    assert wait_until(lambda: preview_image_loaded(d, dropped), 15, message=f"the preview's img of {dropped}") == 20
    wait_saved(d, 15)

    # Both are assets of the book, and the chapter on the server refers to them.
    head = admin.chapter(book, chapter)["text"]
    assert f"images/{first}" in head and f"images/{dropped}" in head
    assets = {a.get("name") for a in admin.call("GET", f"/api/v1/books/{book}/assets")["assets"]}
    assert {first, dropped} <= assets, assets

    # The EPUB holds both images and passes EPUBCheck.
    epub = tmp_path / "book.epub"
    epub.write_bytes(admin.export(book, "epub"))
    with zipfile.ZipFile(epub) as z:
        names = z.namelist()
        pngs = {n.rsplit("/", 1)[-1]: z.read(n) for n in names if n.endswith(".png")}
    assert first in pngs and dropped in pngs, names
    assert pngs[first] == picture.read_bytes()
    complaints = epubcheck(epub)
    assert complaints == [], "EPUBCheck:\n" + "\n".join(complaints)
    assert css_all(d, "#preview img")
