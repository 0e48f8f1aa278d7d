"""A safe YAML loader that refuses duplicate keys, which PyYAML would silently overwrite.

Every content file (topics, units, misconceptions, questions) is read with it:
a key written twice in a file is almost always a slip that loses one value.
"""

import yaml


class StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader, except that a mapping may not repeat a key."""


def _construct_unique_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float):
            continue  # unhashable keys are left for construct_mapping to reject
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)
