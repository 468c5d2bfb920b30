"""The create/list/detail shape of the API, written once.

Most API views are the same few lines: name the right (403), fetch what is acted on through its
access function (404 for what the caller may not know about), read the body through its input
serializer (400 with field errors), call one service (409 for a stale `version`, mapped by
core.api), and answer with an output serializer. A `Resource` declares only what differs: its
serializers and rights, and the hooks it has:

- `rows(actor, **ids)`: GET answers them as a page (`core.api.ListPagination`);
- `fetch(actor, **ids)`: GET answers the one record;
- `create(actor, target, data)`: POST answers what it returns, 201 (or `created_status`);
- `update(actor, target, data)`: PATCH answers what it returns, 200.

`target` is `to_record(actor, **ids)`, fetched (and its access checked) before the body is
read, so that a caller who may not act learns nothing from the shape of their request; by
default it is the address's id, if any. The OpenAPI schema of each method is declared from
the same attributes, and `openapi` adds to it per method (an `operation_id`, `parameters`); a
hook's docstring is its operation's description.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from aftercare.core.api import api_actor, paginate, read_object
from aftercare.core.policy import require


def _listing():
    def get(self, request, **ids):
        actor = api_actor(request)
        if self.read:
            require(actor, self.read)
        return paginate(request, self, self.rows(actor, **ids), self.output)

    return get


def _showing():
    def get(self, request, **ids):
        return Response(self.output(self.fetch(api_actor(request), **ids)).data)

    return get


def _writing(hook: str, body: str, answer: str):
    def write(self, request, **ids):
        actor = api_actor(request)
        if self.write:
            require(actor, self.write)
        target = self.to_record(actor, **ids)
        instance = getattr(self, hook)(actor, target, self.parse(getattr(self, body)))
        return Response(self.output(instance).data, status=getattr(self, answer))

    return write


def _declared(hook, method, **schema):
    """`method` with its schema; the hook's docstring is the operation's description."""
    method.__doc__ = hook.__doc__
    return extend_schema(**schema)(method)


class Resource(APIView):
    # No docstring here: drf-spectacular describes an operation by the nearest class docstring
    # below APIView, and a resource's description is its own (or its module base's).
    output: ClassVar[type | None] = None  # the answer's serializer
    body: ClassVar[type | None] = None  # POST's input serializer
    patch_body: ClassVar[type | None] = None  # PATCH's input serializer
    read: ClassVar[str | None] = None  # the right to list, checked before anything is read
    write: ClassVar[str | None] = None  # the right to create or change, checked first
    created_status: ClassVar[int] = status.HTTP_201_CREATED
    updated_status: ClassVar[int] = status.HTTP_200_OK
    openapi: ClassVar[
        dict[str, dict]
    ] = {}  # more of extend_schema, per method (not `schema`: DRF's)

    def __init_subclass__(cls, **kwargs):
        """Declare this class's methods from its hooks, its own or inherited, unless it writes
        the method itself."""
        super().__init_subclass__(**kwargs)
        if cls.output is None:  # a base that declares hooks for the resources below it
            return
        extra = cls.openapi
        if hasattr(cls, "rows") and "get" not in cls.__dict__:
            cls.get = _declared(
                cls.rows, _listing(), responses=cls.output(many=True), **extra.get("get", {})
            )
        if hasattr(cls, "fetch") and "get" not in cls.__dict__:
            cls.get = _declared(cls.fetch, _showing(), responses=cls.output, **extra.get("get", {}))
        if hasattr(cls, "create") and "post" not in cls.__dict__:
            cls.post = _declared(
                cls.create,
                _writing("create", "body", "created_status"),
                request=cls.body,
                responses={cls.created_status: cls.output},
                **extra.get("post", {}),
            )
        if hasattr(cls, "update") and "patch" not in cls.__dict__:
            cls.patch = _declared(
                cls.update,
                _writing("update", "patch_body", "updated_status"),
                request=cls.patch_body,
                responses=cls.output,
                **extra.get("patch", {}),
            )

    def to_record(self, actor, **ids) -> Any:
        return next(iter(ids.values()), None)

    def parse(self, serializer_class) -> dict:
        """The body read through `serializer_class`: 400 with field errors for a body that is not
        a JSON object or that the serializer refuses."""
        serializer = serializer_class(data=read_object(self.request))
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
