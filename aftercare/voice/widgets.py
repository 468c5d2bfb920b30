"""The duty-bearer picker: a search box that offers registry entries as the user types (htmx),
each a radio button carrying the entry's id, so a service names an entry and never a
free-typed name that would have to match one exactly."""

from __future__ import annotations

from django import forms
from django.urls import reverse


class DutyBearerPicker(forms.Widget):
    template_name = "voice/widgets/duty_bearer_picker.html"

    def get_context(self, name, value, attrs):
        from aftercare.voice.models import DutyBearer

        context = super().get_context(name, value, attrs)
        chosen = None
        if value not in (None, ""):
            try:
                chosen = DutyBearer.objects.filter(pk=value, is_active=True).select_related("organisation").first()
            except (ValueError, forms.ValidationError):
                chosen = None
        context["widget"].update(chosen=chosen, url=reverse("voice:duty_bearer_options"))
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name) or None

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_


def duty_bearer_field(**kwargs) -> forms.ModelChoiceField:
    from django.utils.translation import gettext_lazy as _

    from aftercare.voice.models import DutyBearer

    return forms.ModelChoiceField(
        label=_("Duty bearer"), required=False, queryset=DutyBearer.objects.filter(is_active=True),
        widget=DutyBearerPicker, help_text=_("Type part of a name or office, then choose from the registry."),
        error_messages={"invalid_choice": _("Choose a duty bearer from the registry.")}, **kwargs,
    )
