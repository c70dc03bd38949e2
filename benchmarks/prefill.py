"""Prefill report (Decision 468/QĐ-TTg: electronic forms with ≥ 20% fewer fields to declare).

For every shipped procedure: how many form fields the kiosk fills from the ID card's QR
code, how many carry the form's usual answer, and how many the citizen still declares —
counted over the fields the citizen sees (conditional ones hidden). Also the time to start
a prefilled form (median of several runs).
"""

from __future__ import annotations

import sys
import time

from benchmarks._results import median, write_section

GOAL = 0.20
RUNS = 50
CARD_QR = "036089001234|163456789|Nguyễn Văn An|15031989|Nam|Xóm 2, Xã Hải Vân, Huyện Hải Hậu, Nam Định|20042021"


def main(argv: list[str]) -> int:
    from kiosk.base import paths
    from kiosk.declarations.catalog import load_catalog
    from kiosk.declarations.forms import FormState
    from kiosk.identity.payload import parse_payload

    catalog = load_catalog(paths.resolve("config/procedures"))
    identity = parse_payload(CARD_QR)
    rows, shares, times = [], [], []
    for p in catalog:
        for _ in range(RUNS):
            t = time.perf_counter()
            form = FormState.start(p.form, identity)
            times.append((time.perf_counter() - t) * 1000)
        r = form.report()
        without = FormState.start(p.form, None).report()
        shares.append(r.saved_share)
        rows.append(
            f"| {p.code} | {p.name_vi} | {r.total} | {r.from_identity} | {r.from_default} | {r.to_declare} | "
            f"{without.to_declare} | {r.saved_share:.0%} |"
        )
    worst = min(shares)
    total_fields = sum(FormState.start(p.form, identity).report().total for p in catalog)
    total_typed = sum(FormState.start(p.form, identity).report().to_declare for p in catalog)
    total_plain = sum(FormState.start(p.form, None).report().to_declare for p in catalog)
    body = "\n".join([
        "Fields the citizen sees on each shipped form, with the sample ID card of DOMAIN.md §1. "
        "\"to declare\" counts optional fields too (the citizen may leave them empty).",
        "",
        "| code | procedure | fields | from ID card | usual answer | to declare | to declare without the card | not declared |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"All forms: {total_fields} fields, {total_typed} to declare with the card vs {total_plain} without "
        f"({1 - total_typed / total_plain:.0%} fewer).",
        f"**Lowest share not declared: {worst:.0%} — goal ≥ {GOAL:.0%} fewer fields to declare: "
        f"{'met by every form' if worst >= GOAL else 'NOT met'}.**",
        "",
        f"Starting a prefilled form: median {median(times):.3f} ms ({RUNS} runs × {len(catalog)} forms).",
    ])
    write_section("prefill", "Declaration prefill from the ID card (issue 6)", body)
    print(body)
    return 0 if worst >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
