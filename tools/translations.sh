#!/usr/bin/env bash
# Refresh the translation catalogues from the source and compile them.
#
# Run from the repository root (or `make translations`). lupdate scans every .py under
# crm_whatsapp/ and merges new strings into resources/translations/crm_whatsapp_<lang>.ts,
# keeping the translations already there and dropping strings the code no longer has;
# lrelease then compiles each .ts into the .qm that crm_whatsapp.ui.i18n loads.
# In between, tools/fill_translations.py fills the unfinished messages: pt_BR with the
# source text itself (source strings are Brazilian Portuguese), English from its table.
# A new string with no English there stays unfinished (listed on stderr, and
# tests/desktop/test_translations.py fails): add it to the table and run this again.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV_BIN=.venv/bin
OUT=resources/translations
mkdir -p "$OUT"

sources=()
while IFS= read -r -d '' file; do
    sources+=("$file")
done < <(find crm_whatsapp -name '*.py' -not -path '*/__pycache__/*' -print0 | sort -z)

if [ "${#sources[@]}" -eq 0 ]; then
    echo "translations.sh: no Python sources under crm_whatsapp/" >&2
    exit 1
fi

for lang in en pt_BR; do
    "$VENV_BIN/pyside6-lupdate" -silent -no-obsolete -locations relative \
        -source-language pt_BR -target-language "$lang" \
        "${sources[@]}" -ts "$OUT/crm_whatsapp_$lang.ts"
done

"$VENV_BIN/python" tools/fill_translations.py

for lang in en pt_BR; do
    "$VENV_BIN/pyside6-lrelease" -silent "$OUT/crm_whatsapp_$lang.ts" \
        -qm "$OUT/crm_whatsapp_$lang.qm"
done
