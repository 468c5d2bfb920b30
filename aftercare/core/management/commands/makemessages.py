"""`makemessages` that also extracts `N_(...)`, the `gettext_noop` alias the risk instrument's
data migrations use for text seeded into the database and translated when shown."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
