"""The facilitator's dashboard and reshaping the book (issue 11, tests 1, 2, 4 and 7):
two facilitators drag chapters at the same moment and every screen ends with the server's
tree; the same moves by keyboard alone; a co-author's presence and words reach the
dashboard within a second; axe-core on the dashboard and the people page."""

import threading
import time

import pytest

from webapp import (css, css_all, drag, find, handle, nodes_by_title, open_chapter, put_caret, screen_tree, server_tree,
                    set_viewport, sign_in, type_keys, wait_for, wait_until)

def wait_same_tree(drivers, api, book, timeout=10):
    def same():
        want = server_tree(api, book)
        return want if all(screen_tree(d) == want for d in drivers) else None
    return wait_until(same, timeout, message="every screen to show the server's tree")


def facilitator(server, name):
    server.add_author(name, "password-" + name, role="facilitator")
    return name, "password-" + name


def test_two_facilitators_drag_at_the_same_moment_and_every_screen_shows_one_tree(server, browser, screenshot):
    book = server.book_id
    api = server.api()
    titles = nodes_by_title(api, book)
    a_name, a_pass = facilitator(server, "mia")
    b_name, b_pass = facilitator(server, "leo")
    server.add_author("ana", "password-ana")
    a, b, author = browser(), browser(), browser()
    for driver, (name, password) in ((a, (a_name, a_pass)), (b, (b_name, b_pass)), (author, ("ana", "password-ana"))):
        sign_in(driver, server.base, name, password, f"/books/{book}")
        wait_for(driver, "#toc li.toc-chapter a.chapter-link")
    wait_until(lambda: handle(a, titles["Roles"]) and handle(b, titles["Roles"]), 10, message="move handles")
    # Authors cannot restructure: no handles, no part actions.
    assert not css_all(author, "#toc .drag-handle") and not css_all(author, "#toc .part-actions")
    before = server_tree(api, book)

    # Mia drags "About this book" below "The book folder" (into "Beyond the browser") while
    # Leo drags "Roles" below "Exporting the book" (the end of "Running a book sprint").
    moves = [(a, titles["About this book"], titles["The book folder"]),
             (b, titles["Roles"], titles["Exporting the book"])]
    errors = []

    def run(driver, node, onto):
        try:
            drag(driver, node, onto)
        except Exception as error:  # reported below, on the test's thread
            errors.append(error)
    threads = [threading.Thread(target=run, args=move) for move in moves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors

    tree = wait_same_tree([a, b, author], api, book)
    assert tree != before
    assert find(tree, titles["About this book"])[0] == titles["Beyond the browser"], tree
    parent, index = find(tree, titles["Roles"])
    assert parent == titles["Running a book sprint"], tree
    assert index == find(tree, titles["Exporting the book"])[1] + 1, "Roles is right below Exporting the book"
    screenshot(a, "dashboard-reshaped", both=True)


def test_a_facilitator_on_a_phone_drags_a_chapter_by_touch(server, browser, screenshot):
    book = server.book_id
    api = server.api()
    titles = nodes_by_title(api, book)
    name, password = facilitator(server, "mia")
    phone = browser()
    set_viewport(phone, 390, 844)
    sign_in(phone, server.base, name, password, f"/books/{book}")
    wait_until(lambda: handle(phone, titles["Roles"]), 10, message="move handles")
    before = server_tree(api, book)
    drag(phone, titles["Roles"], titles["Exporting the book"], touch=True)
    wait_until(lambda: server_tree(api, book) != before, 10, message="the move on the server")
    tree = wait_same_tree([phone], api, book)
    parent, index = find(tree, titles["Roles"])
    assert parent == titles["Running a book sprint"], tree
    assert index == find(tree, titles["Exporting the book"])[1] + 1, "Roles is right below Exporting the book"
    screenshot(phone, "dashboard-touch-drag")


def test_keyboard_alone_moves_a_chapter_into_a_part_and_out_and_adds_and_renames_a_part(server, browser, screenshot):
    from selenium.webdriver.common.keys import Keys
    book = server.book_id
    api = server.api()
    titles = nodes_by_title(api, book)
    name, password = facilitator(server, "mia")
    d = browser()
    sign_in(d, server.base, name, password, f"/books/{book}")
    wait_for(d, "#toc .drag-handle")
    about, running = titles["About this book"], titles["Running a book sprint"]
    assert find(server_tree(api, book), about) == (None, 0)

    def press(node, key, says):
        handle(d, node).send_keys(key) if d.switch_to.active_element != handle(d, node) else d.switch_to.active_element.send_keys(key)
        wait_until(lambda: says in css(d, "#toc-announcer").get_attribute("textContent"), 10,
                   message=f"the announcement {says!r} (now {css(d, '#toc-announcer').get_attribute('textContent')!r},"
                           f" page status {css(d, '.page-status').text!r})")

    handle(d, about).click()  # focus, as Tab would
    assert d.switch_to.active_element == handle(d, about)
    press(about, Keys.ARROW_DOWN, "moved down")
    assert find(server_tree(api, book), about) == (None, 1)
    press(about, Keys.ARROW_RIGHT, "moved into part")
    parent, _ = find(server_tree(api, book), about)
    assert parent == running
    assert d.switch_to.active_element == handle(d, about), "the focus stays on the moved chapter"
    press(about, Keys.ARROW_LEFT, "moved out of")
    assert find(server_tree(api, book), about) == (None, 1)
    press(about, Keys.ARROW_UP, "moved up")
    assert find(server_tree(api, book), about) == (None, 0)

    # A new part, by keyboard: type its title and press Enter.
    field = css(d, "#new-part-title")
    field.send_keys("Case studies", Keys.ENTER)
    part = wait_until(lambda: nodes_by_title(api, book).get("Case studies"), 10, message="the new part on the server")
    wait_for(d, f"#toc li[data-node='{part}']")
    # Rename it: its Rename button, a new title, Enter.
    rename = css(d, f"#toc li[data-node='{part}'] .part-rename")
    rename.send_keys(Keys.ENTER)
    box = wait_for(d, f"#toc li[data-node='{part}'] .part-title-input")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("Stories from sprints", Keys.ENTER)
    wait_until(lambda: nodes_by_title(api, book).get("Stories from sprints") == part, 10, message="the renamed part")
    wait_until(lambda: css(d, f"#toc li[data-node='{part}'] .part-title").text == "Stories from sprints", 5,
               message="the new title on screen")
    screenshot(d, "dashboard-keyboard", both=True)


def test_the_dashboard_shows_a_co_authors_presence_and_words_within_a_second(server, browser):
    book = server.book_id
    api = server.api()
    name, password = facilitator(server, "mia")
    author = server.add_author("ana", "password-ana")
    chapter = api.chapter_ids(book)[1]
    dash, writer = browser(), browser()
    sign_in(dash, server.base, name, password, f"/books/{book}")
    wait_for(dash, f"#toc li[data-chapter='{chapter}'] .chapter-words")
    sign_in(writer, server.base, "ana", "password-ana")
    open_chapter(writer, server.base, book, chapter)
    wait_until(lambda: "ana" in css(dash, f"#toc li[data-chapter='{chapter}'] .chapter-presence").text, 5,
               message="ana's presence on the dashboard")

    words = lambda: int(css(dash, f"#toc li[data-chapter='{chapter}'] .chapter-words").get_attribute("data-words"))
    start_words = words()
    created = int(css(dash, "#toc").get_attribute("data-rows-created"))
    put_caret(writer, 0)
    type_keys(writer, "Seven new words typed right here now. ")
    saved_at = wait_until(lambda: (writer.execute_script(
        "return document.querySelector('#save-state').dataset.state") == "saved") and time.monotonic(), 10,
        message="the save")
    wait_until(lambda: words() == start_words + 7, 1.0, interval=0.02, message="the new word count within 1 s of the save")
    assert time.monotonic() - saved_at <= 1.0
    assert author.chapter(book, chapter)["text"].startswith("Seven new words")
    # The live update changed the row in place: no row was made again.
    assert int(css(dash, "#toc").get_attribute("data-rows-created")) == created


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["wide", "narrow"])
def test_the_dashboard_and_people_pages_have_no_critical_or_serious_axe_violation(server, browser, axe, screenshot, size):
    book = server.book_id
    name, password = facilitator(server, "mia")
    d = browser(*size)
    sign_in(d, server.base, name, password, f"/books/{book}")
    wait_for(d, "#toc .drag-handle")
    axe.assert_clean(d, "the dashboard")
    d.get(server.url(f"/books/{book}/people"))
    wait_for(d, "#members li.person-row")
    axe.assert_clean(d, "the people page")
    screenshot(d, "people")


