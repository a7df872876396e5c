"""The members list (issue 11, People): a facilitator adds by name someone they share a
book with, changes the role, removes them; a name that cannot be added and the book's last
facilitator are explained in words."""

from webapp import css, css_all, sign_in, wait_for, wait_until


def members(api, book) -> dict:
    return {m["username"]: m["role"] for m in api.call("GET", f"/api/v1/books/{book}/members")["members"]}


def status_text(driver) -> str:
    return wait_for(driver, ".people-page .page-status .notice").text


def test_a_facilitator_adds_changes_and_removes_a_member_and_keeps_one_facilitator(server, browser, screenshot):
    mia = server.add_author("mia", "password-mia", role="facilitator")
    # Ben shares a book with Mia (hers), so she may add him by name to the sample book.
    server.add_user("ben", "password-ben")
    own = mia.create_book("Mia's own")["id"]
    server.api().put_member(own, "ben", "reader")  # an administrator adds anyone

    driver = browser()
    sign_in(driver, server.base, "mia", "password-mia")
    book = server.book_id
    driver.get(f"{server.base}/books/{book}/people")
    form = wait_for(driver, "form#member-form")
    css(driver, "#member-name").send_keys("ben")
    css(driver, "#member-role option[value='reader']").click()
    form.find_element("css selector", "button[type=submit]").click()
    wait_until(lambda: css_all(driver, "#members li[data-member='ben']"), 10, message="ben in the list")
    assert members(server.api(), book).get("ben") == "reader"
    assert "ben joined the book as reader" in status_text(driver)

    css(driver, "#members li[data-member='ben'] select option[value='author']").click()
    wait_until(lambda: members(server.api(), book).get("ben") == "author", 10, message="ben an author on the server")
    wait_until(lambda: "ben is now an author" in status_text(driver), 10, message="the change said in words")
    screenshot(driver, "people-members", both=True)

    css(driver, "#members li[data-member='ben'] button").click()
    alert = wait_until(lambda: driver.switch_to.alert, 5, message="the confirmation")
    assert "Their writing stays in the book" in alert.text
    alert.accept()
    wait_until(lambda: not css_all(driver, "#members li[data-member='ben']"), 10, message="ben gone from the list")
    assert "ben" not in members(server.api(), book)

    # A name that no one shares with Mia: the form says what to do instead.
    css(driver, "#member-name").send_keys("nobody-here")
    css(driver, "form#member-form button[type=submit]").click()
    wait_until(lambda: "Send them an invite link instead" in status_text(driver), 10, message="the refusal in words")

    # In her own book Mia is the only facilitator: she cannot make herself an author.
    driver.get(f"{server.base}/books/{own}/people")
    wait_for(driver, "#members li[data-member='mia'] select")
    css(driver, "#members li[data-member='mia'] select option[value='author']").click()
    wait_until(lambda: "keeps at least one facilitator" in status_text(driver), 10, message="the last facilitator kept")
    assert members(server.api(), own).get("mia") == "facilitator"
    assert css(driver, "#members li[data-member='mia'] select").get_attribute("value") == "facilitator"
    screenshot(driver, "people-last-facilitator")
