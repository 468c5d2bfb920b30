"""The API's input and output shapes of the case file, one module per concept: the survivor's
profile and intake (`survivors`), the care recorded on her case (`care`), who holds it
(`assignment`). The views that use them are in `aftercare.cases.api`."""
