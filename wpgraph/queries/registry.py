"""The canned queries: ``queries/*.rq``, each plain SPARQL with a header of ``#+`` lines.

The header is YAML, as grlc reads it (``name``, ``summary``, ``description``,
``tags``, ``params``, ``example``, ``lists``, ``booleans``, and grlc's
``enumerate``): ``wpgraph query --list``, the docs and the web API are
generated from it. A file without a header is an ad-hoc query.

The files are a grlc specification as they stand: each parameter is a SPARQL
variable named by grlc's convention (``?_name`` mandatory, ``?__name``
optional, a suffix for the form of its value: ``_iri`` an IRI, ``_xsd_date`` a
typed literal, ``_integer``, a language tag, none a plain literal), and
``enumerate`` lists the values where they are known. ``params`` adds what
grlc cannot say (the kind of thing a value names, so that wpgraph can accept
"Rutland" for a council IRI); the variable of each is found by its name, and a
header that disagrees with its variables (required or not, the form) is an
InputError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..resources import bundled

PARAM_TYPES = ("string", "council", "partner", "date", "integer", "requirement")
XSD = "http://www.w3.org/2001/XMLSchema#"
# grlc's variable convention (grlc.gquery.get_parameters): ?_name or ?__name, then an optional suffix
GRLC_VARIABLE = re.compile(r"\?(?P<mark>_{1,2})(?P<name>[A-Za-z0-9]+)(?P<suffix>(?:_[A-Za-z0-9]+){0,2})(?!\w)")
GRLC_TYPES = ("iri", "number", "literal", "integer")
# the forms a value of each kind may take in the query (a requirement by its IRI or by its reference)
FORMS = {"council": ("iri",), "partner": ("iri",), "requirement": ("iri", "literal"), "date": (XSD + "date",),
         "integer": (XSD + "integer",), "string": ("literal", "lang")}
RESERVED = {"endpoint", "store", "build", "timeout", "format", "frame"}
HEADER_LINE = "#+"


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    description: str = ""
    enum: tuple[str, ...] = ()
    example: str | None = None
    var: str = ""  # the SPARQL variable bound (grlc's ?_name…/?__name…); the name by default
    form: str = ""  # how grlc puts a value in: "iri", "literal", "lang", or a datatype IRI; "" for none known
    lang: str = ""
    enumerate: tuple[str, ...] = ()  # the values grlc offers (its header's ``enumerate``)

    @property
    def variable(self) -> str:
        return self.var or self.name


@dataclass(frozen=True)
class CannedQuery:
    name: str
    summary: str
    description: str
    text: str
    path: Path | None = None
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    example: str = ""
    variables: tuple[str, ...] = field(default=())
    lists: tuple[str, ...] = ()  # GROUP_CONCAT columns, whose item order engines do not fix
    list_separator: str = "; "
    booleans: tuple[str, ...] = ()  # true/false columns, which some stores (Virtuoso) send as 1/0

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def header_text(text: str) -> str:
    """The ``#+`` lines at the top of a query, without their marks: a YAML document."""
    lines = []
    for line in text.splitlines():
        if line.startswith(HEADER_LINE):
            lines.append(line[len(HEADER_LINE):])
        elif line.strip() and not line.startswith("#"):
            break
    return "\n".join(lines)


def parse_header(text: str, source: str | Path = "query") -> dict[str, Any]:
    """The header as a dict (empty when the query has none); malformed YAML is an InputError."""
    import yaml

    header = header_text(text)
    if not header.strip():
        return {}
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" (header line {mark.line + 1})" if mark is not None else ""
        raise InputError(f"the #+ header is not YAML{line}: {getattr(err, 'problem', err)}", source) from None
    if not isinstance(data, dict):
        raise InputError("the #+ header must be YAML keys and values (name:, summary:, params: …)", source)
    return data


def strip_header(text: str) -> str:
    """The query without its ``#+`` header lines (they are comments; some clients mis-parse them)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith(HEADER_LINE)) + "\n"


def projected_variables(text: str) -> tuple[str, ...]:
    """The variables the outermost SELECT projects, in order (``?x`` and ``(… AS ?x)``)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\s*)?\{", body, re.S | re.I)
    if not match:
        return ()
    clause = re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*\s+AS\s+([?$]\w+)\s*\)", r" \1 ", match.group(1), flags=re.I)
    return tuple(dict.fromkeys(v[1:] for v in re.findall(r"[?$]\w+", clause)))


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def grlc_variables(text: str) -> dict[str, tuple[str, bool, str, str]]:
    """The parameters grlc finds in a query: name -> (variable, required, form, language)."""
    found: dict[str, tuple[str, bool, str, str]] = {}
    for match in GRLC_VARIABLE.finditer(text):
        parts = [p for p in match.group("suffix").split("_") if p]
        form, lang = "literal", ""
        if len(parts) == 2:
            form = XSD + parts[1] if parts[0] == "xsd" else f"{parts[0]}:{parts[1]}"
        elif parts and parts[0] in GRLC_TYPES:
            form = {"integer": XSD + "integer", "number": "number"}.get(parts[0], parts[0])
        elif parts:
            form, lang = "lang", parts[0]
        found.setdefault(match.group("name"), (match.group(0)[1:], len(match.group("mark")) == 1, form, lang))
    return found


