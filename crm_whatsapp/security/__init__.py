"""Keys and sealed files that keep the desktop's data unreadable at rest (DESIGN guarantee 3).

:mod:`.keys` holds the envelope (a data key wrapped by the OS keyring and by a
printable recovery key); :mod:`.files` seals cached media and exports with
AES-256-GCM under the file key derived from it.
"""

from crm_whatsapp.security.files import (
    SealedFileError,
    aad_for_message,
    open_file,
    open_sealed,
    open_stream,
    seal,
    seal_file,
    seal_stream,
)
from crm_whatsapp.security.keys import (
    SERVICE,
    AlreadySetUp,
    DataKeys,
    KeyProblem,
    KeyringChanged,
    KeyringEntryMissing,
    KeyringLocked,
    KeyringUnavailable,
    KeysFileDamaged,
    KeysFileMissing,
    KeyStore,
    NotSetUp,
    RecoveryKey,
    RecoveryKeyTypo,
    UnsafeKeyring,
    WrongKey,
    WrongRecoveryKey,
    format_recovery_key,
    parse_recovery_key,
)

__all__ = [
    "SERVICE",
    "AlreadySetUp",
    "DataKeys",
    "KeyProblem",
    "KeyStore",
    "KeyringChanged",
    "KeyringEntryMissing",
    "KeyringLocked",
    "KeyringUnavailable",
    "KeysFileDamaged",
    "KeysFileMissing",
    "NotSetUp",
    "RecoveryKey",
    "RecoveryKeyTypo",
    "SealedFileError",
    "UnsafeKeyring",
    "WrongKey",
    "WrongRecoveryKey",
    "aad_for_message",
    "format_recovery_key",
    "open_file",
    "open_sealed",
    "open_stream",
    "parse_recovery_key",
    "seal",
    "seal_file",
    "seal_stream",
]
