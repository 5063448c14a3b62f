"""Benchmarks, and the instance readers and generators that they and the tests share."""
