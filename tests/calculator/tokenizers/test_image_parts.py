"""Image parts of a conversation: their size from the request or a data: URL's header, never fetched.

The images here are real PNG and JPEG files written by Pillow, so their size is known by
construction, not read back by the code under test.
"""

import base64
import io
import os

import pytest
from PIL import Image

from calculator.tokenizers.chat.conversation import ConversationError, parse_conversation
from calculator.tokenizers.chat.image_parts import HEADER_BYTES, ImagePart


def data_url(width, height, kind="PNG", **save):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, kind, **save)
    mime = "image/png" if kind == "PNG" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(buffer.getvalue()).decode()}"


def image(url="https://example.invalid/cat.png", **fields):
    detail = fields.pop("detail", None)
    inner = {"url": url} | ({"detail": detail} if detail else {})
    return {"type": "image_url", "image_url": inner, **fields}


def parsed_images(*parts):
    content = [{"type": "text", "text": "What is in these pictures?"}, *parts]
    return parse_conversation([{"role": "user", "content": content}]).images()


def refused_field(*parts):
    with pytest.raises(ConversationError) as caught:
        parsed_images(*parts)
    return caught.value.field


def test_an_image_url_is_taken_at_the_size_the_request_gives():
    images = parsed_images(image(width=1024, height=768, detail="high"))
    assert images == [ImagePart(1024, 768, "high")]


def test_the_size_may_sit_inside_image_url_and_detail_defaults_to_auto():
    part = {
        "type": "image_url",
        "image_url": {"url": "https://example.invalid/a.png", "width": 5, "height": 7},
    }
    assert parsed_images(part) == [ImagePart(5, 7, "auto")]


def test_a_png_data_url_gives_its_size_from_its_header():
    assert parsed_images(image(data_url(640, 480))) == [ImagePart(640, 480, "auto")]


def test_a_jpeg_data_url_gives_its_size_even_behind_a_large_exif_segment():
    exif = Image.Exif()
    exif[0x010E] = "x" * 60_000  # ImageDescription: a 60 KB APP1 segment before the frame header
    url = data_url(1092, 1092, "JPEG", exif=exif.tobytes())
    assert parsed_images(image(url, detail="low")) == [ImagePart(1092, 1092, "low")]


@pytest.mark.parametrize(("kind", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_only_the_header_of_a_large_data_url_is_decoded(kind, mime):
    noise = Image.frombytes("RGB", (800, 600), os.urandom(800 * 600 * 3))  # incompressible
    buffer = io.BytesIO()
    noise.save(buffer, kind, **({"quality": 95} if kind == "JPEG" else {}))
    assert len(buffer.getvalue()) > 1.5 * HEADER_BYTES
    # The payload past the header's bytes is not even base64: it is never decoded.
    url = f"data:{mime};base64," + base64.b64encode(buffer.getvalue()).decode() + "!" * 1000
    assert parsed_images(image(url)) == [ImagePart(800, 600, "auto")]


def test_explicit_width_and_height_win_over_a_data_urls_header():
    assert parsed_images(image(data_url(10, 10), width=20, height=30)) == [ImagePart(20, 30, "auto")]


@pytest.mark.parametrize(
    ("part", "field"),
    [
        (image(), "messages[0].content[1].width"),
        (image(width=0, height=10), "messages[0].content[1].width"),
        (image(width=10, height=-3), "messages[0].content[1].height"),
        (image(width=10.5, height=10), "messages[0].content[1].width"),
        (image(width="800", height=600), "messages[0].content[1].width"),
        (image(width=True, height=600), "messages[0].content[1].width"),
        (image(width=40_000, height=600), "messages[0].content[1].width"),
        (image(width=800), "messages[0].content[1].height"),
        (image(width=800, height=600, detail="ultra"), "messages[0].content[1].image_url.detail"),
        (
            {"type": "image_url", "image_url": "https://example.invalid/a.png"},
            "messages[0].content[1].image_url",
        ),
        (
            image("data:image/webp;base64,UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA="),
            "messages[0].content[1].image_url.url",
        ),
        (image("data:image/png;base64,***"), "messages[0].content[1].image_url.url"),
        (image("data:image/png,notbase64"), "messages[0].content[1].image_url.url"),
        ({"type": "input_audio", "input_audio": {}}, "messages[0].content[1]"),
    ],
)
def test_a_bad_image_part_is_refused_naming_its_field(part, field):
    assert refused_field(part) == field


def test_more_images_than_any_provider_takes_are_refused():
    parts = [image(width=8, height=8)] * 501
    assert refused_field(*parts) == "messages"


def test_the_conversations_cache_key_changes_with_an_images_size():
    one = parse_conversation([{"role": "user", "content": [image(width=8, height=8)]}])
    other = parse_conversation([{"role": "user", "content": [image(width=8, height=9)]}])
    assert one.dump() != other.dump()