def _enumerations(header: dict[str, Any], path: str | Path) -> dict[str, tuple[str, ...]]:
    """grlc's ``enumerate``: a list of ``{name: [values]}`` (a bare name asks grlc to query for them)."""
    found: dict[str, tuple[str, ...]] = {}
    for item in header.get("enumerate") or []:
        if isinstance(item, dict):
            found.update({str(k): tuple(_as_list(v)) for k, v in item.items()})
        elif not isinstance(item, str):
            raise InputError(f"enumerate: {item!r} is neither a name nor name: [values]", path)
    return found


def _with_variable(param: Param, body: str, path: str | Path) -> Param:
    """The parameter with its grlc variable found in the query body, checked against the header."""
    grlc = grlc_variables(body).get(param.name)
    if param.var and (grlc is None or grlc[0] != param.var.lstrip("?$")):
        return param  # an ad-hoc query naming its own variable
    if grlc is None:
        return param  # an ad-hoc query binding ?name itself, as before grlc's convention
    variable, required, form, lang = grlc
    if required != param.required:
        mark = "?_" if param.required else "?__"
        raise InputError(f"parameter {param.name}: the header says {'' if param.required else 'not '}required, "
                         f"so its variable must start with {mark}, not ?{variable}", path)
    if form not in FORMS[param.type]:
        raise InputError(f"parameter {param.name}: a {param.type} cannot be bound as ?{variable} "
                         f"(a {param.type} is {' or '.join(FORMS[param.type])})", path)
    return replace(param, var=variable, form=form, lang=lang)


def _param(spec: Any, path: str | Path) -> Param:
    if not isinstance(spec, dict):
        raise InputError(f"a parameter in the header must be a mapping (name:, type:, …), not {spec!r}", path)
    name = str(spec.get("name", ""))
    kind = str(spec.get("type", "string"))
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or name in RESERVED:
        raise InputError(f"parameter name {name!r} in the header is not usable", path)
    if kind not in PARAM_TYPES:
        raise InputError(f"parameter {name}: type {kind!r} is not one of {', '.join(PARAM_TYPES)}", path)
    default = spec.get("default")
    return Param(name=name, type=kind, required=bool(spec.get("required", False)),
                 default=None if default in (None, "") else str(default),
                 description=" ".join(str(spec.get("description", "")).split()),
                 enum=tuple(_as_list(spec.get("enum"))),
                 example=None if spec.get("example") is None else str(spec["example"]),
                 var=str(spec.get("var", "")))


def load_query(path: str | Path, text: str | None = None) -> CannedQuery:
    """A query file with its header read."""
    path = Path(path)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError("not UTF-8 text", path) from None
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror or err}", path) from None
    header = parse_header(text, path)
    body = strip_header(text)
    enumerations = _enumerations(header, path)
    params = tuple(replace(_with_variable(_param(spec, path), body, path), enumerate=enumerations.get(
        str(spec.get("name")), ())) for spec in (header.get("params") or []))
    return CannedQuery(name=str(header.get("name") or path.stem),
                       summary=" ".join(str(header.get("summary", "")).split()),
                       description=" ".join(str(header.get("description", "")).split()), text=text, path=path,
                       tags=tuple(_as_list(header.get("tags"))), params=params,
                       example=str(header.get("example", "") or ""), variables=projected_variables(text),
                       lists=tuple(_as_list(header.get("lists"))),
                       list_separator=str(header.get("list-separator") or "; "),
                       booleans=tuple(_as_list(header.get("booleans"))))


@cache
def _canned() -> dict[str, CannedQuery]:
    found = {}
    for path in sorted(bundled("queries").glob("*.rq")):
        query = load_query(path)
        found[query.name] = query
    return found


def list_queries() -> list[CannedQuery]:
    """Every canned query, by name."""
    return list(_canned().values())


def is_canned(query: CannedQuery) -> bool:
    """Whether a query is one of the bundled ones (not a user's file)."""
    return _canned().get(query.name) is query


def get_query(name: str) -> CannedQuery:
    try:
        return _canned()[name]
    except KeyError:
        raise InputError(f"no canned query {name!r} (known: {', '.join(_canned())})") from None


def describe(query: CannedQuery) -> str:
    """A query's header as people read it (``wpgraph query --describe``)."""
    out = [f"{query.name}: {query.summary}", "", query.description, ""]
    if query.params:
        out.append("Parameters:")
        for p in query.params:
            flags = ["required" if p.required else "optional", p.type]
            if p.default is not None:
                flags.append(f"default {p.default}")
            if p.enum:
                flags.append("one of " + "|".join(p.enum))
            out.append(f"  {p.name} ({', '.join(flags)}): {p.description}")
    else:
        out.append("Parameters: none")
    out.append(f"Columns: {' '.join(query.variables)}")
    if query.tags:
        out.append(f"Tags: {', '.join(query.tags)}")
    if query.example:
        out.append(f"Example: {query.example}")
    return "\n".join(out) + "\n"
