"""Writes a CSV of charges to try the example with: ``python make_csv.py charges.csv 20000 AUTH_xxx``."""

from __future__ import annotations

import csv
import sys


def write(path: str, count: int, authorization: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["authorization", "amount", "metadata.email"])
        for row in range(count):
            out.writerow([authorization, 10_000 + row % 500, f"customer{row}@example.com"])


if __name__ == "__main__":
    write(sys.argv[1], int(sys.argv[2]), sys.argv[3])
