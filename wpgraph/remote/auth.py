"""Credentials for a triple store: where they come from, how they are sent, and how they are kept out of sight.

``split_url`` takes them from ``WPGRAPH_ENDPOINT_USER`` / ``WPGRAPH_ENDPOINT_PASSWORD``
or from a ``user:password@`` URL (which it strips); ``challenges`` reads a
server's ``WWW-Authenticate`` offer; ``DigestChallenge`` answers one (RFC 7616,
as Virtuoso asks); ``mask`` removes credentials, ``Authorization`` headers and
tokens from any text before wpgraph prints it.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import secrets
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..errors import InputError

USER_ENV = "WPGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "WPGRAPH_ENDPOINT_PASSWORD"


class HttpError(InputError):
    """A failed HTTP call, as one line without credentials; ``status`` is the HTTP status, if one came."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def basic(self) -> str:
        return base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")


def split_url(url: str) -> tuple[str, Credentials | None]:
    """The URL without any ``user:password@``, and the credentials to use: the environment's, else the URL's."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        raise InputError(f"not an http(s) URL: {mask_url(url)!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"not an http(s) URL: {mask_url(url)!r}")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    try:
        port = parts.port
    except ValueError:
        raise InputError(f"not an http(s) URL (bad port): {mask_url(url)!r}") from None
    if port is not None:
        netloc += f":{port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    user, password = os.environ.get(USER_ENV) or None, os.environ.get(PASSWORD_ENV)
    if user is not None:
        return clean, Credentials(user, password or "")
    if parts.username is not None:
        return clean, Credentials(urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    return clean, None


_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@")
_AUTH_HEADER = re.compile(r"(?i)((?:proxy-)?authorization\s*[:=]\s*\"?)[^\r\n\"]*")
_AUTH_TOKEN = re.compile(r"(?i)\b(basic|bearer)\s+[A-Za-z0-9+/=._~-]{6,}")
_DIGEST_FIELD = re.compile(r"(?i)\b(response|cnonce|username)\s*=\s*\"?[^\",\s]*\"?")


def mask_url(url: str) -> str:
    """A URL as it may be printed: ``http://***@host/…`` for one that carries a user name or password."""
    return _USERINFO.sub(r"\1***@", url)


def mask(text: str, credentials: Credentials | None = None) -> str:
    """Text with credentials removed: userinfo in URLs, Authorization headers, tokens, the password itself."""
    text = mask_url(text)
    text = _AUTH_HEADER.sub(r"\1***", text)
    text = _AUTH_TOKEN.sub(r"\1 ***", text)
    text = _DIGEST_FIELD.sub(r"\1=***", text)
    secrets_ = [os.environ.get(PASSWORD_ENV) or ""]
    if credentials is not None:
        secrets_ += [credentials.password, credentials.basic()]
    for secret in sorted({s for s in secrets_ if len(s) >= 3}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def one_line(text: str, limit: int = 300) -> str:
    """Control characters out, whitespace collapsed, cut to ``limit`` characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def challenges(headers: http.client.HTTPMessage) -> dict[str, dict[str, str]]:
    """``WWW-Authenticate`` challenges by scheme (lower case): ``{"digest": {"realm": …, "nonce": …}}``."""
    found: dict[str, dict[str, str]] = {}
    for value in headers.get_all("WWW-Authenticate") or []:
        for match in re.finditer(r"(?i)(?:^|,)\s*(basic|digest|bearer|negotiate)\b((?:(?!,\s*(?:basic|digest|bearer|"
                                 r"negotiate)\b)[^\"]|\"[^\"]*\")*)", value):
            params = {}
            for item in urllib.request.parse_http_list(match.group(2)):
                key, sep, val = item.partition("=")
                if sep:
                    params[key.strip().lower()] = val.strip().strip('"')
            found.setdefault(match.group(1).lower(), params)
    return found


@dataclass
class DigestChallenge:
    """A Digest challenge and its nonce count (RFC 7616: MD5 and SHA-256, with or without -sess; qop auth)."""

    params: dict[str, str]
    count: int = 0

    def header(self, method: str, uri: str, credentials: Credentials, cnonce: str | None = None) -> str:
        algorithm = self.params.get("algorithm", "MD5")
        base = algorithm.upper().removesuffix("-SESS")
        hasher = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}.get(base)
        if hasher is None:
            raise HttpError(f"the server asks for Digest with {algorithm}, which wpgraph does not speak", 401)

        def h(text: str) -> str:
            return hasher(text.encode("utf-8")).hexdigest()

        realm, nonce = self.params.get("realm", ""), self.params.get("nonce", "")
        self.count += 1
        nc, cnonce = f"{self.count:08x}", cnonce or secrets.token_hex(8)
        ha1 = h(f"{credentials.user}:{realm}:{credentials.password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in self.params.get("qop", "").split(",") if q.strip()]
        fields = {"username": credentials.user, "realm": realm, "nonce": nonce, "uri": uri}
        if "auth" in qops:
            fields["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        elif not qops:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
        else:
            raise HttpError(f"the server asks for Digest with qop={','.join(qops)}, which wpgraph does not speak", 401)
        if "opaque" in self.params:
            fields["opaque"] = self.params["opaque"]
        text = ", ".join(f'{k}="{v}"' for k, v in fields.items())
        text += f", algorithm={algorithm}"
        if qops:
            text += f", qop=auth, nc={nc}, cnonce=\"{cnonce}\""
        return "Digest " + text
