"""Which curated institution an institution named in an OGP source is: the matching rule.

The OGP's export and pages name a commitment's lead institution in free text ("The Danish Ministry of
Finance", "Agency for Digitisation (AFD)"). Where the package's curated data describes that body, the
commitment points to the curated institution (with its kind, Danish name and sources) instead of a new,
kind-less resource. The rule, with nothing guessed:

1. A name is normalised: Unicode NFKC, case folded, "&" read as "and", every run of characters that are
   not letters or digits read as one space, and a leading "the" dropped. "The Danish National Archives" and
   "danish national archives" are one name; "Digitisation" and "Digitalisation" are not.
2. The name matches an institution when it equals, normalised, the institution's label in any language or
   one of its ``alt_labels``. Names a body had before it was renamed, and the OGP's spellings of it, are
   listed as ``alt_labels`` in the curated data, one by one: the list is the alias list.
3. A name that matches nothing, but splits at " and " into parts that each match an institution, names
   all of them ("Aarhus Municipality and Central Denmark Regional Authority").
4. A normalised name that two institutions share is no match: which body it means is not known.
5. Only the commitments of the members the package covers (its manifest's ``spatial``; every member when
   it names none) are matched: the curated "Ministry of Finance" is Denmark's, not Kenya's.

A name that matches nothing stays as it is: the converter writes it as an institution of the commitment's
member with no kind (govgraph.convert.commitments).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable

from govgraph.records import Commitment
from govgraph.sources.schema import CuratedData


def normalise_name(name: str) -> str:
    """The form two names of one institution share (rule 1)."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    text = " ".join(re.split(r"[^\w]+|_", text)).strip()
    return re.sub(r"^the ", "", text)


@dataclasses.dataclass(frozen=True)
class InstitutionNames:
    """The curated institutions by their normalised names (labels in every language and alt labels)."""

    keys: dict[str, str]  # normalised name -> institution key (names of one institution only)
    known: frozenset[str]  # the institutions' keys (curated records cite institutions by key)

    def match(self, name: str) -> tuple[str, ...]:
        """The keys of the curated institutions a name names (rules 2-4); () if it names none of them."""
        if name in self.known:
            return (name,)
        key = self.keys.get(normalise_name(name))
        if key is not None:
            return (key,)
        parts = [p for p in re.split(r"\s+and\s+", name.strip(), flags=re.IGNORECASE) if p.strip()]
        if len(parts) > 1:
            keys = [self.keys.get(normalise_name(p)) for p in parts]
            if all(keys):
                return tuple(dict.fromkeys(k for k in keys if k))
        return ()


def institution_names(data: CuratedData) -> InstitutionNames:
    """The names of a package's curated institutions."""
    owners: dict[str, set[str]] = {}
    for e in data.of("institution"):
        texts = [*e.fields["label"].values(), *(t for alt in e.fields.get("alt_labels", []) for t in alt.values())]
        for text in texts:
            owners.setdefault(normalise_name(text), set()).add(e.key)
    unique = {name: next(iter(keys)) for name, keys in owners.items() if len(keys) == 1 and name}
    return InstitutionNames(unique, frozenset(e.key for e in data.of("institution")))


def with_curated_institutions(
    commitments: Iterable[Commitment], names: InstitutionNames, members: tuple[str, ...] = ()
) -> list[Commitment]:
    """The commitments with each lead and supporting institution that names a curated institution replaced
    by its key (rule 5: only for the members in ``members``, ISO alpha-3 codes; all when it is empty)."""

    def resolved(found: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for name in found:
            out.extend(names.match(name) or (name,))
        return tuple(dict.fromkeys(out))

    out = []
    for c in commitments:
        if members and (c.country is None or c.country.code not in members):
            out.append(c)
            continue
        out.append(
            dataclasses.replace(
                c,
                lead_institutions=resolved(c.lead_institutions),
                supporting_institutions=resolved(c.supporting_institutions),
            )
        )
    return out


__all__ = ["InstitutionNames", "institution_names", "normalise_name", "with_curated_institutions"]