def test_a_move_onto_a_part_that_is_gone_is_explained_and_the_tree_refreshed(server, browser):
    """A facilitator whose screen is behind (its event stream blocked) moves a chapter into
    a part another facilitator has just removed: the server answers 409, the page says why
    in words and shows the tree as it is."""
    from selenium.webdriver.common.keys import Keys
    book = server.book_id
    api = server.api()
    titles = nodes_by_title(api, book)
    name, password = facilitator(server, "mia")
    d = browser()
    sign_in(d, server.base, name, password)
    d.execute_cdp_cmd("Network.enable", {})
    d.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/v1/books/*/events"]})
    d.allowed_console.append(r"/events|ERR_BLOCKED_BY_CLIENT|409")
    d.get(server.url(f"/books/{book}"))
    wait_for(d, "#toc .drag-handle")
    about, running = titles["About this book"], titles["Running a book sprint"]
    handle(d, about).click()
    handle(d, about).send_keys(Keys.ARROW_DOWN)  # below "Running a book sprint"
    wait_until(lambda: find(server_tree(api, book), about) == (None, 1), 10, message="the first move")
    toc = api.call("GET", f"/api/v1/books/{book}/toc")
    api.call("POST", f"/api/v1/books/{book}/toc/ops", {"baseVersion": toc["version"], "ops": [{"op": "remove", "node": running}]})
    assert css_all(d, f"#toc li[data-node='{running}']"), "the screen is behind, as intended"

    handle(d, about).send_keys(Keys.ARROW_RIGHT)  # into the part that is gone
    alert = wait_for(d, ".page-status .notice-error")
    assert "could not be made" in alert.text and "try again" in alert.text, alert.text
    wait_until(lambda: screen_tree(d) == server_tree(api, book), 10, message="the refreshed tree")
    assert not css_all(d, f"#toc li[data-node='{running}']")
