"""One provenance record per value: what values.json and the provenance page list."""
from pipeline.coverage import covering_tests
from snippets.lib import fmt


def is_table(raw):
    return isinstance(raw, list) and bool(raw) and isinstance(raw[0], dict)


def value_records(results, covers=None):
    """One record per value: name, raw value, default text, snippet path, tests."""
    covers = covering_tests() if covers is None else covers
    records = []
    for result in results.values():
        for key, value in result.values.items():
            name = f"{result.name}.{key}"
            records.append({
                "name": name,
                "value": value,
                "text": None if is_table(value) else fmt.text(value),
                "snippet": result.path,
                "tests": covers.get(name, []),
            })
    return records
