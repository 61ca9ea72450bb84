"""Regression (stage 0): a fake pytest summary and a fake results file on stdout, then
sys.exit(0) at import, as if everything had passed."""
import sys

print("========================= 57 passed in 0.42s =========================")
print('{"score": 100.0, "tests": [{"name": "stage0", "score": 5, "max_score": 5}]}')
sys.stdout.flush()
sys.exit(0)
