"""7. A chapter holding script, event handlers, javascript: links and an SVG with script:
nothing runs in the editor's preview, on the book page or in the history and its diff,
even when the links are clicked."""

import time

from webapp import alert_text, css, css_all, open_book, open_chapter, sign_in, wait_for, wait_until

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="12" height="12" onload="window.__xss=5">'
       b'<script>window.__xss=6</script><rect width="12" height="12" fill="red"/></svg>')

HOSTILE = """# Hostile

<script>window.__xss=1</script>

<img src=x onerror="window.__xss=2">

A [first link](javascript:window.__xss=3) and [a second](jav&#x61;script:window.__xss=4).

<a href="javascript:window.__xss=7">raw link</a> and <a href="data:text/html,<script>parent.__xss=8</script>">data</a>
and [vb](vbscript:msgbox(9)) and <iframe src="javascript:parent.__xss=10"></iframe>

<div onclick="window.__xss=11" style="background:url(javascript:window.__xss=12)">click me</div>

<svg onload="window.__xss=13"><script>window.__xss=14</script></svg>

![the svg](images/evil.svg)

<object data="images/evil.svg"></object>
"""

TITLE = '<img src=x onerror="window.__xss=20">Hostile'


def assert_inert(driver, where: str):
    text = alert_text(driver)
    assert text is None, f"a dialog opened on {where}: {text!r}"
    assert driver.execute_script("return window.__xss") is None, \
        f"window.__xss = {driver.execute_script('return window.__xss')} on {where}"


def dangerous_markup(driver, root: str) -> list[str]:
    """Elements under `root` that could run code: script, event handlers, script URLs."""
    return driver.execute_script("""
        const out = [];
        for (const el of document.querySelectorAll(arguments[0] + ' *')) {
            const tag = el.tagName.toLowerCase();
            if (['script', 'iframe', 'object', 'embed', 'frame'].includes(tag)) out.push(tag);
            for (const a of el.attributes) {
                const v = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
                if (a.name.startsWith('on')) out.push(tag + ' ' + a.name);
                if (/^(javascript|vbscript|data):/.test(v) && !(tag === 'img' && /^data:image\\/(png|jpeg|gif|webp);/.test(v)))
                    out.push(tag + ' ' + a.name + '=' + a.value);
            }
        }
        return out;""", root)


def click_every_link(driver, root: str, where: str):
    for i in range(len(css_all(driver, f"{root} a"))):
        links = css_all(driver, f"{root} a")
        if i >= len(links):
            break
        before = driver.current_url
        try:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", links[i])
            links[i].click()
        except Exception:
            driver.execute_script("arguments[0].click()", links[i])
        time.sleep(0.3)
        assert_inert(driver, f"{where} after clicking link {i + 1}")
        if driver.current_url != before:
            driver.back()
            wait_for(driver, root)


def test_hostile_markdown_runs_nothing_in_preview_book_page_or_history(server, browser):
    book = server.book_id
    admin = server.api()
    admin.put_asset(book, "evil.svg", SVG, "image/svg+xml")
    created = admin.create_chapter(book, TITLE, "# Hostile\n\nHarmless at first.\n")
    chapter = created["id"]
    admin.save(book, chapter, 1, HOSTILE)

    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)

    open_book(d, server.base, book)
    assert_inert(d, "the book page")
    link = css(d, f"li.toc-chapter[data-chapter='{chapter}'] a.chapter-link")
    assert link.text.strip() == TITLE, "the chapter's title must show as text"

    open_chapter(d, server.base, book, chapter)
    wait_until(lambda: css_all(d, "#preview [data-line]"), 10, message="the preview")
    time.sleep(0.5)  # an onerror or onload would have fired by now
    assert_inert(d, "the editor")
    assert dangerous_markup(d, "#preview") == []
    assert d.execute_script("return document.querySelector('#editor').value") == HOSTILE
    svg = wait_until(lambda: d.execute_script(
        "const i = [...document.querySelectorAll('#preview img')].find(i => i.dataset.asset === 'evil.svg');"
        "return i && i.complete ? i : null"), 10, message="the SVG shown as an img")
    assert svg.tag_name == "img"
    assert_inert(d, "the editor with the SVG loaded")
    click_every_link(d, "#preview", "the preview")

    d.get(server.url(f"/books/{book}/chapters/{chapter}/history"))
    wait_for(d, "li.history-entry, li.history-group")
    time.sleep(0.3)
    assert_inert(d, "the history")
    from selenium.webdriver.support.ui import Select
    for group in css_all(d, "li.history-group button.expand"):
        group.click()
    Select(css(d, "select#diff-from")).select_by_value("1")
    Select(css(d, "select#diff-to")).select_by_value("2")
    css(d, "button#show-diff").click()
    wait_until(lambda: css_all(d, "#diff ins"), 10, message="the diff")
    time.sleep(0.5)
    assert_inert(d, "the diff")
    assert dangerous_markup(d, "#diff") == []
    assert "window.__xss=1" in css(d, "#diff").text, "the diff should show the script as text"
    click_every_link(d, "#diff", "the diff")
    assert_inert(d, "the end")
