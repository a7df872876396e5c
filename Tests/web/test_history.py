"""5. History: every revision listed (one author's consecutive autosaves grouped), the
difference between two with changed words marked, and an old revision restored as a new
revision."""

from selenium.webdriver.support.ui import Select

from webapp import (css, css_all, editor_value, open_chapter, sign_in, wait_for, wait_saved, wait_until)

V1 = "# Seasons\n\nThe winter was long and grey.\n\nNothing else happened.\n"
V2 = "# Seasons\n\nThe winter was short and grey.\n\nNothing else happened.\n"
V3 = "# Seasons\n\nThe winter was short and bright.\n\nNothing else happened.\n"
V4 = "# Seasons\n\nThe winter was short and bright.\n\nThen spring came.\n"
V5 = "# Seasons\n\nThe winter was short and bright.\n\nThen spring came early.\n"


def test_history_diffs_two_revisions_and_restores_one(server, browser, screenshot):
    book = server.book_id
    admin = server.api()
    ben = server.add_author("ben", "ben-password-2")
    chapter = admin.create_chapter(book, "Seasons", V1)["id"]
    # admin 1, ben 2, ben 3 (one group of two), admin 4, admin 5 (another group).
    for api, base, text in ((ben, 1, V2), (ben, 2, V3), (admin, 3, V4), (admin, 4, V5)):
        assert api.save(book, chapter, base, text)["revision"] == base + 1

    d = browser()
    sign_in(d, server.base, "admin", server.admin_password)
    open_chapter(d, server.base, book, chapter)
    css(d, "a#open-history").click()
    wait_until(lambda: d.current_url.endswith(f"/books/{book}/chapters/{chapter}/history"), 10,
               message="the history route")
    wait_for(d, "li.history-entry, li.history-group")

    # Grouped entries open with their button; then every revision is listed.
    groups = css_all(d, "li.history-group")
    assert groups, "consecutive saves of one author are not grouped"
    for group in groups:
        group.find_element("css selector", "button.expand").click()
    listed = wait_until(lambda: (lambda r: r if r >= {1, 2, 3, 4, 5} else None)(
        {int(li.get_attribute("data-revision")) for li in css_all(d, "li.history-entry")}),
        10, message="li.history-entry for revisions 1-5")
    assert listed == {1, 2, 3, 4, 5}
    assert any("ben" in li.text for li in css_all(d, "li.history-entry, li.history-group")), \
        "the history does not name the author"

    # The difference between 1 and 4: changed words inserted and deleted.
    Select(css(d, "select#diff-from")).select_by_value("1")
    Select(css(d, "select#diff-to")).select_by_value("4")
    css(d, "button#show-diff").click()
    wait_until(lambda: css_all(d, "#diff ins") and css_all(d, "#diff del"), 10, message="#diff with ins and del")
    inserted = " ".join(e.text for e in css_all(d, "#diff ins"))
    deleted = " ".join(e.text for e in css_all(d, "#diff del"))
    for word in ("short", "bright", "spring"):
        assert word in inserted, f"{word!r} not among the inserted words: {inserted!r}"
    for word in ("long", "grey"):
        assert word in deleted, f"{word!r} not among the deleted words: {deleted!r}"
    assert "winter" not in inserted and "winter" not in deleted, "an unchanged word is marked as changed"
    screenshot(d, "history", both=True)

    # Restore revision 2: a new revision 6 with revision 2's text, shown in the editor.
    css(d, "button.restore-revision[data-revision='2']").click()
    wait_until(lambda: d.current_url.endswith(f"/books/{book}/chapters/{chapter}"), 15, message="back to the editor")
    wait_for(d, "textarea#editor")
    state = wait_saved(d, 15)
    head = admin.chapter(book, chapter)
    assert head["revision"] == 6 and state["revision"] == 6, (head["revision"], state)
    assert head["text"] == V2
    assert editor_value(d) == V2
    assert admin.revision(book, chapter, 5)["text"] == V5, "the revisions after the restored one must stay"
