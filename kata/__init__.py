"""The grader's internals: finding the target, running learner code apart, judging, reporting."""
