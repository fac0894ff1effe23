"""ZIP containers (Word and OpenDocument files) opened with their unpacked size capped.

A small file can unpack to gigabytes (a "zip bomb"). Python's zipfile never unpacks more of a member
than its declared size (a member that holds more fails its check), so refusing a container whose
declared sizes add up beyond the caps keeps what reading it can take in memory bounded.
"""

from __future__ import annotations

import io
import zipfile

from store.errors import BadInput
from store.i18n import add_catalog

UNPACKED_LIMIT = 200 * 1024 * 1024  # all members together, images included
PART_LIMIT = 20 * 1024 * 1024  # one XML part we parse: a letter's text is far smaller
MEMBER_LIMIT = 10_000


def open_zip(content: bytes, where: str) -> zipfile.ZipFile:
    """The container, its declared sizes checked; :class:`BadInput` if it is damaged or too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except Exception as error:  # zipfile's errors vary with the damage: BadZipFile, NotImplementedError, struct.error
        raise BadInput(
            "{path}: a damaged ZIP container ({detail}); the file cannot be read.", path=where, detail=error
        ) from None
    if len(members) > MEMBER_LIMIT or sum(member.file_size for member in members) > UNPACKED_LIMIT:
        raise BadInput(
            "{path}: unpacks to more than {limit} MB; a letter is far smaller.",
            path=where,
            limit=UNPACKED_LIMIT // 2**20,
        )
    return archive


def read_part(archive: zipfile.ZipFile, name: str, where: str) -> bytes:
    """One XML part, at most :data:`PART_LIMIT` bytes unpacked; XML with a DOCTYPE (whose entities could
    expand without end) is refused, since no Word or OpenDocument part has one."""
    try:
        if archive.getinfo(name).file_size > PART_LIMIT:
            raise BadInput(
                "{path}: {part} is larger than {limit} MB.", path=where, part=name, limit=PART_LIMIT // 2**20
            )
        data = archive.read(name)
    except KeyError:
        raise BadInput("{path}: a damaged document: {part} is missing.", path=where, part=name) from None
    if b"<!DOCTYPE" in data[:4096]:
        raise BadInput("{path}: a damaged document: {part} declares a DOCTYPE.", path=where, part=name)
    return data


add_catalog(
    "de",
    {
        "{path}: a damaged ZIP container ({detail}); the file cannot be read.": "{path}: ein beschädigter ZIP-Container ({detail}); die Datei ist nicht lesbar.",
        "{path}: unpacks to more than {limit} MB; a letter is far smaller.": "{path}: entpackt mehr als {limit} MB; ein Schreiben ist weit kleiner.",
        "{path}: {part} is larger than {limit} MB.": "{path}: {part} ist größer als {limit} MB.",
        "{path}: a damaged document: {part} is missing.": "{path}: ein beschädigtes Dokument: {part} fehlt.",
        "{path}: a damaged document: {part} declares a DOCTYPE.": "{path}: ein beschädigtes Dokument: {part} erklärt einen DOCTYPE.",
    },
)
