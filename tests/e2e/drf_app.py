"""A small Django REST framework API described by drf-spectacular, used by
tests/e2e/test_drf_server.py.

Django is configured in-process (no project, no database: plain Serializers over an
in-memory dict, so no models and no migrations). drf-spectacular's OpenAPI 3.0 document
has what it emits for real apps: split request/response components (`EventRequest` and
`Event`, `PatchedEventRequest`), `readOnly`/`writeOnly` fields, a choice field that
allows blank and null (`oneOf` of `PriorityEnum`, `BlankEnum`, `NullEnum`), a
`count/next/previous/results` page envelope, and ViewSet operationIds like
`events_create`. Every request a route matched is recorded in `CALLED` as
`(method, url name)`.
"""

from __future__ import annotations

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="oagen-e2e-not-secret",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        DATABASES={},
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "drf_spectacular",
        ],
        MIDDLEWARE=[f"{__name__}.record_routes"],
        USE_TZ=True,
        TIME_ZONE="UTC",
        REST_FRAMEWORK={
            "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
            "DEFAULT_AUTHENTICATION_CLASSES": [],
            "DEFAULT_PERMISSION_CLASSES": [],
            "UNAUTHENTICATED_USER": None,
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        },
        SPECTACULAR_SETTINGS={
            "TITLE": "Events",
            "VERSION": "0.9.0",
            "COMPONENT_SPLIT_REQUEST": True,
            "COMPONENT_SPLIT_PATCH": True,
            "SERVE_INCLUDE_SCHEMA": False,
        },
    )
    django.setup()

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

# --------------------------------------------------------------------------- serializers


class VenueSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    city = serializers.CharField(max_length=80)
    room = serializers.CharField(required=False, allow_null=True)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=["meetup", "conference", "workshop"])
    # allow_blank + allow_null: oneOf [PriorityEnum, BlankEnum, NullEnum]
    priority = serializers.ChoiceField(
        choices=["low", "normal", "high"], allow_blank=True, allow_null=True, required=False
    )
    starts_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=1000)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    venue = VenueSerializer()
    # write-only (a passcode attendees must give): only in the request components
    access_code = serializers.CharField(write_only=True, min_length=4)
    # read-only: only in the response component
    has_access_code = serializers.BooleanField(read_only=True)
    cancelled = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class PingSerializer(serializers.Serializer):
    status = serializers.CharField()
    server_time = serializers.DateTimeField()


# --------------------------------------------------------------------------- state

CALLED: set[tuple[str, str]] = set()
EVENTS: dict[int, dict[str, Any]] = {}
_ids = itertools.count(1)
CREATED_AT = datetime(2024, 5, 17, 12, 30, tzinfo=UTC)


def _public(event: dict[str, Any]) -> dict[str, Any]:
    out = dict(event)
    out["has_access_code"] = bool(out.get("access_code"))
    return out


# --------------------------------------------------------------------------- views


class EventPagination(LimitOffsetPagination):
    default_limit = 10
    max_limit = 50


class EventViewSet(viewsets.GenericViewSet):
    """Events: list, create, retrieve, partial update, destroy, and a cancel action."""

    serializer_class = EventSerializer
    pagination_class = EventPagination
    http_method_names = ["get", "post", "patch", "delete"]  # noqa: RUF012
    lookup_value_converter = "int"

    def _event(self, pk: Any) -> dict[str, Any]:
        event = EVENTS.get(int(pk))
        if event is None:
            raise NotFound(f"event {pk} not found")
        return event

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=["meetup", "conference", "workshop"], required=False)
        ]
    )
    def list(self, request: Request) -> Response:
        events = [_public(e) for e in EVENTS.values()]
        kind = request.query_params.get("kind")
        if kind:
            events = [e for e in events if e["kind"] == kind]
        page = self.paginate_queryset(events)
        assert page is not None
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event_id = next(_ids)
        event = {
            **serializer.validated_data,
            "id": event_id,
            "cancelled": False,
            "created_at": CREATED_AT,
        }
        event.setdefault("tags", [])
        EVENTS[event_id] = event
        return Response(self.get_serializer(_public(event)).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(self.get_serializer(_public(self._event(pk))).data)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        event = self._event(pk)
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        event.update(serializer.validated_data)
        return Response(self.get_serializer(_public(event)).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        self._event(pk)
        del EVENTS[int(pk)]
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], serializer_class=CancelSerializer)
    def cancel(self, request: Request, pk: Any = None) -> Response:
        event = self._event(pk)
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event["cancelled"] = True
        return Response(serializer.data)


class PingView(APIView):
    """A plain APIView (not a ViewSet)."""

    serializer_class = PingSerializer

    def get(self, request: Request) -> Response:
        return Response(PingSerializer({"status": "ok", "server_time": CREATED_AT}).data)


# --------------------------------------------------------------------------- urls

router = SimpleRouter(use_regex_path=False)
router.register("events", EventViewSet, basename="event")

urlpatterns = [
    path("ping/", PingView.as_view(), name="ping"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
]


def record_routes(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    """Django middleware: records `(method, url name)` of every request a route matched."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        match = request.resolver_match
        if match is not None and match.url_name != "schema":
            CALLED.add((request.method or "", str(match.url_name)))
        return response

    return middleware


def api_routes() -> set[tuple[str, str]]:
    """`(method, url name)` of every route of the API (not the schema view)."""
    out: set[tuple[str, str]] = set()
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name == "schema":
            continue
        callback: Any = pattern.callback
        actions = getattr(callback, "actions", None)
        if actions is not None:  # a ViewSet route: its method -> action map
            methods = set(actions)
        else:
            view_class = callback.view_class
            methods = {m for m in view_class.http_method_names if hasattr(view_class, m)}
        out |= {(m.upper(), str(pattern.name)) for m in methods - {"head", "options"}}
    return out


def wsgi_app() -> Any:
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
