"""Aligning a council's rows to catalogue requirements.

Councils number differently (Rutland's 1.13 is the catalogue's 1.11) and
paraphrase, so a row's own reference is trusted only when its text agrees with
the requirement's. Otherwise the row goes to the requirement whose text is most
similar, if that is similar enough; a row that matches nothing well stays
unmatched, never forced. A row may also answer further requirements of its
theme (a merged row: "… and to rapidly complete deferred assessments"): those
its words beyond its primary requirement's match well, each a secondary link.

Similarity is the cosine of TF-IDF vectors over word stems and word pairs, with
IDF taken from the catalogue, so that the words that tell requirements apart
("Infection Control Fund", "shielding") weigh more than the ones they share
("local authorities should").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from .ingest.records import Alignment, Link, PlanRecord
from .reference.catalogue import Requirement, catalogue
from .text import clean_text

_WORD = re.compile(r"[a-z0-9]+")

# A row's own reference is believed when its text is at least this similar to
# that requirement's and not clearly worse than the best match.
REFERENCE_AGREES = 0.30
REFERENCE_MARGIN = 0.15
# A row without a believable reference needs this much similarity to be aligned.
TEXT_MATCH = 0.32
# A row that stood under a topic heading leans towards that topic's requirements:
# the December 2020 revision reworded the PPE actions, and Rutland's reworded
# rows still stand under "Personal protective equipment (PPE)". The council's own
# heading is evidence of what a row answers; a row aligned only thanks to it says
# so (method "topic"). docs/model.md, "Alignment", gives the measurements.
TOPIC_BONUS = 0.15
# A row also answers a further requirement of its theme when the words it has
# beyond its primary requirement's are this similar to that requirement's (the
# part of the cosine those words carry). On the bundled plans and the example the
# true further requirements score 0.27-0.48 and every other candidate at most 0.09.
FURTHER_MATCH = 0.20

STOPWORDS = frozenset("""a about above after again all also an and any are as at be been being both but by can
could do does each either for from further had has have having if in into is it its itself may more most must
no nor not of on once only or other our out over own same should so some such than that the their them then
there these they this those through to too under until up very was we were what when where which while who
will with within would you your local authority authorities la las council councils rcc area""".split())

def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "ied", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def features(text: str) -> Counter[str]:
    words = [_stem(w) for w in _WORD.findall(clean_text(text).lower()) if w not in STOPWORDS and len(w) > 1]
    grams = Counter(words)
    grams.update(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    return grams


@dataclass(frozen=True)
class TextIndex:
    """TF-IDF vectors of the catalogue's requirement texts."""

    references: tuple[str, ...]
    vectors: tuple[dict[str, float], ...]
    idf: dict[str, float]
    # term -> (requirement number, weight): a row's terms reach only the requirements that share them
    postings: dict[str, tuple[tuple[int, float], ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        postings: dict[str, list[tuple[int, float]]] = {}
        for number, vector in enumerate(self.vectors):
            for term, weight in vector.items():
                postings.setdefault(term, []).append((number, weight))
        object.__setattr__(self, "postings", {t: tuple(found) for t, found in postings.items()})

    @classmethod
    def build(cls, requirements: Sequence[Requirement]) -> TextIndex:
        docs = [features(r.text) for r in requirements]
        df = Counter(term for doc in docs for term in doc)
        n = len(docs)
        idf = {term: math.log((1 + n) / (1 + count)) + 1 for term, count in df.items()}
        vectors = tuple(cls._normalise(doc, idf) for doc in docs)
        return cls(tuple(r.reference for r in requirements), vectors, idf)

    @staticmethod
    def _normalise(doc: Counter[str], idf: dict[str, float]) -> dict[str, float]:
        weights = {t: (1 + math.log(c)) * idf.get(t, math.log(2) + 1) for t, c in doc.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def scores(self, text: str) -> dict[str, float]:
        """The cosine of the text with every requirement (terms added in the text's order, as a plain sum would)."""
        return self._dot(self._normalise(features(text), self.idf))

    def _dot(self, query: dict[str, float]) -> dict[str, float]:
        totals = [0.0] * len(self.references)
        for term, weight in query.items():
            for number, other in self.postings.get(term, ()):
                totals[number] += weight * other
        return dict(zip(self.references, totals, strict=True))

    def further_scores(self, text: str, primary: str) -> dict[str, float]:
        """For each requirement, the part of its similarity to ``text`` carried by the words (stems and pairs)
        that the ``primary`` requirement's text lacks: what the row says beyond its primary requirement."""
        query = self._normalise(features(text), self.idf)
        known = self.vectors[self.references.index(primary)]
        return self._dot({t: w for t, w in query.items() if t not in known})


@cache
def default_index() -> TextIndex:
    return TextIndex.build(catalogue())


@cache
def _context() -> dict[str, tuple[int, str]]:
    return {r.reference: (r.theme, r.topic.lower()) for r in catalogue()}


def theme_number(heading: str) -> int | None:
    """The theme a heading such as "Theme 2: Collaboration …" names."""
    match = re.match(r"\s*theme\s*(\d)\b", heading or "", re.I)
    return int(match.group(1)) if match else None


def align_text(text: str, local_ref: str = "", theme: int | None = None, topic: str = "",
               index: TextIndex | None = None) -> Alignment:
    """Align one council text to the catalogue.

    ``local_ref`` is the council's own reference; ``theme`` and ``topic`` the
    headings the row stood under, if any: a row under a theme heading is aligned
    within that theme, and leans towards its topic's requirements.
    """
    index = index or default_index()
    if not text.strip():
        return Alignment(None, None, 0.0, "the row has no action text to align")
    context = _context()
    scores = index.scores(text)
    own = scores.get(local_ref)
    # The council's own reference wins when its text agrees, whatever headings the
    # row stood under (a lost page can leave theme 4 rows under theme 3's heading).
    if own is not None and own >= REFERENCE_AGREES and own >= max(scores.values()) - REFERENCE_MARGIN:
        return Alignment(local_ref, "reference", round(own, 3))
    if theme is not None:  # the row's own reference may be another theme's: ``own`` keeps its score
        scores = {r: s for r, s in scores.items() if context[r][0] == theme} or scores
    topic_key = " ".join(topic.lower().split())
    ranked = {r: s + (TOPIC_BONUS if topic_key and context[r][1] == topic_key else 0.0) for r, s in scores.items()}
    best_ref = max(ranked, key=lambda r: ranked[r])
    warning = None
    if own is not None:
        warning = (f"reference {local_ref} does not match the catalogue's {local_ref} "
                   f"(similarity {own:.2f}); aligned by text instead")
    if ranked[best_ref] >= TEXT_MATCH:
        method = "text" if scores[best_ref] >= TEXT_MATCH else "topic"  # "topic": its heading decided
        return Alignment(best_ref, method, round(scores[best_ref], 3), warning)
    return Alignment(None, None, round(scores[best_ref], 3), warning)


def further_links(text: str, primary: str, taken: set[str], index: TextIndex | None = None) -> tuple[Link, ...]:
    """The further requirements a row answers beyond its ``primary`` one: of the primary's theme (1-4; section 0
    is credited through overlaps instead), none that a row of the plan answers as its primary (``taken``), each
    at least FURTHER_MATCH similar by the row's words beyond the primary's."""
    index = index or default_index()
    context = _context()
    theme = context[primary][0]
    if theme == 0:
        return ()
    scores = index.further_scores(text, primary)
    return tuple(Link(ref, "text", round(score, 3), primary=False) for ref, score in scores.items()
                 if score >= FURTHER_MATCH and ref != primary and ref not in taken and context[ref][0] == theme
                 and not ref.startswith("NHS-"))


def align_plan(plan: PlanRecord) -> PlanRecord:
    """Say which requirement each response of a plan answers; rows that match nothing are kept, and reported."""
    index = default_index()
    for response in plan.responses:
        if response.curated_requirement:
            similarity = align_text(response.action_text, response.curated_requirement, index=index).score
            response.alignment = Alignment(response.curated_requirement, "curated", similarity)
        else:
            theme, topic = theme_number(response.theme_heading), response.topic_heading
            own_theme = re.match(r"\s*(\d)\.", response.local_ref or "")
            if own_theme and theme is not None and int(own_theme.group(1)) != theme:
                # a row numbered for another theme than the heading above it (a heading lost or moved):
                # the row's own number says more than a heading that is not its own
                theme, topic = int(own_theme.group(1)), ""
            response.alignment = align_text(response.action_text, response.local_ref, theme, topic, index)
        if response.alignment.warning:
            plan.warn(response.source_row, response.alignment.warning)
        if not response.alignment.matched:
            plan.warn(response.source_row, "matches no catalogue requirement well; kept unmatched")
    # rows that answer several requirements (a merged row): found once every row's primary requirement is known
    taken = {r.alignment.requirement for r in plan.responses if r.alignment and r.alignment.requirement}
    for response in plan.responses:
        alignment = response.alignment
        if alignment is not None and alignment.requirement is not None and alignment.method != "curated":
            further = further_links(response.action_text, alignment.requirement, taken, index)
            if further:
                response.alignment = replace(alignment, further=further)
    plan.warnings.sort(key=lambda w: (w.row is None, w.row or 0))
    return plan


# --------------------------------------------------------------------------- what the importer tells its user

def alignment_summary(plan: PlanRecord) -> dict[str, Any]:
    """What the importer did with each row: aligned (to what, how, how well), unmatched, and its warnings."""
    aligned = [r for r in plan.responses if r.alignment is not None and r.alignment.matched]
    unmatched = [r for r in plan.responses if r.alignment is None or not r.alignment.matched]
    return {
        "council": plan.council,
        "gss": plan.gss,
        "rows": len(plan.responses),
        "responses": [{"row": r.source_row, "localRef": r.local_ref or None, "requirement": r.alignment.requirement,
                       "method": r.alignment.method, "score": r.alignment.score,
                       "also": [{"requirement": link.requirement, "method": link.method, "score": link.score}
                                for link in r.alignment.further]}
                      for r in aligned if r.alignment is not None],
        "unmatched": [{"row": r.source_row, "localRef": r.local_ref or None, "text": r.action_text}
                      for r in unmatched],
        "warnings": [{"row": w.row, "message": w.message} for w in plan.warnings],
    }


def render_alignment_summary(summary: dict[str, Any]) -> str:
    lines = [f"{summary['council']}: {summary['rows']} rows, {len(summary['responses'])} aligned, "
             f"{len(summary['unmatched'])} unmatched, {len(summary['warnings'])} warnings"]
    for r in summary["responses"]:
        ref = r["localRef"] or "-"
        also = "".join(f"  also {a['requirement']} {a['score']:.2f}" for a in r["also"])
        lines.append(f"  row {r['row']:>4}  {ref:>6} -> {r['requirement']:<8} {r['method']:<9} {r['score']:.2f}{also}")
    for u in summary["unmatched"]:
        lines.append(f"  row {u['row']:>4}  {u['localRef'] or '-':>6} -> UNMATCHED  {' '.join(u['text'].split())[:70]}")
    for w in summary["warnings"]:
        lines.append(f"  warning: row {w['row']}: {w['message']}")
    return "\n".join(lines) + "\n"
