#!/usr/bin/env bash
# Update the gettext catalogues and compile them (docs/i18n.md). `make messages` runs this.
#
#   scripts/messages.sh             extract strings into asylon/locale/{be,ru,uk,lt}, compile all .mo
#   scripts/messages.sh --compile   only compile (after translators edited the .po files)
#
# makemessages runs from the asylon/ package directory without settings, so the paths in the
# catalogues are relative to the package and the catalogues it writes are asylon/locale/.
# The options here are the ones tests/i18n/test_catalogues.py uses on a copy: keep them in step.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DJANGO_ADMIN=${DJANGO_ADMIN:-$ROOT/.venv/bin/django-admin}
LANGS=(be ru uk lt)
MAKEMESSAGES_OPTIONS=(--no-obsolete --add-location=file --ignore=tests --ignore=static --ignore=locale_thirdparty)

if [[ "${1:-}" != "--compile" ]]; then
  before=$(mktemp -d)
  trap 'rm -rf "$before"' EXIT
  for lang in "${LANGS[@]}"; do
    po=asylon/locale/$lang/LC_MESSAGES/django.po
    [[ -f "$po" ]] && cp "$po" "$before/$lang.po"
  done
  (
    cd asylon
    env -u DJANGO_SETTINGS_MODULE "$DJANGO_ADMIN" makemessages --domain=django \
      "${LANGS[@]/#/--locale=}" "${MAKEMESSAGES_OPTIONS[@]}"
  )
  # A run that changed nothing but the POT-Creation-Date leaves the catalogue as it was.
  for lang in "${LANGS[@]}"; do
    po=asylon/locale/$lang/LC_MESSAGES/django.po
    if [[ -f "$before/$lang.po" ]] && cmp -s <(grep -v '^"POT-Creation-Date' "$before/$lang.po") <(grep -v '^"POT-Creation-Date' "$po"); then
      cp "$before/$lang.po" "$po"
    fi
  done
fi

# compilemessages with the same msgfmt check Django uses; third-party catalogues too.
for po in asylon/locale/*/LC_MESSAGES/django.po asylon/locale_thirdparty/*/LC_MESSAGES/django.po; do
  [[ -f "$po" ]] || continue
  msgfmt --check-format --check-header --check-domain -o "${po%.po}.mo" "$po"
done
echo "Catalogues updated and compiled. Review: git diff --stat -- asylon/locale asylon/locale_thirdparty"
