"""A second correct engine, unlike solutions/ wherever the contract allows.

The grader must pass it too: that shows it checks behaviour, not one way of writing it.
"""
