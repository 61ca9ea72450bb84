import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]


def pytest_sessionfinish(session, exitstatus):
    import support
    support.WARM.close()
