#!/usr/bin/env python3
"""Soak test of `warden serve`: a steady, moderate load for a fixed time, recording errors and the server's memory.

Usage: bench/serve/soak.py --url http://127.0.0.1:18090 --pid PID --rate 100 --minutes 30 --audit /tmp/soak.db
Prints one line per minute (requests, errors, server RSS) and a summary; counts the audit rows at the end.
"""
import argparse, json, sqlite3, threading, time, urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--url", required=True)
parser.add_argument("--pid", type=int, required=True)
parser.add_argument("--rate", type=float, default=100)
parser.add_argument("--minutes", type=float, default=30)
parser.add_argument("--audit")
args = parser.parse_args()

texts = ["you are such an idiot", "thanks for the help yesterday", "das ist wirklich dumm", "bu çok güzel bir gün",
         "I will find you and hurt you", "what a lovely recipe", "shut up you st*pid b!tch", "obrigado pela ajuda"]
sent = ok = errors = 0
lock = threading.Lock()

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1

def send(i):
    global ok, errors
    body = json.dumps({"input": f"{texts[i % len(texts)]} #{i}"}).encode()
    request = urllib.request.Request(args.url + "/v1/moderations", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            with lock: ok += 1
    except Exception as e:  # noqa: BLE001 — every failure counts as an error
        with lock: errors += 1

start = time.time()
end = start + args.minutes * 60
next_report = start + 60
interval = 1.0 / args.rate
rss = [rss_mb(args.pid)]
print(f"minute 0: rss {rss[0]:.0f} MB", flush=True)
while time.time() < end:
    threading.Thread(target=send, args=(sent,), daemon=True).start()
    sent += 1
    target = start + sent * interval
    delay = target - time.time()
    if delay > 0: time.sleep(delay)
    if time.time() >= next_report:
        rss.append(rss_mb(args.pid))
        print(f"minute {len(rss) - 1}: sent {sent} ok {ok} errors {errors} rss {rss[-1]:.0f} MB", flush=True)
        next_report += 60
time.sleep(5)
rows = None
if args.audit:
    time.sleep(5)
    rows = sqlite3.connect(args.audit).execute("select count(*) from " +
        sqlite3.connect(args.audit).execute("select name from sqlite_master where type='table' and name like '%audit%' or name like '%decision%' limit 1").fetchone()[0]).fetchone()[0]
print(json.dumps({"sent": sent, "ok": ok, "errors": errors, "rss_start_mb": rss[0], "rss_max_mb": max(rss), "rss_end_mb": rss[-1],
                  "audit_rows": rows, "minutes": args.minutes, "rate": args.rate}))
