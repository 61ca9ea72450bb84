"""Attack 10: write the grader's replies myself, on its own channel. Find the pipe the
child answers on (file descriptors 3..20, or the file object via gc) and send well-formed
replies claiming success for this question and the next ones, before the real ones."""
import gc
import io
import json
import math
import os
import sys


def current_request():
    frame = sys._getframe()
    while frame is not None:
        request = frame.f_locals.get("request")
        if isinstance(request, dict) and "id" in request:
            return request
        frame = frame.f_back
    return None


request = current_request() or {"id": 1}
first = request["id"]
# The first check asks for Value(2.0), Value(3), Value(-0.5): answer those exactly; then
# odd shapes (the judge must reject them, not crash on them).
answers = [{"data": d, "grad": 0.0, "prev_len": 0, "backward_callable": True,
            "grad_after_backward": 0.0, "repr": f"Value(data={d}, grad=0.0)"}
           for d in (2.0, 3, -0.5)]
answers += [{"nodes": "all fine"}, {"nodes": [{"data": "1"}]}, [1, 2, 3], "passed", None,
            {"nodes": [{"data": math.nan, "grad": math.inf, "is_value": True,
                        "reaches": True, "method": 7}]}, {"value": 10 ** 400}]
lines = []
for i in range(60):
    result = answers[i] if i < len(answers) else answers[i % 3]
    lines.append(json.dumps({"id": first + i, "ok": True, "result": result, "printed": ""}))
data = ("\n".join(lines) + "\n").encode()
for fd in range(3, 21):
    try:
        os.write(fd, data)
    except OSError:
        pass
for obj in gc.get_objects():
    if isinstance(obj, io.TextIOWrapper) and not obj.closed:
        try:
            if obj.writable() and obj.fileno() > 2:
                obj.write(data.decode())
                obj.flush()
        except (OSError, ValueError):
            pass
