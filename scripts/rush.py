#!/usr/bin/env python3
"""A deadline rush against a running server: N nominators, each with an account, loop
start -> save (long texts) -> submit as fast as the server answers, for a while. Every answer
is counted by status; every acknowledged submit is appended (and fsynced) to a log, so a check
after `kill -9` can prove nothing acknowledged was lost.

  python3 scripts/rush.py --base http://127.0.0.1:3500 [--base http://127.0.0.1:3501] \
      --users 32 --seconds 60 --ack target/bench/rush/acks.log --prefix run1

Only the standard library: threads and http.client (one keep-alive connection per nominator).
"""
import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse

LONG = ("通院の日に合わせて勤務時間を調整し、体調のゆらぎを本人が一言で伝えられるよう、朝の声かけを習慣にしました。"
        "うまくいかなかったことも正直に書きます。工程によっては在宅勤務ができず、不公平だという声も出ました。")


def form(pairs):
    return urllib.parse.urlencode(pairs)


class Client:
    def __init__(self, base, origin):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port
        self.origin = origin
        self.cookie = None
        self.conn = None

    def post(self, path, pairs, timeout=30):
        body = form(pairs)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            "Origin": self.origin,
            "Host": f"{self.host}:{self.port}",
        }
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
                t0 = time.perf_counter()
                self.conn.request("POST", path, body, headers)
                r = self.conn.getresponse()
                data = r.read()
                dt = time.perf_counter() - t0
                for k, v in r.getheaders():
                    if k.lower() == "set-cookie" and v.startswith("gp_session="):
                        self.cookie = v.split(";")[0]
                return r.status, data, dt
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                self.conn = None
                if attempt == 1:
                    return None, str(e).encode(), 0.0
        return None, b"", 0.0


def nomination_pairs(nid, version, marker, size):
    text = (LONG * (size // len(LONG) + 1))[:size]
    fields = {
        "title": f"締切前の推薦 {marker}",
        "nominee_type": "company",
        "nominee_name": "株式会社ラッシュ",
        "region": "saitama",
        "industry": "it",
        "org_size": "10-49",
        "summary": f"在宅勤務と時差出勤 {marker}",
        "background": text,
        "practice": text,
        "accommodation": text[:2000],
        "challenges": text[:2000],
        "outcomes": text[:2000],
        "lessons": text[:2000],
        "relationship": "employer",
        "featured_email": "featured@example.jp",
    }
    pairs = [("id", nid), ("version", version)]
    pairs += [(f"input[{k}]", v) for k, v in fields.items()]
    return pairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", action="append", required=True)
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--ack", required=True)
    ap.add_argument("--prefix", default="rush")
    ap.add_argument("--size", type=int, default=6000, help="characters per long section")
    ap.add_argument("--edition", type=int, default=0)
    ap.add_argument("--category", default="corporate")
    a = ap.parse_args()

    statuses = {}
    lat = {"start": [], "save": [], "submit": []}
    errors = []
    lock = threading.Lock()
    ack = open(a.ack, "a", encoding="utf-8")
    stop_at = time.time() + a.seconds
    origin = a.base[0]

    def count(op, status, dt, body):
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                lat[op].append(dt)
            elif status is None or status >= 500 or status not in (200,):
                if len(errors) < 20:
                    errors.append(f"{op} {status} {body[:200]!r}")

    def nominator(i):
        base = a.base[i % len(a.base)]
        c = Client(base, origin)
        email = f"{a.prefix}-{i}-{random.randrange(1 << 30)}@example.jp"
        st, body, _ = c.post("/api/sign_up", [("email", email), ("display_name", f"推薦者{i}"), ("password", "rush-password-123")])
        if st != 200:
            count("start", st, 0, body)
            return
        edition = a.edition
        if not edition:
            st, body, _ = c.post("/api/list_open_editions", [])
            try:
                edition = json.loads(body)[0][0]["id"]
            except Exception:
                count("start", st, 0, body)
                return
        n = 0
        while time.time() < stop_at:
            n += 1
            marker = f"{a.prefix}-{i}-{n}"
            st, body, dt = c.post("/api/start_nomination", [("edition_id", edition), ("category", a.category)])
            count("start", st, dt, body)
            if st != 200:
                time.sleep(0.2)
                continue
            nid = json.loads(body)
            st, body, dt = c.post("/api/save_nomination", nomination_pairs(nid, 1, marker, a.size))
            count("save", st, dt, body)
            if st != 200:
                continue
            st, body, dt = c.post("/api/submit_nomination", [("id", nid), ("dialogue_ack", "on")])
            count("submit", st, dt, body)
            if st == 200:
                with lock:
                    ack.write(f"{nid}\t{marker}\t{email}\n")
                    ack.flush()
                    os.fsync(ack.fileno())

    threads = [threading.Thread(target=nominator, args=(i,), daemon=True) for i in range(a.users)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.seconds + 120)
    elapsed = time.time() - t0

    def pct(xs, p):
        if not xs:
            return float("nan")
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000

    fivexx = sum(v for k, v in statuses.items() if k is not None and k >= 500)
    print(json.dumps({
        "users": a.users,
        "seconds": round(elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))},
        "responses_5xx": fivexx,
        "submits": len(lat["submit"]),
        "start_p50_ms": round(pct(lat["start"], 50), 1),
        "save_p50_ms": round(pct(lat["save"], 50), 1),
        "save_p99_ms": round(pct(lat["save"], 99), 1),
        "submit_p50_ms": round(pct(lat["submit"], 50), 1),
        "submit_p99_ms": round(pct(lat["submit"], 99), 1),
        "examples": errors[:5],
    }, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
