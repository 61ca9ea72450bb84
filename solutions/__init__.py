"""Reference solutions of the autograd kata: what a finished exercises/ looks like."""
