"""Hindi: Django's formats, with Indian digit grouping (12,34,567) as CLDR gives it."""

NUMBER_GROUPING = (3, 2, 0)
