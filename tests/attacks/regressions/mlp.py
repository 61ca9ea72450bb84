"""Regression (stage 6): a memory bomb at import (6 GB, written to, so it is really used)."""
block = bytearray(6 * 1024 ** 3)
for i in range(0, len(block), 4096):
    block[i] = 1
