#!/usr/bin/env python3
"""The people's write paths under concurrency, against a running server: N people at once, each
in a loop: sign up, start and save a nomination, ask for more time (three times: a later
request replaces the earlier), change name and language, download their data (zip), delete
the account. Every answer is counted by status (none >= 500 allowed); p50/p99 per operation.

  python3 scripts/people_rush.py --base http://127.0.0.1:3600 --users 32 --seconds 30

Only the standard library (threads, http.client, one keep-alive connection per person).
"""
import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse


class Client:
    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.origin = u.hostname, u.port, base
        self.cookie = None
        self.conn = None

    def call(self, method, path, pairs=None, timeout=30):
        body = urllib.parse.urlencode(pairs or [])
        headers = {"Accept": "application/json", "Origin": self.origin, "Host": f"{self.host}:{self.port}"}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
                t0 = time.perf_counter()
                self.conn.request(method, path, body if method == "POST" else None, headers)
                r = self.conn.getresponse()
                data = r.read()
                dt = time.perf_counter() - t0
                for k, v in r.getheaders():
                    if k.lower() == "set-cookie" and v.startswith("gp_session="):
                        self.cookie = v.split(";")[0] if "Max-Age=0" not in v else None
                return r.status, data, dt
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                self.conn = None
                if attempt == 1:
                    return None, str(e).encode(), 0.0
        return None, b"", 0.0


OPS = ["sign_up", "start", "save", "extension", "profile", "export", "delete"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--prefix", default="people")
    a = ap.parse_args()
    statuses, lat, errors = {}, {op: [] for op in OPS}, []
    lock = threading.Lock()
    stop_at = time.time() + a.seconds
    cycles = [0]

    def count(op, status, dt, body, ok=(200,)):
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            if status in ok:
                lat[op].append(dt)
            elif len(errors) < 20:
                errors.append(f"{op} {status} {body[:200]!r}")
        return status in ok

    def person(i):
        c = Client(a.base)
        st, body, _ = c.call("POST", "/api/list_open_editions")
        try:
            edition = json.loads(body)[0][0]["id"]
        except Exception:
            count("sign_up", st, 0, body)
            return
        n = 0
        while time.time() < stop_at:
            n += 1
            c.cookie = None
            email = f"{a.prefix}-{i}-{n}-{random.randrange(1 << 30)}@example.jp"
            password = "people-password-123"
            st, body, dt = c.call("POST", "/api/sign_up", [("email", email), ("display_name", f"利用者{i}"), ("password", password)])
            if not count("sign_up", st, dt, body):
                time.sleep(0.2)
                continue
            st, body, dt = c.call("POST", "/api/start_nomination", [("edition_id", edition), ("category", "corporate")])
            if not count("start", st, dt, body):
                continue
            nid = json.loads(body)
            st, body, dt = c.call("POST", "/api/save_nomination", [("id", nid), ("version", 1), ("input[title]", f"延長の試験 {i}-{n}"), ("input[summary]", "体調の波")])
            count("save", st, dt, body)
            for d in ("3", "7", "14"):
                st, body, dt = c.call("POST", "/api/request_extension", [("id", nid), ("days", d), ("reason", "通院が続くため")])
                count("extension", st, dt, body)
            st, body, dt = c.call("POST", "/api/update_profile", [("display_name", f"Person {i}"), ("locale", random.choice(["ja", "en"]))])
            count("profile", st, dt, body)
            st, body, dt = c.call("GET", "/account/export.zip")
            count("export", st, dt, body[:64] if st != 200 else b"")
            if st == 200 and not body.startswith(b"PK"):
                with lock:
                    errors.append("export is not a zip")
            st, body, dt = c.call("POST", "/api/delete_account", [("password", password), ("confirm", "on")])
            if count("delete", st, dt, body):
                with lock:
                    cycles[0] += 1

    threads = [threading.Thread(target=person, args=(i,), daemon=True) for i in range(a.users)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.seconds + 120)

    def pct(xs, p):
        if not xs:
            return float("nan")
        xs = sorted(xs)
        return round(xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000, 1)

    fivexx = sum(v for k, v in statuses.items() if k is None or k >= 500)
    print(json.dumps({
        "users": a.users,
        "seconds": round(time.time() - t0, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))},
        "responses_5xx": fivexx,
        "accounts_deleted": cycles[0],
        **{f"{op}_p50_ms": pct(lat[op], 50) for op in OPS},
        **{f"{op}_p99_ms": pct(lat[op], 99) for op in OPS},
        "examples": errors[:5],
    }, ensure_ascii=False))
    return 0 if fivexx == 0 and not any("zip" in e for e in errors) else 1


if __name__ == "__main__":
    sys.exit(main())
