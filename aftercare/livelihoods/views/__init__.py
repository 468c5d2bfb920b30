"""Livelihood pages: a case's livelihood record, the organisation's programmes, employers,
products and households, the network's wage standards, and the survivor's own earnings."""
