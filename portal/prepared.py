"""Querysets compiled to SQL once per process (issue 31).

On a page rendered cold, the ORM spends far more time turning a queryset
into SQL than the database spends answering it: the event page's own query
(page, event, venue, type) takes 0.08 ms in SQLite and 0.6 ms to compile,
another 0.4 ms to set up its select and converters. The queries a public
page asks are the same on every request but for a primary key, a slug, a
moment: SQLAlchemy keeps such compiled statements in a cache ("baked"
queries, lambda statements); Django has no such cache, so this module is a
small one.

    @prepared_query
    def event_for_routing(pk, *, page_class):
        return page_class.routing_queryset().filter(pk=pk)[:1]

    events = event_for_routing(12, page_class=EventPage)   # a list

The function builds the queryset. Its positional arguments are the query's
parameters (an int, a str, a date, an aware datetime, or a list or tuple of
them, whose length is part of the shape); its keyword-only arguments are the
shape (a class, a flag) and are part of the cache key. The first call for a
shape builds the queryset with marker values in place of the parameters,
compiles it, and notes where each marker lands among the SQL's parameters;
the next calls only put the values in those places, run the SQL through
Django's cursor (so query counts and `CaptureQueriesContext` see it), and
make the instances as Django's `ModelIterable` does (`from_db`,
`select_related` populators, annotations), then prefetch: the rows that
point at the instances (a ParentalKey's children, a reverse ForeignKey,
with or without a `Prefetch` queryset) by a query compiled once per number
of instances, stored where Django's prefetching stores them; any other
lookup through Django's `prefetch_related_objects`.

Whatever cannot be prepared is simply run by the ORM, every time: a marker
that does not come out as a parameter of its own (`__startswith`,
`__contains` make patterns of them), a queryset that is not of model
instances (`values()`), one that is known empty (`pk__in=[]`), or one built
with related objects already known. Everything that varies between calls
must be a parameter, and whatever else changes the SQL a keyword (whether
any page has a view restriction, say: `Occurrence.objects.public()` reads
it from the cache, so a builder calling it takes it as a keyword). The
first compile of each shape is checked against the queryset built with the
real values (a builder that reads the clock or the database itself is
refused), and under `PREPARED_QUERY_CHECK` (the test
settings) every call is, so the suite runs every prepared query both ways.
"""

import datetime
import functools
import itertools
import logging

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models.query import (
    ModelIterable,
    get_related_populators,
    prefetch_related_objects,
)

logger = logging.getLogger(__name__)

_PARAMETER_TYPES = (int, str, datetime.datetime, datetime.date)
_MARKER_BASE = -7_346_251_000_000


class _NotPrepared(Exception):
    """This shape is run by the ORM every time."""


class _Compiled:
    __slots__ = (
        "alias",
        "sql",
        "params",
        "slots",
        "model",
        "fields",
        "init_list",
        "populators",
        "annotations",
        "converters",
        "col_count",
        "prefetches",
        "relations",
        "children",
    )


def _markers(args):
    """Marker values of the same types as `args`, and their flat list."""
    counter = itertools.count()
    flat = []

    def marker(value):
        if isinstance(value, bool) or not isinstance(value, _PARAMETER_TYPES):
            raise TypeError(
                f"prepared_query: {type(value).__name__} is not a query parameter "
                "(int, str, date, datetime, or a list or tuple of them); pass "
                "what shapes the query as a keyword argument"
            )
        n = next(counter)
        if isinstance(value, int):
            made = _MARKER_BASE - n
        elif isinstance(value, str):
            made = f"\x1fprepared-marker-{n}\x1f"
        elif isinstance(value, datetime.datetime):
            made = datetime.datetime(
                1811, 3, 7, 5, 4, 3, 900_000 + n, tzinfo=datetime.UTC
            )
        else:
            made = datetime.date(1811, 3, 7) + datetime.timedelta(days=n)
        flat.append(made)
        return made

    markers = [
        type(arg)(marker(item) for item in arg)
        if isinstance(arg, (list, tuple))
        else marker(arg)
        for arg in args
    ]
    return markers, flat


def _flatten(args):
    for arg in args:
        if isinstance(arg, (list, tuple)):
            yield from arg
        else:
            yield arg


