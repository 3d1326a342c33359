"""The catalogue table's own rules, the adapter protocol every engine meets, and no Django in the pure
tokenizer package (import cycles are import-linter's job: tests/test_layout.py)."""

import subprocess
import sys

import pytest

from calculator import tokenizers
from calculator.tokenizers import catalogue, registry
from calculator.tokenizers.catalogue import SPECS, Ctok, Spec, TiktokenFile
from calculator.tokenizers.types import Adapter

ROW = {
    "name": "A",
    "engine": "tiktoken",
    "exact": True,
    "family": "openai",
    "licence": "MIT",
    "chat_frame": 3,
    "note": "n",
}


def test_a_row_needs_exactly_one_of_its_own_loader_and_runs_on():
    with pytest.raises(ValueError, match="exactly one"):
        Spec(key="x", **ROW)
    with pytest.raises(ValueError, match="exactly one"):
        Spec(key="x", load=TiktokenFile("f", pattern="O200K_PATTERN"), runs_on="o200k_base", **ROW)


def test_only_ctok_rows_name_a_claude_family():
    with pytest.raises(ValueError, match="claude_family"):
        Spec(key="x", load=TiktokenFile("f", pattern="O200K_PATTERN"), claude_family="3.0", **ROW)
    with pytest.raises(ValueError, match="claude_family"):
        Spec(key="x", load=Ctok(), **{**ROW, "engine": "ctok"})


def test_the_table_refuses_running_on_a_key_that_loads_nothing_itself():
    with pytest.raises(ValueError, match="runs_on='grok'"):
        catalogue._index((*catalogue.ROWS, Spec(key="x", runs_on="grok", **ROW)))
    with pytest.raises(ValueError, match="twice"):
        catalogue._index((*catalogue.ROWS, SPECS["grok"]))


def test_the_chat_frames_and_claude_families_are_those_tokenizers_md_gives():
    frames = {key: spec.chat_frame for key, spec in SPECS.items()}
    assert frames["o200k_base"] == 3 and frames["llama3"] == 5 and frames["mistral_spm_v7"] == 2
    assert (frames["claude"], frames["claude_opus_4_7"], frames["claude_5"]) == (7, 11, 6)
    assert catalogue.claude_families() == ("3.0", "4.7", "4.8")


@pytest.mark.parametrize("owner", sorted({spec.owner for spec in SPECS.values()}))
def test_every_engine_meets_the_adapter_protocol(owner):
    adapter = registry._adapter(owner)
    assert isinstance(adapter, Adapter)
    assert adapter.engine == SPECS[owner].engine
    assert adapter.count("adapter protocol") == len(adapter.tokenize("adapter protocol")[0])


def test_returning_to_earlier_settings_reuses_the_engines_loaded_then(tmp_path, data_dir, reconfigure):
    before = registry._adapter("o200k_base")
    reconfigure(data_dir=tmp_path)
    assert not tokenizers.is_available("o200k_base")
    reconfigure(data_dir=data_dir)
    assert registry._adapter("o200k_base") is before


def test_the_tokenizer_package_imports_no_django():
    code = "import sys, calculator.tokenizers; print(sorted(m for m in sys.modules if 'django' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
