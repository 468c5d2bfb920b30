"""The livelihood API's input and output shapes, one module per concept (as the services)."""