def _shape(args):
    return tuple(
        (type(arg), tuple(type(item) for item in arg))
        if isinstance(arg, (list, tuple))
        else type(arg)
        for arg in args
    )


def _adapters(connection):
    ops = connection.ops
    return (
        lambda value: value,
        lambda value: (
            ops.adapt_datetimefield_value(value)
            if isinstance(value, datetime.datetime)
            else ops.adapt_datefield_value(value)
        ),
    )


def _compile(queryset, flat_markers):
    if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
        raise _NotPrepared
    alias = queryset.db
    connection = connections[alias]
    compiler = queryset.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        raise _NotPrepared from None
    slots = []
    for index, marker in enumerate(flat_markers):
        found = []
        for adapter in _adapters(connection):
            db_value = adapter(marker)
            places = [i for i, param in enumerate(params) if param == db_value]
            if places:
                found = [(i, index, adapter) for i in places]
                break
        if not found or str(db_value) in sql:
            raise _NotPrepared
        slots.extend(found)
    compiled = _Compiled()
    compiled.alias = alias
    compiled.sql = sql
    compiled.params = list(params)
    compiled.slots = slots
    select = compiler.select
    klass_info = compiler.klass_info
    compiled.model = klass_info["model"]
    select_fields = klass_info["select_fields"]
    compiled.fields = slice(select_fields[0], select_fields[-1] + 1)
    compiled.init_list = [f[0].target.attname for f in select[compiled.fields]]
    compiled.populators = get_related_populators(klass_info, select, alias)
    compiled.annotations = list((compiler.annotation_col_map or {}).items())
    compiled.col_count = compiler.col_count if compiler.has_extra_select else None
    compiled.converters = list(
        compiler.get_converters([s[0] for s in select[: compiler.col_count]]).items()
    )
    compiled.prefetches = queryset._prefetch_related_lookups
    compiled.relations = [
        _child_relation(compiled.model, lookup) for lookup in compiled.prefetches
    ]
    compiled.children = {}
    return compiled


def _params(compiled, flat_values):
    params = list(compiled.params)
    for place, index, adapter in compiled.slots:
        params[place] = adapter(flat_values[index])
    return params


def _run(compiled, flat_values):
    connection = connections[compiled.alias]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, _params(compiled, flat_values))
        rows = cursor.fetchall()
    objects = []
    model, fields, init_list = compiled.model, compiled.fields, compiled.init_list
    for row in rows:
        if compiled.col_count is not None:
            row = row[: compiled.col_count]
        if compiled.converters:
            row = list(row)
            for position, (converters, expression) in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        instance = model.from_db(compiled.alias, init_list, row[fields])
        for populator in compiled.populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations:
            setattr(instance, name, row[position])
        objects.append(instance)
    if compiled.prefetches and objects:
        rest = [
            lookup
            for index, lookup in enumerate(compiled.prefetches)
            if not _prefetch_children(compiled, index, lookup, objects)
        ]
        if rest:
            prefetch_related_objects(objects, *rest)
    return objects


def _child_relation(model, lookup):
    """(reverse foreign key, base queryset) when `lookup` prefetches the
    rows that point at `model`'s primary key (a ParentalKey's children, a
    reverse ForeignKey), with no lookup of its own and no `to_attr`: those
    are prepared; anything else is left to Django's prefetching."""
    if isinstance(lookup, str):
        name, base = lookup, None
    elif getattr(lookup, "to_attr", None) is None:
        name, base = lookup.prefetch_through, lookup.queryset
    else:
        return None
    if "__" in name:
        return None
    try:
        relation = model._meta.get_field(name)
    except Exception:
        return None
    if not (relation.one_to_many and relation.auto_created):
        return None
    key = relation.field
    if key.remote_field.field_name != model._meta.pk.name:
        return None
    if base is None:
        base = relation.related_model._default_manager.all()
    if base._prefetch_related_lookups or base.query.is_sliced:
        return None
    return relation, key, base


