"""Charts for the site's readers, drawn from the graph as accessible inline SVG, with no script and no request.

Each chart's numbers are the rows of a bundled query (sparql/*.rq) run on the site's own graph through
govgraph.query, so a chart shows exactly what ``govgraph query NAME`` gives, for any data package. A chart is
a ``<figure>``: a bilingual caption that names the query, the SVG (``role="img"`` with ``<title>`` and
``<desc>``, labelled by the caption), and the same rows as an HTML table in a ``<details>``. A chart whose
query returns no rows is left out. The SVG scales to its container (``viewBox``, ``width="100%"``) and is
drawn narrow (400 units) so its text stays readable on a 360 px phone.

Entry points for the pages, each ``(model, iri, here) -> str`` (the figures' HTML, "" when there is nothing to
draw): :func:`home_charts` (the whole dataset), :func:`action_plan_charts` and :func:`programme_charts` (that
resource's own rows).
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from govgraph.namespaces import GG
from govgraph.site.model import SiteModel, esc, multilingual, root_of, t

WIDTH = 400  # viewBox width; the SVG is drawn at 100% of its container, at most MAX_WIDTH px
MAX_WIDTH = 640
FONT = 13
ROW = 34  # a bar's row: a label line above a bar
BAR = 14
# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by more than hue alone: each
# segment is also labelled in the legend and in the table.
ORDINAL_COLOURS = ("#6b7280", "#b45309", "#2563eb", "#065f46", "#7c3aed")
SERIES_COLOURS = ("#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0f766e", "#4d7c0f", "#6b7280")
INK, MUTED, LINE = "#1b1f23", "#5a6270", "#d7dce2"
EMPTY = "–"  # a cell the query left unbound: a dash, never an empty cell

Texts = dict[str, str]  # {"da": ..., "en": ...}; "" for a text without language


def both(da: str, en: str) -> Texts:
    return {"da": da, "en": en}


# --------------------------------------------------------------------------------------------- SVG text


def svg_text(
    x: float,
    y: float,
    texts: Texts,
    *,
    anchor: str = "start",
    size: int = FONT,
    fill: str = INK,
    weight: str = "normal",
    limit: int = 60,
) -> str:
    """A label in the page's languages: one <text> per language in a group ``<g class="ml" data-langs>``, as
    the pages write a text in several languages, so the style sheet's language rules show one; each <text>
    also has class "tr" for the older rules (html.lang-da .tr[lang=en]). Long texts are cut (the table holds
    them whole)."""
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    languages = ordered_languages(texts)
    if len(languages) > 1 and len({texts[lang] for lang in languages}) > 1:
        items = "".join(
            f'<text class="tr" lang="{esc(lang)}" {attrs}>{esc(cut(texts[lang], limit))}</text>' for lang in languages
        )
        return f'<g class="ml" data-langs="{esc(" ".join(languages))}">{items}</g>'
    lang = languages[0] if languages else ""
    text = texts[lang] if lang else next(iter(texts.values()), "")
    lang_attr = f' lang="{esc(lang)}"' if lang else ""
    return f"<text{lang_attr} {attrs}>{esc(cut(text, limit))}</text>"


def ordered_languages(texts: Texts) -> list[str]:
    """The languages of a text, Danish and English first (the interface's), then the others by tag."""
    return [lang for lang in ("da", "en") if lang in texts] + sorted(
        lang for lang in texts if lang and lang not in ("da", "en")
    )


def cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(texts: Texts, lang: str) -> str:
    return texts.get(lang) or texts.get("en") or texts.get("da") or next(iter(texts.values()), "")


def number(value: float, lang: str, decimals: int = 0) -> str:
    """A number as the language writes it: 1.234,5 in Danish, 1,234.5 in English."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "da" else text


def money(amount: float, currency: str) -> Texts:
    """An amount as a reader says it: "26,5 mia. kr." / "DKK 26.5 bn"."""
    for size, da_unit, en_unit in ((1e9, "mia.", "bn"), (1e6, "mio.", "m")):
        if abs(amount) >= size:
            value = amount / size
            decimals = 0 if value == int(value) else 1 if value * 10 == int(value * 10) else 2
            da_number, en_number = number(value, "da", decimals), number(value, "en", decimals)
            da = f"{da_number} {da_unit} kr." if currency == "DKK" else f"{da_number} {da_unit} {currency}"
            return both(da, f"{currency} {en_number} {en_unit}")
    return both(f"{number(amount, 'da')} {currency}", f"{currency} {number(amount, 'en')}")


# --------------------------------------------------------------------------------------------- one figure


@dataclass
class Chart:
    """A chart ready to write: its id, caption, description, the query it shows, the SVG's inner drawing and
    height, and the data table (column headers and rows of cell HTML)."""

    ident: str
    title: Texts
    description: Texts
    query: str
    drawing: str
    height: float
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def html(self, root: str) -> str:
        title_id, desc_id = f"{self.ident}-title", f"{self.ident}-desc"
        svg = (
            f'<svg role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
            f'viewBox="0 0 {WIDTH} {self.height:.0f}" width="100%" '
            f'style="max-width:{MAX_WIDTH}px;height:auto;display:block" '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
            f"<title>{esc(' / '.join(dict.fromkeys(plain(self.title, lang) for lang in ('da', 'en'))))}</title>"
            f"<desc>{esc(' / '.join(dict.fromkeys(plain(self.description, lang) for lang in ('da', 'en'))))}</desc>"
            f"{self.drawing}</svg>"
        )
        head = "".join(f'<th scope="col">{h}</th>' for h in self.headers)
        body = "\n".join("<tr>" + "".join(f"<td>{c or EMPTY}</td>" for c in row) + "</tr>" for row in self.rows)
        query_link = f'<a href="{root}queries.html#{esc(self.query)}"><code>{esc(self.query)}</code></a>'
        return (
            f'<figure class="chart" id="{self.ident}" style="margin:1.5em 0">'
            f'<figcaption><strong id="{title_id}">{multilingual(self.title)}</strong> '
            f'<span class="chart-desc" id="{desc_id}">{multilingual(self.description)}</span></figcaption>\n'
            f"{svg}\n"
            f"<details><summary>{t('Tallene som tabel', 'The numbers as a table')}</summary>"
            f'<div class="chart-data" style="overflow-x:auto"><table class="index">'
            f'<caption class="visually-hidden">{multilingual(self.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div></details>"
            # not in the <summary>: a link inside it is an interactive element in another (axe: nested-interactive)
            f'<p class="hint">{t("Tallene er rækkerne fra forespørgslen", "The numbers are the rows of the query")} '
            f"{query_link}</p></figure>"
        )


@dataclass
class Bar:
    """One bar: a label above it, stacked segments (value, colour, what the segment is), a text after it."""

    label: Texts
    segments: list[tuple[float, str, Texts]]
    after: Texts
    heading: Texts | None = None  # a group heading drawn above this bar


def bar_drawing(bars: list[Bar], legend: list[tuple[str, Texts]] = ()) -> tuple[str, float]:
    """Horizontal bars on one linear scale, each under its label, with its value written after it."""
    parts, y = [], 4.0
    if legend:
        x = 0.0
        for colour, texts in legend:
            width = 22 + 7.2 * max(len(texts.get("da", "")), len(texts.get("en", "")), len(plain(texts, "en")))
            if x and x + width > WIDTH:
                x, y = 0.0, y + 20
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{colour}"/>')
            parts.append(svg_text(x + 16, y + 11, texts, size=12))
            x += width
        y += 28
    largest = max((sum(v for v, _, _ in b.segments) for b in bars), default=0) or 1
    # room after the bars for the longest value text (about 7.4 units a character at 12 px in DejaVu Sans)
    reserve = 10 + 7.4 * max((len(text) for b in bars for text in b.after.values()), default=4)
    scale = (WIDTH - reserve) / largest
    for bar in bars:
        if bar.heading:
            y += 8
            parts.append(svg_text(0, y + FONT, bar.heading, weight="bold", limit=46))
            y += FONT + 8
        parts.append(svg_text(0, y + FONT, bar.label, limit=51))
        x = 0.0
        for value, colour, what in bar.segments:
            width = value * scale
            if width > 0:
                title = f"{plain(what, 'en')}: {number(value, 'en', 0 if value == int(value) else 1)}"
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + FONT + 4:.1f}" width="{max(width, 1):.1f}" height="{BAR}" '
                    f'fill="{colour}"><title>{esc(title)}</title></rect>'
                )
                x += width
        parts.append(svg_text(x + 5, y + FONT + 4 + BAR - 2, bar.after, size=12, fill=MUTED, limit=24))
        y += ROW
    return "".join(parts), y + 4


# --------------------------------------------------------------------------------------------- the data


class Charts:
    """The charts of one site: the queries are run once each on the site's graph (one store for all)."""

    def __init__(self, model: SiteModel):
        from govgraph.site.query_runner import site_store

        self.model = model
        self.graph = model.graph
        self.store = site_store(model)
        self._results: dict[str, list[dict[str, object]]] = {}
        self._grouped: dict[tuple, dict[object, list[dict[str, object]]]] = {}
        self._charted: set[URIRef] | None = None
        self._plans: dict[str, URIRef] | None = None
        self._levels: list[URIRef] | None = None
        self.action_plan_set: set[URIRef] = set()

    def rows(self, name: str) -> list[dict[str, object]]:
        """The query's rows as {variable: rdflib term or None}, in the query's order (its example's params)."""
        if name not in self._results:
            from govgraph.query import example_params, get_query, run_query

            info = get_query(name)
            result = run_query(info, example_params(info) if info.params else None, graph=self.store, timeout=None)
            self._results[name] = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
        return self._results[name]

    def rows_of(
        self, name: str, resource: URIRef | None, of: Callable[[dict[str, object]], object]
    ) -> list[dict[str, object]]:
        """The query's rows (``resource`` None), or those whose ``of(row)`` is ``resource``, in the query's order.
        The rows are grouped once per query and ``of`` (a method: the same one each time): filtering them again
        for each action plan's or programme's page made the charts quadratic in the size of the data (1.5 s of
        CPU for 100k triples)."""
        if resource is None:
            return self.rows(name)
        groups = self._grouped.get((name, of))
        if groups is None:
            groups = self._grouped[(name, of)] = defaultdict(list)
            for r in self.rows(name):
                groups[of(r)].append(r)
        return groups.get(resource, [])

    def plan_of(self, row: dict[str, object]) -> URIRef | None:
        """The action plan of a row that names it by its identifier (actionPlanId)."""
        return self.action_plans().get(str(row["actionPlanId"]))

    @staticmethod
    def programme_of(row: dict[str, object]) -> object:
        """The programme of a row of money-by-programme-and-year."""
        return row["programme"]

    def charted(self) -> set[URIRef]:
        """The resources whose pages may have charts: the action plans, the programmes with money figures."""
        if self._charted is None:
            self.action_plan_set = {p for p in self.graph.subjects(RDF.type, GG.ActionPlan) if isinstance(p, URIRef)}
            money = {r["programme"] for r in self.rows("money-by-programme-and-year")}
            self._charted = self.action_plan_set | {p for p in money if isinstance(p, URIRef)}
        return self._charted

    # -- labels

    def labels(self, iri) -> Texts:
        m = self.model
        labels = m.labels(iri) if isinstance(iri, URIRef) else {}
        found = {lang: labels[lang] for lang in ordered_languages(labels)}
        return found or {"": m.plain_label(iri) if isinstance(iri, URIRef) else str(iri)}

    def link(self, iri, here: str, text: str | None = None) -> str:
        """A link to a resource of the site (its label, or ``text``); a literal or nothing as plain text."""
        if isinstance(iri, URIRef):
            return self.model.link(iri, here, text)
        return text if text is not None else esc(iri if iri is not None else "")

    def action_plans(self) -> dict[str, URIRef]:
        """Action plan identifier (AP_DNK01) → IRI, from commitments-per-action-plan."""
        if self._plans is None:
            self._plans = {str(r["identifier"]): r["actionPlan"] for r in self.rows("commitments-per-action-plan")}
        return self._plans

    def completion_levels(self) -> list[URIRef]:
        """The levels of the completion scale(s) the assessments use, lowest first (from the vocabulary); worked
        out once per site, as every action plan's page asks."""
        if self._levels is None:
            self._levels = self._completion_levels()
        return self._levels

    def _completion_levels(self) -> list[URIRef]:
        schemes = set()
        for r in self.rows("irm-completion-distribution"):
            schemes |= set(self.graph.objects(r["completion"], SKOS.inScheme))
        levels = [
            c
            for scheme in schemes
            for c in self.graph.subjects(SKOS.inScheme, scheme)
            if isinstance(c, URIRef) and self.graph.value(c, GG.ordinal) is not None
        ]
        return sorted(set(levels), key=lambda c: (int(self.graph.value(c, GG.ordinal)), str(c)))

    # -- the charts

    def completion_per_action_plan(self, here: str, plan: URIRef | None = None) -> Chart | None:
        """irm-completion-distribution: per action plan and IRM report, the commitments at each level."""
        plans = self.action_plans()
        rows = self.rows_of("irm-completion-distribution", plan, self.plan_of)
        if not rows:
            return None
        levels = self.completion_levels()
        colour = {c: ORDINAL_COLOURS[i % len(ORDINAL_COLOURS)] for i, c in enumerate(levels)}
        groups: dict[tuple[str, URIRef], dict[URIRef, int]] = defaultdict(dict)
        for r in rows:
            groups[(str(r["actionPlanId"]), r["report"])][r["completion"]] = int(r["commitments"])
        bars, table = [], []
        for (plan_id, report), counts in groups.items():  # in the query's order
            total = sum(counts.values())
            segments = [(counts.get(c, 0), colour.get(c, MUTED), self.labels(c)) for c in levels if counts.get(c)]
            report_label = self.labels(report)
            bars.append(Bar({k: f"{plan_id} · {v}" for k, v in report_label.items()}, segments, commitments(total)))
        for r in rows:
            table.append(
                [
                    self.link(plans.get(str(r["actionPlanId"])), here, esc(r["actionPlanId"])),
                    self.link(r["report"], here),
                    self.link(r["completion"], here),
                    esc(r["commitments"]),
                ]
            )
        drawing, height = bar_drawing(bars, [(colour[c], self.labels(c)) for c in levels])
        return Chart(
            ident="chart-completion",
            title=both("IRM-vurdering af gennemførelse pr. handlingsplan", "IRM completion per action plan"),
            description=both(
                "Antal tilsagn på hvert gennemførelsesniveau i hver IRM-rapport.",
                "Number of commitments at each level of completion in each IRM report.",
            ),
            query="irm-completion-distribution",
            drawing=drawing,
            height=height,
            headers=[
                t("Handlingsplan", "Action plan"),
                t("IRM-rapport", "IRM report"),
                t("Gennemførelse", "Completion"),
                t("Tilsagn", "Commitments"),
            ],
            rows=table,
        )

    def completion_change(self, here: str) -> Chart | None:
        """irm-completion-change: each commitment's completion at mid-term and at the end of term."""
        rows = self.rows("irm-completion-change")
        levels = self.completion_levels()
        by_notation = {str(self.graph.value(c, SKOS.notation)): c for c in levels}
        rows = [r for r in rows if str(r["midTerm"]) in by_notation and str(r["endOfTerm"]) in by_notation]
        if not rows or not levels:
            return None
        left, right = 90.0, WIDTH - 36.0
        step = (right - left) / max(len(levels) - 1, 1)
        position = {c: left + i * step for i, c in enumerate(levels)}
        parts, y = [], 4.0
        parts.append(f'<circle cx="6" cy="{y + 6}" r="5" fill="#fff" stroke="{INK}" stroke-width="2"/>')
        parts.append(svg_text(16, y + 10, both("Midtvejs (fremskridtsrapport)", "Mid-term (progress report)"), size=12))
        parts.append(f'<circle cx="6" cy="{y + 26}" r="5" fill="{ORDINAL_COLOURS[3]}"/>')
        parts.append(svg_text(16, y + 30, both("Slut (slutrapport)", "End of term (end-of-term report)"), size=12))
        y += 48
        for c in levels:
            x = position[c]
            parts.append(svg_text(x, y, self.labels(c), anchor="middle", size=11, fill=MUTED, limit=16))
        y += 8
        top = y
        table = []
        for r in rows:
            mid, end = by_notation[str(r["midTerm"])], by_notation[str(r["endOfTerm"])]
            cy = y + 14
            parts.append(svg_text(0, cy + 4, {"": str(r["identifier"])}, weight="bold"))
            x1, x2 = position[mid], position[end]
            if x1 != x2:
                parts.append(f'<line x1="{x1:.1f}" y1="{cy}" x2="{x2:.1f}" y2="{cy}" stroke="{INK}" stroke-width="2"/>')
            parts.append(f'<circle cx="{x2:.1f}" cy="{cy}" r="6" fill="{ORDINAL_COLOURS[3]}"/>')
            parts.append(f'<circle cx="{x1:.1f}" cy="{cy}" r="5" fill="#fff" stroke="{INK}" stroke-width="2"/>')
            y += 28
            change = r["change"]
            table.append(
                [
                    esc(r["identifier"]),
                    self.link(mid, here),
                    self.link(end, here),
                    esc(change) if change is not None else "",
                    self.link(r["midTermReport"], here),
                    self.link(r["endOfTermReport"], here),
                ]
            )
        grid = "".join(
            f'<line x1="{position[c]:.1f}" y1="{top}" x2="{position[c]:.1f}" y2="{y}" stroke="{LINE}"/>' for c in levels
        )
        return Chart(
            ident="chart-completion-change",
            title=both("Gennemførelse midtvejs og ved periodens slut", "Completion at mid-term and at end of term"),
            description=both(
                "For hvert tilsagn vurderet i begge IRM-rapporter: niveauet midtvejs (åben cirkel) og ved slut "
                "(fyldt cirkel).",
                "For each commitment assessed in both IRM reports: the level at mid-term (open circle) and at the "
                "end of term (filled circle).",
            ),
            query="irm-completion-change",
            drawing=grid + "".join(parts),
            height=y + 4,
            headers=[
                "Id",
                t("Midtvejs", "Mid-term"),
                t("Slut", "End of term"),
                t("Ændring", "Change"),
                t("Fremskridtsrapport", "Progress report"),
                t("Slutrapport", "End-of-term report"),
            ],
            rows=table,
        )

    def commitments_per_action_plan(self, here: str) -> Chart | None:
        """commitments-per-action-plan: the commitments of each action plan (starred ones named after)."""
        rows = self.rows("commitments-per-action-plan")
        if not any(int(r["commitments"]) for r in rows):
            return None
        bars, table = [], []
        for r in rows:
            n, starred = int(r["commitments"]), int(r["starred"])
            year = f" ({r['cycleYear']})" if r["cycleYear"] is not None else ""
            after = both(
                f"{n}" + (f", {starred} med stjerne" if starred else ""),
                f"{n}" + (f", {starred} starred" if starred else ""),
            )
            label = {k: f"{r['identifier']}{year} · {v}" for k, v in self.labels(r["actionPlan"]).items()}
            bars.append(Bar(label, [(n, SERIES_COLOURS[0], both("Tilsagn", "Commitments"))], after))
            table.append(
                [
                    self.link(r["actionPlan"], here, esc(r["identifier"])),
                    esc(r["cycleYear"] or ""),
                    esc(n),
                    esc(starred),
                ]
            )
        drawing, height = bar_drawing(bars)
        return Chart(
            ident="chart-commitments-per-action-plan",
            title=both("Tilsagn pr. handlingsplan", "Commitments per action plan"),
            description=both("Antal tilsagn i hver handlingsplan.", "Number of commitments in each action plan."),
            query="commitments-per-action-plan",
            drawing=drawing,
            height=height,
            headers=[
                t("Handlingsplan", "Action plan"),
                t("År", "Year"),
                t("Tilsagn", "Commitments"),
                t("Med stjerne", "Starred"),
            ],
            rows=table,
        )

    def commitments_by_policy_area(self, here: str, plan: URIRef | None = None) -> Chart | None:
        """commitments-by-action-plan-and-policy-area: per policy area, its commitments, by action plan."""
        plans = self.action_plans()
        rows = self.rows_of("commitments-by-action-plan-and-policy-area", plan, self.plan_of)
        if not rows:
            return None
        plan_ids = list(dict.fromkeys(str(r["actionPlanId"]) for r in rows))
        colour = {p: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, p in enumerate(plan_ids)}
        counts: dict[URIRef, dict[str, int]] = defaultdict(dict)
        for r in rows:
            counts[r["policyArea"]][str(r["actionPlanId"])] = int(r["commitments"])
        areas = sorted(counts, key=lambda a: (-sum(counts[a].values()), plain(self.labels(a), "en").casefold(), str(a)))
        bars = []
        for a in areas:
            total = sum(counts[a].values())
            segments = [(counts[a][p], colour[p], {"": p}) for p in plan_ids if counts[a].get(p)]
            bars.append(Bar(self.labels(a), segments, {"": str(total)}))
        legend = [(colour[p], {"": p}) for p in plan_ids] if len(plan_ids) > 1 else []
        table = [
            [
                self.link(plans.get(str(r["actionPlanId"])), here, esc(r["actionPlanId"])),
                self.link(r["policyArea"], here),
                esc(r["commitments"]),
            ]
            for r in rows
        ]
        drawing, height = bar_drawing(bars, legend)
        return Chart(
            ident="chart-policy-areas",
            title=both("Tilsagn pr. politikområde", "Commitments by policy area"),
            description=both(
                "Antal tilsagn på hvert politikområde" + (", farvet efter handlingsplan." if legend else "."),
                "Number of commitments in each policy area" + (", coloured by action plan." if legend else "."),
            ),
            query="commitments-by-action-plan-and-policy-area",
            drawing=drawing,
            height=height,
            headers=[t("Handlingsplan", "Action plan"), t("Politikområde", "Policy area"), t("Tilsagn", "Commitments")],
            rows=table,
        )

    def money_by_programme(self, here: str, programme: URIRef | None = None) -> Chart | None:
        """money-by-programme-and-year: every money figure, by programme, with its year or period."""
        rows = self.rows_of("money-by-programme-and-year", programme, self.programme_of)
        rows = [r for r in rows if r["amount"] is not None]
        if not rows:
            return None
        types = sorted(
            {r["moneyType"] for r in rows if r["moneyType"] is not None}, key=lambda c: plain(self.labels(c), "en")
        )
        colour = {c: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, c in enumerate(types)}
        bars, table, previous = [], [], None
        for r in rows:  # in the query's order: by programme, then year
            amount, currency = float(r["amount"]), str(r["currency"] or "")
            when = period(r)
            heading = self.labels(r["programme"]) if r["programme"] != previous and programme is None else None
            previous = r["programme"]
            stated = str(r["asStated"]) if r["asStated"] is not None else ""
            label = {lang: f"{when[lang]} · {stated}" if stated else when[lang] for lang in ("da", "en")}
            what = self.labels(r["moneyType"]) if r["moneyType"] is not None else both("Beløb", "Amount")
            bars.append(
                Bar(label, [(amount, colour.get(r["moneyType"], MUTED), what)], money(amount, currency), heading)
            )
            table.append(
                [
                    self.link(r["programme"], here),
                    multilingual(when),
                    self.link(r["money"], here, esc(stated or r["money"])),
                    multilingual(money(amount, currency)),
                    self.link(r["moneyType"], here) if r["moneyType"] is not None else "",
                ]
            )
        drawing, height = bar_drawing(bars, [(colour[c], self.labels(c)) for c in types])
        return Chart(
            ident="chart-money",
            title=both("Penge pr. program og år", "Money by programme and year"),
            description=both(
                "Hvert beløb, som kilderne nævner, med dets år eller periode; farven er beløbets art. Beløb for "
                "forskellige perioder kan ikke lægges sammen.",
                "Every amount the sources state, with its year or period; the colour is the kind of amount. "
                "Amounts for different periods do not add up.",
            ),
            query="money-by-programme-and-year",
            drawing=drawing,
            height=height,
            headers=[
                t("Program", "Programme"),
                t("År eller periode", "Year or period"),
                t("Som angivet", "As stated"),
                t("Beløb", "Amount"),
                t("Art", "Kind"),
            ],
            rows=table,
        )

    def timeline(self, here: str) -> Chart | None:
        """timeline (programmes, events) and commitments-per-action-plan (action plans): a year axis, one row
        per programme (its span, or the year it was issued), the action plans and the events per year."""
        rows = [r for r in self.rows("timeline") if r["date"] is not None and year_of(r["date"]) is not None]
        plans = [r for r in self.rows("commitments-per-action-plan") if year_of(r["cycleYear"]) is not None]
        if not rows and not plans:
            return None
        years = [year_of(r["date"]) for r in rows] + [year_of(r["cycleYear"]) for r in plans]
        first, last = min(years), max(years) + 1
        left, right = 0.0, WIDTH - 8.0
        span = max(last - first, 1)

        def x(year: float) -> float:
            return left + (year - first) / span * (right - left)

        things: dict[URIRef, dict[str, float]] = defaultdict(dict)
        events: dict[int, list[dict]] = defaultdict(list)
        for r in rows:
            if str(r["what"]) == "event":
                events[year_of(r["date"])].append(r)
            else:
                things[r["thing"]].setdefault(str(r["what"]), year_of(r["date"]))
        parts, y = [], 4.0
        # the axis: a tick and label every few years
        every = 1 if span <= 8 else 2 if span <= 16 else 5
        axis = []
        for year in range(first, last + 1):
            if (year - first) % every == 0:
                axis.append(f'<line x1="{x(year):.1f}" y1="{y + 16}" x2="{x(year):.1f}" y2="HEIGHT" stroke="{LINE}"/>')
                axis.append(svg_text(x(year) + 2, y + 12, {"": str(year)}, size=11, fill=MUTED))
        y += 24
        if events:
            parts.append(svg_text(0, y + FONT, both("Begivenheder pr. år", "Events per year"), weight="bold"))
            y += FONT + 6
            for year, items in sorted(events.items()):
                r = 4 + min(len(items), 9)
                parts.append(
                    f'<circle cx="{x(year + 0.5):.1f}" cy="{y + 12}" r="{r}" fill="{SERIES_COLOURS[1]}">'
                    f"<title>{year}: {len(items)}</title></circle>"
                )
                parts.append(
                    svg_text(x(year + 0.5), y + 16, {"": str(len(items))}, anchor="middle", size=10, fill="#fff")
                )
            y += 32
        if plans:
            parts.append(svg_text(0, y + FONT, both("Handlingsplaner (OGP)", "Action plans (OGP)"), weight="bold"))
            y += FONT + 6
            for i, r in enumerate(plans):
                year = year_of(r["cycleYear"])
                parts.append(
                    f'<rect x="{x(year):.1f}" y="{y + 4}" width="{max(x(year + 2) - x(year), 3):.1f}" '
                    f'height="10" fill="{SERIES_COLOURS[0]}" opacity="{0.55 + 0.45 * (i % 2)}">'
                    f"<title>{esc(r['identifier'])}: {year}</title></rect>"
                )
            y += 22
        order = sorted(
            things, key=lambda th: (min(things[th].values()), plain(self.labels(th), "en").casefold(), str(th))
        )
        if order:
            parts.append(svg_text(0, y + FONT, both("Programmer", "Programmes"), weight="bold"))
            y += FONT + 4
        for thing in order:
            marks = things[thing]
            parts.append(svg_text(0, y + FONT, self.labels(thing), size=12, limit=55))
            start = marks.get("start")
            end = marks.get("end")
            bar_y = y + FONT + 4
            if start is not None and end is not None:
                parts.append(
                    f'<rect x="{x(start):.1f}" y="{bar_y:.1f}" width="{max(x(end + 1) - x(start), 3):.1f}" '
                    f'height="8" fill="{SERIES_COLOURS[2]}"/>'
                )
            if "start" in marks and end is None:
                parts.append(
                    f'<rect x="{x(start):.1f}" y="{bar_y:.1f}" width="6" height="8" fill="{SERIES_COLOURS[2]}"/>'
                )
            if "issued" in marks:
                cx = x(marks["issued"] + 0.5)
                parts.append(f'<path d="M{cx:.1f} {bar_y - 2:.1f} l5 6 l-5 6 l-5 -6 z" fill="{SERIES_COLOURS[3]}"/>')
            y += 30
        height = y + 4
        table = [
            [esc(r["date"]), what_label(str(r["what"])), self.link(r["type"], here), self.link(r["thing"], here)]
            for r in rows
        ] + [
            [
                esc(r["cycleYear"]),
                "start",
                self.link(GG.ActionPlan, here),
                self.link(r["actionPlan"], here, esc(r["identifier"])),
            ]
            for r in plans
        ]
        return Chart(
            ident="chart-timeline",
            title=both(
                "Tidslinje: programmer, begivenheder og handlingsplaner",
                "Timeline: programmes, events and action plans",
            ),
            description=both(
                f"Årene {first}–{last - 1}: hvert programs periode (bjælke) eller udgivelsesår (rombe), "
                "handlingsplanernes start og antallet af begivenheder pr. år.",
                f"The years {first}–{last - 1}: each programme's period (bar) or year of issue (diamond), the "
                "action plans' start and the number of events per year.",
            ),
            query="timeline",
            drawing="".join(axis).replace('"HEIGHT"', f'"{height - 4:.0f}"') + "".join(parts),
            height=height,
            headers=[t("Dato", "Date"), t("Hvad", "What"), t("Type", "Type"), t("Hvem/hvad", "Resource")],
            rows=table,
        )


def commitments(n: int) -> Texts:
    return both(f"{n} tilsagn", f"{n} commitment" + ("" if n == 1 else "s"))


def year_of(date) -> int | None:
    """The year of a date, gYear or gYearMonth literal ("2007", "2007-08", "2025-03-01"); None for anything
    else (a user's file may hold a malformed one; the chart leaves it out, the table of the query shows it)."""
    if date is None:
        return None
    text = str(date)
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-")[:4]
    return sign * int(digits) if digits.isdigit() and len(digits) == 4 else None


WHAT = {
    "event": ("begivenhed", "event"),
    "start": ("start", "start"),
    "end": ("slut", "end"),
    "issued": ("udgivet", "issued"),
}


def what_label(what: str) -> str:
    da, en = WHAT.get(what, (what, what))
    return t(da, en)


def period(r: dict) -> Texts:
    """A money figure's year or period in words: "2020", "2009–2018", "årligt til 2020" / "per year to 2020"."""
    year, start, end = r["year"], r["periodStart"], r["periodEnd"]
    per_year = isinstance(r["perYear"], Literal) and str(r["perYear"]) in ("true", "1")
    if year is not None:
        when = both(str(year), str(year))
    elif start is not None and end is not None:
        when = both(f"{start}–{end}", f"{start}–{end}")
    elif end is not None:
        when = both(f"til {end}", f"to {end}")
    elif start is not None:
        when = both(f"fra {start}", f"from {start}")
    elif per_year:
        return both("årligt", "per year")
    else:
        when = both("uden år", "no year")
    if per_year:
        when = both(f"årligt, {when['da']}", f"per year, {when['en']}")
    return when


# --------------------------------------------------------------------------------------------- for the pages

_CHARTS: weakref.WeakKeyDictionary[SiteModel, Charts] = weakref.WeakKeyDictionary()


def charts_of(model: SiteModel) -> Charts:
    """The charts of a site (one per model: the queries run once for all its pages)."""
    if model not in _CHARTS:
        _CHARTS[model] = Charts(model)
    return _CHARTS[model]


def _figures(charts: list[Chart | None], root: str) -> str:
    return "\n".join(c.html(root) for c in charts if c is not None)


def home_charts(model: SiteModel, iri: URIRef | None = None, here: str = "index") -> str:
    """The charts of the whole dataset, for the home page ("" when no query has rows). ``iri`` is unused:
    the signature is the one every ``<kind>_charts`` hook of the pages shares."""
    c = charts_of(model)
    builders: list[Callable[[str], Chart | None]] = [
        c.completion_per_action_plan,
        c.completion_change,
        c.commitments_per_action_plan,
        c.commitments_by_policy_area,
        c.money_by_programme,
        c.timeline,
    ]
    return _figures([build(here) for build in builders], root_of(here))


def action_plan_charts(model: SiteModel, iri: URIRef, here: str) -> str:
    """An action plan's charts: its IRM completion per report, its commitments by policy area ("" if none)."""
    c = charts_of(model)
    if iri not in c.charted():  # one set lookup for a plan without rows
        return ""
    return _figures([c.completion_per_action_plan(here, iri), c.commitments_by_policy_area(here, iri)], root_of(here))


def programme_charts(model: SiteModel, iri: URIRef, here: str) -> str:
    """A programme's charts: its money figures by year or period ("" when it has none)."""
    c = charts_of(model)
    if iri not in c.charted():
        return ""
    return _figures([c.money_by_programme(here, iri)], root_of(here))
