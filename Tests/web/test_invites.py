"""3. Invite links: a facilitator creates an author invite in the people page, a second
browser with no account opens the link, signs up, lands in the book and writes in a
chapter; a signed-in user joins with one button; a revoked invite and an expired one are refused in words."""

import sqlite3

from webapp import css, css_all, open_chapter, put_caret, sign_in, type_keys, wait_for, wait_saved, wait_until


def create_invite(driver, base, book, role="author"):
    driver.get(f"{base}/books/{book}/people")
    wait_for(driver, "form#invite-form")
    css(driver, f"#invite-role option[value='{role}']").click()
    css(driver, "form#invite-form button[type=submit]").click()
    link = wait_for(driver, "#invite-link").get_attribute("value")
    assert link.startswith(base + "/invite/"), link
    return link


def test_a_newcomer_joins_with_an_invite_link_and_writes_and_dead_links_are_refused(server, browser, screenshot):
    book = server.book_id
    server.add_author("mia", "password-mia", role="facilitator")
    mia, newcomer, late = browser(), browser(), browser()
    sign_in(mia, server.base, "mia", "password-mia")
    link = create_invite(mia, server.base, book)
    wait_until(lambda: css_all(mia, "#invites li[data-invite][data-state='active']"), 10, message="the invite in the list")
    screenshot(mia, "people-invite", both=True)

    # The newcomer: no account, no token. The link says where it leads, then signs up.
    newcomer.get(link)
    wait_for(newcomer, "form#invite-form")
    assert "Join" in css(newcomer, "h1").text and "author" in css(newcomer, ".invite p").text
    screenshot(newcomer, "invite-signup", both=True)
    css(newcomer, "#invite-username").send_keys("Noor")
    css(newcomer, "#invite-password").send_keys("a long enough password")
    css(newcomer, "#invite-password-again").send_keys("a long enough password")
    css(newcomer, "form#invite-form button[type=submit]").click()
    wait_until(lambda: newcomer.current_url.rstrip("/") == f"{server.base}/books/{book}", 15,
               message=f"the book page after joining (now {newcomer.current_url})")
    wait_for(newcomer, "#toc li.toc-chapter a.chapter-link")
    assert not css_all(newcomer, "#toc .drag-handle"), "an author gets no move handles"

    members = {m["username"]: m["role"] for m in server.api().call("GET", f"/api/v1/books/{book}/members")["members"]}
    assert members.get("Noor") == "author", members

    chapter = server.api().chapter_ids(book)[1]
    open_chapter(newcomer, server.base, book, chapter)
    put_caret(newcomer, 0)
    type_keys(newcomer, "Noor was here. ")
    wait_saved(newcomer)
    assert server.api().chapter(book, chapter)["text"].startswith("Noor was here. ")

    # Someone who has an account and is signed in joins with one button, as themselves.
    server.add_user("ola", "password-ola")
    sign_in(late, server.base, "ola", "password-ola")
    late.get(link)
    wait_for(late, "#invite-join").click()
    wait_until(lambda: late.current_url.rstrip("/") == f"{server.base}/books/{book}", 15,
               message=f"the book page after joining as ola (now {late.current_url})")
    members = {m["username"]: m["role"] for m in server.api().call("GET", f"/api/v1/books/{book}/members")["members"]}
    assert members.get("ola") == "author", members

    # The facilitator revokes the link: a late arrival is told so in words.
    mia.get(f"{server.base}/books/{book}/people")
    revoke = wait_for(mia, "#invites li[data-state='active'] button")
    revoke.click()
    wait_until(lambda: not css_all(mia, "#invites li[data-state='active']"), 10, message="the invite gone from the list")
    late.get(link)
    message = wait_for(late, "#invite-status .notice").text
    assert "expired or was revoked" in message, message
    assert not css_all(late, "form#invite-form")

    # An expired invite: made today, its end moved into the past in the store.
    second = create_invite(mia, server.base, book, role="reader")
    with sqlite3.connect(server.data / "booksprint.sqlite") as db:
        changed = db.execute("UPDATE invite SET expiresAt = '2000-01-01 00:00:00.000' WHERE revokedAt IS NULL").rowcount
    assert changed == 1
    late.get(second)
    message = wait_for(late, "#invite-status .notice").text
    assert "expired or was revoked" in message, message
    screenshot(late, "invite-refused")