def _prefetch_children(compiled, index, lookup, objects):
    """Prefetch `lookup` for `objects` with a query compiled once per number
    of objects, and store the rows where Django's prefetching stores them
    (each object's `_prefetched_objects_cache`); False when it cannot."""
    found = compiled.relations[index]
    if found is None:
        return False
    relation, key, base = found
    pks = [obj.pk for obj in objects]

    def build(parent_pks):
        return base.filter(**{f"{key.name}__in": parent_pks})

    build.__qualname__ = f"prefetch of {lookup!r}"
    child = _prepared_shape(compiled.children, (index, len(pks)), build, [pks], {}, pks)
    if not child:
        return False
    by_parent = {}
    for row in _run(child, pks):
        by_parent.setdefault(getattr(row, key.attname), []).append(row)
    accessor, cache_name = relation.get_accessor_name(), relation.cache_name
    for obj in objects:
        rows = by_parent.get(obj.pk, [])
        for row in rows:
            setattr(row, key.name, obj)  # as Django's reverse manager does
        manager = getattr(obj, accessor)
        queryset = (
            manager.get_queryset()
            if isinstance(lookup, str) or lookup.queryset is None
            else manager._apply_rel_filters(lookup.queryset)
        )
        queryset._result_cache = rows
        queryset._prefetch_done = True
        if not hasattr(obj, "_prefetched_objects_cache"):
            obj._prefetched_objects_cache = {}
        obj._prefetched_objects_cache[cache_name] = queryset
    return True


def _same_query(compiled, flat_values, queryset):
    """Whether the queryset built with the real values compiles to the SQL
    and parameters this shape would send."""
    try:
        sql, params = queryset.query.get_compiler(using=compiled.alias).as_sql()
    except EmptyResultSet:
        return False
    return sql == compiled.sql and list(params) == _params(compiled, flat_values)


def _checking():
    return getattr(settings, "PREPARED_QUERY_CHECK", False)


def _prepared_shape(cache, key, build, args, shape, flat_values):
    """The compiled query of `build(*args, **shape)` kept in `cache` under
    `key`, compiled with markers on first use and checked against the
    queryset built with the real values (under `PREPARED_QUERY_CHECK`, on
    every call); False when the ORM must run it. `flat_values`: the
    parameters' values, lists flattened."""
    compiled = cache.get(key)
    if compiled is None:
        markers, flat_markers = _markers(args)
        try:
            compiled = _compile(build(*markers, **shape), flat_markers)
        except _NotPrepared:
            compiled = False
        real = compiled and build(*args, **shape)
        if compiled and not _same_query(compiled, flat_values, real):
            if _checking():
                raise ImproperlyConfigured(
                    f"{build.__qualname__}: the query depends on more than its "
                    "parameters (the clock, the database, a setting?): pass "
                    "what varies as a positional argument"
                )
            logger.warning(
                "%s: not prepared, its query depends on more than its parameters",
                build.__qualname__,
            )
            compiled = False  # run by the ORM, always right
        cache[key] = compiled
    elif (
        compiled
        and _checking()
        and not _same_query(compiled, flat_values, build(*args, **shape))
    ):
        raise AssertionError(f"{build.__qualname__}: prepared SQL went stale")
    return compiled


def prepared_query(build):
    """Decorate a function that builds a queryset: calling it returns the
    queryset's instances as a list, its SQL compiled once per shape."""
    cache = {}

    @functools.wraps(build)
    def run(*args, **shape):
        key = (_shape(args), tuple(sorted(shape.items())))
        flat_values = list(_flatten(args))
        compiled = _prepared_shape(cache, key, build, args, shape, flat_values)
        if not compiled:
            return list(build(*args, **shape))
        return _run(compiled, flat_values)

    def shapes():
        """(shapes prepared, shapes run by the ORM) so far in this process."""
        prepared = sum(1 for compiled in cache.values() if compiled)
        return prepared, len(cache) - prepared

    def prefetch_shapes():
        """(prefetches prepared, prefetches left to Django) so far: one per
        prefetch lookup and number of objects."""
        children = [
            child
            for compiled in cache.values()
            if compiled
            for child in compiled.children.values()
        ]
        prepared = sum(1 for child in children if child)
        return prepared, len(children) - prepared

    run.shapes = shapes
    run.prefetch_shapes = prefetch_shapes
    run.forget = cache.clear
    return run
