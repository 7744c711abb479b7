"""Writes N generated participant records (CSV) for benches/rate-card-stream.obc to stdout."""
import random
import sys
from datetime import date, timedelta

n = int(sys.argv[1])
rng = random.Random(2024)
start_of_term = date(2019, 4, 1)
outcomes = ["housed", "sustained", "worked_13_weeks", "off_benefits", "employed"]
out = sys.stdout
out.write("participant,outcome,achieved_on,started_on\n")
written = 0
person = 0
while written < n:
    person += 1
    started = start_of_term + timedelta(days=rng.randrange(0, 1400))
    for outcome in rng.sample(outcomes, rng.randrange(1, 5)):
        if written >= n:
            break
        achieved = min(started + timedelta(days=rng.randrange(20, 500)), date(2024, 3, 31))
        out.write(f"P{person:07d},{outcome},{achieved.isoformat()},{started.isoformat()}\n")
        written += 1
