#!/usr/bin/env bash
# Refresh the Swagger UI files that /docs serves (so the API docs load nothing from a CDN).
# Needs npm; run by hand when upgrading, then commit src/salesmetrics/web/static/vendor/swagger-ui/.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-5.35.0}
dest=src/salesmetrics/web/static/vendor/swagger-ui
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null && tar xzf "swagger-ui-dist-$VERSION.tgz")
mkdir -p "$dest"
for f in swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE favicon-32x32.png; do
  cp "$tmp/package/$f" "$dest/$f"
done
# The source maps are not shipped; without the reference a browser's developer tools ask for none.
sed -i -e '/^\/\/# sourceMappingURL=/d' -e '/^\/\*# sourceMappingURL=.*\*\/$/d' "$dest/swagger-ui-bundle.js" "$dest/swagger-ui.css"
echo "$VERSION" > "$dest/VERSION"
echo "Swagger UI $VERSION copied to $dest"
