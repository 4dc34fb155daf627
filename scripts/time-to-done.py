#!/usr/bin/env python3
"""Time from a signup's 201 to its four steps DONE, against a running system (scripts/local.sh up).

usage: scripts/time-to-done.py [signups=100] [base_url=http://127.0.0.1:8080]

Signs up one user at a time, polls GET /api/signups/{id} every 10 ms until all four steps are DONE,
and prints the median, p90 and max of those times with the POST latency beside them.
"""
import json
import statistics
import sys
import time
import urllib.request
import uuid

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
base = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8080"


def post_signup():
    body = json.dumps({"email": f"timing-{uuid.uuid4()}@example.com", "name": "Timing Probe"}).encode()
    request = urllib.request.Request(f"{base}/api/signups", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        assert response.status == 201, response.status
        signup = json.load(response)
    return signup["id"], started, time.perf_counter()


def wait_until_done(signup_id, deadline_seconds=30):
    deadline = time.perf_counter() + deadline_seconds
    while time.perf_counter() < deadline:
        with urllib.request.urlopen(f"{base}/api/signups/{signup_id}") as response:
            steps = json.load(response)["steps"]
        if all(step["state"] == "DONE" for step in steps.values()):
            return time.perf_counter()
        time.sleep(0.01)
    raise TimeoutError(f"signup {signup_id} not DONE within {deadline_seconds} s")


posts, done = [], []
for _ in range(count):
    signup_id, sent, answered = post_signup()
    finished = wait_until_done(signup_id)
    posts.append((answered - sent) * 1000)
    done.append((finished - answered) * 1000)


def summary(values):
    ordered = sorted(values)
    return (f"median {statistics.median(ordered):7.1f} ms   p90 {ordered[int(len(ordered) * 0.9) - 1]:7.1f} ms   "
            f"max {ordered[-1]:7.1f} ms")


print(f"{count} signups, one at a time")
print(f"  POST /api/signups answered: {summary(posts)}")
print(f"  201 to four steps DONE:     {summary(done)}")
