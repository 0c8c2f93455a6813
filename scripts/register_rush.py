#!/usr/bin/env python3
"""Registration rush against a running server: USERS threads register distinct people for one
event as fast as the server answers, until TOTAL registrations are acknowledged. A full venue is
answered by choosing online (as the form then offers). Prints one JSON line: answers by status,
submit p50/p95/p99 in ms, and what each registrant got.

  python3 scripts/register_rush.py --base http://127.0.0.1:3600 --slug saitama-2027 --users 32 --total 2000
"""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--slug", required=True)
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--total", type=int, default=2000)
    ap.add_argument("--prefix", default="rr")
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.base)
    lock = threading.Lock()
    state = {"next": 0, "status": {}, "times": [], "got": {}}

    def take():
        with lock:
            if state["next"] >= a.total:
                return None
            state["next"] += 1
            return state["next"]

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        while True:
            i = take()
            if i is None:
                return
            want = "venue"
            for _ in range(100):
                body = urllib.parse.urlencode({
                    "slug": a.slug,
                    "input[name]": f"参加 {i}",
                    "input[furigana]": "さんか たろう",
                    "input[phone]": "048-123-4567",
                    "input[email]": f"{a.prefix}{i}@example.jp",
                    "input[municipality]": "川越市",
                    "input[affiliation]": "support",
                    "input[attendance]": want,
                    "input[needs]": "入口に近い席を希望します。" * 10,
                    "input[rules_ack]": "on",
                    "input[privacy_ack]": "on",
                })
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                           "Origin": a.base, "Host": f"{u.hostname}:{u.port}"}
                t0 = time.perf_counter()
                try:
                    conn.request("POST", "/api/register_for_event", body, headers)
                    r = conn.getresponse()
                    data = r.read()
                except (http.client.HTTPException, OSError):
                    conn.close()
                    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
                    continue
                dt = time.perf_counter() - t0
                with lock:
                    state["status"][r.status] = state["status"].get(r.status, 0) + 1
                if r.status == 200:
                    got = json.loads(data)["status"].lower()
                    with lock:
                        state["times"].append(dt)
                        state["got"][got] = state["got"].get(got, 0) + 1
                    break
                if r.status == 422 and b"VenueFull" in data:
                    want = "online"
                    continue
                if r.status == 503:
                    time.sleep(0.05)
                    continue
                with lock:
                    state["got"]["error"] = state["got"].get("error", 0) + 1
                break

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(a.users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    times = sorted(state["times"])
    q = lambda p: round(times[min(len(times) - 1, int(p * len(times)))] * 1000, 1) if times else None
    print(json.dumps({
        "registrations": len(times), "seconds": round(wall, 1), "per_second": round(len(times) / wall, 1),
        "p50_ms": q(0.5), "p95_ms": q(0.95), "p99_ms": q(0.99),
        "responses": {str(k): v for k, v in sorted(state["status"].items())},
        "responses_5xx": sum(v for k, v in state["status"].items() if k >= 500),
        "placed": state["got"],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
