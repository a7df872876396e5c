"""9. axe-core on the sign-in, books, book and editor pages, wide and narrow: no critical or
serious violation."""

import pytest

from webapp import css_all, fill_sign_in, open_book, open_chapter, visible, wait_for, wait_until


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)], ids=["wide", "narrow"])
def test_the_main_pages_have_no_critical_or_serious_axe_violation(server, browser, axe, size):
    d = browser(*size)
    d.get(server.url("/"))
    wait_for(d, "form#signin-form")
    axe.assert_clean(d, "the sign-in page")

    fill_sign_in(d, "admin", "wrong password")
    wait_until(lambda: visible(d, "#signin-error"), 10, message="#signin-error")
    axe.assert_clean(d, "the sign-in page with its error")

    fill_sign_in(d, "admin", server.admin_password)
    wait_until(lambda: css_all(d, "ul#books > li > a.book-link"), 15, message="the books")
    axe.assert_clean(d, "the books page")

    open_book(d, server.base, server.book_id)
    axe.assert_clean(d, "the book page")

    chapter = server.api().chapter_ids(server.book_id)[1]
    open_chapter(d, server.base, server.book_id, chapter)
    wait_until(lambda: css_all(d, "#preview [data-line]"), 10, message="the preview")
    axe.assert_clean(d, "the chapter editor")
    if size[0] < 600:
        tab = wait_for(d, "button#tab-preview")
        tab.click()
        wait_until(lambda: visible(d, "#preview"), 5, message="the preview pane after #tab-preview")
        axe.assert_clean(d, "the chapter editor's preview pane")
