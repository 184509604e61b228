"""(placeholder)"""
RULES = {}


def check(ctx):
    return []
