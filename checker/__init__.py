"""offering-checker: compliance checks for Chinese A-share offerings, rules as YAML data."""

__version__ = "0.1.0"
