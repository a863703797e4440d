"""What a reflection is about (its practice, the older entry it revisits, which wording of the practice the
person read), as one fixed-size plaintext.

A moment done "in my head" keeps no text, and says so here (sealed too), so the journal and the
export can show it plainly and kintsugi knows there is nothing written to mend.

The practice maps one-to-one to how the person said they were arriving, and the kintsugi link says which
old difficulty they went back to: both are sealed with the author's data key, like the body. Every
plaintext is padded to the same length, so no ciphertext length tells one practice from another, or a
kintsugi entry (which names the entry it revisits) from any other. The wording is kept so that the next
opening of the same practice can read differently; it is sealed and padded like the rest.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

SEALED_SIZE = 128  # bytes of plaintext before sealing: longer than any practice key plus a UUID


@dataclass(frozen=True)
class ReflectionMeta:
    practice: str
    revisits: uuid.UUID | None = None  # kintsugi: the author's older entry this one mends
    wording: int | None = None  # which of the practice's wordings was shown (None: kept before wordings)
    in_head: bool = False  # done without writing: the body holds no answers


def pack(meta: ReflectionMeta) -> bytes:
    """The metadata as JSON, padded with spaces (which JSON ignores) to exactly SEALED_SIZE bytes."""
    document: dict[str, str | int | bool | None] = {
        "practice": meta.practice,
        "revisits": str(meta.revisits) if meta.revisits else None,
        "wording": meta.wording,
    }
    if meta.in_head:  # only when set, so what was sealed before it existed reads the same
        document["in_head"] = True
    packed = json.dumps(document, separators=(",", ":")).encode("utf-8")
    if len(packed) > SEALED_SIZE:
        raise ValueError(f"reflection metadata is longer than {SEALED_SIZE} bytes: shorten the practice key")
    return packed.ljust(SEALED_SIZE, b" ")


def unpack(plaintext: bytes) -> ReflectionMeta:
    document = json.loads(plaintext)
    revisits, wording = document.get("revisits"), document.get("wording")
    return ReflectionMeta(
        practice=str(document["practice"]),
        revisits=uuid.UUID(revisits) if revisits else None,
        wording=wording if isinstance(wording, int) and not isinstance(wording, bool) else None,
        in_head=document.get("in_head") is True,
    )
