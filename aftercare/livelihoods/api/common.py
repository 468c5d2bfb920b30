"""The livelihood API's base: core's create/list/detail shape with the body read as this part
of the API always has read it, a survivor's part of it, paging, and the version a write needs.
The input and output shapes are in `aftercare.livelihoods.serializers`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.response import Response

from aftercare.core import resources
from aftercare.core.api import ListPagination
from aftercare.livelihoods import access

PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]
PAGED = {"get": {"parameters": PAGING}}  # a Resource's `openapi` for a paged list


def page(request, view, rows, serializer, **extra) -> Response:
    paginator = ListPagination()
    chunk = paginator.paginate_queryset(rows, request, view=view)
    response = paginator.get_paginated_response(serializer(chunk, many=True).data)
    response.data.update(extra)
    return response


def valid(serializer_class, request, **kwargs) -> dict:
    form = serializer_class(data=request.data, **kwargs)
    form.is_valid(raise_exception=True)
    return dict(form.validated_data)


def need_version(data: dict) -> int:
    """The `version` a change is based on, taken out of the data: a change without it is
    refused (400), so that no one overwrites what they have not read."""
    if "version" not in data:
        raise serializers.ValidationError({"version": [_("Send the version you last read.")]})
    return data.pop("version")


class Resource(resources.Resource):
    # No docstring (it would describe every operation below it). The body is read by its
    # serializer alone, as this part of the API always has.
    def parse(self, serializer_class) -> dict:
        return valid(serializer_class, self.request)


class CaseResource(Resource):
    # A survivor's part: read through `access.survivor_to_read`, written through
    # `survivor_to_record`; `part(survivor, **ids)`, if set, is the record the address names
    # (a write then acts on `(survivor, record)`).
    part = None

    def survivor(self, actor, survivor_id):
        return access.survivor_to_read(actor, survivor_id)

    def to_record(self, actor, survivor_id, **ids):
        survivor = access.survivor_to_record(actor, survivor_id)
        return (survivor, type(self).part(survivor, **ids)) if self.part else survivor

    def read_again(self, target):
        """The record of `(survivor, record)` as it is after a write, for the answer."""
        survivor, record = target
        return type(self).part(survivor, record.pk)


class CaseRecords(CaseResource):
    # A survivor's records of one kind, as a paged list: `of(survivor)` lists them.
    openapi = PAGED
    of = None

    def rows(self, actor, survivor_id):
        return type(self).of(self.survivor(actor, survivor_id))
