"""2. Two people, two accounts, two browsers, type into different paragraphs of one chapter at
the same time at human speed for 20 seconds: neither caret ever jumps, and at the end both
screens and the server hold every keystroke of both typists."""

import random
import threading
import time

from webapp import (CARET_CHECK, caret_at_end_of, editor_value, open_chapter, save_state, sign_in,
                    wait_until)

SECONDS = 20
WORDS_A = "amber apple arch atlas autumn avenue azure"
WORDS_B = "birch bold brook bright bronze busy buzz"

BEFORE = "# Two typists\n\n"
PARA_A = "Ana writes the first paragraph."
MIDDLE = "\n\nA quiet paragraph between them stays as it is.\n\n"
PARA_B = "Ben writes the last paragraph."
AFTER = "\n"


def typist(driver, words: str, seed: int, stop_at: float, out: dict):
    """Types `words` over and over, one key every 80-150 ms, until `stop_at`, checking after
    each key that the caret sits right after everything typed so far."""
    from selenium.webdriver.common.action_chains import ActionChains
    rng = random.Random(seed)
    plan = (" " + " ".join(f"{w}{i}" for i in range(1000) for w in words.split()))
    typed = ""
    try:
        for ch in plan:
            if time.monotonic() >= stop_at:
                break
            ActionChains(driver).send_keys(ch).perform()
            typed += ch
            if not driver.execute_script(CARET_CHECK, typed):
                state = driver.execute_script(
                    "const e = document.querySelector('#editor');"
                    "return [e.selectionStart, e.selectionEnd, e.value.length,"
                    " e.value.slice(Math.max(0, e.selectionStart - 60), e.selectionStart + 20)]")
                raise AssertionError(f"the caret jumped after {len(typed)} keys ({typed[-30:]!r}): "
                                     f"selection {state[0]}-{state[1]} of {state[2]}, around it {state[3]!r}")
            time.sleep(rng.uniform(0.08, 0.15))
    except BaseException as error:
        out["error"] = error
    out["typed"] = typed


def test_two_typists_in_different_paragraphs_keep_every_keystroke_and_their_carets(server, browser):
    book = server.book_id
    admin = server.api()
    ana = server.add_author("ana", "ana-password-1")
    server.add_author("ben", "ben-password-2")
    chapter = admin.create_chapter(book, "Typing together", BEFORE + PARA_A + MIDDLE + PARA_B + AFTER)["id"]

    a, b = browser(), browser()
    for driver, name, password in ((a, "ana", "ana-password-1"), (b, "ben", "ben-password-2")):
        sign_in(driver, server.base, name, password)
        open_chapter(driver, server.base, book, chapter)

    caret_at_end_of(a, PARA_A)
    caret_at_end_of(b, PARA_B)
    out_a, out_b = {}, {}
    stop_at = time.monotonic() + SECONDS
    threads = [threading.Thread(target=typist, args=(a, WORDS_A, 1, stop_at, out_a)),
               threading.Thread(target=typist, args=(b, WORDS_B, 2, stop_at, out_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 60)
    for name, out in (("ana", out_a), ("ben", out_b)):
        if "error" in out:
            raise AssertionError(f"{name}: {out['error']}") from out["error"]
    typed_a, typed_b = out_a["typed"], out_b["typed"]
    # At least a few words each (the keys come slower on a loaded machine: each is checked).
    assert len(typed_a) > 60 and len(typed_b) > 60, (len(typed_a), len(typed_b))

    expected = BEFORE + PARA_A + typed_a + MIDDLE + PARA_B + typed_b + AFTER

    def settled():
        head = ana.chapter(book, chapter)
        sa, sb = save_state(a), save_state(b)
        return (sa["state"] == "saved" and sb["state"] == "saved" and sa["unsent"] == 0 and sb["unsent"] == 0
                and sa["revision"] == sb["revision"] == head["revision"]
                and editor_value(a) == editor_value(b) == head["text"])

    try:
        wait_until(settled, 30, 0.2, message="both browsers saved, at the server's head, with one text")
    except AssertionError:
        head = ana.chapter(book, chapter)
        raise AssertionError(
            f"not settled: a={save_state(a)} b={save_state(b)} head revision {head['revision']}\n"
            f"a:    {editor_value(a)!r}\nb:    {editor_value(b)!r}\nhead: {head['text']!r}\n"
            f"want: {expected!r}")
    head = ana.chapter(book, chapter)["text"]
    assert head == expected, f"\nhead: {head!r}\nwant: {expected!r}"
