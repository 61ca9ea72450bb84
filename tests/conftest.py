import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]


def pytest_collection_modifyitems(session, config, items):
    """Modules marked `background` (the attacks on course mode, the mutants) have most of
    their work done up front, by graders that mostly wait: start it now, in the background,
    and run their tests last, so that the rest of the self-tests run meanwhile."""
    import support
    support.WARM.start_all()
    late = [item for item in items if item.get_closest_marker("background")]
    items[:] = [item for item in items if item not in late] + late
    modules = []
    for item in late:
        if item.module not in modules:
            modules.append(item.module)
    for module in modules:
        module.start_in_background([item for item in late if item.module is module])


def pytest_sessionfinish(session, exitstatus):
    import support
    support.WARM.close()
