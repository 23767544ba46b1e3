"""A scenario file template shared by the scenario tests."""

BASE = """
[scenario]
name = "test"
samples = 20000
seed = 3
{header}

[inputs]
accelerator = "h100"
site = "us-texas"
{inputs}
"""
