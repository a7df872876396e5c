"""Hooks of the schemathesis run (Tests/api/run_schemathesis.py), loaded through
SCHEMATHESIS_HOOKS: sign-in, Idempotency-Keys that name their request, and a guard
against a flaw of older Pythons.

Every call shares one token, except `POST /logout`, which revokes the token that sends it:
it gets a token of its own each time, so that signing out never signs the run out. Those
tokens are made before the run starts: once the run has fuzzed `POST /login` with wrong
passwords, the server's sign-in limit holds this address back for up to a minute (429 with
Retry-After), as it should, and a sign-in then waits as it is told.
"""

import ast
import hashlib
import json
import os
import re
import threading
import time
import urllib.error
import urllib.request

import schemathesis

# Python 3.11 (3.11.7 here) can fail two `ast.parse` calls made at the same time in two
# threads ("SystemError: AST constructor recursion depth mismatch", CPython issue 106905);
# hypothesis parses sources to describe its filters, and the run has two workers. One
# parse at a time: it costs nothing measurable.
_parse, _parsing = ast.parse, threading.Lock()


def _one_parse_at_a_time(*arguments, **options):
    with _parsing:
        return _parse(*arguments, **options)


ast.parse = _one_parse_at_a_time

API = os.environ["BOOKSPRINT_API"]
USER = os.environ["BOOKSPRINT_API_USER"]
PASSWORD = os.environ["BOOKSPRINT_API_PASSWORD"]


def sign_in() -> str:
    body = json.dumps({"username": USER, "password": PASSWORD}).encode()
    for _ in range(5):
        request = urllib.request.Request(API + "/login", data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.load(answer)["token"]
        except urllib.error.HTTPError as error:
            if error.code != 429:
                raise
            time.sleep(min(65, int(error.headers.get("Retry-After") or "1")))
    raise RuntimeError("the sign-in limit did not let the run sign in after five waits")


# Tokens for `POST /logout`, made while no wrong password has been tried yet.
SPARE_TOKENS = [sign_in() for _ in range(40)]


def set_bearer(case, token: str) -> None:
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth(refresh_interval=None).apply_to(path="/logout")
class OwnToken:
    def get(self, case, context):
        return SPARE_TOKENS.pop() if SPARE_TOKENS else sign_in()

    def set(self, case, token, context):
        set_bearer(case, token)


@schemathesis.auth()
class SharedToken:
    def get(self, case, context):
        return sign_in()

    def set(self, case, token, context):
        set_bearer(case, token)


@schemathesis.hook
def before_call(context, case, **kwargs):
    """A valid Idempotency-Key becomes one that names the request too: the same key with
    another request is 422 by design, and schemathesis, which does not know that, would
    draw one key for many requests. Replays of one request with one key stay replays;
    invalid keys stay as drawn."""
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and re.fullmatch(r"[!-~]{1,255}", key):
        request = repr((key, case.method, case.formatted_path, case.body))
        headers["Idempotency-Key"] = hashlib.sha256(request.encode()).hexdigest()
