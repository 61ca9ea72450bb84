"""Attack 2: read the reference solutions/value.py, run it as my own, and print it (what
my code prints shows up beside any failing check, where I can read it)."""
from .helpers import find_file

for path in find_file("solutions/value.py"):
    try:
        with open(path) as f:
            source = f.read()
    except OSError:
        continue
    print(source)
    exec(compile(source, __file__, "exec"), globals())
    break
