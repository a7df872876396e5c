"""Undo and redo take back the author's own edits only, and survive a co-author's text
flowing in above and below them."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from webapp import editor_value, open_chapter, put_caret, sign_in, type_keys, wait_saved, wait_until

TEXT = "First paragraph.\n\nSecond paragraph.\n"


def chord(driver, *keys):
    actions = ActionChains(driver)
    for key in keys[:-1]:
        actions.key_down(key)
    actions.send_keys(keys[-1])
    for key in reversed(keys[:-1]):
        actions.key_up(key)
    actions.perform()


def test_undo_takes_back_own_edits_and_keeps_a_coauthors(server, browser):
    book = server.book_id
    admin = server.api()
    ben = server.add_author("ben", "ben-password-3")
    chapter = admin.create_chapter(book, "Undo", TEXT)["id"]

    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_chapter(d, server.base, book, chapter)
    put_caret(d, len("First paragraph."))
    type_keys(d, " Mine")
    saved = wait_saved(d)

    # Ben adds a paragraph above and one below while the author's edit is the last one.
    head = ben.chapter(book, chapter)
    ben.save(book, chapter, head["revision"], "Zero.\n\n" + head["text"] + "\nThird, by Ben.\n")
    expected = "Zero.\n\nFirst paragraph. Mine\n\nSecond paragraph.\n\nThird, by Ben.\n"
    wait_until(lambda: editor_value(d) == expected, 10, message="Ben's paragraphs in the editor")
    caret = d.execute_script("return document.querySelector('#editor').selectionStart")
    assert caret == expected.index(" Mine") + len(" Mine"), "the caret did not stay after the author's words"

    chord(d, Keys.CONTROL, "z")
    wait_until(lambda: editor_value(d) == "Zero.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird, by Ben.\n", 5,
               message="undo took back ' Mine' only")
    chord(d, Keys.CONTROL, Keys.SHIFT, "z")
    wait_until(lambda: editor_value(d) == expected, 5, message="redo put ' Mine' back")
    chord(d, Keys.CONTROL, "z")
    chord(d, Keys.CONTROL, "z")   # nothing older of the author's: Ben's text stays
    wait_until(lambda: wait_saved(d)["revision"] > saved["revision"], 20, message="the undo saved")
    assert ben.chapter(book, chapter)["text"] == "Zero.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird, by Ben.\n"
