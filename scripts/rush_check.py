#!/usr/bin/env python3
"""After a rush (and a kill -9): is every acknowledged submit in the database, complete, with
its confirmation mail? Reads the acknowledgement log written by rush.py.

  python3 scripts/rush_check.py --ack acks.log --sqlite data/gp.sqlite3
  python3 scripts/rush_check.py --ack acks.log --pg postgres://postgres@127.0.0.1:5432/db
"""
import argparse
import json
import subprocess
import sys


def rows_sqlite(path, sql):
    import sqlite3
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return con.execute(sql).fetchall()


def rows_pg(url, sql):
    out = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines() if line]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ack", required=True)
    ap.add_argument("--sqlite")
    ap.add_argument("--pg")
    a = ap.parse_args()
    acks = [line.rstrip("\n").split("\t") for line in open(a.ack, encoding="utf-8") if line.strip()]
    q = (lambda sql: rows_sqlite(a.sqlite, sql)) if a.sqlite else (lambda sql: rows_pg(a.pg, sql))
    noms = {str(r[0]): r for r in q(
        "SELECT n.id, n.status, n.summary, length(n.sections_json), u.email FROM nominations n JOIN users u ON u.id = n.nominator_id"
    )}
    mails = {}
    for to, kind in q("SELECT to_addr, kind FROM outbox WHERE kind = 'nomination_submitted'"):
        mails[to] = mails.get(to, 0) + 1
    per_user = {}
    missing, incomplete, no_mail = [], [], []
    for nid, marker, email in acks:
        per_user[email] = per_user.get(email, 0) + 1
        r = noms.get(nid)
        if r is None:
            missing.append(nid)
            continue
        _, status, summary, sections_len, owner = r
        if status != "submitted" or marker not in summary or int(sections_len) < 10000 or owner != email:
            incomplete.append(nid)
    for email, n in per_user.items():
        if mails.get(email, 0) < n:
            no_mail.append(email)
    integrity = "ok"
    if a.sqlite:
        integrity = rows_sqlite(a.sqlite, "PRAGMA integrity_check")[0][0]
    report = {
        "acknowledged": len(acks),
        "missing": len(missing),
        "incomplete": len(incomplete),
        "without_mail": len(no_mail),
        "integrity": integrity,
    }
    print(json.dumps(report))
    return 0 if not (missing or incomplete or no_mail) and integrity == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
