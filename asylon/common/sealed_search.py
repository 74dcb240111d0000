"""Searches by a person's name or document number travel in URLs only sealed (OWASP ASVS V14.2.1).

A search box posts its text; the view seals it with `seal_search` into an opaque token and
redirects to the list with `?search=<token>`, so browser history, proxy and access logs and
htmx's pushed URLs hold ciphertext, never a name. The page opens the token with `open_search`.

The token is the field AEAD of the keyring (the one the encrypted fields use), URL-safe base64
without padding, over a small JSON object: the search terms and the time it was issued. Its
associated data, `search-query:<scope>:<user pk>`, binds it to one page's search and to the user
who typed it, so a token copied from another user's history, moved to another page, altered, or
older than a session may last (`ASYLON_SESSION_MAX_HOURS`) opens to nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Mapping

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from asylon.common.crypto.keyring import DecryptionError, keyring

PURPOSE = "search-query"
SEARCH_PARAMETER = "search"
PERSONAL_PARAMETERS = ("q", "number")  # never accepted from a URL
MAX_TERM_LENGTH = 200
MAX_TOKEN_LENGTH = 4096  # a sealed search of two 200-character terms is far shorter
CLOCK_SKEW_SECONDS = 60  # tokens issued by a server whose clock runs slightly ahead still open


def max_age_seconds() -> int:
    """How long a sealed search opens: as long as the longest session."""
    return int(settings.ASYLON_SESSION_MAX_HOURS) * 3600


def _associated_data(scope: str, user_id: object) -> bytes:
    return f"{PURPOSE}:{scope}:{user_id}".encode()


def seal_search(*, user_id: object, scope: str, terms: Mapping[str, str]) -> str:
    """An opaque, URL-safe token holding `terms` for `user_id` on the page named by `scope`."""
    payload = {
        "issued": int(time.time()),
        "terms": {name: str(value)[:MAX_TERM_LENGTH] for name, value in terms.items()},
    }
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    sealed = keyring().encrypt(plaintext, _associated_data(scope, user_id))
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")


def open_search(*, user_id: object, scope: str, token: str) -> dict[str, str] | None:
    """The terms sealed in `token`, or None when it is not this user's, not this page's, damaged or expired."""
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return None
    try:
        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(keyring().decrypt(sealed, _associated_data(scope, user_id)))
    except (binascii.Error, ValueError, DecryptionError):
        return None
    if not isinstance(payload, dict):
        return None
    issued, terms = payload.get("issued"), payload.get("terms")
    if not isinstance(issued, int) or not isinstance(terms, dict):
        return None
    age = time.time() - issued
    if age > max_age_seconds() or age < -CLOCK_SKEW_SECONDS:
        return None
    return {str(name): str(value)[:MAX_TERM_LENGTH] for name, value in terms.items() if isinstance(value, str)}


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303  # the browser follows a POST's answer with a GET


def page_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Go to `url`: a 303 for the browser, or for htmx a whole page load (so a message shows)."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseSeeOther(url)


def sealed_url(request: HttpRequest, *, scope: str, terms: Mapping[str, str], keep: Mapping[str, str]) -> str:
    """This page's URL with the plain (non-personal) parameters `keep` and the terms sealed as `?search=`."""
    query = QueryDict(mutable=True)
    for name, value in keep.items():
        if value and name != SEARCH_PARAMETER and name not in PERSONAL_PARAMETERS:
            query[name] = value
    if any(terms.values()):
        query[SEARCH_PARAMETER] = seal_search(user_id=request.user.pk, scope=scope, terms=terms)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _url_without(request: HttpRequest, names: tuple[str, ...]) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def search_from_url(request: HttpRequest, *, scope: str) -> dict[str, str] | HttpResponse:
    """The terms sealed in the request's `?search=` ({} when there is none), or a redirect that says why not.

    A name or document number in the URL itself (`?q=`, `?number=`: an old bookmark) is not
    searched for: it has reached the access log once already; the page's links must not repeat it.
    """
    if any(name in request.GET for name in PERSONAL_PARAMETERS):
        messages.info(
            request,
            _(
                "Names and document numbers are no longer kept in page addresses, so this search was not run. "
                "Type it into the search box again."
            ),
        )
        return page_redirect(request, _url_without(request, (*PERSONAL_PARAMETERS, SEARCH_PARAMETER, "page")))
    token = request.GET.get(SEARCH_PARAMETER)
    if token is None:
        return {}
    terms = open_search(user_id=request.user.pk, scope=scope, token=token)
    if terms is None:
        messages.info(request, _("This search has expired; search again."))
        return page_redirect(request, _url_without(request, (SEARCH_PARAMETER, "page")))
    return terms
