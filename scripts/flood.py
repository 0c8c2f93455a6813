#!/usr/bin/env python3
"""A hostile crowd for the page cache: COUNT anonymous searches, each different and long, that
still match records (random combinations of common words, each repeated, with random filters
and pages), plus sitemap and feed requests — at a bounded rate from a few connections.
A search the server redirects to its canonical address (a repeated word) is followed, as a
browser would, so every search costs the server a redirect and a render (or a cache hit).
Prints one JSON line: how many of each, and any answer that was not 200/3xx/404/410/422.

  python3 scripts/flood.py --base http://127.0.0.1:3600 --searches 20000 --feeds 1000 --rate 150
"""
import argparse
import http.client
import json
import random
import threading
import time
import urllib.parse

WORDS = ["難病", "在宅勤務", "通院", "時差出勤", "両立", "支援", "就労", "体調", "相談", "職場"]
CATEGORIES = ["", "corporate", "support", "municipal", "people"]
REGIONS = ["", "saitama", "tokyo", "kanagawa", "chiba"]


def search_path(rng):
    words = rng.sample(WORDS, rng.randint(1, 3))
    # Long: each word repeated, padded with spaces — what an attacker sends to make the page big.
    q = " ".join(w for w in words for _ in range(rng.randint(1, 12)))
    params = [("q", q), ("page", str(rng.randint(1, 40)))]
    c = rng.choice(CATEGORIES)
    if c:
        params.append(("category", c))
    r = rng.choice(REGIONS)
    if r:
        params.append(("region", r))
    return "/archive?" + urllib.parse.urlencode(params)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--searches", type=int, default=20000)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=150.0, help="requests per second, all connections together")
    ap.add_argument("--connections", type=int, default=4)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.base)
    paths = []
    rng = random.Random(20261201)
    for _ in range(a.searches):
        paths.append(search_path(rng))
    for i in range(a.feeds):
        paths.append(["/sitemap.xml", "/sitemaps/1.xml", "/sitemaps/2.xml", "/feed.atom"][i % 4])
    rng.shuffle(paths)
    lock = threading.Lock()
    statuses = {}
    bad = []
    nxt = [0]
    redirects = [0]
    t0 = time.time()
    interval = a.connections / a.rate

    def worker():
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        while True:
            with lock:
                if nxt[0] >= len(paths):
                    return
                p = paths[nxt[0]]
                nxt[0] += 1
            start = time.time()
            try:
                followed = 0
                while True:
                    conn.request("GET", p, headers={"Accept-Encoding": "gzip", "Accept-Language": "ja"})
                    r = conn.getresponse()
                    r.read()
                    st = r.status
                    loc = r.getheader("Location")
                    if st in (301, 302, 303, 307, 308) and loc and followed < 3:
                        target = urllib.parse.urlparse(loc)
                        if target.netloc not in ("", u.netloc):
                            st = f"redirect off the site: {loc}"
                            break
                        with lock:
                            redirects[0] += 1
                        followed += 1
                        p = target.path + ("?" + target.query if target.query else "")
                        continue
                    break
            except Exception as e:  # noqa: BLE001 - any failure is an error to report
                conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
                st = f"error: {e}"
            with lock:
                statuses[str(st)] = statuses.get(str(st), 0) + 1
                if not (isinstance(st, int) and (200 <= st < 400 or st in (404, 410, 422))) and len(bad) < 10:
                    bad.append(f"{st} {p[:120]}")
            time.sleep(max(0.0, interval - (time.time() - start)))

    threads = [threading.Thread(target=worker) for _ in range(a.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"requests": len(paths), "seconds": round(time.time() - t0, 1), "statuses": statuses, "redirects_followed": redirects[0], "bad": bad}, ensure_ascii=False))


if __name__ == "__main__":
    main()
