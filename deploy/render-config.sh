#!/bin/sh
# Render a configuration template of deploy/: replace every @NAME@ with the value given as NAME=value.
#   deploy/render-config.sh deploy/nginx/asylon.conf SERVER_NAME=asylon.example.org UPSTREAM=127.0.0.1:8000 ...
# Writes the result to standard output; refuses to write anything while a placeholder is left without
# a value. docs/deploy.md lists the values; tests/deploy/test_nginx_gunicorn.py renders with its own.
set -eu
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 TEMPLATE NAME=value ..." >&2
    exit 2
fi
template=$1
shift
script=""
for assignment in "$@"; do
    name=${assignment%%=*}
    value=${assignment#*=}
    case $name in
        "" | *[!A-Z0-9_]*) echo "$0: not a NAME=value pair: $assignment" >&2; exit 2 ;;
    esac
    # Escape what sed treats specially in a replacement: backslash, the delimiter | and &.
    escaped=$(printf '%s' "$value" | sed -e 's/[\\|&]/\\&/g')
    script="${script}s|@${name}@|${escaped}|g
"
done
rendered=$(sed -e "$script" "$template")
left=$(printf '%s\n' "$rendered" | grep -o '@[A-Z0-9_]*@' | sort -u | tr '\n' ' ' || true)
if [ -n "$left" ]; then
    echo "$0: no value for $left in $template" >&2
    exit 1
fi
printf '%s\n' "$rendered"
