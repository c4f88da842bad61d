"""One careful HTTP client for every call wpgraph makes to a triple store.

Every call has a connect time-out and a deadline for the whole exchange (a
server that sends one byte a second is cut off at the deadline), and a limit on
the response size (a larger response is refused, not read). Credentials (see
``remote.auth``) are sent only after the server asks for them, in the scheme it
asks for (Digest, which Virtuoso's endpoints require, or Basic), and only to
the host the user named: a redirect to another host is followed without them.
Every message is masked before it is raised.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.parse
from dataclasses import dataclass, field

from .auth import (
    PASSWORD_ENV,
    USER_ENV,
    Credentials,
    DigestChallenge,
    HttpError,
    challenges,
    mask,
    mask_url,
    one_line,
    split_url,
)

__all__ = ["HttpClient", "HttpError", "Credentials", "Response", "mask", "mask_url", "split_url"]

DEFAULT_TIMEOUT = 60.0
CONNECT_TIMEOUT = 10.0
MAX_RESPONSE = 64 * 1024 * 1024  # bytes: a SELECT over the whole national dataset is far smaller
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


@dataclass
class Response:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes
    url: str

    def text(self) -> str:
        charset = self.headers.get_content_charset() or "utf-8"
        try:
            return self.body.decode(charset, "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")


def _origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


@dataclass
class HttpClient:
    """Requests to one store, with its credentials; remembers the scheme the store asked for."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = MAX_RESPONSE
    connect_timeout: float = CONNECT_TIMEOUT
    credentials: Credentials | None = None
    _auth: dict[tuple[str, str, int], DigestChallenge | str] = field(default_factory=dict)
    _home: tuple[str, str, int] | None = None

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        """One HTTP exchange (following redirects); status 400 and above is an HttpError."""
        home = self._home = _origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, body, headers, home)
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                try:
                    url = urllib.parse.urljoin(url, response.headers["Location"])
                    usable = _origin(url)[0] in ("http", "https") and bool(urllib.parse.urlsplit(url).hostname)
                except ValueError:
                    usable = False
                if not usable:
                    raise HttpError(f"{method} {self.shown(url)}: redirected to a URL that is not http(s): "
                                    f"{one_line(mask(response.headers['Location'], self.credentials), 120)}")
                if response.status == 303:
                    method, body = "GET", None
                continue
            if response.status >= 400:
                raise HttpError(self._describe(response, url, method), response.status)
            return response
        raise HttpError(f"{method} {self.shown(url)}: more than {MAX_REDIRECTS} redirects")

    def shown(self, url: str) -> str:
        """A URL as it may be printed: no credentials, no query string."""
        return mask(url.split("?", 1)[0], self.credentials)

    def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str] | None,
              home: tuple[str, str, int]) -> Response:
        origin = _origin(url)
        trusted = self.credentials is not None and origin == home  # credentials go only where the user sent them
        response = self._exchange(method, url, body, headers, self._authorization(method, url) if trusted else None)
        if response.status == 401 and trusted:
            offered = challenges(response.headers)
            known = self._auth.get(origin)
            # a new nonce (stale, or a server that lets each one serve once): answer it, once per request
            renewed = isinstance(known, DigestChallenge) and "digest" in offered \
                and offered["digest"].get("nonce") != known.params.get("nonce")
            if known is None or renewed:
                if "digest" in offered:
                    self._auth[origin] = DigestChallenge(offered["digest"])
                elif "basic" in offered:
                    self._auth[origin] = "basic"
                else:
                    return response
                response = self._exchange(method, url, body, headers, self._authorization(method, url))
        return response

    def _authorization(self, method: str, url: str) -> str | None:
        scheme = self._auth.get(_origin(url))
        if scheme is None or self.credentials is None:
            return None
        if isinstance(scheme, DigestChallenge):
            parts = urllib.parse.urlsplit(url)
            return scheme.header(method, parts.path + (f"?{parts.query}" if parts.query else ""), self.credentials)
        return f"Basic {self.credentials.basic()}"

    def _exchange(self, method: str, url: str, body: bytes | None, headers: dict[str, str] | None,
                  authorization: str | None) -> Response:
        parts = urllib.parse.urlsplit(url)
        connection: http.client.HTTPConnection
        connect = min(self.connect_timeout, self.timeout)
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=connect,
                                                     context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=connect)
        expired = threading.Event()

        def cut_off() -> None:  # the deadline for the whole exchange: unblocks a read that trickles
            expired.set()
            sock = connection.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(self.timeout, cut_off)
        timer.daemon = True
        timer.start()
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        sent = dict(headers or {})
        if authorization:
            sent["Authorization"] = authorization
        sent.setdefault("User-Agent", "wpgraph")
        try:
            connection.connect()
            if connection.sock is not None:
                connection.sock.settimeout(self.timeout)
            connection.request(method, target, body=body, headers=sent)
            answer = connection.getresponse()
            length = answer.getheader("Content-Length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                raise HttpError(f"{method} {self.shown(url)}: the response is {int(length):,} bytes, over the "
                                f"limit of {self.max_bytes:,}; refused")
            chunks, size = [], 0
            while True:
                chunk = answer.read1(_CHUNK) if hasattr(answer, "read1") else answer.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    raise HttpError(f"{method} {self.shown(url)}: the response is over the limit of "
                                    f"{self.max_bytes:,} bytes; refused")
                chunks.append(chunk)
            if expired.is_set():
                raise TimeoutError
            return Response(answer.status, answer.reason, answer.headers, b"".join(chunks), url)
        except HttpError:
            raise
        except Exception as err:  # noqa: BLE001 - every transport failure becomes one line
            if expired.is_set():
                raise HttpError(f"{method} {self.shown(url)}: no complete answer within {self.timeout:g} s "
                                "(--timeout)") from None
            raise HttpError(f"{method} {self.shown(url)}: {self._transport(err)}") from None
        finally:
            timer.cancel()
            connection.close()

    def _transport(self, err: BaseException) -> str:
        if isinstance(err, (TimeoutError, socket.timeout)):
            return f"timed out ({self.timeout:g} s, --timeout)"
        if isinstance(err, ssl.SSLError):
            return f"TLS error ({one_line(mask(str(err.reason or err), self.credentials))})"
        if isinstance(err, OSError):
            return f"unreachable ({one_line(mask(err.strerror or str(err), self.credentials))})"
        if isinstance(err, http.client.HTTPException):
            return f"not an HTTP answer ({type(err).__name__})"
        return one_line(mask(f"{type(err).__name__}: {err}", self.credentials))

    def _describe(self, response: Response, url: str, method: str) -> str:
        detail = one_line(mask(response.text()[:2000], self.credentials), 200)
        message = f"{method} {self.shown(url)}: HTTP {response.status} {one_line(response.reason, 60)}"
        if response.status == 401:
            offered = challenges(response.headers)
            schemes = "/".join(s.capitalize() for s in offered) or "credentials"
            if self.credentials is None:
                message += f": the store asks for {schemes}; set {USER_ENV} and {PASSWORD_ENV}"
            elif _origin(url) != self._home:
                message += f": redirected to another host, which asks for {schemes}; wpgraph sends credentials " \
                    "only to the host you named"
            elif not set(offered) & {"digest", "basic"}:
                message += f": the store asks for {schemes}, which wpgraph does not speak (it speaks Digest and Basic)"
            else:
                message += f": the store refused the user name or password ({schemes})"
            return message
        return message + (f": {detail}" if detail else "")
