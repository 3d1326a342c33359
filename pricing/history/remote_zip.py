"""Read one member of a zip file (a wheel) over HTTP with Range requests. No Django imports.

A zip's table of contents is at its end: the end-of-central-directory record (22 bytes plus a
comment of up to 64 KiB), which points at the central directory, which gives each member's
offset, sizes, compression and CRC-32. So one member costs three small reads instead of the
whole file: the tail, the member's local header, and its compressed bytes.
"""

from __future__ import annotations

import struct
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass

from pricing.history.index import USER_AGENT

EOCD = b"PK\x05\x06"
CENTRAL = b"PK\x01\x02"
LOCAL = b"PK\x03\x04"
TAIL_BYTES = 22 + 65535
ZIP64_MARK = 0xFFFFFFFF


class RemoteZipError(Exception):
    """The server or the zip did not behave as expected (no Range support, bad structure, CRC)."""


class MemberMissing(RemoteZipError):
    """The archive has no member of that name."""


@dataclass(frozen=True)
class Member:
    name: str
    offset: int
    compressed_size: int
    size: int
    method: int
    crc32: int


def read_member(url: str, name: str, *, size: int, timeout_s: float = 60) -> bytes:
    """The uncompressed bytes of member ``name`` of the zip at ``url`` (``size``: its length)."""
    tail_start = max(0, size - TAIL_BYTES)
    tail = fetch_range(url, tail_start, size - 1, timeout_s=timeout_s)
    directory_at, directory_size = _end_record(tail)
    if directory_at >= tail_start:
        directory = tail[directory_at - tail_start : directory_at - tail_start + directory_size]
    else:
        directory = fetch_range(url, directory_at, directory_at + directory_size - 1, timeout_s=timeout_s)
    member = find_member(directory, name)
    header = fetch_range(url, member.offset, member.offset + 29, timeout_s=timeout_s)
    if header[:4] != LOCAL:
        raise RemoteZipError(f"no local file header for {name} at offset {member.offset}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    data_at = member.offset + 30 + name_length + extra_length
    raw = fetch_range(url, data_at, data_at + member.compressed_size - 1, timeout_s=timeout_s)
    return inflate(member, raw)


def _end_record(tail: bytes) -> tuple[int, int]:
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) < at + 22:
        raise RemoteZipError("no end-of-central-directory record: not a zip file")
    directory_size, directory_at = struct.unpack("<II", tail[at + 12 : at + 20])
    if ZIP64_MARK in (directory_size, directory_at):
        raise RemoteZipError("zip64 archives are not supported (wheels this size do not need it)")
    return directory_at, directory_size


def find_member(directory: bytes, name: str) -> Member:
    """Walk the central directory for ``name``."""
    at = 0
    while directory[at : at + 4] == CENTRAL:
        method, _, _, crc, compressed, size, name_length, extra_length, comment_length = struct.unpack(
            "<HHHIIIHHH", directory[at + 10 : at + 34]
        )
        offset = struct.unpack("<I", directory[at + 42 : at + 46])[0]
        member_name = directory[at + 46 : at + 46 + name_length].decode("utf-8", "replace")
        if member_name == name:
            return Member(name, offset, compressed, size, method, crc)
        at += 46 + name_length + extra_length + comment_length
    raise MemberMissing(f"{name} is not in the archive")


def inflate(member: Member, raw: bytes) -> bytes:
    if member.method == 0:
        data = raw
    elif member.method == 8:
        data = zlib.decompress(raw, -15)
    else:
        raise RemoteZipError(f"compression method {member.method} of {member.name} is not supported")
    if len(data) != member.size or zlib.crc32(data) != member.crc32:
        raise RemoteZipError(f"{member.name}: size or CRC-32 does not match the zip's directory")
    return data


def fetch_range(url: str, first: int, last: int, *, timeout_s: float = 60) -> bytes:
    """Bytes ``first``..``last`` (inclusive) of ``url``; the server must answer 206."""
    request = urllib.request.Request(
        url, headers={"Range": f"bytes={first}-{last}", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            if response.status != 206:
                raise RemoteZipError(f"{url} ignored the Range request (HTTP {response.status})")
            body: bytes = response.read()
    except urllib.error.HTTPError as error:
        raise RemoteZipError(f"HTTP {error.code} for a byte range of {url}") from None
    if len(body) != last - first + 1:
        raise RemoteZipError(f"asked {last - first + 1} bytes of {url}, got {len(body)}")
    return body
