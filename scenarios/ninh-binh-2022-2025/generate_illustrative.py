#!/usr/bin/env python3
"""Illustrative data of the Ninh Bình 2022–2025 scenario (seed 000), made reproducible.

Writes, from units.csv (the former province, its districts and communes), population.csv
(illustrative, see README.md), population-2025.csv (the 39 new communes, sourced) and
crosswalk.csv (sourced):

- units.csv: the province row made to span the whole period (the former province's
  territory: after 1/7/2025 it is part of the merged province), and the 39 new communes
  of that territory appended, valid from 2025-07-01 (rows already present are kept);
- cohorts.csv: ILLUSTRATIVE group sizes of every former commune, each year 2022–2025.

Group sizes are fixed shares of the commune's illustrative population (README.md, table
"Illustrative cohorts"); the insured are the population times a coverage that sits a
little above or below the district's target (an offset fixed by the codes, within
±0.6 points), the uninsured the rest. Integer arithmetic throughout (shares in
hundredths of a percent, rounded half up), so the files are the same on any machine.

Run from the repository root: python3 scenarios/ninh-binh-2022-2025/generate_illustrative.py
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
NEW_FROM = "2025-07-01"
PROVINCE_NAME = "Tỉnh Ninh Bình (địa bàn trước 1/7/2025)"

# Shares of the population in ten-thousandths (27% = 2700).
SHARES = {
    "state_paid_full": 2700,
    "near_poor": 140,
    "students": 1500,
    "agri_average": 500,
    "aged_70_74": 250,
    "village_workers": 35,
}
ATK_SHARE = 800          # residents of ATK communes, Nho Quan's communes only
NHO_QUAN = "372"


def share(population, tenthousandths):
    return (population * tenthousandths + 5000) // 10000


def read(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    units = read("units.csv")
    crosswalk = read("crosswalk.csv")
    new_population = read("population-2025.csv")
    fields = ["code", "name", "level", "parent", "valid_from", "valid_to"]

    # Units: the province spans the period; the new communes follow.
    for u in units:
        if u["level"] == "province":
            u["name"] = PROVINCE_NAME
            u["valid_to"] = ""
    units = [u for u in units if u["valid_from"] != NEW_FROM]
    for p in new_population:
        units.append({"code": p["code"], "name": p["name"], "level": "commune", "parent": "37",
                      "valid_from": NEW_FROM, "valid_to": ""})
    with open(os.path.join(HERE, "units.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(units)

    # The district of each commune in each year (the unit valid on 1 January).
    def district_in(code, year):
        for u in units:
            if u["code"] != code or u["level"] != "commune" or u["valid_from"] == NEW_FROM:
                continue
            start = u["valid_from"] or "0000"
            end = u["valid_to"] or "9999"
            if start <= f"{year}-01-01" <= end:
                return u["parent"]
        raise SystemExit(f"no unit {code} in {year}")

    targets = {(int(t["year"]), t["unit_code"]): t["target_pct"] for t in read("targets.csv")}
    population = read("population.csv")

    rows = []
    for p in population:
        year, code, pop = int(p["year"]), p["unit_code"], int(p["population"])
        district = district_in(code, year)
        # Target in hundredths of a percent; 369's 2025 target is the city's (374).
        target = targets[(year, district)]
        whole, _, frac = target.partition(".")
        target_h = int(whole) * 100 + int((frac + "00")[:2])
        offset = (int(district) * 37 % 9 - 4) * 10 + (int(code) * 13 % 7 - 3) * 5  # −0.55 … +0.55 points
        coverage_h = min(9900, target_h + offset)
        insured = (pop * coverage_h + 5000) // 10000
        groups = {g: share(pop, s) for g, s in SHARES.items()}
        groups["atk_residents"] = share(pop, ATK_SHARE) if district == NHO_QUAN else 0
        other = insured - sum(groups.values())
        assert other >= 0, (year, code)
        groups["other_insured"] = other
        groups["uninsured"] = pop - insured
        for g in ["state_paid_full", "atk_residents", "near_poor", "students", "agri_average", "aged_70_74",
                  "village_workers", "other_insured", "uninsured"]:
            if groups[g] > 0 or g != "atk_residents":
                rows.append((year, code, g, groups[g]))
    with open(os.path.join(HERE, "cohorts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "unit_code", "group", "persons"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
